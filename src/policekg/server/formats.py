"""Content negotiation and streamed bodies for the SPARQL endpoint.

SELECT and ASK answers go out in the W3C results formats (JSON, XML, CSV, TSV); CONSTRUCT and
DESCRIBE answers as N-Triples, or as Turtle (N-Triples is a subset of Turtle, so one writer serves
both and the graph streams). Terms are the light tuples of ``policekg.queries.limits.Answer``; the
per-term writers are ``policekg.queries.output``'s, here as generators so that the web server sends
rows as the query process yields them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from policekg.queries.output import _binding, csv_value, tsv_value

RESULTS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPHS = {"nt": "application/n-triples", "ttl": "text/turtle"}
# Other names clients use for the same formats.
ALIASES = {"application/json": "json", "text/json": "json", "application/xml": "xml", "text/xml": "xml",
           "application/turtle": "ttl", "application/x-turtle": "ttl", "text/plain": "nt"}


def negotiate(accept: str | None, kind: str) -> str:
    """The format to answer in: the client's most preferred one that fits the answer's kind.

    ``kind`` is ``SELECT``, ``ASK`` or ``CONSTRUCT``; no ``Accept`` (or nothing that fits) gives
    the default, JSON for results and Turtle for graphs.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    'xml'
    >>> negotiate("text/turtle", "SELECT")
    'json'
    >>> negotiate("application/n-triples, */*;q=0.1", "CONSTRUCT")
    'nt'
    >>> negotiate("text/csv", "ASK")
    'json'
    """
    table = GRAPHS if kind == "CONSTRUCT" else {k: v for k, v in RESULTS.items()
                                                 if kind == "SELECT" or k in ("json", "xml")}
    by_type = {v: k for k, v in table.items()} | {a: k for a, k in ALIASES.items() if k in table}
    choices = []
    for i, part in enumerate((accept or "").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if media.lower() in by_type and q > 0:
            choices.append((-q, i, by_type[media.lower()]))
    return min(choices)[2] if choices else next(iter(table))


def media_type(fmt: str) -> str:
    """The Content-Type of a format name from ``negotiate``."""
    return {**RESULTS, **GRAPHS}[fmt]


def select_chunks(fmt: str, names: list[str], rows: Iterable[tuple]) -> Iterator[str]:
    """A SELECT answer in ``fmt``, a piece per row (what is sent stays sent if ``rows`` fails)."""
    if fmt == "json":
        yield '{"head": {"vars": ' + json.dumps(names) + '}, "results": {"bindings": ['
        for i, row in enumerate(rows):
            yield ("\n  " if i == 0 else ",\n  ") + json.dumps(_binding(names, row), ensure_ascii=False)
        yield "\n]}}\n"
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        yield out.getvalue()
        for row in rows:
            out.seek(0)
            out.truncate()
            writer.writerow([csv_value(t) for t in row])
            yield out.getvalue()
    elif fmt == "tsv":
        yield "\t".join(f"?{n}" for n in names) + "\n"
        for row in rows:
            yield "\t".join(tsv_value(t) for t in row) + "\n"
    elif fmt == "xml":
        yield ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
               + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>\n<results>\n")
        for row in rows:
            yield "<result>" + "".join(_xml_binding(n, t) for n, t in zip(names, row, strict=True)
                                       if t is not None) + "</result>\n"
        yield "</results>\n</sparql>\n"
    else:
        raise ValueError(f"not a results format: {fmt}")


def _xml_binding(name: str, t: tuple) -> str:
    if t[0] == "u":
        inner = f"<uri>{escape(t[1])}</uri>"
    elif t[0] == "b":
        inner = f"<bnode>{escape(t[1])}</bnode>"
    else:
        _, value, datatype, lang = t
        if lang:
            inner = f"<literal xml:lang={quoteattr(lang)}>{escape(value)}</literal>"
        elif datatype and not datatype.endswith("#string"):
            inner = f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
        else:
            inner = f"<literal>{escape(value)}</literal>"
    return f"<binding name={quoteattr(name)}>{inner}</binding>"


def ask_body(fmt: str, boolean: bool) -> str:
    """An ASK answer in JSON or XML."""
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if boolean else 'false'}</boolean></sparql>\n")
    return json.dumps({"head": {}, "boolean": boolean}) + "\n"


def graph_chunks(rows: Iterable[tuple]) -> Iterator[str]:
    """A CONSTRUCT answer as N-Triples lines (valid Turtle too)."""
    for s, p, o in rows:
        yield f"{tsv_value(s)} {tsv_value(p)} {tsv_value(o)} .\n"
