"""Described objects: what a relation's object is when the text counts it but names none.

"... NICHE RMS. This replaces 12 existing systems" names no replaced system. ``relations.py`` reads
such a counted plural as an object only when asked (``allow_described=True``), keyed by the verbatim
phrase. Here the caller turns those keys into entities: ``described_entities`` returns them as they
are, and ``name_described`` gives each a label that says what it is.
"""

from __future__ import annotations

from dataclasses import replace

from policekg.extract.model import FEEDS, INTEGRATED_WITH, INTERFACES_WITH, REPLACES, Entity, Relation

Key = tuple[str, str]


def described_entities(relations: list[Relation], entities: dict[Key, Entity]) -> list[Entity]:
    """Entities for relation ends that ``entities`` lacks: the described objects of ``allow_described``."""
    new: dict[Key, Entity] = {}
    for r in relations:
        for key in (r.subject, r.object):
            if key not in entities and key not in new:
                new[key] = Entity(key[0], key[1], note=f"described, not named: {r.sentence.strip()}")
    return list(new.values())


# How a described object's label names its relation: "12 existing systems replaced by KESTREL".
_DESCRIBED_BY = {REPLACES: "replaced by", FEEDS: "fed by", INTERFACES_WITH: "interfaced with",
                 INTEGRATED_WITH: "integrated with"}


def name_described(relations: list[Relation], entities: dict[Key, Entity]) -> tuple[list[Relation], list[Entity]]:
    """Give each described object (``allow_described``) a label that says what it is, and an entity.

    "12 existing systems" alone is no name: a second report, or a second system that replaces "two
    existing systems", would give unrelated things one label. The label therefore keeps the verbatim
    phrase and adds the relation and its subject: ``"12 existing systems replaced by KESTREL"``. The
    verbatim phrase is the entity's alias; the entity is force-scoped and its note quotes the sentence.

    Args:
        relations: relations from ``sentence_relations`` / ``passage_relations``.
        entities: the resolved entities; a relation end missing from them is a described object.

    Returns:
        The relations with described objects relabelled, and the new entities (sorted by key).
    """
    new: dict[Key, Entity] = {}
    out = []
    for r in relations:
        if r.object in entities or r.subject not in entities:
            out.append(r)
            continue
        phrase = r.object[1]
        key = (r.object[0], f"{phrase} {_DESCRIBED_BY.get(r.predicate, r.predicate)} {r.subject[1]}")
        if key not in new:
            new[key] = Entity(key[0], key[1], aliases={phrase}, scope="force", source="discovered",
                              note=f"described, not named: {' '.join(r.sentence.split())}")
        out.append(replace(r, object=key))
    return out, [new[k] for k in sorted(new)]
