"""The Baseline Assessment parser, on the bundled 2006 report and on an invented force's report.

Expected values were read off the report text by eye; line numbers are those of the bundled file
``data/reports/staffordshire-2006-baseline-assessment.txt`` (``sed -n A,Bp`` shows them).
"""

from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from policekg.extract.model import (
    AREA_FOR_IMPROVEMENT,
    BASELINE,
    CONTEXT,
    GOOD_PRACTICE,
    STRENGTH,
    WORK_IN_PROGRESS,
)
from policekg.extract.normalise import normalise, read_report
from policekg.extract.parsers.baseline import looks_like_baseline, parse_baseline

REPORTS = resources.files("policekg.data") / "reports"
BUNDLED = REPORTS / "staffordshire-2006-baseline-assessment.txt"
PEEL = REPORTS / "staffordshire-2019-peel.txt"
WESSEX = Path(__file__).parent / "data" / "wessex-2006-baseline.txt"

S, W, A = STRENGTH, WORK_IN_PROGRESS, AREA_FOR_IMPROVEMENT


def _parse(path):
    text, sha = read_report(path)
    norm = normalise(text)
    return norm, parse_baseline(norm, source_name=Path(str(path)).name, sha256=sha)


@pytest.fixture(scope="module")
def bundled():
    return _parse(BUNDLED)


@pytest.fixture(scope="module")
def wessex():
    return _parse(WESSEX)


def _frameworks(report):
    return {f.code: f for f in report.frameworks}


def _counts(report, code):
    return Counter(f.kind for f in report.findings if f.framework == code)


# --- the bundled 2006 report ----------------------------------------------------------------------

def test_report_metadata(bundled):
    _, r = bundled
    assert r.kind == BASELINE
    assert r.force == "Staffordshire Police"
    assert r.title == "Staffordshire Police Baseline Assessment"
    assert r.published == "October 2006"  # title page; the normaliser drops it as a repeated footer
    assert r.year == "2005/06"  # "covers the assessment for the financial year 2005/06" (line 65)
    assert r.identifier == "978-1-84726-047-5"
    assert r.source_name == "staffordshire-2006-baseline-assessment.txt"
    assert len(r.sha256) == 64


# Summary of Judgements, lines 278-308, each checked against the framework's own table.
SUMMARY = {
    "1A": ("Good", "Stable"), "1B": ("Good", "Stable"), "1C": ("Good", "Stable"),
    "1D": ("Good", "Not Graded"), "2A": ("Fair", "Stable"), "3A": ("Good", "Stable"),
    "3B": ("Good", "Stable"), "3C": ("Good", "Stable"), "3D": ("Good", "Improved"),
    "3E": ("Good", "Stable"), "4A": ("Good", "Stable"), "4B": ("Fair", "Stable"),
    "5A": ("Excellent", "Stable"), "5B": ("Good", "Stable"), "5C": ("Good", "Stable"),
    "6A": ("Good", "Stable"), "6B": ("Excellent", "Improved"), "6C": ("Good", "Improved"),
    "6D": ("Excellent", "Stable"), "6E": ("Good", "Stable"), "6F": ("Good", "Stable"),
    "7A": ("Excellent", "Not Graded"), "7B": ("Excellent", "Stable"),
}


def test_frameworks_codes_grades_directions(bundled):
    _, r = bundled
    fws = [f for f in r.frameworks if f.level == "framework"]
    assert [f.code for f in fws] == list(SUMMARY)
    assert {f.code: (f.grade, f.direction) for f in fws} == SUMMARY
    assert all(f.parent == f.code[0] for f in fws)


def test_domains(bundled):
    _, r = bundled
    domains = [f for f in r.frameworks if f.level == "domain"]
    assert [d.code for d in domains] == ["1", "2", "3", "4", "5", "6", "7"]
    assert _frameworks(r)["4"].title == "Promoting Safety"  # "4 Promoting Safety (Domain 3)"
    assert _frameworks(r)["7"].title == "Leadership and Direction"
    assert all(d.grade is None for d in domains)


def test_framework_titles_and_spans(bundled):
    norm, r = bundled
    fws = _frameworks(r)
    assert fws["5C"].title == "Strategic Roads Policing"  # summary says "Strategic Road Policing"
    assert fws["6A"].title == "Human Resource Management"
    assert fws["4A"].title == "Reducing Anti-Social Behaviour (ASB)"
    assert norm.text[fws["4B"].start:].startswith("4B Protecting Vulnerable People\n")
    assert fws["4B"].start < fws["4B"].end < fws["5"].start <= fws["5A"].start
    # The overview table's "1A Fairness ... <ul ...>" line and the contents list are not headings.
    assert fws["1A"].start > norm.text.index("Summary of Judgements\t")


