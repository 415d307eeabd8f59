"""Write a corpus of invented forces' inspection reports, for measuring policekg at national scale.

Every force, place, unit and person is invented (names are made from place-name syllables); the
national systems, partners and initiatives come from ``ontology/gazetteer.jsonl``, as they would
appear in any force's report. Each force differs in its divisions, partnerships, units, local
systems, grades and the length of each section, and gets up to three reports: Baseline
Assessments for 2005/06 and 2006/07 and a PEEL 2018/19 inspection, in the text layouts the parsers
read (see ``tests/data/wessex-*``). The output depends only on the seed.

A layout is one function ``(Force, year, rng) -> str`` in ``LAYOUTS``; add one there to cover a
new parser.

    python benchmarks/corpus.py OUT_DIR --reports 100 [--seed 1] [--length 1.0]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

_HEADS = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gar", "Hal", "Ivel", "Kel", "Lor", "Mar", "Nor", "Ox",
          "Pen", "Quen", "Rav", "Sel", "Thorn", "Ul", "Ver", "Wyn", "Yar", "Brack", "Cran", "Dray", "Eld",
          "Frith", "Glen", "Holm", "Kirk", "Lang", "Mere", "Nant", "Orm", "Pol", "Rye", "Stan", "Tarn", "Wold")
_TAILS = ("bury", "ford", "ham", "ley", "mouth", "stead", "wick", "ton", "dale", "moor", "field", "by",
          "thorpe", "combe", "minster", "bridge", "haven", "gate", "well", "worth")
_FORCE_FORMS = ("{} Constabulary", "{} Police", "{}shire Constabulary", "{}shire Police")
_UNITS = ("Public Protection Unit", "Roads Policing Unit", "Economic Crime Unit", "Major Crime Unit",
          "Child Abuse Investigation Unit", "Dog Support Unit", "Hate Crime Unit", "Criminal Justice Unit",
          "Tactical Support Unit", "Force Intelligence Bureau", "Professional Standards Department",
          "Serious Collision Investigation Unit", "Domestic Abuse Unit", "Cyber Crime Unit")
_LOCAL_SYSTEMS = ("Beacon", "Harrier", "Lantern", "Osprey", "Compass", "Sentinel", "Kestrel", "Falcon",
                  "Merlin", "Anchor", "Tern", "Linnet")
_LOCAL_KINDS = ("crime recording system", "command and control system", "custody system",
                "duty management system", "intelligence system", "case file system")
_GOOD = ("is well led", "has improved since the last inspection", "is supported by clear policies",
         "is understood by staff at every level", "is monitored at the monthly performance meeting")
_WEAK = ("is not always recorded", "varies between divisions", "is not yet evaluated",
         "lacks a clear owner", "is not consistently supervised")
_FILLER = ("Staff we spoke to described the arrangements in detail and gave examples of recent cases.",
           "The force has set out its priorities in a published plan agreed with the police authority.",
           "Performance is reviewed each month and the results are shared with partners.",
           "Supervisors check a sample of records every week and feed back to the officers concerned.",
           "The arrangements were revised during the year after a review by the force's own auditors.",
           "Training has been given to frontline officers and refresher sessions are planned.")

BASELINE_FRAMEWORKS = (
    ("1", "Citizen Focus", "Domain A", (("1A", "Fairness and Equality"),
                                        ("1B", "Neighbourhood Policing and Problem Solving"),
                                        ("1C", "Customer Service and Accessibility"),
                                        ("1D", "Professional Standards"))),
    ("2", "Reducing Crime", "Domain 1", (("2A", "Reducing Hate Crime and Crimes against Vulnerable Victims"),
                                         ("2B", "Volume Crime Reduction"),
                                         ("2C", "Working with Partners to Reduce Crime"))),
    ("3", "Investigating Crime", "Domain 2", (("3A", "Managing Critical Incidents and Major Crime"),
                                              ("3B", "Tackling Serious and Organised Criminality"),
                                              ("3C", "Volume Crime Investigation"),
                                              ("3D", "Improving Forensic Performance"),
                                              ("3E", "Criminal Justice Processes"))),
    ("4", "Promoting Safety", "Domain 3", (("4A", "Reducing Anti-Social Behaviour"),
                                           ("4B", "Protecting Vulnerable People"))),
    ("5", "Providing Assistance", "Domain 4", (("5A", "Contact Management"),
                                               ("5B", "Providing Specialist Operational Support"),
                                               ("5C", "Strategic Roads Policing"))),
    ("6", "Resource Use", "Domain B", (("6A", "Human Resource Management"),
                                       ("6B", "Training, Development and Organisational Learning"),
                                       ("6C", "Race and Diversity"),
                                       ("6D", "Managing Financial and Physical Resources"),
                                       ("6E", "Information Management"),
                                       ("6F", "National Intelligence Model"))),
)
BASELINE_GRADES = ("Poor", "Fair", "Good", "Excellent")
DIRECTIONS = ("Improved", "Stable", "Declined")
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
PEEL_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")


@dataclass
class Force:
    """An invented force and the places, units and systems its reports mention."""

    name: str
    short: str
    divisions: list[str]
    cdrps: dict[str, list[tuple[str, int, int]]]  # division -> (name, population, households)
    units: list[tuple[str, str]]  # (name, abbreviation)
    systems: list[tuple[str, str]]  # (name, what it is): local and national
    partners: list[str]
    initiatives: list[str]


def _national() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    text = files("policekg.ontology").joinpath("gazetteer.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip():
            entry = json.loads(line)
            out.setdefault(entry["type"], []).append(entry["label"])
    return out


def _place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_HEADS) + rng.choice(_TAILS)
        if name not in used:
            used.add(name)
            return name


def _abbreviation(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def make_force(index: int, seed: int, national: dict[str, list[str]], taken: set[str]) -> Force:
    """The ``index``-th invented force of a corpus (names unique across ``taken``)."""
    rng = random.Random(f"{seed}:{index}")
    used: set[str] = set()
    while True:
        short = _place(rng, used)
        name = rng.choice(_FORCE_FORMS).format(short)
        if name not in taken:
            taken.add(name)
            break
    divisions = [_place(rng, used) for _ in range(rng.randint(2, 6))]
    cdrps = {}
    for d in divisions:
        cdrps[d] = []
        for _ in range(rng.randint(1, 3)):
            pop = rng.randint(40, 160) * 1000 + rng.randint(0, 9) * 100
            cdrps[d].append((_place(rng, used), pop, pop * rng.randint(38, 46) // 100))
    units = [(u, _abbreviation(u)) for u in rng.sample(_UNITS, rng.randint(3, 8))]
    local = [(f"{n.upper()}", rng.choice(_LOCAL_KINDS)) for n in rng.sample(_LOCAL_SYSTEMS, rng.randint(1, 3))]
    systems = local + [(s, "national system") for s in rng.sample(national["System"], rng.randint(2, 5))]
    return Force(
        name=name, short=short, divisions=divisions, cdrps=cdrps, units=units, systems=systems,
        partners=rng.sample(national["Partner"], rng.randint(3, 7)),
        initiatives=rng.sample(national["Initiative"], rng.randint(1, len(national["Initiative"]))),
    )


def _sentence(force: Force, rng: random.Random, good: bool) -> str:
    """One finding sentence citing some of the force's entities (systems, units, places)."""
    div = rng.choice(force.divisions)
    (sys_a, _), (sys_b, _) = rng.sample(force.systems, 2)
    unit, abbr = rng.choice(force.units)
    home = force.divisions[force.units.index((unit, abbr)) % len(force.divisions)]  # each unit has one
    quality = rng.choice(_GOOD if good else _WEAK)
    options = [
        f"The use of {sys_a} in {div} Division {quality}.",
        f"{sys_a} feeds {sys_b}, and the link {quality}.",
        f"The {unit} ({abbr}) {quality}.",
        f"The {unit} is based in {home} Division, and its work {quality}.",
        f"Work with the {rng.choice(force.partners)} in {div} Division {quality}.",
        f"{rng.choice(force.initiatives)} was piloted in {div} Division and {quality}.",
        f"{sys_a} interfaces with {sys_b}; the process {quality}.",
        f"Officers in {div} Division check {sys_a} before each arrest, and the practice {quality}.",
    ]
    return rng.choice(options)


