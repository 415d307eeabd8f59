"""Kind detection, the parse_report / parse_text entry points and the generic parser."""

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from policekg.errors import InputError, UnknownReportKind
from policekg.extract.model import OBSERVATION
from policekg.extract.structure import detect_kind, parse_report, parse_text

DATA = Path(__file__).parent / "data"
REPORTS = resources.files("policekg.data") / "reports"
PEEL_FILE = REPORTS / "staffordshire-2019-peel.txt"
BASELINE_FILE = REPORTS / "staffordshire-2006-baseline-assessment.txt"
NOT_A_REPORT = DATA / "not-a-report.txt"


def test_detect_kind_peel():
    assert detect_kind(PEEL_FILE.read_text(encoding="utf-8")) == "peel"
    assert detect_kind((DATA / "wessex-2019-peel.md").read_text(encoding="utf-8")) == "peel"


def test_detect_kind_baseline():
    assert detect_kind(BASELINE_FILE.read_text(encoding="utf-8")) == "baseline"


def test_detect_kind_none_for_minutes():
    assert detect_kind(NOT_A_REPORT.read_text(encoding="utf-8")) is None


def test_parse_report_peel():
    report = parse_report(PEEL_FILE)
    assert report.kind == "peel"
    assert report.source_name == "staffordshire-2019-peel.txt"
    assert report.sha256 == hashlib.sha256(PEEL_FILE.read_bytes()).hexdigest()
    assert len([f for f in report.frameworks if f.level == "pillar"]) == 3


def test_parse_report_baseline_auto():
    assert parse_report(BASELINE_FILE).kind == "baseline"


def test_parse_report_unknown_kind_names_file_and_way_out():
    with pytest.raises(UnknownReportKind) as err:
        parse_report(NOT_A_REPORT)
    message = str(err.value)
    assert "\n" not in message
    assert "not-a-report.txt" in message
    assert "baseline" in message and "peel" in message
    assert "--kind generic" in message


def test_parse_report_rejects_unknown_kind_argument():
    with pytest.raises(UnknownReportKind, match="'minutes'"):
        parse_report(NOT_A_REPORT, kind="minutes")


def test_parse_report_generic_reads_minutes():
    report = parse_report(NOT_A_REPORT, kind="generic")
    assert report.kind == "generic"
    assert report.force == "Unknown force"  # "Harbour Allotment Society" is no force
    assert report.year == "2021"
    assert report.title == "Minutes of the Harbour Allotment Society committee"
    assert report.frameworks == []
    assert [(f.kind, f.section, f.text) for f in report.findings] == [
        (OBSERVATION, "Present", "Chair, Secretary, Treasurer and six members."),
        (OBSERVATION, "Apologies", "Apologies were received from two members."),
        (OBSERVATION, "Matters arising", "The shed roof has been repaired."),
        (OBSERVATION, "Matters arising", "The water troughs will be checked before May."),
        (OBSERVATION, "Any other business", "The next meeting will be held in April."),
    ]
    assert all(report.text[f.start:f.end] == f.text for f in report.findings)


def test_parse_report_generic_forced_on_a_peel_report():
    report = parse_report(DATA / "wessex-2019-peel.md", kind="generic")
    assert report.kind == "generic" and report.frameworks == []
    assert report.force == "Wessex Constabulary"
    assert report.year == "2018/19"
    catching = [f for f in report.findings if f.section == "Catching criminals"]
    assert len(catching) == 2
    assert all(report.text[f.start:f.end] == f.text for f in report.findings)


@pytest.mark.parametrize(("name", "content", "says"), [
    ("missing.txt", None, "no such file"),
    ("empty.txt", b"  \n\n", "empty"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary"),
    ("latin1.txt", "Caf\u00e9 report for Wessex Constabulary".encode("latin-1"), "not UTF-8"),
])
def test_parse_report_input_errors(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=says):
        parse_report(path)


def test_parse_text_fragment_generic():
    report = parse_text("Harbour Division has a new custody suite", kind="generic")
    assert [f.text for f in report.findings] == ["Harbour Division has a new custody suite"]
    assert report.source_name == "<text>"
    assert report.force == "Unknown force" and report.year == ""


def test_parse_text_auto_unknown_names_source():
    with pytest.raises(UnknownReportKind, match="fragment.txt"):
        parse_text("The committee met at noon.", source_name="fragment.txt")


def test_generic_force_year_and_sub_bullets():
    text = (
        "Review of Avon and Somerset Constabulary 2019/20\n\n"
        "HM Inspector of Constabulary\n\n"
        "Findings\n\n"
        "- The force should ensure that its control room:\n"
        " - has enough staff; and\n"
        " - answers calls promptly.\n"
        "- Second point.\n"
    )
    report = parse_text(text, kind="generic")
    assert report.force == "Avon and Somerset Constabulary"
    assert report.year == "2019/20"
    assert [(f.section, f.text) for f in report.findings] == [
        ("Findings", "The force should ensure that its control room:\n - has enough staff; and\n"
                     " - answers calls promptly."),
        ("Findings", "Second point."),
    ]


def test_generic_skips_inspectorate_as_force():
    report = parse_text("HM Inspector of Constabulary\n\nNotes\n\nA short note.", kind="generic")
    assert report.force == "Unknown force"


@pytest.mark.parametrize(("line", "force"), [
    ("Inspection of City of London Police", "City of London Police"),
    ("Minutes of the Wessex Constabulary audit committee", "Wessex Constabulary"),
    ("Notes on the Metropolitan Police Service", "Metropolitan Police Service"),
])
def test_generic_force_names(line, force):
    assert parse_text(line + "\n\nBody text.", kind="generic").force == force


# --- the parser registry ----------------------------------------------------------------------

def test_every_registered_parser_meets_the_contract():
    from policekg.extract.parsers import PARSERS, ReportParser

    assert {"peel", "baseline", "generic"} <= set(PARSERS)
    for name, parser in PARSERS.items():
        assert isinstance(parser, ReportParser)
        assert parser.name == name and parser.description
        assert parser.looks_like("") == 0.0


def test_report_records_the_parser_chosen_and_its_format():
    report = parse_report(PEEL_FILE)
    assert (report.parser, report.source_format) == ("peel", "text")
    assert parse_text("Minutes\n\nThe committee met.", kind="generic").parser == "generic"


def test_a_broken_parser_module_fails_loudly(monkeypatch):
    from policekg.extract import parsers

    monkeypatch.setattr(parsers, "_MODULES", (*parsers._MODULES, "policekg.extract.parsers.no_such_regime"))
    with pytest.raises(ModuleNotFoundError):
        parsers._load()


def test_recognised_as_peel_but_nothing_found_is_an_error():
    # The title says PEEL, but nothing under it is graded or a finding.
    text = "PEEL: Police effectiveness, efficiency and legitimacy 2018/19\n\nNorthshire Police\n"
    with pytest.raises(UnknownReportKind) as err:
        parse_text(text, source_name="empty-peel.txt")
    assert "recognised as PEEL but found no graded areas or findings; try --kind generic" in str(err.value)
