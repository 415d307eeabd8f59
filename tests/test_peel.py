"""PEEL parser: the bundled 2018/19 report and an invented force's report in the same format.

Expected values were read off the report text by eye (the "Overall summary" table and the body
headings), not copied from the parser's output.
"""

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from policekg.extract.model import AREA_FOR_IMPROVEMENT, CAUSE_OF_CONCERN, OBSERVATION, RECOMMENDATION, SUMMARY
from policekg.extract.normalise import normalise
from policekg.extract.parsers.blocks import split_blocks
from policekg.extract.parsers.peel import area_match_score, looks_like_peel, parse_peel, summary_table

DATA = Path(__file__).parent / "data"
BUNDLED = resources.files("policekg.data") / "reports" / "staffordshire-2019-peel.txt"
BASELINE = resources.files("policekg.data") / "reports" / "staffordshire-2006-baseline-assessment.txt"


def _parse(text: str, name: str = "r.txt"):
    return parse_peel(normalise(text), source_name=name)


@pytest.fixture(scope="module")
def bundled():
    return _parse(BUNDLED.read_text(encoding="utf-8"), BUNDLED.name)


@pytest.fixture(scope="module")
def wessex():
    return _parse((DATA / "wessex-2019-peel.md").read_text(encoding="utf-8"))


def _grades(report):
    return [(f.level, f.parent, f.title, f.grade, f.last_inspected) for f in report.frameworks]


def _afis(report):
    return Counter(f.framework for f in report.findings if f.kind == AREA_FOR_IMPROVEMENT)


# --- the bundled report ---------------------------------------------------------------------

def test_bundled_metadata(bundled):
    assert bundled.kind == "peel"
    assert bundled.force == "Staffordshire Police"
    assert bundled.title == (
        "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 \u2013 An inspection of "
        "Staffordshire Police"
    )
    assert bundled.year == "2018/19"
    # Stated in the colophon: "February 2020 | © HMICFRS 2020 | ISBN: 978-1-78655-952-4".
    assert bundled.published == "February 2020"
    assert bundled.identifier == "978-1-78655-952-4"


def test_bundled_pillars_and_areas_match_summary_table(bundled):
    eff, effy, leg = "Effectiveness", "Efficiency", "Legitimacy"
    assert _grades(bundled) == [
        ("pillar", None, eff, "Good", None),
        ("question", eff, "Preventing crime and tackling anti-social behaviour", "Good", "2017"),
        ("question", eff, "Investigating crime", "Good", "2019"),
        ("question", eff, "Protecting vulnerable people", "Good", "2018/19"),
        ("question", eff, "Tackling serious and organised crime", "Good", "2017"),
        ("question", eff, "Armed response capability", "Ungraded", "2018/19"),
        ("pillar", None, effy, "Good", None),
        ("question", effy, "Meeting current demands and using resources", "Good", "2017"),
        ("question", effy, "Planning for the future", "Good", "2018/19"),
        ("pillar", None, leg, "Good", None),
        ("question", leg, "Fair treatment of the public", "Good", "2017"),
        ("question", leg, "Ethical and lawful workforce behaviour", "Good", "2018/19"),
        ("question", leg, "Fair treatment of the workforce", "Good", "2017"),
    ]
    assert all(f.code == "" for f in bundled.frameworks)


def test_bundled_area_spans_point_at_body_headings(bundled):
    heading = {f.title: bundled.text[f.start:f.end] for f in bundled.frameworks}
    assert heading["Fair treatment of the public"] == "Treating the public fairly"
    assert heading["Fair treatment of the workforce"] == "Treating the workforce fairly"
    assert heading["Armed response capability"] == "Armed policing"
    assert heading["Investigating crime"] == "Investigating crime"
    # A pillar's span is its own heading in the body, not the summary table's header row.
    eff = next(f for f in bundled.frameworks if f.title == "Effectiveness")
    assert bundled.text[eff.start - 2:eff.end + 1] == "\n\nEffectiveness\n"


