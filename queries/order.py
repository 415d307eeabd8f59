"""A query's final ``ORDER BY``, done in Python on the answer instead of by Oxigraph.

Oxigraph compares two IRIs or long strings by reading their text from the store at every
comparison, so sorting a long answer can cost more than finding it (the 12,205 rows of
``trace-affected`` for a national system at 1,000 reports: 1.1 s to find, 2.6 s more to sort). Here
the answer is read once, unordered, and sorted with SPARQL's ordering (unbound, then blank nodes,
then IRIs, then literals: numbers by value, strings by code point, a language-tagged string then by
its tag, booleans false first), stably, one key at a time, ties in a fixed order. Only the simple,
common case is taken: a final ``ORDER BY`` of variables (with ``ASC``/``DESC``, maybe in
``LCASE``/``UCASE``) and no ``LIMIT``/``OFFSET`` after it, where every key column holds terms of one
kind; anything else (an expression, a date, numbers mixed with strings, LCASE of a tagged string)
is left to the engine, which runs the original text again.

Imports only the standard library and pyoxigraph: the query worker process uses it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cmp_to_key

import pyoxigraph as ox

_VAR = r"(?:(?:LCASE|UCASE)\s*\(\s*[?$]\w+\s*\)|[?$]\w+)"
_KEY = rf"(?:(?:ASC|DESC)\s*\(\s*{_VAR}\s*\)|{_VAR})"
_FINAL = re.compile(rf"\bORDER\s+BY((?:\s+{_KEY})+)\s*$", re.IGNORECASE)
_KEYS = re.compile(r"(ASC|DESC)?\s*\(?\s*(LCASE|UCASE)?\s*\(?\s*[?$](\w+)", re.IGNORECASE)

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "nonPositiveInteger", "negativeInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_NUMBER = _INTEGER | {XSD + "decimal", XSD + "double", XSD + "float"}


def final_order(text: str) -> tuple[str, list[tuple[str, bool, str]]] | None:
    """The query without its final ``ORDER BY``, and its keys as ``(variable, descending, case)``
    (case: ``""``, ``"LCASE"`` or ``"UCASE"``); None when there is no such clause or it is not only
    variables, each maybe in LCASE or UCASE.

    >>> final_order("SELECT ?s WHERE { ?s ?p ?o }\\nORDER BY DESC(?p) LCASE(?s)\\n")
    ('SELECT ?s WHERE { ?s ?p ?o }\\n', [('p', True, ''), ('s', False, 'LCASE')])
    >>> final_order("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3") is None
    True
    >>> final_order("SELECT ?s WHERE { ?s ?p ?o } ORDER BY STR(?s)") is None
    True
    """
    body = text.rstrip()
    m = _FINAL.search(body)
    if m is None:
        return None
    keys = [(name, (way or "").upper() == "DESC", case.upper()) for way, case, name in _KEYS.findall(m.group(1))]
    return body[: m.start()].rstrip() + "\n", keys


def _rank(column: list, case: str = "") -> list | None:
    """Sort keys for one column of pyoxigraph terms (through LCASE or UCASE), or None if they do
    not compare plainly."""
    kinds = set()
    out = []
    memo: dict = {}  # a column repeats its values (years, labels, flags): each is read once
    for t in column:
        ranked = memo.get(t)
        if ranked is None:
            ranked = memo[t] = _one(t, case)
        if ranked is False:
            return None
        kinds.add(ranked[0])
        out.append(ranked[1])
    kinds.discard("")
    return out if len(kinds) <= 1 else None


def _one(t, case: str) -> tuple[str, tuple] | bool:
    """(kind of literal or "", sort key) of one term, or False if it does not compare plainly."""
    if case:  # LCASE/UCASE of anything but a simple string is an error, which sorts as unbound
        if isinstance(t, ox.Literal) and t.language is not None:
            return False  # LCASE keeps the tag: left to the engine
        plain = isinstance(t, ox.Literal) and t.datatype.value == XSD + "string"
        t = ox.Literal(t.value.lower() if case == "LCASE" else t.value.upper()) if plain else None
    if t is None:
        return "", (0, 0)
    if isinstance(t, ox.NamedNode):
        return "", (2, t.value)
    if not isinstance(t, ox.Literal):
        return False  # blank nodes, triple terms
    if t.language is not None:  # by text, then tag: as Oxigraph orders them (tests/test_query_order.py)
        return "langString", (3, t.value, t.language)
    datatype = t.datatype.value
    if datatype == XSD + "string":
        return "string", (3, t.value)
    if datatype in _NUMBER:
        try:
            value = int(t.value) if datatype in _INTEGER else Decimal(t.value)
        except (ValueError, InvalidOperation):
            return False  # an ill-typed number: the engine's rule applies
        if isinstance(value, Decimal) and not value.is_finite():
            return False  # NaN and infinities order their own way
        return "number", (3, value)
    if datatype == XSD + "boolean" and t.value in ("true", "false"):
        return "boolean", (3, t.value == "true")
    return False


def _tie(a: tuple, b: tuple) -> int:
    """Two rows in a fixed total order, reading only the values up to the first that differs."""
    for x, y in zip(a, b, strict=True):
        if x != y:
            return -1 if _total(x) < _total(y) else 1
    return 0


def _total(t) -> tuple:
    """Any term, in some fixed total order (for ties only)."""
    if t is None:
        return (0, "", "", "")
    if isinstance(t, ox.Literal):
        return (3, t.value, t.datatype.value, t.language or "")
    return (1 if isinstance(t, ox.BlankNode) else 2, getattr(t, "value", str(t)), "", "")


def sort_rows(names: list[str], rows: list[tuple], keys: list[tuple[str, bool, str]]) -> list[tuple] | None:
    """The rows (tuples of pyoxigraph terms or None, in ``names`` order) sorted by ``keys``, stably;
    None when a key is not a column or its values do not compare plainly (the engine must sort)."""
    index = {n: i for i, n in enumerate(names)}
    if any(key[0] not in index for key in keys):
        return None
    ranked = []
    for name, descending, case in keys:
        column = _rank([row[index[name]] for row in rows], case)
        if column is None:
            return None
        ranked.append((column, descending))
    order = list(range(len(rows)))
    for column, descending in reversed(ranked):  # least significant key first: stable passes
        order.sort(key=column.__getitem__, reverse=descending)
    # Ties (rows equal on every key) in a fixed order, whatever order the engine found them in:
    # the same store and query always print the same lines. Only the tied runs are compared
    # whole (reading every value of every row cost as much as the sort).
    out, i = [], 0
    while i < len(order):
        j = i + 1
        while j < len(order) and all(c[order[j]] == c[order[i]] for c, _ in ranked):
            j += 1
        run = order[i:j]
        if len(run) > 1:
            run.sort(key=cmp_to_key(lambda a, b: _tie(rows[a], rows[b])))
        out.extend(rows[r] for r in run)
        i = j
    return out


def select_sorted(store: ox.Store, text: str, **options) -> tuple[list[str], list[tuple]] | None:
    """Run a SELECT whose final ``ORDER BY`` is done here (see the module): its variable names and
    sorted rows of pyoxigraph terms.

    Returns:
        None when the text has no such clause, is not a SELECT, or its keys do not compare plainly:
        the caller runs the text as it is.
    """
    split = final_order(text)
    if split is None:
        return None
    unordered, keys = split
    answer = store.query(unordered, **options)
    if not isinstance(answer, ox.QuerySolutions):
        return None
    names = [v.value for v in answer.variables]
    ordered = sort_rows(names, [tuple(s) for s in answer], keys)
    return None if ordered is None else (names, ordered)
