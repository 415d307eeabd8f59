"""The command line: errors are one line with exit 2 and lose nothing; every command is documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from policekg import api
from policekg.cli import main

DATA = Path(__file__).parent / "data"
README = Path(__file__).parent.parent / "README.md"


@pytest.fixture(scope="module")
def wessex_store(tmp_path_factory):
    """A store built from the invented Wessex force's two reports (small, so quick)."""
    where = tmp_path_factory.mktemp("wessex") / "kg"
    result = CliRunner().invoke(main, ["build", str(DATA / "wessex-2006-baseline.txt"),
                                       str(DATA / "wessex-2019-peel.md"), "--store", str(where)])
    assert result.exit_code == 0, result.output
    return where


def bad_files(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    binary = tmp_path / "report.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Wessex Constabulary \u2013 caf\u00e9 r\u00e9sum\u00e9".encode("latin-1", "replace") + b"\xe9")
    return {
        "missing": tmp_path / "nope.txt",
        "empty": empty,
        "binary": binary,
        "non-utf8": latin1,
        "unknown-kind": DATA / "not-a-report.txt",
        "a directory": tmp_path,
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "non-utf8", "unknown-kind", "a directory"])
def test_bad_input_is_one_line_exit_2_and_the_store_keeps_its_content(case, wessex_store, tmp_path):
    before = api.export("nq", wessex_store)
    bad = bad_files(tmp_path)[case]
    # A good file beside the bad one must not be written either: nothing lands unless all parse.
    result = CliRunner().invoke(main, ["build", str(DATA / "wessex-2019-peel.md"), str(bad),
                                       "--store", str(wessex_store)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policekg: error: ")
    assert str(bad.name) in lines[0]
    assert api.export("nq", wessex_store) == before


def test_unknown_kind_message_names_the_kinds_and_the_way_out(tmp_path):
    result = CliRunner().invoke(main, ["build", str(DATA / "not-a-report.txt"), "--store", str(tmp_path / "kg")])
    assert result.exit_code == 2
    assert "baseline" in result.stderr and "peel" in result.stderr and "--kind generic" in result.stderr
    assert not (tmp_path / "kg").exists()


def test_generic_kind_reads_any_text(tmp_path):
    result = CliRunner().invoke(main, ["build", str(DATA / "not-a-report.txt"), "--kind", "generic",
                                       "--store", str(tmp_path / "kg")])
    assert result.exit_code == 0, result.output
    assert api.stats(tmp_path / "kg")["findings"]["Observation"] > 0


def test_a_missing_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "run `policekg build` first" in result.stderr


def test_store_from_environment_variable(wessex_store, monkeypatch):
    monkeypatch.setenv("POLICEKG_STORE", str(wessex_store))
    result = CliRunner().invoke(main, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["store"] == str(wessex_store)


def test_entities_json_shape_and_generality(wessex_store):
    result = CliRunner().invoke(main, ["entities", "--format", "json", "--store", str(wessex_store)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(set(r) == {"iri", "type", "label", "aliases", "mentions"} for r in rows)
    divisions = {r["label"] for r in rows if r["type"] == "Division"}
    assert {"Harbour", "Downs"} <= divisions
    assert all("/force/wessex-constabulary/" in r["iri"] for r in rows if r["type"] in ("Division", "CDRP"))
    assert not any("stafford" in r["iri"].lower() for r in rows)


def test_entities_rejects_an_unknown_type(wessex_store):
    result = CliRunner().invoke(main, ["entities", "--type", "Spaceship", "--store", str(wessex_store)])
    assert result.exit_code == 2


def test_extract_gives_entities_and_relations_as_json(tmp_path):
    fragment = tmp_path / "fragment.txt"
    fragment.write_text("Whenever the TIDEWATCH command and control system records a call, it automatically "
                        "interfaces with the HARBOURLINK system. Operation Seagull was piloted in Downs division.\n")
    result = CliRunner().invoke(main, ["extract", str(fragment), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    labels = {(e["type"], e["label"]) for e in data["entities"]}
    assert ("Initiative", "Operation Seagull") in labels
    assert ("System", "TIDEWATCH") in labels and ("System", "HARBOURLINK") in labels
    assert all(set(e) == {"label", "type", "surfaces"} for e in data["entities"])
    rel = {(r["subject"], r["predicate"], r["object"]) for r in data["relations"]}
    assert ("TIDEWATCH", "interfacesWith", "HARBOURLINK") in rel
    assert all(set(r) == {"subject", "predicate", "object", "sentence"} for r in data["relations"])


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nq", "jsonld"])
def test_export_formats_parse_back(fmt, wessex_store, tmp_path):
    from rdflib import Dataset

    out = tmp_path / f"kg.{fmt}"
    result = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out), "--store", str(wessex_store)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out, format={"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt])
    assert len(ds) > 1000 if fmt == "ttl" else sum(1 for _ in ds.quads()) > 1000


def all_commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name):
    command = main.commands[name]
    assert isinstance(command, click.Command)
    help_text = CliRunner().invoke(main, [name, "--help"]).output
    assert "Example:" in help_text
    assert re.search(rf"policekg {name}\b", README.read_text()), f"`policekg {name}` missing from README"


def test_visualise_command_lists_the_same_node_types_as_the_network():
    from policekg.cli.visualise import NODE_TYPES as listed
    from policekg.visualise.network import NODE_TYPES

    assert listed == NODE_TYPES