def test_bundled_areas_found_without_contents_page(bundled):
    # The contents lists every area; without it, judgment lines and word overlap must suffice
    # (the ungraded "Armed policing" has no judgment line).
    text = BUNDLED.read_text(encoding="utf-8")
    start, end = text.index("Contents\n"), text.index("What this report contains\n\nThis report")
    bare = _parse(text[:start] + text[end:])
    assert _grades(bare) == _grades(bundled)
    assert [bare.text[f.start:f.end] for f in bare.frameworks] == [
        bundled.text[f.start:f.end] for f in bundled.frameworks
    ]


def test_bundled_areas_for_improvement(bundled):
    assert _afis(bundled) == {
        "Preventing crime and tackling anti-social behaviour": 1,
        "Investigating crime": 2,
        "Protecting vulnerable people": 1,
        "Meeting current demands and using resources": 1,
        "Ethical and lawful workforce behaviour": 3,
    }
    afis = [f for f in bundled.findings if f.kind == AREA_FOR_IMPROVEMENT]
    # "One area for improvement remained from that inspection." introduces the first.
    assert afis[0].text.startswith("The force should routinely evaluate and share effective practice")
    # "However, there was one area for improvement identified" introduces this one.
    assert afis[4].text.startswith("The force should ensure it has sufficient resources available")
    # The last one's two sub-bullets belong to it: one finding spans parent and children.
    assert afis[-1].text.startswith(
        "The force should ensure that its counter-corruption unit:\n - has enough capability")
    assert afis[-1].text.endswith("data, to proactively identify data breaches, protect the force's data "
                                  "and identify computer misuse.")
    assert all(not f.text.startswith(("-", " ")) for f in afis)
    assert not any(f.kind == CAUSE_OF_CONCERN for f in bundled.findings)


def test_bundled_carried_over_recommendations_are_not_afis(bundled):
    # "...we identified three areas of improvement. These were:" lists addressed AFIs.
    addressed = next(f for f in bundled.findings if f.text == "how it promotes learning opportunities; and")
    assert addressed.kind == SUMMARY
    assert addressed.framework == "Fair treatment of the public"


def test_bundled_catching_criminals_observations(bundled):
    found = [f for f in bundled.findings if f.section == "Catching criminals"]
    assert len(found) == 17
    assert {(f.kind, f.framework) for f in found} == {(OBSERVATION, "Investigating crime")}
    assert found[0].text.startswith("An important part of the force's investigations is managing suspects")
    assert found[-1].text.endswith("It continues to maintain relatively low error rates each month.")


def test_bundled_summaries(bundled):
    pillar = [f for f in bundled.findings if f.framework == "Effectiveness"]
    assert [(f.kind, f.section) for f in pillar] == [(SUMMARY, "Summary")] * 5
    area = [f for f in bundled.findings if f.framework == "Investigating crime" and f.kind == SUMMARY]
    assert len(area) == 8
    assert area[0].text.endswith("gives clear instructions to officers and staff on how they should "
                                 "allocate crimes, and the level of investigative skill needed.")
    assert area[-1].text.startswith("The force uses bail legislation effectively")


def test_bundled_inspector_observations(bundled):
    obs = [f for f in bundled.findings if f.section == "HM Inspector's observations"]
    assert len(obs) == 5
    assert {(f.kind, f.framework) for f in obs} == {(OBSERVATION, None)}
    assert obs[0].text.startswith("I am pleased with the performance of")
    assert obs[-1].text.startswith("Overall, I commend")


def test_bundled_skips_tables_preamble_boilerplate_and_annex(bundled):
    text = bundled.text
    annex = text.index("Annex A \u2013 About the data\n\nData in this report")
    assert all(f.end < annex for f in bundled.findings)
    assert not any("\t" in f.text for f in bundled.findings)
    assert not any(f.text.startswith("We set out our detailed findings below") for f in bundled.findings)
    assert not any(f.text.startswith("This report is structured in four parts") for f in bundled.findings)
    assert not any(f.text.startswith("We compare ") for f in bundled.findings)
    assert bundled.findings[0].section == "HM Inspector's observations"