@pytest.mark.parametrize("code, dist", [
    ("1A", {"Poor": 0, "Fair": 15, "Good": 28, "Excellent": 0}),  # line 320
    ("3B", {"Poor": 7, "Fair": 21, "Good": 13, "Excellent": 2}),  # line 574
    ("4B", {"Poor": 8, "Fair": 32, "Good": 3, "Excellent": 0}),  # line 774
    ("5A", {"Poor": 1, "Fair": 18, "Good": 20, "Excellent": 4}),  # line 863
    ("7B", {"Poor": 0, "Fair": 12, "Good": 26, "Excellent": 5}),  # line 1404
])
def test_national_distribution(bundled, code, dist):
    _, r = bundled
    assert _frameworks(r)[code].national_distribution == dist


def test_every_framework_has_a_distribution_of_43_forces(bundled):
    _, r = bundled
    for f in r.frameworks:
        if f.level == "framework":
            assert sum(f.national_distribution.values()) == 43, f.code


# Bullets counted by hand in the source; a paragraph under a heading counts as one finding too.
@pytest.mark.parametrize("code, counts", [
    ("1A", {S: 10, A: 2}),  # lines 326-349
    ("1C", {S: 9, W: 1, A: 1}),  # lines 441-463
    ("2A", {S: 13, W: 1, A: 3}),  # lines 500-529; line 516 continues the bullet above it
    ("3E", {S: 16, A: 1}),  # lines 691-721; line 713 continues the bullet that ends "The Prevent and"
    # lines 788-852: Child Abuse 10 S + 3 A, Domestic Violence 2 S + 1 W + 2 A,
    # Public Protection 7 S + 1 A, Missing Persons 3 S
    ("4B", {S: 22, W: 1, A: 6}),
    ("5A", {S: 31, A: 3}),  # lines 873-937
    ("6C", {S: 17, W: 4, A: 2}),  # lines 1159-1198
    ("7A", {S: 21, W: 1, A: 3}),  # lines 1350-1395: 20 bullets + the paragraph "Media training, ..."
    ("7B", {S: 14}),  # lines 1412-1429, a blank line after the fourth bullet
])
def test_finding_counts(bundled, code, counts):
    _, r = bundled
    got = _counts(r, code)
    assert {k: got[k] for k in (S, W, A) if got[k]} == counts


def test_sections_4b_before_strengths(bundled):
    _, r = bundled
    sections = Counter(f.section for f in r.findings if f.framework == "4B" and f.kind in (S, W, A))
    # lines 786-852
    assert sections == {"Child Abuse Investigation": 13, "Domestic Violence": 5, "Public Protection": 8,
                        "Missing Persons": 3}
    context = [f for f in r.findings if f.framework == "4B" and f.kind == CONTEXT]
    assert [f.section for f in context] == [None, None, None]


def test_sections_5a_after_strengths(bundled):
    _, r = bundled
    strengths = [f for f in r.findings if f.framework == "5A" and f.kind == S]
    sections = Counter(f.section for f in strengths)
    # lines 875-930
    assert list(sections) == ["Performance Statistics", "Customer", "Culture", "Strategy", "Human Resources",
                              "Training, Skills and Education", "Technology", "Management Information"]
    assert list(sections.values()) == [2, 6, 4, 5, 4, 3, 3, 4]
    afis = [f for f in r.findings if f.framework == "5A" and f.kind == A]
    assert [f.section for f in afis] == [None, None, None]  # "Areas for Improvement" ends the themes


def test_good_practice(bundled):
    _, r = bundled
    gp = [f for f in r.findings if f.kind == GOOD_PRACTICE]
    assert [(f.framework, f.title) for f in gp] == [
        ("1B", "Neighbourhood Policing"),
        ("1B", "Supporting implementation of neighbourhood policing implementation by new design "
               "questionnaires"),
        ("5B", "Environmental Protest Unit (EPU)"),
    ]
    first = gp[0]
    assert first.text.startswith("TITLE: Neighbourhood Policing\nPROBLEM: The BV review")
    assert first.text.endswith("FORCE CONTACT: Supt Mark Bates 01785 232537")
    assert first.problem.startswith("The BV review entitled 'Building Safer Communities'")
    # The solution runs over three paragraphs (lines 393-401), one after a page footer.
    assert first.solution.startswith("There is clear commitment")
    assert "Tangible benefits include" in first.solution
    assert first.solution.endswith("portfolio structure that exists within the force.")
    assert first.outcome.startswith("This readiness assessment process has been identified as good practice")
    assert "October 2006" not in gp[2].text


