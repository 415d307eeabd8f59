"""Described objects: what a relation's object is when the text counts it but names none.

"... NICHE RMS. This replaces 12 existing systems" names no replaced system. ``relations.py`` reads
such a counted plural as an object only when asked (``allow_described=True``), keyed by the verbatim
phrase. Here the caller turns those keys into entities: ``described_entities`` returns them as they
are, and ``name_described`` gives each a label that says what it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from policekg.extract.model import (
    FEEDS,
    INITIATIVE,
    INTEGRATED_WITH,
    INTERFACES_WITH,
    PART_OF,
    REPLACES,
    ROLE_GROUP,
    SYSTEM,
    UNIT,
    USED_BY,
    Entity,
    Relation,
)
from policekg.extract.usage import load_role_groups, role_group_spans

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


def _role_surfaces(key: Key, r: Relation) -> set[str]:
    """The words the sentence uses for the role group, its label included when it says that: the
    aliases are where the group's mentions are looked for (the graph keeps only the other ones)."""
    return {r.sentence[a:b] for a, b, label in role_group_spans(r.sentence) if label == key[1]}


# Ends kept with the words the text uses as their label: a role group (its label from
# ontology/role-groups.jsonl), the plural of units or the activity a system is used by ("divisional
# HR units", "BCU performance accountability process"), an unnamed technology that is a relation's
# subject ("text messaging") and the reporting layer a data flow goes to ("business objects
# universe"). Unlike "12 existing systems", these words name one thing in the force.
def _as_said(key: Key, r: Relation) -> Entity | None:
    """The entity for an end kept as said, or None for a described object (relabelled below)."""
    sentence = " ".join(r.sentence.split())
    if key[0] == ROLE_GROUP:
        note = next((g.note for g in load_role_groups() if g.label == key[1]), "")
        return Entity(ROLE_GROUP, key[1], aliases=_role_surfaces(key, r), scope="force", source="discovered",
                      note=f"role group ({note}): {sentence}")
    if key[0] in (UNIT, INITIATIVE) and r.predicate == USED_BY and key == r.object:
        return Entity(key[0], key[1], aliases={key[1]}, scope="force", source="discovered",
                      note=f"described, not named: {sentence}")
    if key[0] == SYSTEM and key == r.object and r.method == "pattern:taken-from":
        return Entity(SYSTEM, key[1], aliases={key[1]}, scope="force", source="discovered",
                      note=f"named only in words, as where a data flow goes: {sentence}")
    if key[0] == SYSTEM and key == r.subject:
        return Entity(SYSTEM, key[1], aliases={key[1]}, scope="force", source="discovered",
                      note=f"named only in words, as a relation's subject: {sentence}")
    return None


# How a described subject's label names its relation: "programme part of SOCRATES".
_DESCRIBING = {REPLACES: "replacing", FEEDS: "feeding", INTERFACES_WITH: "interfacing with",
               INTEGRATED_WITH: "integrated with", PART_OF: "part of"}
_INDEFINITE = re.compile(r"^(?:an?|a new|one)\s+", re.IGNORECASE)


def _name_subject(r: Relation, renamed: dict[tuple[Key, int], Key], new: dict[Key, Entity]) -> Key:
    """The key of a described subject ("a database" linked to X): labelled by its first relation in
    the sentence, so the sentence's other relations of that subject share the entity."""
    if (r.subject, r.start) not in renamed:
        noun = _INDEFINITE.sub("", r.subject[1])
        key = (r.subject[0], f"{noun} {_DESCRIBING.get(r.predicate, r.predicate)} {r.object[1]}")
        renamed[(r.subject, r.start)] = key
        new.setdefault(key, Entity(key[0], key[1], aliases={r.subject[1]}, scope="force", source="discovered",
                                   note=f"described, not named: {' '.join(r.sentence.split())}"))
    return renamed[(r.subject, r.start)]


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
    renamed: dict[tuple[Key, int], Key] = {}
    relabelled: dict[Key, Key] = {}  # a described object as said -> its entity, for a later relation from it
    for r in relations:
        if r.subject not in entities and r.subject in relabelled:
            r = replace(r, subject=relabelled[r.subject])  # "12 existing systems" feeds the new system
        subject = r.subject[1]  # how the object's label names the subject: "a database" as "database"
        if r.subject not in entities and _INDEFINITE.match(r.subject[1]):
            subject = _INDEFINITE.sub("", r.subject[1])
            r = replace(r, subject=_name_subject(r, renamed, new))
        for key in (r.subject, r.object):
            if key not in entities and key not in new and (said := _as_said(key, r)) is not None:
                new[key] = said
            elif key in new and key[0] == ROLE_GROUP:
                new[key].aliases |= _role_surfaces(key, r)
        if r.object in entities or r.object in new or (r.subject not in entities and r.subject not in new):
            out.append(r)
            continue
        phrase = r.object[1]
        key = (r.object[0], f"{phrase} {_DESCRIBED_BY.get(r.predicate, r.predicate)} {subject}")
        if key not in new:
            new[key] = Entity(key[0], key[1], aliases={phrase}, scope="force", source="discovered",
                              note=f"described, not named: {' '.join(r.sentence.split())}")
        relabelled[r.object] = key
        out.append(replace(r, object=key))
    return out, [new[k] for k in sorted(new)]
