"""Run a SPARQL query against the store with parameters bound as RDF terms, and format the answer.

Parameters never become part of the query text as the user typed them: each value is turned into
an rdflib term (an IRI checked for characters an IRI cannot hold, or a literal) and written with
``n3()``, which escapes quotes and backslashes, into a ``VALUES`` clause at the query's ``#@values``
line (see ``policekg.queries.library``). A value such as ``STORM" } ; DROP ALL ; #`` is one string
literal that matches nothing.

Only queries run: ``query()`` on either store cannot execute an update, and a text that parses as an
update (INSERT, DELETE, DROP, CLEAR, LOAD, CREATE, ADD, MOVE, COPY) is refused with a clear message.

Output formats follow the W3C SPARQL 1.1 results formats: JSON (Query Results JSON Format), CSV and
TSV (Query Results CSV and TSV Formats); CONSTRUCT and DESCRIBE answers are written as Turtle.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from oxrdflib._converter import from_ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from policekg.errors import QueryError
from policekg.queries.library import _PLACEHOLDER_LINE, NamedQuery, has_placeholder
from policekg.queries.order import select_sorted

FORMATS = ("table", "csv", "tsv", "json", "ttl")
# Characters RFC 3987 does not allow in an IRI; rdflib would write them out as they are.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_OX_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


@dataclass
class QueryResult:
    """A query's answer, read into memory.

    ``type`` is ``SELECT``, ``ASK`` or ``CONSTRUCT`` (DESCRIBE answers are CONSTRUCT-like graphs).
    """

    type: str
    sparql: str  # the text that was executed, parameters bound
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]


def iri_term(value: str) -> URIRef:
    """An IRI parameter as a term.

    Raises:
        QueryError: the value holds a character an IRI cannot (space, quote, brace, ...).
    """
    if not value or _BAD_IRI.search(value) or ":" not in value:
        raise QueryError(f"not an IRI: {value!r}")
    return URIRef(value)


@dataclass(frozen=True)
class Values:
    """Several rows of bindings for the same variables (one ``VALUES`` clause with many rows)."""

    names: tuple[str, ...]
    rows: tuple[tuple[Identifier, ...], ...]


def _n3(term: Identifier) -> str:
    if isinstance(term, URIRef):
        iri_term(str(term))  # refuse anything n3() would write unescaped
    return term.n3()


def values_clause(bindings: Mapping[str, Identifier] | Values) -> str:
    """A one-line ``VALUES`` clause binding variables to terms (written with ``n3()``)."""
    if not isinstance(bindings, Values):
        bindings = Values(tuple(bindings), (tuple(bindings.values()),))
    rows = " ".join(f"({' '.join(_n3(t) for t in row)})" for row in bindings.rows)
    return f"VALUES ({' '.join('?' + n for n in bindings.names)}) {{ {rows} }}"


def bind(text: str, bindings: Mapping[str, Identifier] | Values) -> str:
    """The query text with each ``#@values`` line replaced by a ``VALUES`` clause for ``bindings``.

    Raises:
        QueryError: there are bindings but the query has no ``#@values`` line.
    """
    if not bindings or (isinstance(bindings, Values) and not bindings.names):
        return text
    if not has_placeholder(text):
        raise QueryError(
            "the query has no line '#@values' to bind parameters at; add one inside its WHERE block"
        )
    clause = values_clause(bindings)
    # Every placeholder line: a query may bind the same parameters in several sub-queries.
    return _PLACEHOLDER_LINE.sub(lambda m: m.group(0).replace("#@values", clause), text)


def param_bindings(dataset: Dataset, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Identifier]:
    """Turn ``name=value`` strings into terms, by each declared parameter's type.

    Raises:
        QueryError: a parameter is missing or not declared.
        UnknownEntity: an ``entity`` parameter names no entity.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and declared:
        raise QueryError(f"query {query.name} takes no parameter {unknown[0]!r}; "
                         f"it takes: {', '.join(declared)}")
    missing = [n for n, p in declared.items() if n not in values and not p.optional]
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=VALUE")
    out: dict[str, Identifier] = {}
    for name, value in values.items():
        type_ = declared[name].type if name in declared else "literal"
        if type_ == "entity":
            from policekg.queries.lookup import resolve  # the look-up runs queries through this module

            out[name] = URIRef(resolve(dataset, value).iri)
        elif type_ == "iri":
            out[name] = iri_term(value)
        else:
            out[name] = Literal(value)
    return out


