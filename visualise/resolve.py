"""Find a node of the typed network by a name a user types: an IRI, a label or an alias.

A small local resolver for ``--focus``; the query layer may offer a richer one over the store.
"""

from __future__ import annotations

import networkx as nx

from policekg.errors import UnknownEntity
from policekg.extract.model import ENTITY_TYPES
from policekg.extract.normalise import fold


def _key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def find_node(g: nx.MultiDiGraph, name: str) -> str:
    """The node whose IRI, label or alias is ``name`` (case, quotes and spacing ignored).

    Exact matches win over partial ones, and entities over frameworks, reports and findings;
    a partial match (``name`` inside a label) must be unique.

    Raises:
        UnknownEntity: nothing matches, or a partial match is ambiguous (the message lists some).
    """
    if name in g:
        return name
    want = _key(name)
    if not want:
        raise UnknownEntity("give a name to look for")

    def rank(n: str) -> tuple:
        return (g.nodes[n]["type"] not in ENTITY_TYPES, g.nodes[n]["label"].lower(), n)

    exact, partial = [], []
    for n, a in g.nodes(data=True):
        names = [_key(x) for x in (a["label"], *a.get("aliases", ()))]
        if want in names:
            exact.append(n)
        elif a["type"] != "Finding" and any(want in x for x in names):
            partial.append(n)
    if exact:
        return min(exact, key=rank)
    if len(partial) == 1:
        return partial[0]
    if partial:
        some = ", ".join(sorted(g.nodes[n]["label"] for n in partial)[:8])
        raise UnknownEntity(f"{name!r} matches several nodes: {some}; give the full name or IRI")
    raise UnknownEntity(f"no entity, framework or report is called {name!r}")
