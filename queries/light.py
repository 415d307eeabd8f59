"""Read a query's rows as plain strings: what ``trace`` prints needs no rdflib terms.

``policekg.queries.run.run`` turns every value into an rdflib term through oxrdflib, which costs
more than Oxigraph's own evaluation when the answer is long (a national system's trace: tens of
thousands of rows). Here, when the dataset is the embedded Oxigraph store, the bound text runs in
pyoxigraph directly and each value is read as its string (an IRI's text, a literal's lexical form,
a blank node's id); any other dataset (a remote endpoint, rdflib's own store) goes through ``run``
and gets the same strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Dataset, URIRef
from rdflib.term import Identifier

from policekg.queries.library import load
from policekg.queries.run import Values, bind, oxigraph, query_error, run

Row = dict[str, str | None]


def select(dataset: Dataset, text: str, bindings: Mapping[str, Identifier] | Values | None = None
           ) -> tuple[str, list[Row]]:
    """Run a SELECT query with ``bindings`` at its ``#@values`` lines; its rows as strings.

    Args:
        dataset: the store's dataset, or anything ``run`` accepts.
        text: the query text (a SELECT).
        bindings: as for ``run``.

    Returns:
        The text that ran, and one dict per row: variable -> string, or None where unbound.

    Raises:
        QueryError: the text does not parse or the query fails.
    """
    inner = oxigraph(dataset)
    if inner is None:
        result = run(dataset, text, bindings)
        return result.sparql, [{k: None if v is None else str(v) for k, v in r.items()} for r in result.dicts()]
    sparql = bind(text, bindings or {})
    try:
        # As oxrdflib runs it: the default graph, and the dataset's prefixes.
        solutions = inner.query(sparql, prefixes=dict(dataset.namespaces()))
        names = [v.value for v in solutions.variables]
        rows = [{n: None if t is None else t.value for n, t in zip(names, s, strict=True)} for s in solutions]
    except Exception as exc:  # pyoxigraph: SyntaxError, RuntimeError, OSError
        raise query_error(sparql, exc) from None
    return sparql, rows


def unordered(text: str) -> str:
    r"""The query without its final ``ORDER BY``, for a caller that sorts the rows itself: Oxigraph
    compares IRIs and strings by their text, read from the store at every comparison (a quarter
    to a half of a trace query's time).

    >>> unordered("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s\n")
    'SELECT ?s WHERE { ?s ?p ?o }\n'
    """
    at = text.rfind("\nORDER BY")
    return text if at < 0 else text[:at] + "\n"


def iri_values(names: tuple[str, ...], rows: Iterable[Iterable[str]]) -> Values:
    """``Values`` rows of IRIs given as strings (as ``select`` reads them), for the next query."""
    return Values(names, tuple(tuple(URIRef(v) for v in row) for row in rows))


def entity_names(dataset: Dataset, iris: Iterable[str]) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The preferred label and type of each entity (``entity-names.rq``).

    Returns:
        The text that ran (none for no IRIs), and IRI -> ``(label, type IRI)``.
    """
    iris = sorted(set(iris))
    if not iris:
        return [], {}
    ran, rows = select(dataset, load("entity-names").text, iri_values(("entity",), [(i,) for i in iris]))
    return [ran], {r["entity"]: (r["label"], r["type"]) for r in rows}