def test_context_findings(bundled):
    _, r = bundled
    ctx_1b = [f.text for f in r.findings if f.framework == "1B" and f.kind == CONTEXT]
    assert len(ctx_1b) == 3  # two National Position paragraphs, one Contextual Factors (lines 360-369)
    assert ctx_1b[0].startswith("Neighbourhood Policing (NP) is a national programme")
    # 6B: two National Position paragraphs (lines 1099-1104), then Contextual Factors with a paragraph
    # and six bullets (lines 1105-1116).
    assert _counts(r, "6B")[CONTEXT] == 2 + 1 + 6


def test_audit_table_in_6d_is_not_a_finding(bundled):
    _, r = bundled
    texts = " ".join(f.text for f in r.findings if f.framework == "6D")
    assert "Financial standing" not in texts
    assert "Key to grades" not in texts
    assert "judgements are made by auditors" not in texts
    assert _counts(r, "6D")[A] == 1
    assert not any(f.section for f in r.findings if f.framework == "6D")


def test_findings_are_verbatim_ordered_and_stop_at_glossary(bundled):
    norm, r = bundled
    assert [f.ordinal for f in r.findings] == list(range(1, len(r.findings) + 1))
    assert [f.start for f in r.findings] == sorted(f.start for f in r.findings)
    glossary = norm.text.index("Appendix 1: Glossary")
    for f in r.findings:
        assert f.text == norm.text[f.start:f.end]
        assert not f.text.startswith(("-", " ")) and f.text == f.text.strip()
        assert f.end <= glossary
    assert r.findings[-1].framework == "7B" and r.findings[-1].kind == S
    assert r.findings[-1].text.startswith("A full range of tools is deployed")


def test_page_split_bullets_are_one_finding(bundled):
    _, r = bundled
    # 1A, lines 330-335: the bullet runs on after the "October 2006" footer.
    assert any(f.text.endswith("legislative commitments on race and diversity issues and progress the work "
                               "set out within the force diversity action plan.") for f in r.findings)
    # 3E, lines 711-713: "... The Prevent and" / blank / "Deter programme also provides ..."
    assert any("The Prevent and Deter programme also provides" in f.text for f in r.findings)


def test_divisions(bundled):
    _, r = bundled
    got = {d.name: (d.population, d.households) for d in r.divisions}
    assert got == {  # headings at lines 191-203, tables at lines 211-239
        "Chase": (320537, 131435),
        "North Staffordshire": (217370, 90315),
        "Stoke-on-Trent": (238023, 98974),
        "Trent Valley": (274679, 111270),
    }
    chase = r.divisions[0]
    assert chase.description.startswith("Stretching from Trentham in the north to Kinver")
    assert chase.description.endswith("to ensure local concerns are met.")


def test_cdrps(bundled):
    norm, r = bundled
    assert len(r.cdrps) == 9 and "Force" not in {c.name for c in r.cdrps}
    by = {c.name: c for c in r.cdrps}
    assert (by["Newcastle-under-Lyme"].population, by["Newcastle-under-Lyme"].households) == (123048, 51073)
    assert by["Newcastle-under-Lyme"].division == "North Staffordshire"  # from the row above
    assert (by["Stafford Borough"].population, by["Stafford Borough"].households,
            by["Stafford Borough"].division) == (122473, 50793, "Chase")
    # Tamworth's household row comes after a page footer in the households table.
    assert (by["Tamworth"].population, by["Tamworth"].households, by["Tamworth"].division) == (
        73891, 30045, "Trent Valley")
    assert by["Stoke-on-Trent"].division == "Stoke-on-Trent"
    for c in r.cdrps:
        assert norm.text[c.start:c.end] == c.name


def test_glossary(bundled):
    norm, r = bundled
    # lines 1432-1554: 56 abbreviation lines, with section letters and two "------" rules between them
    assert len(r.glossary) == 56
    by = {g.abbreviation: g.expansion for g in r.glossary}
    assert by["PPU"] == "public protection unit"  # tab-separated
    assert by["GUARDIAN"] == "the force public protection IT system"  # space-separated
    assert by["TT&CG"] == "tactical tasking and co-ordination group"
    assert by["IS/IT"] == "information systems/information technology"
    assert by["ViSOR"] == "Violent and Sex Offenders' Register"  # last line, no newline in the source
    assert not any(set(g.abbreviation) <= set("-") or len(g.abbreviation) == 1 for g in r.glossary)
    assert all(norm.text[g.start:g.end].startswith(g.abbreviation) for g in r.glossary)