def _paragraphs(rng: random.Random, length: float, low: int, high: int, force: Force | None = None) -> list[str]:
    # Prose paragraphs of 5 to 18 sentences: most of a real report is prose, few of its words name entities.
    n = max(1, round(rng.randint(low, high) * length))
    out = []
    for _ in range(n):
        sentences = [rng.choice(_FILLER) for _ in range(rng.randint(4, 14))]
        if force is not None:
            sentences += [_sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(0, 2))]
            rng.shuffle(sentences)
        out.append(" ".join(sentences))
    return out


def _bullets(force: Force, rng: random.Random, good: bool, length: float, low: int, high: int) -> list[str]:
    # As in the real reports, most findings name no system, unit or place: 1 in 3 does here.
    n = max(1, round(rng.randint(low, high) * length))
    return [f"- {_sentence(force, rng, good) if rng.random() < 0.35 else _plain(rng, good)}" for _ in range(n)]


def _plain(rng: random.Random, good: bool) -> str:
    subject = rng.choice(("The force's approach", "Supervision of this work", "The quality of recording",
                          "Communication with victims", "Partnership working", "The use of data"))
    return f"{subject} {rng.choice(_GOOD if good else _WEAK)}."


def baseline(force: Force, year: str, rng: random.Random, length: float = 1.0) -> str:
    """A Baseline Assessment for ``year`` ("2005/06" or "2006/07") in the layout of HMIC's reports."""
    published = f"{rng.choice(('January', 'March', 'October'))} 20{year[-2:]}"
    out = [force.name, "Baseline Assessment", published,
           f"ISBN-13: 978-1-84726-{rng.randint(100, 999)}-{rng.randint(0, 9)}",
           "CROWN COPYRIGHT", f"FIRST PUBLISHED 20{year[-2:]}", "Introduction to Baseline Assessment",
           "Since March 2004, Her Majesty's Inspectorate of Constabulary (HMIC) has conducted a periodic, "
           "strategic-level performance review of each Home Office police force in England and Wales. "
           f"The process is known as baseline assessment (BA) and this report covers the assessment for the "
           f"financial year {year}; performance outside this period is not taken into account in "
           "determining grades.",
           "Force Overview and Context", "Geographical Description of Force Area"]
    total = sum(p for cs in force.cdrps.values() for _, p, _ in cs)
    out.append(f"{force.short} is a mixed urban and rural area. It has a population of around {total:,} people.")
    out.append(f"The force delivers its services from {len(force.divisions)} basic command units (BCUs), "
               "each known as a division.")
    for d in force.divisions:
        names = " and ".join(c for c, _, _ in force.cdrps[d])
        out += [f"{d} Division", f"{d} division covers {names}. It is home to around "
                f"{sum(p for _, p, _ in force.cdrps[d]):,} people."]
    for label, col in (("population", 1), ("households", 2)):
        out.append(f"The following table contains a breakdown of the {label} of {force.short}.")
        rows = [f"CDRP\t{label.title()}\tDivision\t{label.title()}"]
        for d in force.divisions:
            for i, c in enumerate(force.cdrps[d]):
                rows.append(f"{c[0]}\t{c[col]:,}\t" + (f"{d}\t{sum(x[col] for x in force.cdrps[d]):,}"
                                                         if i == 0 else "\t"))
        rows.append(f"Force\t\t{sum(x[col] for cs in force.cdrps.values() for x in cs):,}")
        out.append("\n".join(rows))
    out += ["Major Challenges for the Future", *_paragraphs(rng, length, 1, 3, force)]
    chosen = [(n, t, dom, [fw for fw in fws if rng.random() < 0.8] or [fws[0]])
              for n, t, dom, fws in BASELINE_FRAMEWORKS]
    grades = {code: (rng.choice(BASELINE_GRADES), rng.choice(DIRECTIONS))
              for *_, fws in chosen for code, _ in fws}
    summary = ["Summary of Judgements\tGrade\tDirection of Travel"]
    for _, title, _, fws in chosen:
        summary.append(f"{title}\t\t")
        summary += [f"{t}\t{grades[c][0]}\t{grades[c][1]}" for c, t in fws]
    out.append("\n".join(summary))
    for number, title, domain, fws in chosen:
        out.append(f"{number} {title}" + (f" ({domain})" if domain else ""))
        for code, fw_title in fws:
            grade, direction = grades[code]
            counts = [rng.randint(0, 12) for _ in BASELINE_GRADES]
            out += [f"{code} {fw_title}", f"Grade\tDirection of Travel\n{grade}\t{direction}",
                    "National Grade Distribution",
                    "\t".join(BASELINE_GRADES) + "\n" + "\t".join(str(c) for c in counts),
                    "Contextual Factors", *_paragraphs(rng, length, 1, 4, force),
                    "Strengths", "\n".join(_bullets(force, rng, True, length, 2, 8)),
                    "Areas for Improvement", "\n".join(_bullets(force, rng, False, length, 1, 4))]
            if rng.random() < 0.3:
                out += ["Work in Progress", "\n".join(_bullets(force, rng, True, length, 1, 2))]
            if rng.random() < 0.25:
                unit, abbr = rng.choice(force.units)
                out += ["GOOD PRACTICE", f"TITLE: {rng.choice(force.divisions)} {rng.choice(_LOCAL_SYSTEMS)} Scheme\n"
                        f"PROBLEM: {_sentence(force, rng, False)}\n"
                        f"SOLUTION: The {unit} ({abbr}) worked with partners. {_sentence(force, rng, True)}\n"
                        f"OUTCOME(S): Repeat incidents fell by {rng.randint(5, 45)}%."]
    out += ["Appendix 1: Glossary of Terms and Abbreviations",
            "\n".join(f"{abbr}\t{unit.lower()}" for unit, abbr in sorted(force.units, key=lambda u: u[1]))]
    return "\n\n".join(out) + "\n"


