"""PEEL layouts of the benchmark corpus, one function per layout the parsers read.

Each follows an invented fixture in ``tests/data``: the 2014-2017 pillar report
(``northshire-2016-peel-legitimacy.txt``, parser ``peel-pillar``), the 2018/19 integrated
assessment as printed (``wessex-2019-peel.md``) and as web pages (``northshire-2019-peel-web.txt``,
both parser ``peel``), the 2021/22 "Our judgments" grid (``northshire-2022-peel.txt``) and the
2023-2025 judgment rows (``eastmoor-2024-peel.txt``, both parser ``peel-2021``). A layout is
``(force, rng, length) -> str``; ``length`` scales the prose.
"""

from __future__ import annotations

import random

from corpus_text import Force, paragraphs, sentence, should

PEEL_PILLARS = (
    ("Effectiveness", "How effectively does the force reduce crime and keep people safe?",
     ("Preventing crime and tackling anti-social behaviour", "Investigating crime",
      "Protecting vulnerable people")),
    ("Efficiency", "How efficiently does the force operate and how sustainable are its services?",
     ("Meeting current demands and using resources", "Planning for the future")),
    ("Legitimacy", "How legitimately does the force treat the public and its workforce?",
     ("Fair treatment of the public", "Ethical and lawful workforce behaviour",
      "Fair treatment of the workforce")),
)
# The same areas as the web pages and pillar reports ask them.
AREA_QUESTIONS = {
    "Preventing crime and tackling anti-social behaviour":
        "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?",
    "Investigating crime": "How effective is the force at investigating crime and reducing re-offending?",
    "Protecting vulnerable people":
        "How effective is the force at protecting those who are vulnerable from harm, and supporting victims?",
    "Meeting current demands and using resources": "How well does the force use its resources to meet its demand?",
    "Planning for the future": "How well is the force planning for demand in the future?",
    "Fair treatment of the public":
        "To what extent does the force treat all of the people it serves with fairness and respect?",
    "Ethical and lawful workforce behaviour":
        "How well does the force ensure that its workforce behaves ethically and lawfully?",
    "Fair treatment of the workforce": "To what extent does the force treat its workforce with fairness and respect?",
}
PILLAR_REPORTS = {  # pillar -> (its question, the questions of its areas)
    "effectiveness": ("How effective is the force at keeping people safe and reducing crime?",
                      (*(AREA_QUESTIONS[a] for a in PEEL_PILLARS[0][2]),
                       "How effective is the force at tackling serious and organised crime?")),
    "efficiency": ("How efficient is the force at keeping people safe and reducing crime?",
                   ("How well does the force understand demand?", "How well does the force use its resources?",
                    AREA_QUESTIONS["Planning for the future"])),
    "legitimacy": ("How legitimate is the force at keeping people safe and reducing crime?",
                   tuple(AREA_QUESTIONS[a] for a in PEEL_PILLARS[2][2])),
}
PEEL_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")
GRADES_2021 = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
AREAS_2021 = ("Treatment of the public", "Preventing crime and antisocial behaviour", "Responding to the public",
              "Investigating crime", "Protecting vulnerable people", "Managing offenders",
              "Building, supporting and protecting the workforce",
              "Strategic planning, organisational management and value for money")
AREAS_2023 = ("Engaging with and treating the public with fairness and respect",
              "Preventing and deterring crime and antisocial behaviour, and reducing vulnerability",
              "Responding to the public", "Investigating crime", "Protecting vulnerable people",
              "Managing offenders and suspects", "Building, supporting and protecting the workforce",
              "Leadership and force management")
_SUBHEADINGS = ("Investigation quality", "Working with partners", "Understanding demand", "Use of technology",
                "Supervision", "Vetting", "Information systems", "Public protection")


def _detail(force: Force, rng: random.Random, length: float, low: int, high: int) -> list[str]:
    """Narrative sub-headings, each over finding sentences and prose."""
    out = []
    for _ in range(max(1, round(rng.randint(low, high) * length))):
        out += [rng.choice(_SUBHEADINGS),
                " ".join(sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(2, 5))),
                *paragraphs(rng, length, 1, 3, force)]
    return out


