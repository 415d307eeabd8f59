"""The store directory's generations: what a writer publishes, what readers see, what a killed
build leaves, and what the next build cleans up."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from policekg.errors import StoreError
from policekg.graph import generations
from policekg.graph.store import open_store

EX = "urn:example:"


def graph_of(*objects: str) -> Graph:
    g = Graph()
    for o in objects:
        g.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(o)))
    return g


def default_objects(gs) -> set[str]:
    return {str(r[0]) for r in gs.dataset.query(f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }}")}


def test_a_writer_publishes_on_close_and_a_reader_keeps_its_generation(tmp_path):
    store = tmp_path / "kg"
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g1"), graph_of("one"))
    first = generations.current(store)
    reader = open_store(store)
    writer = open_store(store, write=True)
    writer.replace_graph(URIRef(EX + "g2"), graph_of("two"))
    assert default_objects(open_store(store)) == {"one"}  # not visible before the writer closes
    writer.close()
    assert generations.current(store) != first
    assert default_objects(reader) == {"one"}  # an open reader reads the generation it opened
    assert default_objects(open_store(store)) == {"one", "two"}
    reader.close()


def test_a_writer_left_by_an_exception_publishes_nothing(tmp_path):
    store = tmp_path / "kg"
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g1"), graph_of("one"))
    before = generations.current(store)
    with pytest.raises(RuntimeError), open_store(store, write=True) as gs:
        gs.replace_graph(URIRef(EX + "g2"), graph_of("two"))
        raise RuntimeError("the analysis failed half-way")
    assert generations.current(store) == before
    assert [g.name for g in generations.generations(store)] == [before.name]
    assert default_objects(open_store(store)) == {"one"}


def test_one_writer_at_a_time(tmp_path):
    store = tmp_path / "kg"
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g1"), graph_of("one"))
    with open_store(store, write=True) as gs:
        gs.replace_graph(URIRef(EX + "g2"), graph_of("two"))
        with pytest.raises(StoreError, match="another `policekg build` is writing"):
            open_store(store, create=True)
    assert default_objects(open_store(store)) == {"one", "two"}  # the refused one changed nothing


def test_the_next_build_deletes_what_a_killed_one_left_and_keeps_two_generations(tmp_path):
    store = tmp_path / "kg"
    for i in range(3):
        with open_store(store, create=True) as gs:
            gs.replace_graph(URIRef(EX + "g"), graph_of(f"v{i}"))
    # What a build killed mid-write leaves: a newer, unpublished generation directory.
    unfinished = store / "g000099"
    ox.Store(str(unfinished)).flush()
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g"), graph_of("v3"))
    names = [g.name for g in generations.generations(store)]
    assert "g000099" not in names
    assert len(names) == 2 and generations.current(store).name == names[-1]
    assert default_objects(open_store(store)) == {"v3"}


def test_a_writer_that_writes_nothing_publishes_no_generation(tmp_path):
    store = tmp_path / "kg"
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g"), graph_of("one"))
    before = generations.current(store)
    with open_store(store, create=True) as gs:
        assert gs.replace_graph(URIRef(EX + "g"), graph_of("one")) is False  # unchanged
    assert generations.current(store) == before
    assert [g.name for g in generations.generations(store)] == [before.name]


def test_a_bare_oxigraph_database_from_an_older_policekg_is_refused_with_what_to_do(tmp_path):
    old = tmp_path / "old"
    ox.Store(str(old)).flush()
    for write in (False, True):
        with pytest.raises(StoreError, match="older policekg.*build again into a new directory"):
            open_store(old, write=write)


def test_a_build_beside_another_build_says_so_in_one_line_and_exits_2(tmp_path):
    from click.testing import CliRunner

    from policekg.cli import main

    store = tmp_path / "kg"
    with open_store(store, create=True) as gs:
        gs.replace_graph(URIRef(EX + "g1"), graph_of("one"))
    report = tmp_path / "notes.txt"
    report.write_text("Northshire Police board minutes\n\nMinutes of May 2019\n\nThe board met.\n", encoding="utf-8")
    with open_store(store, write=True):
        result = CliRunner().invoke(main, ["build", str(report), "--report-kind", "generic", "--store", str(store)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "another `policekg build` is writing" in result.stderr
    assert default_objects(open_store(store)) == {"one"}


_LINE = st.sampled_from([f'<{EX}s> <{EX}p> "a" .', f'<{EX}s> <{EX}p> "b\u2028c" .', f"<{EX}s> <{EX}q> <{EX}o> .",
                         f'_:b1 <{EX}p> "a\\nb" .', f'<{EX}t> <{EX}p> "\xe9\x0c" .', "", "# a comment",
                         f'  <{EX}s> <{EX}p> "a" .', f'<{EX}s> <{EX}p> "a" .\r', "@prefix ex: <urn:x> ."])


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=12), ordered=st.booleans(), newline=st.booleans(), piece=st.integers(1, 400))
def test_a_text_in_canonical_form_is_hashed_as_it_stands_with_the_same_digest(lines, ordered, newline, piece):
    """Sorted triple lines are hashed without a sorted copy; any text gets the digest of its sorted lines."""
    from policekg.graph import store as gs

    body = "\n".join(sorted(lines) if ordered else lines) + ("\n" if newline and lines else "")
    expected = sorted(line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gs, "_HASH_CHARS", piece)  # many pieces
        assert gs._digest_and_count(body) == (hashlib.sha256("\n".join(expected).encode()).hexdigest(),
                                              len(expected))
    written = body.split("\n")[:-1] if body.endswith("\n") else body.split("\n") if body else []
    canonical = written == sorted(written) and all(line[:1] in ("<", "_") and "\u2028" not in line
                                                   and "\x0c" not in line and "\r" not in line for line in written)
    assert (gs._canonical_digest(body) is not None) == canonical


def test_a_large_graph_is_hashed_and_loaded_in_pieces_with_the_same_result(monkeypatch):
    """A very large report is never copied whole: its digest and its N-Triples go in pieces."""
    import hashlib

    from policekg.graph import store as st

    body = "".join(f'<{EX}s{i}> <{EX}p> "line {i}" .\n' for i in range(1000))
    whole = hashlib.sha256("\n".join(sorted(body.splitlines())).encode()).hexdigest()
    monkeypatch.setattr(st, "_LINES_PER_PIECE", 7)
    assert st.ntriples_digest(body) == whole
    pieces = list(st._pieces(body, 2000))
    assert len(pieces) > 10 and "".join(pieces) == body and all(p.endswith(".\n") for p in pieces)
    one, many = ox.Store(), ox.Store()
    for store, parts in ((one, [body]), (many, pieces)):
        for piece in parts:
            for graph in (ox.NamedNode(EX + "g"), ox.DefaultGraph()):
                store.bulk_load(piece, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    assert set(one) == set(many) and len(one) == 2000  # each triple in its graph and the default graph


def counted(gs) -> int:
    return int(next(iter(gs.inner.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)


def test_the_recorded_distinct_count_follows_every_write(tmp_path, monkeypatch):
    """stats reads the default graph's distinct triples from the bookkeeping graph: after adding,
    sharing, replacing and dropping graphs, small writes and a big one, it equals a full count."""
    from policekg.graph import store as store_module

    store = tmp_path / "kg"
    steps = [
        ({"g1": ("a", "b", "shared")}, ()),
        ({"g2": ("c", "shared"), "g3": ("d", "shared", "new-and-shared")}, ()),
        ({"g4": ("new-and-shared", "e")}, ()),
        ({"g2": ("c", "f")}, ()),  # replaced: "shared" is still held by g1 and g3
        ({}, ("g1", "g3")),  # "shared" goes, "new-and-shared" stays (g4)
        ({"g5": tuple("vwxyz")}, ()),  # over RECOUNT_AFTER below: counted on closing
    ]
    for i, (write, remove) in enumerate(steps):
        if i == len(steps) - 1:
            monkeypatch.setattr(store_module, "RECOUNT_AFTER", 3)
        with open_store(store, create=True) as gs:
            gs.write_graphs([(URIRef(EX + n), graph_of(*objs).serialize(format="nt")) for n, objs in write.items()],
                            remove=[URIRef(EX + n) for n in remove])
        with open_store(store) as gs:
            assert gs.distinct_triples(count=False) == counted(gs), f"after step {i}"
    assert counted(open_store(store)) == len({"c", "f", "new-and-shared", "e", *"vwxyz"})