def test_bundled_findings_are_verbatim_and_ordered(bundled):
    assert [f.ordinal for f in bundled.findings] == list(range(1, len(bundled.findings) + 1))
    assert all(bundled.text[f.start:f.end] == f.text for f in bundled.findings)
    assert all(f.text == f.text.strip() and f.text for f in bundled.findings)
    starts = [f.start for f in bundled.findings]
    assert starts == sorted(starts)


# --- the invented Wessex report ---------------------------------------------------------------

def test_wessex_metadata(wessex):
    assert wessex.force == "Wessex Constabulary"
    assert wessex.year == "2018/19"
    assert wessex.title.endswith("2018/19 \u2013 An inspection of Wessex Constabulary")
    assert wessex.published == "March 2020"
    assert wessex.identifier == "978-0-00000-000-0"


def test_wessex_frameworks(wessex):
    eff, effy, leg = "Effectiveness", "Efficiency", "Legitimacy"
    assert _grades(wessex) == [
        ("pillar", None, eff, "Requires improvement", None),
        ("question", eff, "Preventing crime and tackling anti-social behaviour", "Good", "2017"),
        ("question", eff, "Investigating crime", "Requires improvement", "2018/19"),
        ("question", eff, "Protecting vulnerable people", "Inadequate", "2018/19"),
        ("question", eff, "Armed response capability", "Ungraded", "2018/19"),
        ("pillar", None, effy, "Good", None),
        ("question", effy, "Meeting current demands and using resources", "Good", "2017"),
        ("question", effy, "Planning for the future", "Outstanding", "2018/19"),
        ("pillar", None, leg, "Good", None),
        ("question", leg, "Fair treatment of the public", "Good", "2017"),
        ("question", leg, "Ethical and lawful workforce behaviour", "Requires improvement", "2018/19"),
        ("question", leg, "Fair treatment of the workforce", "Good", "2017"),
    ]
    heading = {f.title: wessex.text[f.start:f.end] for f in wessex.frameworks}
    assert heading["Preventing crime and tackling anti-social behaviour"] == (
        "Preventing crime and anti-social behaviour")
    assert heading["Meeting current demands and using resources"] == "Meeting current demands"
    assert heading["Armed response capability"] == "Armed policing"


def test_wessex_areas_for_improvement(wessex):
    assert _afis(wessex) == {
        "Preventing crime and tackling anti-social behaviour": 1,
        "Investigating crime": 2,
        "Protecting vulnerable people": 1,  # under a singular "Area for improvement" heading
        "Meeting current demands and using resources": 1,
        "Ethical and lawful workforce behaviour": 1,
    }
    lead = "The force should ensure that its control room:"
    nested = [f for f in wessex.findings if f.text.startswith(lead)]
    assert [f.text for f in nested] == [
        "The force should ensure that its control room:\n - has enough staff at peak times; and\n"
        " - monitors how long callers wait."
    ]
    assert nested[0].kind == AREA_FOR_IMPROVEMENT


def test_wessex_cause_of_concern_and_its_recommendations(wessex):
    coc = [f for f in wessex.findings if f.kind in (CAUSE_OF_CONCERN, RECOMMENDATION)]
    assert [(f.kind, f.text) for f in coc] == [
        (CAUSE_OF_CONCERN, "The force does not assess the risk to victims of domestic abuse promptly, and it has a "
                           "backlog of referrals to the multi-agency safeguarding hub."),
        (RECOMMENDATION, "The force should, within six months:"),
        (RECOMMENDATION, "ensure that every domestic abuse call is risk-assessed before the call ends; and"),
        (RECOMMENDATION, "clear the backlog of referrals to the multi-agency safeguarding hub."),
    ]
    assert {f.framework for f in coc} == {"Protecting vulnerable people"}


