"""One vocabulary across commands: the same option names, --format documented, data on stdout and
messages on stderr, nothing on stdout when a command fails."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from policekg import __version__, api
from policekg.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    where = tmp_path_factory.mktemp("vocab") / "kg"
    api.build([DATA / "wessex-2006-baseline.txt", DATA / "wessex-2019-peel.md"], store=where)
    return where


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def options(command: click.Command) -> dict[str, click.Option]:
    return {name: p for p in command.params if isinstance(p, click.Option) for name in p.opts}


@pytest.mark.parametrize("name", sorted(main.commands))
def test_format_options_have_help_and_show_their_default(name):
    fmt = options(main.commands[name]).get("--format")
    if fmt is None:
        pytest.skip(f"{name} has no --format")
    assert fmt.help and fmt.show_default and fmt.default == fmt.type.choices[0]
    assert f"[default: {fmt.default}]" in " ".join(invoke(name, "--help").output.split())


def test_kind_options_say_which_kind():
    assert "--finding-kind" in options(main.commands["trace"])
    assert "--kind" not in options(main.commands["trace"])
    assert "--report-kind" in options(main.commands["build"])
    assert "--type" in options(main.commands["entities"])


@pytest.mark.parametrize("args", [
    ["build", DATA / "nope.txt"],
    ["trace", "no-such-entity-anywhere"],
    ["show", "no-such-entity-anywhere"],
    ["query", "nothere.rq"],
    ["query", "no-such-query"],
    ["entities", "--type", "Spaceship"],
], ids=lambda a: " ".join(map(str, a)))
def test_a_failing_command_prints_nothing_on_stdout(args, store):
    result = invoke(*args, "--store", store)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("policekg: error: ") and len(result.stderr.strip().splitlines()) == 1


def test_a_missing_rq_file_is_no_such_file(store):
    result = invoke("query", "nothere.rq", "--store", store)
    assert "nothere.rq: no such file" in result.stderr


def test_messages_go_to_stderr_and_data_to_stdout(store, tmp_path):
    for args in (["export", "--format", "nq", "--out", tmp_path / "kg.nq"],
                 ["visualise", "--out", tmp_path / "g.html"]):
        result = invoke(*args, "--store", store)
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and result.stderr.startswith("Wrote ")
    result = invoke("query", "framework-grades", "--store", store)
    assert "row(s)" in result.stderr and "row(s)" not in result.stdout


def test_open_says_when_there_is_no_browser(store, tmp_path, monkeypatch):
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: False)
    result = invoke("visualise", "--out", tmp_path / "g.html", "--open", "--store", store)
    assert result.exit_code == 0
    assert "no browser to open here" in result.stderr and str(tmp_path / "g.html") in result.stderr


def test_version_and_the_command_list_are_whole():
    assert invoke("--version").stdout.strip().endswith(__version__)
    listing = invoke("--help").stdout.split("Commands:")[1]
    assert "..." not in listing
    assert all(name in listing for name in main.commands)


def test_stats_explains_per_graph_and_distinct_triples(store):
    data = json.loads(invoke("stats", "--format", "json", "--store", store).stdout)
    assert data["triples"] == sum(data["graphs"].values())
    counted = api.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=store)[0]["n"]
    assert data["distinct_triples"] == counted < data["triples"]  # two reports describe one force
    table = invoke("stats", "--store", store).stdout
    assert f"{data['triples']} triples" in table and f"{data['distinct_triples']} distinct" in table


def test_report_is_one_rule_iri_year_or_title_words():
    from policekg.queries.reports import report_matches

    iri = "https://w3id.org/policekg/id/report/wessex-constabulary/2006-07-baseline"
    title = "Wessex Constabulary Baseline Assessment"
    assert report_matches(iri, iri, year="2006/07", title=title)
    assert report_matches("2007", iri, year="2006/07", title=title)  # the calendar year
    assert report_matches("baseline assessment", iri, year="2006/07", title=title)
    assert report_matches("Wessex baseline", iri, year="2006/07", title=title)
    assert not report_matches("peel", iri, year="2006/07", title=title)
    assert not report_matches("Wessex peel", iri, year="2006/07", title=title)


def test_trace_report_takes_words_of_the_title(store):
    # "legitimacy" is in the PEEL report's title only, not in its IRI.
    assert api.trace("PNC", store=store, report="legitimacy").findings
    assert api.trace("PNC", store=store, report="2019").findings
    assert not api.trace("PNC", store=store, report="baseline").findings
    result = invoke("trace", "PNC", "--report", "legitimacy 2018", "--format", "json", "--store", store)
    assert json.loads(result.stdout)["findings"]


def test_did_you_mean_names_each_entity_once(built_store):
    rows = json.loads(invoke("entities", "--format", "json", "--store", built_store).stdout)
    names = {n: r["iri"] for r in rows for n in [r["label"], *r["aliases"]]}
    result = invoke("trace", "guardien", "--store", built_store)
    assert result.exit_code == 2 and "did you mean: " in result.stderr
    suggested = result.stderr.split("did you mean: ")[1].split("?")[0].split(", ")
    entities = [names[s] for s in suggested]
    assert len(entities) == len(set(entities)), suggested