def _afis(force: Force, rng: random.Random, grade: str) -> list[str]:
    if grade in ("Requires improvement", "Inadequate") or rng.random() < 0.3:
        return ["Areas for improvement", "\n".join(f"- {should(force, rng)}" for _ in range(rng.randint(1, 3)))]
    return []


def _concern(force: Force, rng: random.Random, months: str = "six") -> list[str]:
    return ["Cause of concern", sentence(force, rng, False), "Recommendations",
            f"The force should, within {months} months:",
            "\n".join(f"- {should(force, rng)[len('The force should '):-1]};" for _ in range(rng.randint(2, 3)))]


def _isbn(rng: random.Random, year: int) -> str:
    return f"{rng.choice(('March', 'May', 'September'))} {year} | © HMICFRS {year} | " \
           f"ISBN: 978-1-78655-{rng.randint(100, 999)}-{rng.randint(0, 9)}"


def peel_print(force: Force, rng: random.Random, length: float = 1.0) -> str:
    """PEEL 2018/19 as printed: an "Overall summary" table, then pillars and areas as headings."""
    year = "2018/19"
    grades = {q: rng.choice(PEEL_GRADES) for _, _, qs in PEEL_PILLARS for q in qs}
    pillar_grades = {p: rng.choice(PEEL_GRADES) for p, _, _ in PEEL_PILLARS}
    out = ["PEEL", f"Police effectiveness, efficiency and legitimacy {year}", f"An inspection of {force.name}",
           "Overall summary"]
    for pillar, _, questions in PEEL_PILLARS:
        rows = [f"\t{pillar}\t\tLast inspected"]
        rows += [f"{q}\t\t{grades[q]}\t{rng.choice(('2017', year))}" for q in questions]
        out.append("\n".join(rows))
    out += ["HM Inspector's observations", *paragraphs(rng, length, 2, 4, force),
            f"The force works well with the {rng.choice(force.partners)} and is improving."]
    for pillar, question, questions in PEEL_PILLARS:
        out += [pillar, question, pillar_grades[pillar], "Summary",
                f"{force.name} is {pillar_grades[pillar].lower()} in this area.", *paragraphs(rng, length, 1, 2, force)]
        for q in questions:
            out += [q, grades[q], f"{force.name} is {grades[q].lower()} at this.",
                    *paragraphs(rng, length, 1, 3, force)]
            if grades[q] == "Inadequate":
                out += _concern(force, rng)
            out += _afis(force, rng, grades[q])
            out.append("We set out our detailed findings below. These are the basis for our judgment "
                       "of the force's performance in this area.")
            out += _detail(force, rng, length, 2, 5)
    out += ["Annex A – About the data", "Data in this report is from a range of sources.", _isbn(rng, 2019)]
    return "\n\n".join(out) + "\n"


def peel_web(force: Force, rng: random.Random, length: float = 1.0) -> str:
    """PEEL 2018/19 as the inspectorate's web pages: each question with its "Last updated" date."""
    def updated() -> str:
        return f"Last updated {rng.choice(('02/05/2019', '22/03/2018', '27/09/2019'))}"

    out = ["PEEL: Police effectiveness, efficiency and legitimacy 2018/19", force.name, "HMI's observations",
           *paragraphs(rng, length, 2, 4, force),
           f"{force.name} works closely with the {rng.choice(force.partners)}."]
    for pillar, question, areas in PEEL_PILLARS:
        grade = rng.choice(PEEL_GRADES)
        out += [pillar, updated(), question, updated(), grade,
                f"{force.name} is {grade.lower()} in this area.", *paragraphs(rng, length, 1, 2, force)]
        for area in areas:
            grade = rng.choice(PEEL_GRADES)
            out += [AREA_QUESTIONS[area], updated(), grade]
            if rng.random() < 0.25:
                out += ["This question was not subject to detailed inspection in 2018/19, and our judgment "
                        "from the 2017 inspection has been carried over."]
                continue
            out += [f"{force.name} is {grade.lower()} at this.", *paragraphs(rng, length, 1, 3, force)]
            out += _afis(force, rng, grade)
            if grade == "Inadequate":
                out += _concern(force, rng, "three")
            out += _detail(force, rng, length, 1, 4)
    return "\n\n".join(out) + "\n"