def test_wessex_observations_and_page_break(wessex):
    caught = [f for f in wessex.findings if f.section == "Catching criminals"]
    assert [f.kind for f in caught] == [OBSERVATION, OBSERVATION]
    # Link markup is gone and the sentence split over a line break is whole again.
    assert caught[0].text == (
        "The force has a backlog of wanted persons on the Police National Computer (PNC).")
    assert caught[1].text.endswith("the enquiries they make to find suspects who are wanted.")
    armed = [(f.kind, f.section) for f in wessex.findings if f.framework == "Armed response capability"]
    assert armed == [(SUMMARY, None), (OBSERVATION, "Working with others")]
    obs = [f for f in wessex.findings if f.section == "HM Inspector's observations"]
    assert len(obs) == 2 and obs[0].text.endswith("but its planning is exemplary.")


def test_wessex_findings_are_verbatim(wessex):
    assert all(wessex.text[f.start:f.end] == f.text for f in wessex.findings)
    assert [f.ordinal for f in wessex.findings] == list(range(1, len(wessex.findings) + 1))
    assert not any(f.text in ("Home Office;", "Jane Doe") for f in wessex.findings)
    assert "Page 7 of 9" not in wessex.text


# --- pieces -----------------------------------------------------------------------------------

def test_summary_table_reads_shifted_cells():
    text = (
        "Overall summary\n\n"
        "\tLegitimacy\t Good\tLast inspected\n"
        "Fair treatment of the public\t Good\t2017\t\n"
        "Armed response capability\tUngraded\t2018/19\t\n"
        "Investigating crime\t\tRequires improvement\t2019\n\n"
        "Next heading\n"
    )
    rows, grades = summary_table(split_blocks(text))
    assert grades == {"Legitimacy": "Good"}
    assert [(r.pillar, r.title, r.grade, r.last_inspected) for r in rows] == [
        ("Legitimacy", "Fair treatment of the public", "Good", "2017"),
        ("Legitimacy", "Armed response capability", "Ungraded", "2018/19"),
        ("Legitimacy", "Investigating crime", "Requires improvement", "2019"),
    ]
    assert text[rows[0].start:rows[0].end] == "Fair treatment of the public"


def test_area_match_score():
    assert area_match_score("Treating the public fairly", "Fair treatment of the public") == 1.0
    assert area_match_score("Treating the public fairly", "Fair treatment of the workforce") < 1.0
    assert area_match_score("Armed policing", "Armed response capability") == 0.5
    assert area_match_score("Investigating crime", "Planning for the future") == 0.0


@pytest.mark.parametrize(("path", "expected"), [
    (BUNDLED, True), (DATA / "wessex-2019-peel.md", True),
    (BASELINE, False), (DATA / "not-a-report.txt", False),
])
def test_looks_like_peel(path, expected):
    assert looks_like_peel(path.read_text(encoding="utf-8")) is expected


def test_single_pillar_report_asks_areas_as_questions():
    # 2015-17 PEEL reports cover one pillar, and ask each area as a question too.
    text = (
        "PEEL: Police effectiveness 2017\n\nAn inspection of Wessex Constabulary\n\n"
        "How effective is the force at keeping people safe and reducing crime?\n\nGood\n\n"
        "Summary\n\nWessex Constabulary is good at keeping people safe.\n\n"
        "How effectively does the force prevent crime, tackle anti-social behaviour and keep people safe?"
        "\n\nRequires improvement\n\nThe force does not evaluate its problem solving.\n\n"
        "Areas for improvement\n\n- The force should evaluate its problem-solving plans.\n"
    )
    report = _parse(text)
    assert report.title == "PEEL: Police effectiveness 2017 \u2013 An inspection of Wessex Constabulary"
    assert report.year == "2017"
    area = "How effectively does the force prevent crime, tackle anti-social behaviour and keep people safe?"
    assert _grades(report) == [
        ("pillar", None, "Effectiveness", "Good", None),
        ("question", "Effectiveness", area, "Requires improvement", None),
    ]
    assert [(f.kind, f.framework) for f in report.findings] == [
        (SUMMARY, "Effectiveness"), (SUMMARY, area), (AREA_FOR_IMPROVEMENT, area),
    ]
