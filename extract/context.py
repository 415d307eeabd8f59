"""What a passage's earlier sentences tell a later one about its systems.

Two readings that need more than one sentence, used by ``relations.passage_relations``:

* ``introduced_system``: the system a sentence introduces ("the force bought X", or X replaces
  something), which a later "the new system" means (``references.new_system_spans``);
* ``held_by_context``: "Case information ... is held within the X system" names no user; the unit
  the passage is about (named earlier in the sentence, else in the two sentences before) keeps its
  records there.
* ``migrated_from``: "data is ready to transfer to the new system" names no source; the data comes
  from the systems the new system replaces, as the passage said before ("X replaces 12 existing
  systems").
"""

from __future__ import annotations

import re

from policekg.extract.model import FEEDS, REPLACES, ROLE_GROUP, SYSTEM, UNIT, USED_BY, Mention, Relation
from policekg.extract.normalise import fold
from policekg.extract.references import introduces, new_system_spans
from policekg.extract.usage import held_in

Key = tuple[str, str]


def _inside(mentions: list[Mention], text: str, start: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start < m.end <= start + len(text)]


def introduced_system(sentence: str, start: int, mentions: list[Mention], relations: list[Relation]) -> Key | None:
    """The last system this sentence introduces: one it says is introduced, bought, adopted...,
    or the subject of a ``replaces`` relation read from it."""
    found = None
    for m in sorted(_inside(mentions, sentence, start), key=lambda m: m.start):
        if m.entity[0] == SYSTEM and introduces(fold(sentence[:m.start - start])):
            found = m.entity
    replacing = [r.subject for r in relations if r.predicate == REPLACES and r.end == start + len(sentence)]
    return replacing[-1] if replacing else found


def held_by_context(sentence: str, start: int, mentions: list[Mention],
                    history: list[tuple[str, int, list[Mention]]], found: list[Relation],
                    text: str | None, finding: int | None) -> list[Relation]:
    """Usage read from context: a system "records are held within" is used by the passage's unit.

    Needs the report text (the relation cites every sentence from the unit's to this one) and
    gives nothing when this sentence already names a unit, division or partner using the system.
    """
    if text is None:
        return []
    out = []
    for m in sorted(_inside(mentions, sentence, start), key=lambda m: m.start):
        used = any(r.subject == m.entity and r.predicate == USED_BY and r.object[0] != ROLE_GROUP
                   and r.end == start + len(sentence) for r in found)
        if m.entity[0] != SYSTEM or used or not held_in(fold(sentence[:m.start - start])):
            continue
        # The unit named earlier in this sentence ("The PPU shares referrals ..., and offenders are
        # managed through X"), else in the two sentences before.
        earlier = (sentence[:m.start - start], start, [x for x in mentions if x.end <= m.start])
        for prev_text, prev_start, prev_mentions in [earlier, *reversed(history)]:
            units = [x for x in _inside(prev_mentions, prev_text, prev_start) if x.entity[0] == UNIT]
            if units:
                unit = max(units, key=lambda x: x.start).entity
                out.append(Relation(m.entity, USED_BY, unit, text[prev_start:start + len(sentence)], prev_start,
                                    start + len(sentence), "pattern:held-in+context", finding))
                break
    return out


# Data moved into "the new system": "data is ready to transfer to the new system", "records will be
# migrated onto the new system".
_MIGRATE = re.compile(r"\b(?:data|records|information|details)\b[^.;]{0,60}?\b(?:transfer|migrat|load)\w*"
                      r"(?:\s+(?:across|over))?\s+(?:to|into|onto)\s*$", re.IGNORECASE)


def migrated_from(sentence: str, start: int, mentions: list[Mention], introduced: Key | None,
                  found: list[Relation], text: str | None, finding: int | None) -> list[Relation]:
    """Feeds read from context: data moved to "the new system" from no named source comes from the
    systems the new system replaces (the ``replaces`` relations already read in the passage).

    Needs the report text: the relation cites every sentence from the one stating the replacement
    to this one. Gives nothing when this sentence names a system before "the new system".
    """
    if text is None or introduced is None:
        return []
    folded = fold(sentence)
    out = []
    for a, _ in new_system_spans(folded):
        named = any(m.entity[0] == SYSTEM for m in _inside(mentions, sentence, start) if m.start < start + a)
        if named or not _MIGRATE.search(folded[:a]):
            continue
        for r in (r for r in found if r.subject == introduced and r.predicate == REPLACES and r.start < start):
            out.append(Relation(r.object, FEEDS, introduced, text[r.start:start + len(sentence)], r.start,
                                start + len(sentence), "pattern:transfer+context", finding))
        break
    return out
