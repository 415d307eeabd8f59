"""What replacing a system affects: the ``affected`` section of ``policekg trace``.

A user asking "if we replace STORM, what is affected?" wants, besides the findings, the systems and
people that depend on it. ``trace-affected.rq`` returns the edges; this module walks them breadth
first from the traced entity, so each affected entity comes with the shortest path to it:

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

from policekg.graph.iris import national_or_of
from policekg.queries.library import load
from policekg.queries.run import Values, run

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
        force: the IRI of a force (``trace --force``): only national entities and that force's own
            are affected, and the sentences come from its reports only.
        in_year: a calendar or assessment year: the sentences come from its reports only.

    Returns:
        Entries sorted by path length, kind (systems first) and label; and the queries run.

    Raises:
        QueryError: a query failed to run.
    """
    entity = URIRef(entity_iri)
    bindings: dict | Values = {"entity": entity}
    sparql = []
    if force or in_year:
        scope = {**({"force": URIRef(force)} if force else {}), **({"in_year": Literal(in_year)} if in_year else {})}
        scoped = run(dataset, load("scoped-reports").text, scope)
        sparql.append(scoped.sparql)
        # One row per report; with none, the entity stands in for a report: it states no sentence.
        reports = [r["report"] for r in scoped.dicts()] or [entity]
        bindings = Values(("entity", "report"), tuple((entity, r) for r in reports))
    # The rows are put in the query's order here: the engine sorting them by their decoded strings
    # took half the query's time (1,200 edges of a national system).
    text = load("trace-affected").text
    result = run(dataset, text[:text.rindex("\nORDER BY")] + "\n", bindings)
    rows = sorted(result.dicts(), key=lambda r: tuple(_str(r[k]) or "" for k in ORDER))
    if force:
        # Replacing a system in one force affects that force's units and systems and national
        # ones, not another force's own (each force has its own PPU and local systems).
        rows = [r for r in rows if national_or_of(r["from"], force) and national_or_of(r["to"], force)]
    sparql.insert(0, result.sparql)
    nodes = sorted({str(r["to"]) for r in rows})
    names: dict[str, tuple[str, str]] = {}
    if nodes:
        named = run(dataset, load("entity-names").text, Values(("entity",), tuple((URIRef(n),) for n in nodes)))
        names = {str(r["entity"]): (str(r["label"]), str(r["type"])) for r in named.dicts()}
        sparql.append(named.sparql)
    edges: dict[str, dict[tuple[str, str, bool], tuple[str | None, str | None]]] = {}
    for r in rows:
        key = (str(r["to"]), str(r["relation"]), str(r["inverse"]).lower() == "true")
        out = edges.setdefault(str(r["from"]), {})
        if out.get(key, (None, None))[0] is None:  # keep the first stated sentence
            out[key] = (_str(r["sentence"]), _str(r["report"]))
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
    items = sorted(found.values(), key=lambda a: (len(a.via), a.kind != "system", a.label.casefold(), a.via))
    return items, sparql


def _str(term) -> str | None:
    return None if term is None else str(term)
