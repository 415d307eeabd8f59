"""What replacing a system affects: the ``affected`` section of ``policekg trace``.

A user asking "if we replace STORM, what is affected?" wants, besides the findings, the systems and
people that depend on it. ``trace-affected.rq`` returns the edges, read report by report (a chain
is what one report states, as in ``trace.rq``); this module walks them breadth first from the traced
entity, so each affected entity comes with the shortest path to it:

* **systems** that depend on the traced one by trace's rule (it feeds, interfaces with, is
  integrated with or replaces them, in chains), and systems linked to it the other way round (they
  feed, interface or integrate with it, or are part of it): replacing it breaks their link;
* **users**: the units, divisions, partners and role groups that use (``pol:usedBy``) the traced
  system or any of those systems, one entry per system they use.

Each entry keeps the sentence that states its last edge and the report it comes from.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field

from rdflib import Dataset, Literal, URIRef

from policekg.queries.library import load
from policekg.queries.light import Row, entity_names, select, unordered

USED_BY = "usedBy"
ORDER = ("from", "relation", "to", "report", "sentence")  # trace-affected.rq's ORDER BY


@dataclass
class Affected:
    """One entity affected by replacing the traced one.

    ``relation`` is the predicate of the last edge on ``via`` as the text states it; ``inverse``
    says the text states it the other way round ("text messaging is interfaced with STORM": STORM
    <- text messaging). ``kind`` is ``"system"`` or ``"user"``.
    """

    iri: str
    label: str
    type: str
    kind: str
    relation: str
    inverse: bool
    via: list[str] = field(default_factory=list)
    sentence: str | None = None
    report: str | None = None

    def as_json(self) -> dict:
        return asdict(self)


def affected(dataset: Dataset, entity_iri: str, entity_label: str, *, force: str | None = None,
             in_year: str | None = None) -> tuple[list[Affected], list[str]]:
    """The systems and users affected by replacing an entity, and the SPARQL that found them.

    Args:
        dataset: the store's dataset.
        entity_iri: the traced entity (already resolved).
        entity_label: its preferred label, the first step of every ``via``.
        force: the IRI of a force (``trace --force``): only what its reports state.
        in_year: a calendar or assessment year: only what its reports state.

    Returns:
        Entries sorted by path length, kind (systems first) and label; and the queries run.

    Raises:
        QueryError: a query failed to run.
    """
    sparql, rows, names = read_edges(dataset, entity_iri, force=force, in_year=in_year)
    return walk(entity_iri, entity_label, rows, names), sparql


def read_edges(dataset: Dataset, entity_iri: str, *, force: str | None = None, in_year: str | None = None
               ) -> tuple[list[str], list[Row], dict[str, tuple[str, str]]]:
    """``trace-affected.rq``'s rows for the entity, in the query's order, and every entity's label
    and type (``entity-names.rq``); first, the queries run. ``trace`` also rebuilds its ``via`` paths
    from these rows: the dependency edges are among them.
    """
    bindings: dict = {"entity": URIRef(entity_iri)}
    if force:
        bindings["force"] = URIRef(force)
    if in_year:
        bindings["in_year"] = Literal(in_year)
    # The rows are put in the query's order here: the engine sorting them by their decoded strings
    # took half the query's time (1,200 edges of a national system).
    ran, rows = select(dataset, unordered(load("trace-affected").text), bindings)
    rows.sort(key=lambda r: tuple(r[k] or "" for k in ORDER))
    named, names = entity_names(dataset, (r["to"] for r in rows))
    return [ran, *named], rows, names


def walk(entity_iri: str, entity_label: str, rows: list[Row], names: dict[str, tuple[str, str]]) -> list[Affected]:
    """The affected entries: ``rows`` (``read_edges``) walked breadth first from the entity."""
    edges: dict[str, dict[tuple[str, str, bool], tuple[str | None, str | None]]] = {}
    for r in rows:
        key = (r["to"], r["relation"], r["inverse"] == "true")
        out = edges.setdefault(r["from"], {})
        if out.get(key, (None, None))[0] is None:  # keep the first stated sentence
            out[key] = (r["sentence"], r["report"])
    via = {entity_iri: [entity_label]}
    found: dict[tuple[str, str], Affected] = {}
    queue = deque([entity_iri])
    while queue:  # breadth first, in a fixed order, so every path is a shortest one
        node = queue.popleft()
        for (target, relation, inverse), (sentence, report) in sorted(edges.get(node, {}).items(),
                                                                        key=lambda kv: (kv[0], kv[1][1] or "")):
            if target == entity_iri:
                continue
            label, type_ = names.get(target, (target, ""))
            if relation == USED_BY:
                # A user of several affected systems is listed once per system it uses.
                if (target, node) not in found:
                    found[(target, node)] = Affected(target, label, type_, "user", relation, inverse,
                                                     [*via[node], label], sentence, report)
            elif target not in via:
                via[target] = [*via[node], label]
                found[(target, "")] = Affected(target, label, type_, "system", relation, inverse,
                                               via[target], sentence, report)
                queue.append(target)
    return sorted(found.values(), key=lambda a: (len(a.via), a.kind != "system", a.label.casefold(), a.via))
