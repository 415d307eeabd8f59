"""A query's final ORDER BY done in Python (queries/order.py) gives the engine's order, row for row."""

from __future__ import annotations

import shlex

import pyoxigraph as ox
import pytest

from policekg.errors import UnknownEntity
from policekg.graph.store import open_store
from policekg.queries.library import all_queries
from policekg.queries.order import final_order, select_sorted, sort_rows
from policekg.queries.run import bind, param_bindings, run


def _example_params(query) -> dict[str, str]:
    words = shlex.split(query.example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words[:-1]) if w in ("--param", "-p"))


def _engine_rows(gs, text: str) -> list[tuple]:
    prefixes = {p: str(ns) for p, ns in gs.dataset.namespaces()}
    return [tuple(s) for s in gs.inner.query(text, prefixes=prefixes)]


@pytest.mark.parametrize("where", ["built_store", "national_store"])
def test_every_named_query_is_in_the_engines_order(where, request):
    sorted_here = 0
    with open_store(request.getfixturevalue(where)) as gs:
        for query in all_queries():
            params = _example_params(query)
            try:
                bindings = param_bindings(gs.dataset, query, params)
            except UnknownEntity:  # the example's entity is not in the invented forces' reports
                system = _most_cited_system(gs)
                bindings = param_bindings(gs.dataset, query, {k: system if "/" in v or k != "in_year" else v
                                                               for k, v in params.items() if k != "force"})
            text = bind(query.text, bindings)
            engine = _engine_rows(gs, text)
            ours = select_sorted(gs.inner, text, prefixes={p: str(ns) for p, ns in gs.dataset.namespaces()})
            got = [tuple(map(_ox_value, r)) for r in run(gs.dataset, query.text, bindings).rows]
            want = [tuple(map(_ox_value, r)) for r in engine]
            if ours is None:
                assert got == want, query.name
                continue
            sorted_here += 1
            # The same rows, in the same order up to ties (rows equal on every key, which SPARQL
            # leaves in any order): the key columns read the same, row by row.
            keys = [(ours[0].index(name), case) for name, _, case in final_order(text)[1]]

            def key_columns(rows, keys=keys):
                return [[(r[i] or "").lower() if case else r[i] for i, case in keys] for r in rows]

            assert sorted(got, key=repr) == sorted(want, key=repr), query.name
            assert key_columns(got) == key_columns(want), query.name
            assert [tuple(map(_ox_value, r)) for r in ours[1]] == got  # run() reads it this way
    assert sorted_here > 20  # most named queries end with an ORDER BY of variables (maybe in LCASE)


def _most_cited_system(gs) -> str:
    rows = gs.inner.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        SELECT ?s WHERE { ?s a pol:System . ?f pol:cites ?s } GROUP BY ?s ORDER BY DESC(COUNT(?f)) ?s LIMIT 1""")
    return next(iter(rows))[0].value


def _ox_value(t):
    """The text of a pyoxigraph or rdflib term."""
    if t is None:
        return None
    return t.value if isinstance(t, ox.NamedNode | ox.Literal | ox.BlankNode) else str(t)


def test_sparql_ordering_of_mixed_columns():
    iri, lit, num = ox.NamedNode("http://x/a"), ox.Literal("b"), ox.Literal("10", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))
    nine = ox.Literal("9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    # Unbound first, then IRIs, then literals; numbers by value, not by text.
    assert sort_rows(["x"], [(lit,), (None,), (iri,)], [("x", False, "")]) == [(None,), (iri,), (lit,)]
    assert sort_rows(["n"], [(num,), (nine,)], [("n", False, "")]) == [(nine,), (num,)]
    assert sort_rows(["n"], [(nine,), (num,)], [("n", True, "")]) == [(num,), (nine,)]
    # Numbers and strings in one column, tagged and plain strings, LCASE of a tagged one: the engine decides.
    assert sort_rows(["x"], [(num,), (lit,)], [("x", False, "")]) is None
    assert sort_rows(["x"], [(ox.Literal("a", language="en"),), (lit,)], [("x", False, "")]) is None
    assert sort_rows(["x"], [(ox.Literal("a", language="en"),)], [("x", False, "LCASE")]) is None
    assert sort_rows(["x"], [(iri,)], [("y", False, "")]) is None  # not a column


def test_only_a_final_order_of_variables_is_taken():
    assert final_order("SELECT * { ?s ?p ?o } ORDER BY ?s OFFSET 2") is None
    assert final_order("SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s } }") is None
    assert final_order("SELECT * { ?s ?p ?o } order by asc(?s) desc($p)")[1] == [("s", False, ""), ("p", True, "")]


def test_the_query_process_sorts_as_run_does(built_store):
    """``policekg query`` reads its rows from a worker process (queries/worker.py), which sorts too."""
    from policekg.queries.library import load
    from policekg.queries.limits import run_limited

    for name in ("system-relations", "trace-affected", "report-grades"):
        query = load(name)
        with open_store(built_store) as gs:
            bindings = param_bindings(gs.dataset, query, _example_params(query))
            text = bind(query.text, bindings)
            expected = [tuple(map(_ox_value, r)) for r in run(gs.dataset, query.text, bindings).rows]
        assert final_order(text) is not None  # sorted in Python, not by the engine
        with run_limited(built_store, text) as answer:
            got = [tuple(None if t is None else t[1] for t in row) for row in answer.rows]
        assert got == expected and got, name