def peel_pillar(pillar: str, year: int):
    """The layout of a 2014-2017 report on one pillar (``effectiveness``, ``efficiency``, ``legitimacy``)."""
    question, areas = PILLAR_REPORTS[pillar]

    def layout(force: Force, rng: random.Random, length: float = 1.0) -> str:
        grade = rng.choice(PEEL_GRADES)
        out = [f"PEEL: Police {pillar} {year}", f"An inspection of {force.name}", "Contents",
               "What this report contains",
               "This report is structured in four parts: our overall judgment, and our findings on each question.",
               question, grade, "Summary", f"{force.name} is {grade.lower()} in this area.",
               *paragraphs(rng, length, 1, 3, force)]
        for area in areas:
            grade = rng.choice(PEEL_GRADES)
            out += [area, grade, "Summary", *paragraphs(rng, length, 1, 2, force)]
            if grade == "Inadequate":
                out += _concern(force, rng)
            out += _afis(force, rng, grade)
            out += _detail(force, rng, length, 1, 3)
        out += ["Annex A – About the data", "The data in this report comes from the force."]
        return "\n\n".join(out) + "\n"

    layout.__name__ = f"peel_pillar_{pillar}_{year}"
    return layout


def _practice(force: Force, rng: random.Random, length: float) -> list[str]:
    out = []
    for kind in ("Innovative practice", "Promising practice"):
        if rng.random() < 0.3:
            out += [kind, f"{rng.choice(force.divisions)} {rng.choice(('triage', 'schools', 'cycle marking'))} scheme",
                    sentence(force, rng, True)]
    return out


def _areas_2021(force: Force, rng: random.Random, length: float, grades: dict[str, str]) -> list[str]:
    out = []
    for area, grade in grades.items():
        out += [area, grade, f"{force.name} is {grade.lower()} at this.", *paragraphs(rng, length, 1, 3, force)]
        if grade in ("Requires improvement", "Inadequate") or rng.random() < 0.3:
            out += ["Areas for improvement", "\n".join(f"- {should(force, rng)}" for _ in range(rng.randint(1, 3)))]
        out += _practice(force, rng, length)
        out += _detail(force, rng, length, 1, 3)
    return out


def _causes(force: Force, rng: random.Random, grades: dict[str, str]) -> list[str]:
    if "Inadequate" not in grades.values():
        return []
    return ["Causes of concern", sentence(force, rng, False), "Recommendations", "Within six months, the force should:",
            "\n".join(f"- {should(force, rng)[len('The force should '):-1]};" for _ in range(2))]


def peel_2021(force: Force, rng: random.Random, length: float = 1.0) -> str:
    """PEEL 2021/22: the "Our judgments" grid, each area written in its grade's column."""
    grades = {a: rng.choice(GRADES_2021) for a in AREAS_2021}
    columns = [[a for a in AREAS_2021 if grades[a] == g] for g in GRADES_2021]
    grid = ["\t".join(GRADES_2021)]
    for i in range(max(len(c) for c in columns)):
        grid.append("\t".join(c[i] if i < len(c) else "" for c in columns))
    out = ["PEEL 2021/22", "Police effectiveness, efficiency and legitimacy", f"An inspection of {force.name}",
           "About this report",
           f"We inspected how well {force.name} performs in nine areas of policing, and we make a graded "
           "judgment in each.", "Overall summary", "Our judgments", "\n".join(grid),
           "HM Inspector's observations", *paragraphs(rng, length, 2, 4, force), *_causes(force, rng, grades),
           *_areas_2021(force, rng, length, grades),
           "Annex A – About the data", "Figures in this annex come from the force.", _isbn(rng, 2022)]
    return "\n\n".join(out) + "\n"


def peel_2023(force: Force, rng: random.Random, length: float = 1.0) -> str:
    """PEEL 2023-25: the "Our judgments" table, one row per area and its grade."""
    grades = {a: rng.choice(GRADES_2021) for a in AREAS_2023}
    rows = ["Area\tGrade", *(f"{a}\t{g}" for a, g in grades.items())]
    out = ["PEEL 2023–25", f"An inspection of {force.name}", "Our judgments", "\n".join(rows),
           "HM Inspector's observations", *paragraphs(rng, length, 2, 4, force), *_causes(force, rng, grades),
           *_areas_2021(force, rng, length, grades),
           "Annex A – Data", "Figures in this annex come from the force."]
    return "\n\n".join(out) + "\n"
