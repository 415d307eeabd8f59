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
    OBSERVATION,
    SUMMARY,
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
        SUMMARY: 7, OBSERVATION: 2, CONTEXT: 2, AREA_FOR_IMPROVEMENT: 3, CAUSE_OF_CONCERN: 4,
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
