"""The library of named SPARQL queries: one ``.rq`` file each in this package, with a ``#+`` header.

The header, in the style of grlc, says what the query answers, what it takes and how to run it::

    #+ summary: Findings that cite an entity, with their report, framework, grade and kind
    #+ description: optional longer text; continuation lines are indented
    #+   like this one.
    #+ params:
    #+   - entity (entity): the cited entity, by label, alias, abbreviation or IRI
    #+ example: policekg query findings-citing --param entity=PNC

A parameter's type says how a value given on the command line becomes an RDF term:

* ``entity``: a name (label, alias or abbreviation, any case) resolved to the entity's IRI, or an IRI;
* ``iri``: an IRI, written as is;
* ``literal``: a plain string literal.

``(iri, optional)`` marks a parameter that may be left out: the query then answers for every value.

Parameters are bound where the query body has a line holding only ``#@values`` (the *values
placeholder*): the runner replaces that comment with a ``VALUES`` clause built from the terms'
``n3()``, on the same line so that error positions still match the file. A query may have several
(one per sub-query that needs the parameters); each gets the same clause.

Why sub-queries: they were written when queries read Oxigraph's union of the report graphs, which
repeats a triple once per graph holding it (a national entity or a framework is described in every
report graph that cites it), so joins multiplied rows. The store now keeps a deduplicated default
graph (``graph/store.py``), so the per-property ``SELECT DISTINCT`` sub-queries are no longer needed
for correctness; they are kept because they are correct and measured. Being a comment, the
placeholder leaves the file valid SPARQL: run as is, the query has the parameter unbound.

What decides a query's speed at national scale, as measured on Oxigraph (``benchmarks/scale.py``):
a triple pattern joined to a few rows is looked up row by row, a random read each (about 10 us),
while a sub-query is evaluated once and joined by hashing, the side with the smaller estimate
built first; reading a whole index range costs well under a microsecond a triple. So a pattern
over many rows goes in a sub-query, the report of a finding or record comes from ``GRAPH ?report``
(the GSPO index) rather than a ``pol:inReport`` look-up, and a join key never comes only from a
``BIND`` (the engine does not join on a variable that may be unbound, and compares every pair).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files

from policekg.errors import QueryError

PARAM_TYPES = ("entity", "iri", "literal")
VALUES_PLACEHOLDER = "#@values"
_PLACEHOLDER_LINE = re.compile(r"^[ \t]*#@values[ \t]*$", re.M)
_PARAM = re.compile(r"^-\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<type>[^)]*)\)\s*:\s*(?P<desc>.*)$")


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str  # one of PARAM_TYPES
    description: str
    optional: bool = False  # left unbound (the query answers for every value) when not given


@dataclass(frozen=True)
class NamedQuery:
    """A query from the library: its name (the file name without ``.rq``), header and text."""

    name: str
    summary: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    example: str = ""

    @property
    def has_placeholder(self) -> bool:
        return has_placeholder(self.text)


def has_placeholder(text: str) -> bool:
    """Whether a query text has the ``#@values`` line where parameters are bound."""
    return _PLACEHOLDER_LINE.search(text) is not None


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the ``#+`` header of a query text.

    Args:
        name: the query's name.
        text: the whole ``.rq`` text.

    Returns:
        The named query; its summary is empty when the header has none.

    Raises:
        QueryError: a parameter line is malformed or has an unknown type.
    """
    fields: dict[str, str] = {}
    params: list[Param] = []
    key = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#+"):
            if stripped and not stripped.startswith("#"):
                break  # the header is the comment block before the first line of SPARQL
            continue
        body = stripped[2:]
        m = re.match(r"\s?([a-z]+):\s*(.*)$", body)
        if m and not body.startswith("   "):
            key, value = m.group(1), m.group(2).strip()
            if key != "params":
                fields[key] = value
            continue
        item = body.strip()
        if key == "params" and item.startswith("-"):
            pm = _PARAM.match(item)
            if not pm:
                raise QueryError(f"query {name}: malformed parameter line {item!r}")
            type_, *flags = [w.strip() for w in pm.group("type").split(",")]
            if type_ not in PARAM_TYPES or set(flags) - {"optional"}:
                raise QueryError(f"query {name}: parameter type {pm.group('type')!r} is not one of "
                                 f"{PARAM_TYPES}, optionally followed by ', optional'")
            params.append(Param(pm.group("name"), type_, pm.group("desc").strip(), "optional" in flags))
        elif key == "params" and params and item:
            last = params[-1]
            params[-1] = Param(last.name, last.type, f"{last.description} {item}", last.optional)
        elif key and item:
            fields[key] = f"{fields.get(key, '')} {item}".strip()
    return NamedQuery(
        name=name, summary=fields.get("summary", ""), text=text,
        description=fields.get("description", ""), params=tuple(params),
        example=fields.get("example", ""),
    )


def query_names() -> list[str]:
    """The names of the bundled queries, sorted."""
    folder = files("policekg.queries")
    return sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq"))


def load(name: str) -> NamedQuery:
    """One bundled query by name.

    Raises:
        QueryError: there is no query of that name (the message lists the names).
    """
    if name.endswith(".rq"):
        name = name[:-3]
    if name not in query_names():
        raise QueryError(f"no named query {name!r}; run `policekg queries` to list them")
    text = files("policekg.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")
    return parse_header(name, text)


def all_queries() -> list[NamedQuery]:
    """Every bundled query, sorted by name."""
    return [load(n) for n in query_names()]
