"""Every regime and layout, on invented forces' reports: frameworks, grades and finding counts.

The fixtures in tests/data were written for these tests (no passage is copied from a real
report); the expected values are read off the fixture text by eye.
"""

from collections import Counter
from pathlib import Path

import pytest

from policekg.extract.model import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    CONTEXT,
    GOOD_PRACTICE,
    INNOVATIVE_PRACTICE,
    OBSERVATION,
    PROMISING_PRACTICE,
    RECOMMENDATION,
    STRENGTH,
    SUMMARY,
    WORK_IN_PROGRESS,
)
from policekg.extract.structure import parse_report, parse_text

DATA = Path(__file__).parent / "data"
EFF, EFFY, LEG = "Effectiveness", "Efficiency", "Legitimacy"


def _grades(report):
    return [(f.level, f.parent, f.title, f.grade) for f in report.frameworks]


def _kinds(report):
    return Counter(f.kind for f in report.findings)


# --- PEEL 2018/19 in the inspectorate's web layout -------------------------------------------

@pytest.fixture(scope="module")
def web():
    return parse_report(DATA / "northshire-2019-peel-web.txt")


def test_web_layout_metadata(web):
    assert (web.parser, web.kind, web.force, web.year) == ("peel", "peel", "Northshire Police", "2018/19")
    assert web.title == "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 \u2013 Northshire Police"


def test_web_layout_question_headings_are_graded_areas(web):
    assert _grades(web) == [
        ("pillar", None, EFF, "Good"),
        ("question", EFF, "How effective is the force at preventing crime, tackling anti-social behaviour "
                          "and keeping people safe?", "Good"),
        ("question", EFF, "How effective is the force at investigating crime and reducing re-offending?",
         "Requires improvement"),
        ("question", EFF, "How effective is the force at protecting those who are vulnerable from harm, "
                          "and supporting victims?", "Good"),
        # Efficiency and Legitimacy state their grade only in prose ("the extent to which ... is outstanding").
        ("pillar", None, EFFY, "Outstanding"),
        ("question", EFFY, "How well does the force use its resources to meet its demand?", "Outstanding"),
        ("question", EFFY, "How well is the force planning for demand in the future?", "Outstanding"),
        ("pillar", None, LEG, "Requires improvement"),
        ("question", LEG, "To what extent does the force treat all of the people it serves with fairness and "
                          "respect?", "Good"),
        ("question", LEG, "How well does the force ensure that its workforce behaves ethically and lawfully?",
         "Requires improvement"),
        ("question", LEG, "To what extent does the force treat its workforce with fairness and respect?", "Good"),
    ]


def test_web_layout_last_updated_is_never_a_framework_or_finding(web):
    assert not [f for f in web.frameworks if "updated" in f.title.lower()]
    assert not [f for f in web.findings if "Last updated" in f.text]


def test_web_layout_finding_kinds(web):
    assert _kinds(web) == Counter({
        SUMMARY: 7, OBSERVATION: 2, CONTEXT: 2, AREA_FOR_IMPROVEMENT: 3, CAUSE_OF_CONCERN: 1, RECOMMENDATION: 3,
    })


def test_hmis_observations_are_observations(web):
    hmi = [f for f in web.findings if f.section == "HMI's observations"]
    assert [f.kind for f in hmi] == [OBSERVATION, OBSERVATION]
    assert hmi[1].text == "I have some concerns about how the force vets its workforce."


def test_not_subject_to_detailed_inspection_is_context_and_singular_afi_lead_in_opens_a_list(web):
    area = "How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?"
    mine = [(f.kind, f.text[:40]) for f in web.findings if f.framework == area]
    assert mine == [
        (CONTEXT, "This question was not subject to detaile"),
        (AREA_FOR_IMPROVEMENT, "The force should evaluate its neighbourh"),
    ]


# --- PEEL 2018/19 with no pillar sections -------------------------------------------------------

NO_PILLARS = """PEEL: Police effectiveness, efficiency and legitimacy 2018/19

An inspection of Eastmoor Constabulary

Overall summary

\tEffectiveness\tGood\tLast inspected
Preventing crime and tackling anti-social behaviour\t\tGood\t2017
Investigating crime\t\tRequires improvement\t2018/19
\tLegitimacy\tGood\tLast inspected
Fair treatment of the public\t\tGood\t2017

Preventing crime and tackling anti-social behaviour

Good

Eastmoor Constabulary works well with partners to prevent crime.

Investigating crime

Requires improvement

The force does not supervise investigations well enough.

Areas for improvement

- The force should improve the supervision of investigations.

Fair treatment of the public

Good

Officers understand how to use stop and search powers fairly.
"""