def peel(force: Force, year: str, rng: random.Random, length: float = 1.0) -> str:
    """A PEEL inspection report for ``year`` ("2018/19") in the layout of HMICFRS's reports."""
    grades = {q: rng.choice(PEEL_GRADES) for _, _, qs in PEEL_PILLARS for q in qs}
    pillar_grades = {p: rng.choice(PEEL_GRADES) for p, _, _ in PEEL_PILLARS}
    out = ["PEEL", f"Police effectiveness, efficiency and legitimacy {year}", f"An inspection of {force.name}",
           "Overall summary"]
    for pillar, _, questions in PEEL_PILLARS:
        rows = [f"\t{pillar}\t\tLast inspected"]
        rows += [f"{q}\t\t{grades[q]}\t{rng.choice(('2017', year))}" for q in questions]
        out.append("\n".join(rows))
    out += ["HM Inspector's observations", *_paragraphs(rng, length, 1, 3, force),
            f"The force works well with the {rng.choice(force.partners)} and is improving."]
    for pillar, question, questions in PEEL_PILLARS:
        out += [pillar, question, pillar_grades[pillar], "Summary",
                f"{force.name} is {pillar_grades[pillar].lower()} in this area."]
        for q in questions:
            out += [q, grades[q], f"{force.name} is {grades[q].lower()} at this.",
                    *_paragraphs(rng, length, 1, 3, force)]
            if grades[q] == "Inadequate":
                out += ["Cause of concern", _sentence(force, rng, False),
                        "Recommendations", "The force should, within six months:",
                        "\n".join(f"- ensure that {_sentence(force, rng, False)[:-1].lower()};"
                                  for _ in range(rng.randint(2, 3)))]
            if grades[q] in ("Requires improvement", "Inadequate") or rng.random() < 0.3:
                out += ["Areas for improvement", "\n".join(
                    f"- The force should ensure that {_sentence(force, rng, False)[:-1].lower()}."
                    for _ in range(rng.randint(1, 3)))]
            out.append("We set out our detailed findings below. These are the basis for our judgment "
                       "of the force's performance in this area.")
            for _ in range(max(1, round(rng.randint(1, 4) * length))):
                out += [rng.choice(("Investigation quality", "Working with partners", "Understanding demand",
                                    "Use of technology", "Supervision", "Vetting")),
                        " ".join(_sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(2, 5))),
                        *_paragraphs(rng, length, 0, 2, force)]
    out += ["Annex A – About the data", "Data in this report is from a range of sources.",
            f"March 2020 | © HMICFRS 2020 | ISBN: 978-1-78655-{rng.randint(100, 999)}-{rng.randint(0, 9)}"]
    return "\n\n".join(out) + "\n"


