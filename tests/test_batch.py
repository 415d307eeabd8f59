"""The parallel, incremental build (graph/batch.py) and the invented corpus it is measured on."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef
from scripts import benchmark_script  # tests/ is on sys.path, as for render

from policekg import api
from policekg.errors import InputError
from policekg.extract.structure import detect_kind
from policekg.graph import batch
from policekg.graph.store import open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


corpus = benchmark_script("corpus")


@pytest.fixture(scope="module")
def invented(tmp_path_factory):
    """Six invented reports: two forces, each with two Baseline Assessments and a PEEL report."""
    return corpus.write_corpus(tmp_path_factory.mktemp("corpus"), 6, seed=7, length=0.5,
                               layouts=corpus.BASELINES_AND_PEEL_2019)


def test_corpus_is_deterministic_and_varied(tmp_path, invented):
    again = corpus.write_corpus(tmp_path / "again", 6, seed=7, length=0.5, layouts=corpus.BASELINES_AND_PEEL_2019)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in invented]
    other = corpus.write_corpus(tmp_path / "other", 6, seed=8, length=0.5, layouts=corpus.BASELINES_AND_PEEL_2019)
    assert {p.name for p in other}.isdisjoint({p.name for p in invented})
    kinds = [detect_kind(p.read_text()) for p in invented]
    assert kinds == ["baseline", "peel", "baseline"] * 2
    assert len({p.stat().st_size for p in invented}) == 6


def test_invented_reports_parse_into_findings_grades_and_relations(invented):
    for path in invented:
        a = batch.analyse_report(path).summary
        assert a.force.split()[0].lower() in path.name
        assert a.findings > 20 and a.frameworks >= 8, path.name
        assert a.entities.get("System", 0) >= 3 and a.entities.get("Division", 0) >= 2, path.name
        assert a.relations > 0, path.name


def test_parallel_build_equals_serial_build_byte_for_byte(tmp_path, invented):
    serial = api.build(invented, store=tmp_path / "serial", jobs=1)
    parallel = api.build(invented, store=tmp_path / "parallel", jobs=2)
    assert [r.iri for r in parallel.reports] == [r.iri for r in serial.reports]
    assert parallel.reports == serial.reports
    for fmt in ("nq", "ttl"):
        assert api.export(fmt, tmp_path / "parallel") == api.export(fmt, tmp_path / "serial")


def test_workers_yield_in_input_order_and_match_in_process_analysis(invented):
    order = list(reversed(invented))
    parallel = list(batch.analyse_many(order, jobs=2))
    assert [a.summary.source for a in parallel] == [p.name for p in order]
    here = batch.analyse_report(order[0])
    assert parallel[0].summary == here.summary
    assert sorted(parallel[0].ntriples.splitlines()) == sorted(here.ntriples.splitlines())


def test_unchanged_files_are_skipped_before_parsing(tmp_path, monkeypatch):
    files = [shutil.copy(DATA / name, tmp_path / name) for name in ("wessex-2006-baseline.txt", "wessex-2019-peel.md")]
    store = tmp_path / "kg"
    first = api.build(files, store=store, jobs=1)
    parsed = []
    import policekg.extract.structure as structure

    real = structure.parse_report
    monkeypatch.setattr(structure, "parse_report", lambda p, kind=None: parsed.append(Path(p).name) or real(p, kind))
    again = api.build(files, store=store, jobs=1)
    assert parsed == []
    assert [r.written for r in again.reports] == [False, False]
    # The summary of a skipped report is read back from its graph: the same numbers as when built.
    assert [(r.iri, r.source, r.kind, r.year, r.triples, r.findings, r.frameworks, r.relations, r.entities)
            for r in again.reports] == [
        (r.iri, r.source, r.kind, r.year, r.triples, r.findings, r.frameworks, r.relations, r.entities)
        for r in first.reports]
    assert again.total_triples == first.total_triples

    Path(files[1]).write_text(Path(files[1]).read_text() + "\nThe force has since recruited more staff.\n")
    third = api.build(files, store=store, jobs=1, replace=True)
    assert parsed == ["wessex-2019-peel.md"]
    assert [r.written for r in third.reports] == [False, True]


def test_two_files_of_one_report_are_refused_and_the_store_kept(tmp_path):
    a = shutil.copy(DATA / "wessex-2019-peel.md", tmp_path / "a.md")
    b = tmp_path / "b.md"
    b.write_text(Path(a).read_text() + "\nOne more line.\n")
    store = tmp_path / "kg"
    api.build([DATA / "wessex-2006-baseline.txt"], store=store)
    before = api.export("nq", store)
    with pytest.raises(InputError, match="both identify as"):
        api.build([a, b], store=store, jobs=1)
    assert api.export("nq", store) == before


def test_a_bad_file_after_good_ones_leaves_the_store_as_it_was(tmp_path, invented):
    store = tmp_path / "kg"
    api.build([DATA / "wessex-2006-baseline.txt"], store=store)
    before = api.export("nq", store)
    with pytest.raises(InputError):
        api.build([*invented, tmp_path / "missing.txt"], store=store, jobs=2)
    assert api.export("nq", store) == before


def test_the_store_keeps_each_reports_file_digest_and_build_summary(tmp_path, invented):
    """What lets a rebuild skip a file unread, and still print its row, without counting anything."""
    store = tmp_path / "kg"
    summary = api.build(invented[:2], store=store, jobs=1)
    stored = {r["iri"]: r["sha256"] for r in api.reports(store)}
    assert stored == {a.iri: batch.file_sha256(p) for p, a in
                      zip(invented[:2], batch.analyse_many(invented[:2], jobs=1), strict=True)}
    with open_store(store) as gs:
        kept = gs.recorded()
        assert len(gs.graph_names()) == 3  # two reports and the ontology
        for report in summary.reports:
            assert kept[report.iri]["triples"] == gs.count(URIRef(report.iri)) == report.triples
            assert api.ReportSummary.from_json(kept[report.iri]["summary"]) == replace(report, written=False)


def test_cli_build_of_many_reports_prints_one_row_each_and_skips_unchanged(tmp_path):
    from click.testing import CliRunner

    from policekg.cli import main

    files = [str(p) for p in corpus.write_corpus(tmp_path / "r", 9, seed=11, length=0.2)]
    store = str(tmp_path / "kg")
    first = CliRunner().invoke(main, ["build", *files, "--jobs", "2", "--store", store])
    assert first.exit_code == 0, first.output
    assert "9 reports (0 unchanged)" in first.output
    again = CliRunner().invoke(main, ["build", *files, "--store", store])
    assert "9 reports (9 unchanged)" in again.output