def test_report_without_pillar_sections_reads_its_areas_from_the_summary_table():
    report = parse_text(NO_PILLARS, source_name="eastmoor-2019.txt")
    assert _grades(report) == [
        ("pillar", None, EFF, "Good"),
        ("question", EFF, "Preventing crime and tackling anti-social behaviour", "Good"),
        ("question", EFF, "Investigating crime", "Requires improvement"),
        ("pillar", None, LEG, "Good"),
        ("question", LEG, "Fair treatment of the public", "Good"),
    ]
    assert [(f.kind, f.framework) for f in report.findings] == [
        (SUMMARY, "Preventing crime and tackling anti-social behaviour"),
        (SUMMARY, "Investigating crime"),
        (AREA_FOR_IMPROVEMENT, "Investigating crime"),
        (SUMMARY, "Fair treatment of the public"),
    ]


# --- PEEL 2014-2017: one report per pillar ----------------------------------------------------

def test_pillar_report_2016_first_question_is_the_pillars_later_ones_its_areas():
    report = parse_report(DATA / "northshire-2016-peel-legitimacy.txt")
    assert (report.parser, report.force, report.year) == ("peel-pillar", "Northshire Police", "2016")
    assert _grades(report) == [
        ("pillar", None, LEG, "Good"),
        ("question", LEG, "To what extent does the force treat all of the people it serves with fairness and "
                          "respect?", "Good"),
        ("question", LEG, "How well does the force ensure that its workforce behaves ethically and lawfully?",
         "Requires improvement"),
        ("question", LEG, "To what extent does the force treat its workforce with fairness and respect?", "Good"),
    ]
    assert _kinds(report) == Counter({
        SUMMARY: 5, CAUSE_OF_CONCERN: 1, RECOMMENDATION: 1, AREA_FOR_IMPROVEMENT: 1, OBSERVATION: 1,
    })
    assert [f.framework for f in report.findings[:2]] == [LEG, LEG]


def test_pillar_report_can_be_about_leadership():
    text = ("PEEL: Police leadership 2017\n\nAn inspection of Northshire Police\n\n"
            "How well does the force understand, develop and display leadership?\n\nGood\n\n"
            "Summary\n\nLeaders at every level are visible.\n\n"
            "How well does the force understand and develop its leaders?\n\nAdequate\n\n"
            "The force has a talent programme for sergeants.\n")
    report = parse_text(text)
    assert report.parser == "peel-pillar"
    assert _grades(report) == [
        ("pillar", None, "Leadership", "Good"),
        ("question", "Leadership", "How well does the force understand and develop its leaders?", "Adequate"),
    ]


# --- PEEL 2021/22 and 2023-2025: graded areas ----------------------------------------------------

def test_peel_2022_judgments_grid():
    report = parse_report(DATA / "northshire-2022-peel.txt")
    assert (report.parser, report.kind, report.force, report.year) == (
        "peel-2021", "peel", "Northshire Police", "2021/22")
    assert [(f.level, f.title, f.grade) for f in report.frameworks] == [
        ("area", "Preventing crime and antisocial behaviour", "Good"),
        ("area", "Treatment of the public", "Adequate"),
        ("area", "Investigating crime", "Requires improvement"),
        ("area", "Responding to the public", "Inadequate"),
        ("area", "Protecting vulnerable people", "Good"),
        ("area", "Managing offenders", "Adequate"),
        ("area", "Building, supporting and protecting the workforce", "Requires improvement"),
        ("area", "Strategic planning, organisational management and value for money", "Adequate"),
    ]
    # Every area's span points at its own section heading, not at the table.
    for f in report.frameworks:
        assert report.text[f.start:f.end] == f.title


def test_peel_2022_finding_kinds():
    report = parse_report(DATA / "northshire-2022-peel.txt")
    assert _kinds(report) == Counter({
        SUMMARY: 8, AREA_FOR_IMPROVEMENT: 4, RECOMMENDATION: 3, CAUSE_OF_CONCERN: 1, OBSERVATION: 1,
        PROMISING_PRACTICE: 1, INNOVATIVE_PRACTICE: 1,
    })
    practice = next(f for f in report.findings if f.kind == PROMISING_PRACTICE)
    assert (practice.framework, practice.title) == ("Preventing crime and antisocial behaviour",
                                                    "Riverside cycle marking scheme")


