"""Output a person reads in a 100-column terminal: no word cut, findings as short excerpts, names whole."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from policekg.cli import main
from policekg.cli.tables import (
    ELLIPSIS,
    MAX_LINES,
    NAME,
    TEXT,
    Cell,
    Col,
    _lines,
    compact_iri,
    excerpt,
    humanise,
    print_table,
    records,
)

COMMANDS = [
    ["trace", "STORM"],
    ["query", "framework-grades"],
    ["queries"],
    ["entities"],
    ["show", "STORM"],
]
BOX = re.compile(r"[\u2500-\u257f]")


def run(args: list[str], columns: int, store=None) -> str:
    extra = ["--store", str(store)] if store is not None and args[0] != "queries" else []
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, [*args, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def tokens(text: str) -> set[str]:
    """Whitespace-separated words, without the excerpt marks and a record's trailing colon."""
    out = set()
    for word in text.split():
        word = word.strip(ELLIPSIS).rstrip(":")
        if word:
            out.add(word)
    return out


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_100_columns_or_cuts_a_word(args, built_store):
    narrow = run(args, 100, built_store)
    assert narrow.strip()
    assert max(cell_len(line) for line in narrow.splitlines()) <= 100
    assert not BOX.search(narrow), "piped output must be plain text"
    # Every word printed at 100 columns is a whole word of the same answer printed without limits.
    full = ["--full"] if args[0] in ("trace", "show", "query") else []
    wide = run([*args, *full], 1000, built_store)
    cut = tokens(narrow) - tokens(wide)
    assert not cut, f"words cut or invented at 100 columns: {sorted(cut)[:10]}"


def test_trace_findings_take_at_most_six_lines_each(built_store):
    out = run(["trace", "STORM"], 100, built_store)
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("via "))
    end = next((i for i, line in enumerate(lines) if line.startswith("Affected")), len(lines))
    rows = "\n".join(lines[header + 1:end]).strip().split("\n\n")
    assert len(rows) >= 3
    assert all(1 <= len(row.splitlines()) <= MAX_LINES for row in rows), rows
    assert "STORM" in out.split("Affected")[0].split("\n", 2)[2], "the excerpt keeps the traced name"


def test_full_shows_every_word_of_a_finding(built_store):
    data = json.loads(run(["trace", "STORM", "--format", "json"], 100, built_store))
    longest = max(data["findings"], key=lambda f: len(f["text"]))["text"]
    excerpted = run(["trace", "STORM"], 100, built_store)
    full = run(["trace", "STORM", "--full"], 100, built_store)
    assert tokens(longest) <= tokens(full)
    assert not tokens(longest) <= tokens(excerpted)


def test_iris_are_prefixed_names_unless_full_iris(built_store):
    short = run(["show", "STORM"], 100, built_store)
    assert "id:system/storm" in short and "https://w3id.org/policekg/id/system/storm" not in short
    assert "https://w3id.org/policekg/id/system/storm" in run(["show", "STORM", "--full-iris"], 100, built_store)


def test_entity_names_and_iris_are_never_wrapped(built_store):
    rows = json.loads(run(["entities", "--format", "json"], 100, built_store))
    out = run(["entities"], 100, built_store)
    lines = out.splitlines()
    for r in rows:
        iri = compact_iri(r["iri"])
        assert any(re.search(rf"(^|\s){re.escape(iri)}(\s|$)", line) for line in lines), iri
    assert all(any(r["label"] in line for line in lines) for r in rows)


def test_a_terminal_gets_box_lines_and_the_same_width():
    console = Console(width=100, force_terminal=True, record=True, file=open("/dev/null", "w"))
    text = "The WAVERIDER system feeds the Northshire custody records system every night. " * 6
    print_table([Col("system", NAME), Col("finding", TEXT)], [("WAVERIDER", Cell(text, [(4, 13)]))],
                console=console)
    out = console.export_text()
    assert BOX.search(out)
    assert max(cell_len(line) for line in out.splitlines()) <= 100