def run(
    dataset: Dataset, text: str, bindings: Mapping[str, Identifier] | Values | None = None
) -> QueryResult:
    """Execute a query text against a dataset (Oxigraph through oxrdflib, or rdflib's own).

    Args:
        dataset: the store's dataset (``GraphStore.dataset``) or an rdflib ``Dataset``.
        text: the SPARQL query.
        bindings: variable name -> term, or ``Values`` rows, bound at the query's ``#@values``
            line.

    Returns:
        The whole answer, read into memory.

    Raises:
        QueryError: the text is an update, has a syntax error (the message gives the line and
            column) or fails to run.
    """
    sparql = bind(text, bindings or {})
    try:
        inner = oxigraph(dataset)
        if inner is not None:
            return _run_oxigraph(inner, dataset, sparql)
        result = dataset.query(sparql)
        if result.type == "ASK":
            return QueryResult("ASK", sparql, boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("CONSTRUCT", sparql, graph=result.graph)
        names = [str(v) for v in result.vars]
        rows = [tuple(row[i] for i in range(len(names))) for row in result]
        return QueryResult("SELECT", sparql, vars=names, rows=rows)
    except QueryError:
        raise
    except Exception as exc:  # pyoxigraph: SyntaxError/RuntimeError; rdflib: ParseException, ...
        raise query_error(sparql, exc) from None


def oxigraph(dataset: Dataset | Graph) -> ox.Store | None:
    """The pyoxigraph store under an oxrdflib ``Dataset`` whose queries read the store's own default
    graph (as a ``GraphStore``'s do), or None: rdflib's own store, a union view, a remote endpoint.
    Callers that read many rows run their text on it directly (see ``run``)."""
    store = getattr(dataset, "store", None)
    if not isinstance(dataset, Dataset) or dataset.default_union or not isinstance(store, OxigraphStore):
        return None
    return getattr(store, "_inner", None)  # oxrdflib's handle on the store it wraps


def _run_oxigraph(inner: ox.Store, dataset: Dataset, sparql: str) -> QueryResult:
    """A query run straight on pyoxigraph, as oxrdflib runs it (the dataset's prefixes, the store's
    default graph) and with oxrdflib's term conversion, done once per distinct term: an answer of
    many rows repeats its labels and IRIs, and converting each value through rdflib's result rows
    took as long as the engine (1 s of 2.4 for the 27,553 rows of system-relations at 1,000 reports).
    """
    prefixes = {prefix: str(ns) for prefix, ns in dataset.namespaces()}
    ordered = select_sorted(inner, sparql, prefixes=prefixes)  # a final ORDER BY, done here
    answer = ordered[1] if ordered is not None else inner.query(sparql, prefixes=prefixes)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", sparql, boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        graph = Graph()
        graph += (from_ox(t) for t in answer)
        return QueryResult("CONSTRUCT", sparql, graph=graph)
    terms: dict = {}

    def term(value):
        if value is None:
            return None
        found = terms.get(value)
        if found is None:
            found = terms[value] = from_ox(value)
        return found

    names = ordered[0] if ordered is not None else [v.value for v in answer.variables]
    return QueryResult("SELECT", sparql, vars=names, rows=[tuple(map(term, row)) for row in answer])


def query_error(sparql: str, exc: Exception) -> QueryError:
    """A one-line ``QueryError`` for an exception a query raised (update refused, syntax error with
    its line and column, or the first line of the engine's message)."""
    if is_update(sparql):
        return QueryError("updates (INSERT, DELETE, DROP, CLEAR, LOAD, ...) are not allowed: "
                          "`policekg query` only reads the graph")
    message = str(exc).strip()
    m = _OX_POSITION.match(message)
    if m:
        return QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}")
    if hasattr(exc, "lineno") and hasattr(exc, "col"):  # pyparsing, from rdflib's own engine
        return QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}")
    return QueryError(f"the query failed: {message.splitlines()[0] if message else type(exc).__name__}")


def is_update(text: str) -> bool:
    """Whether a text parses as a SPARQL update (checked with rdflib's parser; nothing runs)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


# --- W3C SPARQL 1.1 results formats -------------------------------------------------------------


def _plain(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, RFC 4180 quoting, CRLF line ends."""
    _need_select(result, "csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_plain(t) for t in row])
    return out.getvalue()


def _tsv_term(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    value = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{value}"@{term.language}'
    if term.datatype and term.datatype != XSD.string:
        return f'"{value}"^^<{term.datatype}>'
    return f'"{value}"'


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` headers, terms in Turtle/N-Triples syntax."""
    _need_select(result, "tsv")
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Identifier) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (SELECT and ASK)."""
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    _need_select(result, "json")
    bindings = [
        {v: _json_term(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False)


def to_turtle(result: QueryResult) -> str:
    """A CONSTRUCT or DESCRIBE answer as Turtle."""
    if result.type != "CONSTRUCT" or result.graph is None:
        raise QueryError("--format ttl is for CONSTRUCT and DESCRIBE queries; use table, csv, tsv or json")
    from policekg.graph.build import bind_prefixes

    g = bind_prefixes(Graph())
    for triple in result.graph:
        g.add(triple)
    return g.serialize(format="turtle")


def _need_select(result: QueryResult, fmt: str) -> None:
    if result.type == "CONSTRUCT":
        raise QueryError(f"a CONSTRUCT or DESCRIBE answer is a graph: use --format ttl, not {fmt}")
    if result.type == "ASK":
        raise QueryError(f"an ASK answer has no {fmt} form: use --format json or table")


def short(term: Identifier | None) -> str:
    """A term for a table cell: IRIs in prefixed form where a project prefix fits."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        from policekg.graph.build import PREFIXES

        text = str(term)
        for prefix, ns in PREFIXES.items():
            if text.startswith(str(ns)) and len(text) > len(str(ns)):
                return f"{prefix}:{text[len(str(ns)):]}"
        return text
    return str(term)


def to_table(result: QueryResult, title: str | None = None):
    """A rich ``Table`` of a SELECT answer (ASK: one cell; CONSTRUCT: not a table)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    if result.type == "ASK":
        table.add_column("answer")
        table.add_row("true" if result.boolean else "false")
        return table
    _need_select(result, "table")
    for v in result.vars:
        numeric = any(isinstance(r[i], Literal) and isinstance(r[i].toPython(), int | float)
                      for r in result.rows[:20] for i in [result.vars.index(v)])
        table.add_column(v, justify="right" if numeric else "left", overflow="fold")
    for row in result.rows:
        table.add_row(*(_escape(short(t)) for t in row))
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
