"""A very large report is read in bounded memory: docs stream through the pipeline in chunks, and
the store's N-Triples are written without an rdflib graph. These tests check that the streamed,
chunked and direct paths give what the whole-document and rdflib paths give, on invented text.
(How fast and how lean: ``benchmarks/bigfile.py`` prints it; no test times anything.)"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.plugins.serializers.nt import _quoteLiteral

from policekg import api
from policekg.extract import nlp, workers
from policekg.extract.model import OBSERVATION, Finding, Report
from policekg.extract.normalise import fold, normalise
from policekg.extract.structure import parse_report
from policekg.graph.build import build_graph, build_ntriples, lit, nt_term

DATA = Path(__file__).parent / "data"

# An invented force's board minutes: invented units, systems, divisions and partners.
_SENTENCES = (
    "The Harbourline Protection Unit (HPU) is based in Calder Division and its work is well led.",
    "The KESTREL command and control system feeds the TIDEMARK custody system.",
    "Officers in Marsh Division check KESTREL before each arrest.",
    "Work with the Northshire Community Safety Partnership in Calder Division has improved.",
    "This replaces three existing systems.",
    "The HPU reviews every referral within a day.",
    "The board noted the report and agreed the recommendations.",
    "Members asked for a further update at the next meeting.",
    "Operation Lanternfish was piloted in Marsh Division and is not yet evaluated.",
)


def _minutes(seed: int, sentences: int) -> str:
    rng = random.Random(seed)
    return "Northshire Police\n\n" + " ".join(rng.choice(_SENTENCES) for _ in range(sentences)) + "\n"


def _one_paragraph_report(text: str) -> Report:
    """The text as a generic report whose one finding is its long paragraph."""
    norm = normalise(text).text
    start = norm.index("\n\n") + 2
    end = len(norm.rstrip())
    return Report(kind="generic", force="Northshire Police", title="Northshire Police", year="2019",
                  published=None, source_name="minutes.txt", text=norm,
                  findings=[Finding(1, OBSERVATION, norm[start:end], start, end)])


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), limit=st.integers(200, 3_000))
def test_chunked_extraction_finds_the_same_mentions_as_one_doc(seed, limit):
    report = _one_paragraph_report(_minutes(seed, 60))
    whole = nlp.extract_entities(report)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nlp, "CHUNK_CHARS", limit)
        assert len(nlp.chunks(report.findings[0], report.text, limit)) > 1  # it really is read in pieces
        chunked = nlp.extract_entities(report)
    assert [(m.entity, m.surface, m.start, m.end) for m in chunked.mentions] == \
        [(m.entity, m.surface, m.start, m.end) for m in whole.mentions]
    assert {e.key for e in chunked.entities} == {e.key for e in whole.entities}
    # A passage is read whole across its chunks: "This replaces ..." keeps its antecedent.
    assert [(r.subject, r.predicate, r.object, r.start, r.end) for r in chunked.relations] == \
        [(r.subject, r.predicate, r.object, r.start, r.end) for r in whole.relations]
    assert any(m.surface == "KESTREL" for m in whole.mentions)  # the text does name things


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), sentences=st.integers(0, 30))
def test_sentence_bounds_are_the_docs_sentences(seed, sentences):
    text = fold(_minutes(seed, sentences) + "\n\n  - a bullet\n\nTrailing words ")
    doc = nlp.default_pipeline()(text)
    expected = [(s.start_char, s.start_char + len(s.text.rstrip())) for s in doc.sents]
    assert workers.sentence_bounds(doc) == expected


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.integers(-10**12, 10**12)))
def test_nt_term_writes_a_literal_as_rdflib_does(value):
    assert nt_term(lit(value)) == _quoteLiteral(Literal(value))


@pytest.mark.parametrize("name,kind", [("wessex-2006-baseline.txt", None), ("wessex-2019-peel.md", None),
                                       ("wessex-fragment.txt", "generic")])
def test_ntriples_are_the_graphs_triples(name, kind):
    report = parse_report(DATA / name, kind=kind)
    extraction = nlp.extract_entities(report)
    text, count = build_ntriples(report, extraction)
    graph = build_graph(report, extraction)
    lines = text.splitlines()
    assert count == len(lines) == len(set(lines)) == len(graph)
    assert sorted(lines) == sorted(graph.serialize(format="nt").splitlines())


def test_analyse_serialised_writes_what_analyse_builds():
    path = DATA / "wessex-fragment.txt"
    analysed = api.analyse_serialised(path, kind="generic")
    _, _, graph = api.analyse(path, kind="generic")
    assert analysed.summary.triples == len(graph)
    assert sorted(analysed.ntriples.splitlines()) == sorted(graph.serialize(format="nt").splitlines())


def test_a_long_report_read_by_two_processes_makes_the_same_graph(monkeypatch):
    # Many paragraphs and one long one read in pieces: split into groups at any point, the pieces
    # and passages read by a worker process must give the same N-Triples, byte for byte.
    paragraphs = [_minutes(seed, 8).split("\n\n", 1)[1] for seed in range(40)] + [_minutes(99, 120).split("\n\n", 1)[1]]
    report = nlp.fragment_report("Northshire Police\n\n" + "\n\n".join(paragraphs))
    report = replace(report, force="Northshire Police", year="2019", source_name="minutes.txt")
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 2_000)
    serial = build_ntriples(report, nlp.extract_entities(report, jobs=1))

    submitted = []

    class Spy(workers.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(workers, "PARALLEL_CHARS", 0)
    parallel = build_ntriples(report, nlp.extract_entities(report, jobs=2))
    assert submitted == ["_read_group", "relate_here"]  # one worker read half the docs, then related half
    assert parallel == serial
    assert serial[1] > 500  # the text does name things and relate them


def test_a_long_file_starts_its_workers_before_parsing_and_reads_the_same(tmp_path, monkeypatch):
    # The worker is started (and builds its pipeline) while this process parses the file; the
    # report and its graph are those of parsing and extracting in this process alone.
    path = tmp_path / "minutes.txt"
    paragraphs = [_minutes(seed, 6).split("\n\n", 1)[1] for seed in range(12)]
    path.write_text("Northshire Police\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    serial = build_ntriples(*nlp.read_and_extract(path, "generic", jobs=1))
    events = []

    class Spy(workers.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            events.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    real_parse = parse_report
    monkeypatch.setattr("policekg.extract.structure.parse_report",
                        lambda *a, **k: events.append("parse") or real_parse(*a, **k))
    monkeypatch.setattr(workers, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(workers, "PARALLEL_CHARS", 0)
    assert build_ntriples(*nlp.read_and_extract(path, "generic", jobs=2)) == serial
    assert events == ["_start_worker", "parse", "_read_group", "relate_here"]
    assert serial[1] > 100


def test_groups_share_the_items_out_in_order():
    items = [3, 1, 4, 1, 5, 9, 2, 6]
    for n in (1, 2, 3, 8, 20):
        parts = workers.groups(items, n, lambda x: x)
        assert [x for part in parts for x in part] == items
        assert len(parts) <= n and all(parts)


def test_pieces_loaded_by_concurrent_loaders_make_the_same_store(tmp_path, monkeypatch):
    from policekg.graph import store as st

    ex = "https://example.org/"
    graphs = [(f"{ex}g{g}", "".join(f'<{ex}s{i}> <{ex}p{g}> "line {i} of {g}" .\n' for i in range(300)))
              for g in range(4)]
    with st.open_store(tmp_path / "one", create=True) as gs:
        gs.write_graphs(graphs)
    calls, real = [], st._pieces
    monkeypatch.setattr(st, "PIECE_BYTES", 3000)
    monkeypatch.setattr(st, "_pieces", lambda *a, **k: (calls.append(p) or p for p in real(*a, **k)))
    with st.open_store(tmp_path / "many", create=True) as gs:
        gs.write_graphs(graphs)
    assert len(calls) > 2 * st.LOADERS  # many pieces, several loading at once
    with st.open_store(tmp_path / "one") as one, st.open_store(tmp_path / "many") as many:
        assert set(one.inner) == set(many.inner) and len(one.inner) > 2 * 1200  # named + default (+ bookkeeping)


def test_a_piece_the_store_refuses_fails_the_write_with_a_store_error(monkeypatch):
    from policekg.errors import StoreError
    from policekg.graph import store as st

    gs = st.open_store(st.MEMORY)
    monkeypatch.setattr(st, "PIECE_BYTES", 200)
    body = "".join(f'<https://example.org/s{i}> <https://example.org/p> "x" .\n' for i in range(50))
    with pytest.raises(StoreError, match="refused the write"):
        gs.write_graphs([("https://example.org/g", body + "<not an iri> <https://example.org/p> \"y\" .\n")])