# (file-name stem, year, layout): each force gets these in order until the corpus has enough.
LAYOUTS: tuple[tuple[str, str, Callable[..., str]], ...] = (
    ("2006-baseline", "2005/06", baseline),
    ("2019-peel", "2018/19", peel),
    ("2007-baseline", "2006/07", baseline),
)


def write_corpus(out: str | Path, reports: int, *, seed: int = 1, length: float = 1.0) -> list[Path]:
    """Write ``reports`` invented reports into ``out``; the same arguments give the same files.

    Args:
        out: directory to write into (created).
        reports: how many reports.
        seed: changes every name, grade and length.
        length: scales the number of paragraphs and findings per section.

    Returns:
        The files written, in order.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    national = _national()
    taken: set[str] = set()
    paths = []
    index = 0
    while len(paths) < reports:
        force = make_force(index, seed, national, taken)
        for stem, year, layout in LAYOUTS[: reports - len(paths)]:
            rng = random.Random(f"{seed}:{index}:{stem}")
            path = out / f"{force.name.lower().replace(' ', '-')}-{stem}.txt"
            path.write_text(layout(force, year, rng, length), encoding="utf-8")
            paths.append(path)
        index += 1
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--length", type=float, default=1.0, help="scale section lengths")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.reports, seed=args.seed, length=args.length)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
