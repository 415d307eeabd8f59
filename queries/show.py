"""The entity card behind ``policekg show``: what an entity is, where it is described, what it relates to
and which findings cite it. Built from the named queries entity.rq, entity-relations.rq,
entity-citations.rq and entity-mentions.rq.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rdflib import Dataset, URIRef

from policekg.queries.library import load
from policekg.queries.lookup import EntityRef, resolve
from policekg.queries.run import run

SNIPPET = 80  # characters of context either side of the first mention


@dataclass
class Card:
    """An entity card. ``first_mention`` is None for an entity no finding mentions."""

    entity: EntityRef
    scope: str | None = None
    source: str | None = None  # gazetteer | glossary | structure | discovered
    note: str | None = None
    description: str | None = None
    population: int | None = None
    households: int | None = None
    unit_of: str | None = None
    first_mention: dict | None = None  # report, year, surface, method, snippet
    relations: list[dict] = field(default_factory=list)  # direction, relation, other, label, sentence
    citations: list[dict] = field(default_factory=list)  # report, year, kind, findings

    def as_json(self) -> dict:
        return asdict(self)


def _v(term) -> str | None:
    return None if term is None else str(term)


def card(dataset: Dataset, name: str) -> Card:
    """The card of the entity a name resolves to (see ``policekg.queries.lookup``).

    Raises:
        UnknownEntity: the name matches no entity, or several.
    """
    entity = resolve(dataset, name)
    bound = {"entity": URIRef(entity.iri)}
    info = run(dataset, load("entity").text, bound).dicts()[0]
    out = Card(
        entity=entity, scope=_v(info["scope"]), source=_v(info["source"]), note=_v(info["note"]),
        description=_v(info["description"]),
        population=int(info["population"]) if info["population"] is not None else None,
        households=int(info["households"]) if info["households"] is not None else None,
        unit_of=_v(info["unitOf"]),
    )
    # Only the first mention is shown: the engine stops there instead of handing over every
    # mention of a national system with its finding's text.
    mentions = run(dataset, load("entity-mentions").text.rstrip() + "\nLIMIT 1\n", bound).dicts()
    if mentions:
        m = mentions[0]
        text, at = str(m["text"]), int(m["start"]) - int(m["findingStart"])
        end = at + len(str(m["surface"]))
        lead = "..." if at > SNIPPET else ""
        tail = "..." if end + SNIPPET < len(text) else ""
        out.first_mention = {
            "report": str(m["report"]), "year": _v(m["year"]), "finding": str(m["finding"]),
            "surface": str(m["surface"]), "method": str(m["method"]),
            "snippet": lead + text[max(0, at - SNIPPET): end + SNIPPET] + tail,
        }
    seen = set()
    for r in run(dataset, load("entity-relations").text, bound).dicts():
        row = {"direction": str(r["direction"]), "relation": str(r["relation"]), "other": str(r["other"]),
               "label": _v(r["otherLabel"]) or str(r["other"]), "report": _v(r["report"]),
               "sentence": _v(r["sentence"])}
        key = tuple(row.values())
        if key not in seen:
            seen.add(key)
            out.relations.append(row)
    out.citations = [
        {"report": str(r["report"]), "year": _v(r["year"]), "kind": str(r["kind"]),
         "findings": int(r["findings"])}
        for r in run(dataset, load("entity-citations").text, bound).dicts()
    ]
    return out
