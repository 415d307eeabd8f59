"""Integrity: report identity never collides silently, every build is one transaction, readers never
lock or write, and bad input leaves the store exactly as it was."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policekg import api
from policekg.cli import main
from policekg.graph.store import DIGESTS, open_store

DATA = Path(__file__).parent / "data"
PEEL = DATA / "wessex-2019-peel.md"
BASELINE = DATA / "wessex-2006-baseline.txt"


def report_iris(store: Path) -> set[str]:
    return {r["iri"] for r in api.reports(store)}


def assert_union_consistent(store: Path) -> None:
    """Every named graph is wholly visible in the default graph queries read, and the default
    graph holds nothing no named graph holds."""
    with open_store(store) as gs:
        inner = gs.inner
        hidden = inner.query(f"""ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{DIGESTS}>)
                                     FILTER NOT EXISTS {{ ?s ?p ?o }} }}""")
        orphan = inner.query(f"""ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }}
                                     FILTER(?g != <{DIGESTS}>) }} }}""")
        assert not bool(hidden), "a named graph has triples that queries do not see"
        assert not bool(orphan), "the default graph has triples that no report graph holds"


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def minutes(tmp_path: Path, month: str, body: str) -> Path:
    path = tmp_path / f"minutes-{month.lower()}.txt"
    path.write_text(f"Northshire Police board minutes\n\nMinutes of {month} 2019\n\n{body}\n", encoding="utf-8")
    return path


# --- 1. report identity -------------------------------------------------------------------------


def test_two_generic_files_of_one_force_and_year_are_two_reports(tmp_path):
    """Board minutes of March and June 2019 once shared an IRI: the second silently replaced the first."""
    store = tmp_path / "kg"
    march = minutes(tmp_path, "March", "The board agreed the custody plan.")
    june = minutes(tmp_path, "June", "The board reviewed the custody plan.")
    assert invoke("build", march, "--kind", "generic", "--store", store).exit_code == 0
    assert invoke("build", june, "--kind", "generic", "--store", store).exit_code == 0
    rows = api.reports(store)
    assert sorted(r["source"] for r in rows) == ["minutes-june.txt", "minutes-march.txt"]
    assert len({r["iri"] for r in rows}) == 2
    assert_union_consistent(store)


def test_a_different_document_onto_a_stored_report_iri_is_refused_unless_replace(tmp_path):
    store = tmp_path / "kg"
    assert invoke("build", PEEL, "--store", store).exit_code == 0
    before = api.export("nq", store)
    reissued = tmp_path / "wessex-2019-peel-reissued.md"
    reissued.write_text(PEEL.read_text(encoding="utf-8") + "\n\nA late correction to the report.\n",
                        encoding="utf-8")
    result = invoke("build", reissued, "--store", store)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "--replace" in line and "wessex-2019-peel.md" in line
    assert api.export("nq", store) == before
    result = invoke("build", reissued, "--store", store, "--replace")
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in api.reports(store)] == [reissued.name]
    assert_union_consistent(store)


def test_rebuilding_the_same_file_needs_no_replace(tmp_path):
    store = tmp_path / "kg"
    assert invoke("build", PEEL, "--store", store).exit_code == 0
    result = invoke("build", PEEL, "--store", store)
    assert result.exit_code == 0 and "(unchanged)" in result.output


def test_two_different_files_claiming_one_iri_in_one_build_are_refused(tmp_path):
    other = tmp_path / "copy.md"
    other.write_text(PEEL.read_text(encoding="utf-8") + "\n\nAnother paragraph.\n", encoding="utf-8")
    result = invoke("build", PEEL, other, "--store", tmp_path / "kg")
    assert result.exit_code == 2
    assert "copy.md" in result.stderr and "wessex-2019-peel.md" in result.stderr
    assert not (tmp_path / "kg").exists()


def test_reports_lists_iri_title_source_sha_and_triples(tmp_path):
    store = tmp_path / "kg"
    invoke("build", PEEL, BASELINE, "--store", store)
    rows = api.reports(store)
    assert [r["source"] for r in rows] == ["wessex-2006-baseline.txt", "wessex-2019-peel.md"]
    for r in rows:
        assert r["title"] and len(r["sha256"]) == 64 and r["triples"] > 100
    result = invoke("reports", "--store", store, "--format", "json")
    assert result.exit_code == 0 and "wessex-2019-peel.md" in result.output


def test_remove_drops_one_report_and_keeps_what_others_cite(tmp_path):
    store = tmp_path / "kg"
    invoke("build", PEEL, BASELINE, "--store", store)
    result = invoke("remove", "wessex-2019-peel.md", "--store", store)
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in api.reports(store)] == ["wessex-2006-baseline.txt"]
    assert_union_consistent(store)
    # The force node is described by the remaining report: it stays visible.
    assert any(e["label"] == "Wessex Constabulary" for e in api.entities(store, "Force"))
    result = invoke("remove", "wessex-2019-peel.md", "--store", store)
    assert result.exit_code == 2 and "policekg reports" in result.stderr