def test_excerpt_keeps_whole_words_around_the_match_within_the_lines():
    text = ("Wessex Constabulary has replaced its ageing command and control system with TIDEWATCH, which "
            "now feeds the HARBOURLINK intelligence system and the custody records held in every division. "
            "Staff in the control room said the change had been managed well.")
    at = text.index("HARBOURLINK")
    shown, spans = excerpt(text, [(at, at + 11)], 30, max_lines=2)
    assert shown.startswith(ELLIPSIS) and shown.endswith(ELLIPSIS)
    assert [shown[s:e] for s, e in spans] == ["HARBOURLINK"]
    assert tokens(shown) <= tokens(text)
    assert len(shown) <= 2 * 30


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "wordy", "a-b", "\u2026", "\u00a0", "\t", "\n", "  "]),
                max_size=40).map("".join),
       st.integers(min_value=1, max_value=12))
def test_line_count_is_textwraps(text, width):
    # _lines counts single-spaced text itself (excerpt calls it for every word it adds): the count
    # must be textwrap's, long words, hyphens and odd spaces included.
    assert _lines(text, width) == (len(textwrap.wrap(text, width, break_long_words=False,
                                                     break_on_hyphens=False)) or 1)
    squashed = " ".join(text.split())
    assert _lines(squashed, width) == (len(textwrap.wrap(squashed, width, break_long_words=False,
                                                         break_on_hyphens=False)) or 1)


def test_humanise_and_records():
    assert humanise("AreaForImprovement") == "Area for improvement"
    assert humanise("GoodPractice") == "Good practice"
    out = records([Col("label", NAME), Col("note")],
                  [("TIDEWATCH", "a command and control system of the invented Wessex Constabulary")], 30)
    assert out.splitlines()[0] == "label: TIDEWATCH"
    assert all(len(line) <= 30 for line in out.splitlines())


def _table_rows(out: str) -> int:
    """Rows of a plain table whose rows take several lines (the first table printed, trace's
    findings): blocks between blank lines."""
    table = out[out.index("\nvia "):] if "\nvia " in out else out
    table = table.split("\nAffected if it is replaced")[0]
    return len([block for block in table.split("\n\n") if block.strip()])


def test_a_long_table_shows_its_first_rows_and_says_how_to_see_the_rest(built_store, monkeypatch):
    import policekg.cli.query as cli_query

    answer = json.loads(run(["trace", "STORM", "--format", "json"], 100, built_store))
    every, affected = answer["findings"], len(answer["affected"])
    assert len(every) > 2 and affected > 2
    monkeypatch.setattr(cli_query, "TABLE_ROWS", 2)
    runner = CliRunner(env={"COLUMNS": "100"})
    capped = runner.invoke(main, ["trace", "STORM", "--store", str(built_store)])
    assert capped.exit_code == 0
    assert _table_rows(capped.stdout) == 2
    assert f"the table shows the first 2 of {len(every)} findings: --limit N --offset 2" in capped.stderr
    assert f"{len(every)} finding(s)" in capped.stderr  # the counts are of the whole answer
    # --limit says how many findings: no cap on them, no note. (The affected systems have no paging
    # of their own: their table stays capped, and says so.)
    asked = runner.invoke(main, ["trace", "STORM", "--limit", str(len(every)), "--store", str(built_store)])
    assert _table_rows(asked.stdout) == len(every)
    assert "findings: --limit" not in asked.stderr
    assert f"the table shows the first 2 of {affected} affected rows: --format json" in asked.stderr
    # The formats for programs are never capped.
    assert len(json.loads(runner.invoke(main, ["trace", "STORM", "--format", "json", "--store",
                                               str(built_store)]).stdout)["findings"]) == len(every)
    # A query's table too, with the way to get every row.
    labels = runner.invoke(main, ["query", "framework-labels", "--store", str(built_store)])
    rows = runner.invoke(main, ["query", "framework-labels", "--format", "csv", "--store", str(built_store)])
    assert len(rows.stdout.splitlines()) - 1 > 2
    assert f"the table shows the first 2 of {len(rows.stdout.splitlines()) - 1} rows" in labels.stderr
    assert "--format csv" in labels.stderr