def test_looks_like_baseline():
    assert looks_like_baseline(BUNDLED.read_text(encoding="utf-8"))
    assert looks_like_baseline(WESSEX.read_text(encoding="utf-8"))
    assert not looks_like_baseline(PEEL.read_text(encoding="utf-8"))
    assert not looks_like_baseline("Baseline Assessment\n\nMinutes of the meeting held on 3 May.\n")


# --- the invented Wessex report -------------------------------------------------------------------

def test_wessex_metadata(wessex):
    _, r = wessex
    assert (r.force, r.title, r.year, r.published, r.identifier) == (
        "Wessex Constabulary", "Wessex Constabulary Baseline Assessment", "2006/07", "March 2007",
        "978-1-84726-999-3")


def test_wessex_frameworks(wessex):
    _, r = wessex
    got = {f.code: (f.level, f.parent, f.grade, f.direction) for f in r.frameworks}
    assert got == {
        "1": ("domain", None, None, None),
        "1B": ("framework", "1", "Good", "Improved"),
        "1C": ("framework", "1", "Fair", "Stable"),
        "4": ("domain", None, None, None),
        "4A": ("framework", "4", "Good", "Stable"),
        "4B": ("framework", "4", "Poor", "Declined"),
        "5": ("domain", None, None, None),
        "5A": ("framework", "5", "Good", "Stable"),
        # 5C has no grade table of its own: the summary's "Strategic Road Policing" row fills it.
        "5C": ("framework", "5", "Fair", "Improved"),
        "6": ("domain", None, None, None),
        "6A": ("framework", "6", "Excellent", "Stable"),
        "6D": ("framework", "6", "Good", "Not Graded"),
    }
    assert _frameworks(r)["4B"].national_distribution == {"Poor": 8, "Fair": 30, "Good": 5, "Excellent": 0}
    assert _frameworks(r)["5C"].national_distribution == {"Poor": 0, "Fair": 9, "Good": 31, "Excellent": 3}


@pytest.mark.parametrize("code, counts", [
    ("1B", {S: 3, W: 1, A: 2, GOOD_PRACTICE: 1, CONTEXT: 2}),  # "STRENGTHS", "areas for improvement"
    ("1C", {S: 2, A: 1, CONTEXT: 1}),  # "Area For Improvement"
    ("4B", {S: 3, W: 1, A: 1, GOOD_PRACTICE: 1, CONTEXT: 1}),
    ("5A", {S: 3, A: 1, CONTEXT: 1}),
    ("6A", {S: 2, A: 1, CONTEXT: 1}),  # a run of blank lines between the two strengths
    ("6D", {S: 2, W: 1, CONTEXT: 1}),  # then an Audit Commission table
])
def test_wessex_finding_counts(wessex, code, counts):
    _, r = wessex
    assert dict(_counts(r, code)) == counts


def test_wessex_sections(wessex):
    _, r = wessex
    got = [(f.kind, f.section) for f in r.findings if f.framework == "4B" and f.kind != CONTEXT]
    assert got == [(S, "Child Abuse Investigation"), (S, "Child Abuse Investigation"),
                   (A, "Child Abuse Investigation"), (S, "Domestic Violence"), (W, "Domestic Violence"),
                   (GOOD_PRACTICE, "Domestic Violence")]
    got = [(f.kind, f.section) for f in r.findings if f.framework == "5A" and f.kind != CONTEXT]
    assert got == [(S, "Call Handling"), (S, "Call Handling"), (S, "Technology"), (A, None)]


def test_wessex_split_bullet_and_verbatim_spans(wessex):
    norm, r = wessex
    s_1b = [f.text for f in r.findings if f.framework == "1B" and f.kind == S]
    assert s_1b[1] == ("Each neighbourhood team holds a monthly street meeting, and the results are fed into "
                       "the tasking process on each division through the joint action groups.")
    assert "March 2007" not in norm.text
    for f in r.findings:
        assert f.text == norm.text[f.start:f.end]
    assert [f.ordinal for f in r.findings] == list(range(1, len(r.findings) + 1))


def test_wessex_good_practice(wessex):
    _, r = wessex
    first, second = [f for f in r.findings if f.kind == GOOD_PRACTICE]
    assert first.title == "Harbour Watch"  # "TITLE: 1B Harbour Watch"
    assert first.problem == "Thefts from boats in Saltmouth marina had risen for three years."
    assert first.solution == ("The Harbour Watch Unit (HWU) recruited boat owners as volunteer watchers and "
                              "linked them to the neighbourhood team by radio.\n\nThe scheme was extended to "
                              "Eastcliff harbour in the second year.")
    assert first.outcome == "Thefts from boats fell by 40% in the first year."
    assert first.text.startswith("TITLE: 1B Harbour Watch\n")
    assert first.text.endswith("FORCE CONTACT: Inspector Jane Doe 01234 567890")
    # No FORCE CONTACT line: the block ends before the next domain heading.
    assert second.title == "Safe at Home"
    assert second.text.endswith("OUTCOME(S): Repeat incidents fell by a fifth.")
    assert second.outcome == "Repeat incidents fell by a fifth."