def test_peel_2023_25_judgments_rows():
    report = parse_report(DATA / "eastmoor-2024-peel.txt")
    assert (report.parser, report.force, report.year) == ("peel-2021", "Eastmoor Constabulary", "2023\u201325")
    assert [(f.title, f.grade) for f in report.frameworks] == [
        ("Engaging with and treating the public with fairness and respect", "Good"),
        ("Preventing and deterring crime and antisocial behaviour, and reducing vulnerability", "Outstanding"),
        ("Responding to the public", "Adequate"),
        ("Investigating crime", "Requires improvement"),
        ("Protecting vulnerable people", "Inadequate"),
    ]
    assert _kinds(report) == Counter({
        SUMMARY: 4, CAUSE_OF_CONCERN: 1, RECOMMENDATION: 1, INNOVATIVE_PRACTICE: 1, PROMISING_PRACTICE: 1,
        AREA_FOR_IMPROVEMENT: 1,
    })
    assert not [f for f in report.findings if "annex" in f.text.lower()]  # the annex holds no findings


def test_new_finding_kinds_are_in_the_graph():
    from policekg.extract.model import Extraction
    from policekg.graph.build import build_graph
    from policekg.ontology import POL

    report = parse_report(DATA / "eastmoor-2024-peel.txt")
    g = build_graph(report, Extraction())
    kinds = set(g.objects(None, POL.findingKind))
    assert {POL.InnovativePractice, POL.PromisingPractice, POL.Recommendation} <= kinds


# --- Baseline Assessment 2005 -----------------------------------------------------------------

def test_baseline_2005_front_matter_and_grade_words():
    report = parse_report(DATA / "eastmoor-2005-baseline.txt")
    assert (report.parser, report.force, report.year, report.published, report.identifier) == (
        "baseline", "Eastmoor Constabulary", "2004/05", "October 2005", "1-84473-999-0")
    assert [(f.code, f.level, f.title, f.grade, f.direction) for f in report.frameworks] == [
        ("1", "domain", "Citizen Focus", None, None),
        ("1C", "framework", "Customer Service and Accessibility", "Excellent", "Improved"),
        ("2", "domain", "Reducing Crime", None, None),
        ("2A", "framework", "Volume Crime Reduction", "Fair", "Deteriorated"),
        ("6", "domain", "Resource Use", None, None),
        ("6A", "framework", "Human Resource Management", "Poor", "Declined"),
    ]
    counts = Counter((f.framework, f.kind) for f in report.findings)
    assert counts == Counter({
        ("1C", STRENGTH): 2, ("1C", AREA_FOR_IMPROVEMENT): 1, ("2A", CONTEXT): 1, ("2A", WORK_IN_PROGRESS): 1,
        ("2A", AREA_FOR_IMPROVEMENT): 2, ("6A", STRENGTH): 1, ("6A", AREA_FOR_IMPROVEMENT): 1,
        ("6A", GOOD_PRACTICE): 1,
    })


def test_baseline_overview_table_stops_before_the_summary_of_judgements():
    # The CDRP table runs on across a blank line; the Summary of Judgements after it is not one.
    report = parse_report(DATA / "eastmoor-2005-baseline.txt")
    assert [(d.name, d.population) for d in report.divisions] == [("Northgate", 180000), ("Southmoor", 150000)]
    assert [(c.name, c.division) for c in report.cdrps] == [
        ("Northgate", "Northgate"), ("Southmoor", "Southmoor"), ("Port District", "Southmoor")]


# --- one page of the inspectorate's website ------------------------------------------------

ONE_PAGE = """Northshire Police

How effective is the force at investigating crime and reducing re-offending?

Last updated 02/05/2019

Requires improvement

Northshire Police does not always give investigations to officers with the right training.

Areas for improvement

- The force should make sure that investigations are allocated to staff with the right skills.
"""


@pytest.mark.parametrize("kind", [None, "peel"])
def test_one_question_page_is_recognised_and_read_by_the_general_peel_parser(kind):
    report = parse_text(ONE_PAGE, source_name="question-page.txt", kind=kind)
    assert report.parser == "peel"
    assert _grades(report) == [
        ("pillar", None, EFF, None),
        ("question", EFF, "How effective is the force at investigating crime and reducing re-offending?",
         "Requires improvement"),
    ]
    assert [f.kind for f in report.findings] == [SUMMARY, AREA_FOR_IMPROVEMENT]


@pytest.mark.parametrize("name, parser", [
    ("northshire-2016-peel-legitimacy.txt", "peel-pillar"),
    ("northshire-2022-peel.txt", "peel-2021"),
    ("eastmoor-2005-baseline.txt", "baseline"),
])
def test_the_build_summary_says_which_parser_read_each_report(name, parser):
    from policekg.api import analyse_serialised

    assert analyse_serialised(DATA / name).summary.parser == parser