def test_wessex_overview(wessex):
    norm, r = wessex
    assert [(d.name, d.population, d.households) for d in r.divisions] == [
        ("Harbour", 150500, 64900), ("Downs", 118400, 49700), ("Vale", 88800, 37000)]
    assert r.divisions[2].description == (
        "Vale division is coterminous with the district of Vale of Ashby and has one CDRP.")
    assert norm.text[r.divisions[0].start:].startswith("Harbour Division\n")
    assert [(c.name, c.division, c.population, c.households) for c in r.cdrps] == [
        ("Saltmouth", "Harbour", 98000, 42100),
        ("Eastcliff", "Harbour", 52500, 22800),
        ("Chalkbury", "Downs", 61200, 25300),
        ("Hilltown Borough", "Downs", 57200, 24400),
        ("Vale of Ashby", "Vale", 88800, 37000),
    ]


def test_wessex_glossary(wessex):
    _, r = wessex
    assert [(g.abbreviation, g.expansion) for g in r.glossary] == [
        ("ACC", "assistant chief constable"),
        ("ASB", "anti-social behaviour"),
        ("BCU", "basic command unit"),
        ("HWU", "harbour watch unit"),
        ("SNT", "safer neighbourhood team"),  # the file's last line, with no newline
    ]


def test_stray_page_number_before_distribution_counts():
    text = (
        "Testshire Police\n\nBaseline Assessment\n\nMay 2006\n\n"
        "Summary of Judgements\tGrade\tDirection of Travel\nVolume Crime Reduction\tGood\tStable\n\n"
        "2 Reducing Crime (Domain 1)\n\n2A Volume Crime Reduction\n\nNational Grade Distribution\n\n"
        "Poor\tFair\tGood\tExcellent\n31\t1\t18\t20\t4\n\nStrengths\n\n- One.\n"
    )
    r = parse_baseline(normalise(text), source_name="t.txt")
    fw = _frameworks(r)["2A"]
    assert fw.national_distribution == {"Poor": 1, "Fair": 18, "Good": 20, "Excellent": 4}
    assert (fw.grade, fw.direction) == ("Good", "Stable")  # from the summary only
    assert [(f.kind, f.text) for f in r.findings] == [(S, "One.")]
    assert r.year == "" and r.identifier is None and r.published == "May 2006"


def test_own_grade_table_wins_over_a_conflicting_summary(caplog):
    text = (
        "Testshire Police\n\nBaseline Assessment\n\nSummary of Judgements\tGrade\tDirection of Travel\n"
        "Race and Diversity\tGood\tImproved\n\n6 Resource Use (Domain B)\n\n6C Race and Diversity\n\n"
        "Grade\tDirection of Travel\nFair\tStable\n\nStrengths\n\n- One.\n"
    )
    r = parse_baseline(normalise(text), source_name="t.txt")
    assert (_frameworks(r)["6C"].grade, _frameworks(r)["6C"].direction) == ("Fair", "Stable")
    assert "6C" in caplog.text


def test_without_a_summary_the_contents_list_is_not_a_section():
    # The contents list has a line that is just "1A Fairness ..." too; the real section is the one
    # followed by its grade table.
    text = (
        "Testshire Police\n\nBaseline Assessment\n\nContents\n\n1A Fairness and Equality\n"
        "1B Neighbourhood Policing\n\nIntroduction\n\nThis report covers the financial year 2005/06.\n\n"
        "1 Citizen Focus (Domain A)\n\n1A Fairness and Equality\n\nGrade\tDirection of Travel\n"
        "Good\tStable\n\nStrengths\n\n- One.\n\n1B Neighbourhood Policing\n\nGrade\tDirection of Travel\n"
        "Fair\tImproved\n\nWork in Progress\n\n- Two.\n"
    )
    r = parse_baseline(normalise(text), source_name="t.txt")
    assert [(f.code, f.level, f.grade) for f in r.frameworks] == [
        ("1", "domain", None), ("1A", "framework", "Good"), ("1B", "framework", "Fair")]
    assert [(f.framework, f.kind, f.text) for f in r.findings] == [("1A", S, "One."), ("1B", W, "Two.")]
    assert r.year == "2005/06"
