"""Entity-to-entity relations read from sentences and from the overview tables.

The reader is a small cascade of regular expressions over the text *between* two entity mentions,
in the spirit of Hearst (1992) lexico-syntactic patterns: a relation needs both ends to be
mentions of the right types (``triggers.FAMILIES``) and the gap between them to be nothing but a
trigger phrase with a little grammatical glue around it. The glue is deliberately narrow (auxiliaries,
adverbs, determiners, "such as"), so an unrelated verb or noun phrase in the gap breaks the link.

Within one clause (text between semicolons) the mentions are read left to right, keeping:

* the current noun group, so "X and Y are integrated with Z" relates both X and Y;
* the last relation, so "X interfaces with Y and Z" relates X to Z too, and "X interfaces with Y
  and provides information to Z" gives X (the shared subject) feeds Z;
* a pronoun ("..., it automatically interfaces with Z") resolves to the nearest preceding mention
  of a type that can be the subject, in the same clause only (list items are often unrelated).

A mention inside an "of" phrase ("the structure of X includes ...") is no subject, and a mention
that only qualifies a role noun ("a call centre manager") is no relation end.

Besides mentions, a sentence's ends are its role groups ("call handlers", ``usage.py``: read in a
second pass, as users only), descriptive names of known systems ("command and control"), "the new
system" and, with ``allow_described``, systems named only in words ("text messaging is interfaced
with X", "a database linked to X"; ``references.py``).

``passage_relations`` adds steps across sentences: a sentence that opens with "This", "It" or
"The new system" takes as subject the last fitting mention of the previous sentence; "the new
system" elsewhere is the system the passage introduced, and data moved to it from nowhere named
comes from the systems it replaces; records "held within X" belong to the unit the passage is about
(``context.py``).

Described objects: "... KESTREL RMS. This replaces 12 existing systems" names no replaced system. With
``allow_described=True`` such a counted plural ("12 existing systems") becomes an object entity
``("System", "12 existing systems")`` labelled with the verbatim phrase; ``described.py``
(``described_entities``, ``name_described``, re-exported here) turns them into entities for the
graph ("12 existing systems replaced by KESTREL", the phrase kept as an alias). Without the flag
nothing is emitted, because the graph should not hold an edge to an entity that the text never
names or counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.extract.context import held_by_context, introduced_system, migrated_from
from policekg.extract.described import described_entities, name_described  # noqa: F401  (re-exported)
from policekg.extract.model import (
    CDRP,
    DIVISION,
    FEEDS,
    INITIATIVE,
    LIES_WITHIN,
    PART_OF,
    ROLE_GROUP,
    SYSTEM,
    UNIT,
    USED_BY,
    Entity,
    Mention,
    Relation,
    Report,
)
from policekg.extract.normalise import fold
from policekg.extract.references import (
    component_name,
    component_plural,
    described_subject,
    descriptor_spans,
    descriptors,
    flow_destination,
    new_system_spans,
    technology_conjunct,
    technology_subject,
)
from policekg.extract.triggers import (
    ANAPHOR,
    COORD,
    COORD_DESCRIBED,
    DESCRIBE,
    DESCRIBE_BARE,
    FAMILIES,
    OF_PHRASE,
    POSSESSION,
    POSSESSIVE,
    ROLE_NOUN,
    USE,
    USE_BARE,
    USE_OF,
    USE_OF_BY,
    Trigger,
    matching,
)
from policekg.extract.usage import described_activity, described_user, role_group_spans

Key = tuple[str, str]

# "information taken from X (... universe)": a feed whose destination only a parenthesis names.
TAKEN_FROM = Trigger("taken-from", "system", FEEDS, False)
# "the use of X by Y": Y uses X; the gap after X is only "by".
NOMINAL_USE = Trigger("use-of", "use", USED_BY, False)
# A usage trigger that places the system inside something ("used within"): its object may be an activity.
WITHIN = re.compile(r"\b(?:in|within|throughout)$", re.IGNORECASE)

@dataclass
class _Span:
    """A mention inside the sentence; an anaphor span carries several candidate antecedents."""

    start: int  # offsets in the sentence
    end: int
    keys: tuple[Key, ...]  # one key, or for an anaphor the candidates, nearest last
    anaphor: bool = False
    modifier: bool = False  # followed by a role noun: "call centre manager"
    vague: bool = False  # an anaphor that does not say it is a system: "This", "It"


def _predicate(trigger: Trigger, subject: str, obj: str) -> str | None:
    family = FAMILIES[trigger.family]
    if (subject, obj) not in family:
        return None
    return family[(subject, obj)] or trigger.predicate


def _pick(span: _Span, trigger: Trigger, role: int, other: str | None) -> Key | None:
    """The key of ``span`` that can play ``role`` (0 subject, 1 object) for ``trigger``."""
    for key in reversed(span.keys):
        pairs = FAMILIES[trigger.family]
        if any(pair[role] == key[0] and (other is None or pair[1 - role] == other) for pair in pairs):
            return key
    return None


class _Reader:
    """Reads the relations of one clause; collects (subject, predicate, object, method, anaphoric)."""

    def __init__(self) -> None:
        self.found: list[tuple[Key, str, Key, str, bool]] = []

    def emit(self, left: list[_Span], trigger: Trigger, right: list[_Span], pronoun: bool = False) -> None:
        for a in (x for x in left if not x.modifier):
            for b in (x for x in right if not x.modifier):
                subj_span, obj_span = (b, a) if trigger.inverse else (a, b)
                if trigger.family == "use" and subj_span.vague:
                    # "This gives officers ...": "this" is as often the previous sentence's toolkit or
                    # plan as its system; a user needs "This system" or a name.
                    continue
                obj = _pick(obj_span, trigger, 1, None)
                subj = _pick(subj_span, trigger, 0, obj[0] if obj else None)
                if subj is None or obj is None or subj == obj:
                    continue
                predicate = _predicate(trigger, subj[0], obj[0])
                if predicate:
                    cross = subj_span.anaphor or obj_span.anaphor  # antecedent in the sentence before
                    method = f"pattern:{trigger.name}" + ("+anaphora" if cross or pronoun else "")
                    self.found.append((subj, predicate, obj, method, cross))

    def first(self, left: list[_Span], triggers: list[Trigger], right: list[_Span],
              pronoun: bool = False) -> Trigger | None:
        """Emit with the first trigger whose family fits the ends; that trigger, or None."""
        before = len(self.found)
        for trigger in triggers:
            self.emit(left, trigger, right, pronoun)
            if len(self.found) > before:
                return trigger
        return None

    def clause(self, text: str, spans: list[_Span], allow_described: bool) -> None:
        """Read ``spans`` (sorted, in one clause of ``text``, already folded) left to right."""
        group: list[_Span] = spans[:1]
        active: tuple[list[_Span], Trigger] | None = None
        for i, span in enumerate(spans):
            prev = spans[i - 1] if i else None
            if prev is not None:
                gap = text[prev.end:span.start]
                direct = matching("bare" if prev.anaphor else "direct", gap)
                if direct and OF_PHRASE.search(text[:group[0].start]) and not gap.lstrip().startswith(","):
                    direct = ()
                if direct:
                    left = group
                    trigger = self.first(left, direct, [span])
                    if trigger is None and active and gap.lstrip().startswith(","):
                        # "X, piloted in Y, has been rolled out across Z": the verb after the
                        # parenthetical belongs to X when Y cannot be its subject.
                        left = active[0]
                        trigger = self.first(left, direct, [span])
                    active, group = (left, trigger or direct[0]), [span]
                elif POSSESSIVE.match(gap):
                    self.emit([prev], POSSESSION, [span])
                    active, group = None, [span]
                elif USE_OF_BY.match(gap) and USE_OF.search(text[:prev.start]):
                    # The nominal form: "the use of X by frontline officers".
                    self.emit([prev], NOMINAL_USE, [span])
                    active, group = ([prev], NOMINAL_USE), [span]
                elif COORD.match(gap):
                    if active:
                        self.emit(active[0], active[1], [span])
                    group = [*group, span]
                elif active and (conj := matching("conj", gap)):
                    trigger = self.first(active[0], conj, [span]) or conj[0]
                    active, group = (active[0], trigger), [span]
                elif pronoun := matching("pronoun", gap):
                    for trigger in pronoun:
                        role = 1 if trigger.inverse else 0
                        antecedent = next((s for s in reversed(spans[:i]) if _pick(s, trigger, role, None)), None)
                        if antecedent is not None and self.first([antecedent], [trigger], [span], pronoun=True):
                            active = ([antecedent], trigger)
                            break
                    group = [span]
                else:
                    active, group = None, [span]
            if allow_described:
                limit = spans[i + 1].start if i + 1 < len(spans) else len(text)
                self.described(text, span, limit)
                if active and active[1].family == "system" and not active[1].inverse and span in group:
                    self.coordinated(text[span.end:limit], active)

    def coordinated(self, after: str, active: tuple[list[_Span], Trigger]) -> None:
        """Emit the active relation to a plural of systems coordinated with its named object that
        names none: "a database linked to Lotus Notes and intelligence systems"."""
        if m := COORD_DESCRIBED.match(after):
            self.emit(active[0], active[1], [_Span(0, 0, ((SYSTEM, " ".join(m.group("desc").split())),))])

    def described(self, text: str, span: _Span, limit: int) -> None:
        """Emit ``span`` replaces/feeds/... a counted plural that names no system ("12 existing systems"),
        ``span`` is used by a plural of units that names none ("networked to all divisional HR units")
        or by an activity ("used within the BCU performance accountability process"), or ``span``
        feeds the reporting layer a parenthesis names ("information taken from X (... universe)")."""
        after = text[span.end:limit]
        if not span.anaphor and (target := flow_destination(text[:span.start], after)):
            self.emit([span], TAKEN_FROM, [_Span(0, 0, ((SYSTEM, target),))])
            return
        for rx in (USE_BARE if span.anaphor else USE):
            if not (u := rx.match(after)):
                continue
            if label := described_user(after[u.end():]):
                self.emit([span], Trigger.of(u), [_Span(0, 0, ((UNIT, label),))])
                return
            if WITHIN.search(u.group()) and (label := described_activity(after[u.end():])):
                self.emit([span], Trigger.of(u), [_Span(0, 0, ((INITIATIVE, label),))])
                return
        m = (DESCRIBE_BARE if span.anaphor else DESCRIBE).match(after)
        if m is None:
            return
        trigger = Trigger.of(m)
        if trigger.family != "system" or trigger.inverse:
            return
        label = re.sub(r"\s+", " ", m.group("desc"))
        self.emit([span], trigger, [_Span(0, 0, ((SYSTEM, label),))])


def _spans(text: str, start: int, mentions: list[Mention]) -> list[_Span]:
    """Mentions inside the sentence as sentence-relative spans, without overlaps (longest wins)."""
    inside = [m for m in mentions if start <= m.start < m.end <= start + len(text)]
    inside.sort(key=lambda m: (m.start, -(m.end - m.start)))
    spans: list[_Span] = []
    for m in inside:
        s, e = m.start - start, m.end - start
        if spans and s < spans[-1].end:
            continue
        # "KESTREL (command and control)" as two mentions of one entity is one span.
        if spans and spans[-1].keys == (m.entity,) and re.fullmatch(r"\s*[(,]?\s*", text[spans[-1].end:s]):
            opened = "(" in text[spans[-1].end:s]
            spans[-1].end = e + 1 if opened and text[e:e + 1] == ")" else e
            spans[-1].modifier = bool(ROLE_NOUN.match(text[spans[-1].end:]))
            continue
        # "local authority CCTV": a unit or partner right before a system's name only says whose it is.
        if spans and m.entity[0] == SYSTEM and spans[-1].keys[0][0] != SYSTEM and not spans[-1].anaphor \
                and text[spans[-1].end:s].isspace():
            s = spans.pop().start
        spans.append(_Span(s, e, (m.entity,), modifier=bool(ROLE_NOUN.match(text[e:]))))
    return spans


def _extra(text: str, start: int, mentions: list[Mention], described: dict[str, Key],
           introduced: Key | None = None) -> tuple[list[Mention], list[Mention]]:
    """Descriptive names of systems ("command and control", "the new system" when the passage has
    introduced one) and role groups in the sentence, where no mention already is."""
    taken = [(m.start - start, m.end - start) for m in mentions if start <= m.start < m.end <= start + len(text)]

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    named = descriptor_spans(text, described)
    if introduced is not None:
        named = sorted([*named, *((a, b, introduced) for a, b in new_system_spans(text))])
    desc = [Mention(key, text[a:b], start + a, start + b, "description") for a, b, key in named if free(a, b)]
    taken += [(m.start - start, m.end - start) for m in desc]
    roles = [Mention((ROLE_GROUP, label), text[a:b], start + a, start + b, "role-group")
             for a, b, label in role_group_spans(text) if free(a, b)]
    return desc, roles


def _read(text: str, start: int, mentions: list[Mention], antecedents: tuple[Key, ...],
          allow_described: bool, described: dict[str, Key] | None = None,
          introduced: Key | None = None) -> list[tuple[Key, str, Key, str, bool]]:
    """Relations of one sentence: mentions and descriptive names first, then role groups as users.

    Role groups are read in a second pass and kept only as the users of a system that the first
    pass gave no user: "the unit has officers trained in the use of X" relates X to the unit, and
    "officers" there must not cut the unit off from its verb.
    """
    parts: list[tuple[Key, str, Key, str, bool]] = []
    if allow_described:
        mentions, parts = _components(text, start, mentions)
    desc, roles = _extra(text, start, mentions, described or {}, introduced)
    first = parts + _pass(text, start, [*mentions, *desc], antecedents, allow_described)
    if roles:
        used = {f[0] for f in first if f[1] == USED_BY}
        first += [f for f in _pass(text, start, [*mentions, *desc, *roles], antecedents, allow_described)
                  if f[2][0] == ROLE_GROUP and f[0] not in used]
    seen: set[tuple[Key, str, Key]] = set()
    unique = []
    for found in first:
        if found[:3] not in seen:
            seen.add(found[:3])
            unique.append(found)
    return unique


def _components(text: str, start: int, mentions: list[Mention]) -> tuple[list[Mention], list]:
    """Mentions with "X.WEB" read as one system, and the part-of relations of components the text
    names by their system ("X.WEB", "X and its applications"); see ``references.py``."""
    out, parts = [], []
    for m in mentions:
        if m.entity[0] != SYSTEM or not start <= m.start < m.end <= start + len(text):
            out.append(m)
            continue
        after = text[m.end - start:]
        if part := component_name(after):
            name = f"{text[m.start - start:m.end - start]}.{part}"
            key = (SYSTEM, name)
            out.append(Mention(key, name, m.start, m.end + 1 + len(part), "pattern:component-name", m.finding))
            parts.append((key, PART_OF, m.entity, "pattern:component-name", False))
            continue
        if words := component_plural(after):
            parts.append(((SYSTEM, f"{words} of {m.entity[1]}"), PART_OF, m.entity, "pattern:component", False))
        out.append(m)
    return out, parts


def _technology(text: str, lo: int, first: _Span, limit: int) -> _Span | None:
    """An unnamed technology opening the clause at ``lo`` as the subject of a system relation with
    ``first`` ("text messaging is interfaced with STORM"), or coordinated with ``first`` as the
    subject of a system relation ``first`` has with the next span, at ``limit`` ("video links to
    the force helicopter and CCTV are integrated with X"); see ``references.technology_subject``."""
    before = text[lo:first.start]
    if (found := technology_conjunct(before)) and any(
            t.family == "system" and not t.inverse for t in matching("direct", text[first.end:limit])):
        a, b = found
        return _Span(lo + a, lo + b, ((SYSTEM, " ".join(before[a:b].split())),))
    for m in re.finditer(r"\s+", before):
        found = technology_subject(before[:m.end()])
        if found is None:
            continue
        a, b = found
        if any(t.family == "system" and not t.inverse for t in matching("bare", before[b:])):
            return _Span(lo + a, lo + b, ((SYSTEM, " ".join(before[a:b].split())),))
    return None


def _with_described_subjects(text: str, lo: int, clause: list[_Span]) -> list[_Span]:
    """The clause's spans with subjects the text describes rather than names inserted before the
    span they relate to: an opening technology ("text messaging is interfaced with X") or an
    indefinite system noun phrase ("a database linked to X"); see ``references.py``."""
    out: list[_Span] = []
    for i, span in enumerate(clause):
        limit = clause[1].start if len(clause) > 1 else len(text)
        if i == 0 and (subject := _technology(text, lo, span, limit)):
            out.append(subject)
        elif not span.anaphor:
            begin = clause[i - 1].end if i else lo
            before = text[begin:span.start]
            for a, b in described_subject(before):
                fits = matching("direct", before[b:])
                if any(t.family in ("system", "contain") and not t.inverse for t in fits):
                    out.append(_Span(begin + a, begin + b, ((SYSTEM, " ".join(before[a:b].split())),)))
                    break
        out.append(span)
    return out


def _pass(text: str, start: int, mentions: list[Mention], antecedents: tuple[Key, ...],
          allow_described: bool) -> list[tuple[Key, str, Key, str, bool]]:
    folded = fold(text)
    spans = _spans(text, start, mentions)
    anaphor = ANAPHOR.match(folded) if antecedents else None
    if anaphor and not (spans and spans[0].start < anaphor.end()):
        keys = antecedents
        if "system" in anaphor.group().lower():
            keys = tuple(k for k in antecedents if k[0] == SYSTEM)
        if keys:
            vague = "system" not in anaphor.group().lower()
            spans.insert(0, _Span(0, anaphor.end(), keys, anaphor=True, vague=vague))
    reader = _Reader()
    # A semicolon or line break ends a clause: list items are not related to each other.
    bounds = [0, *(m.end() for m in re.finditer(r"[;\n]", folded)), len(folded) + 1]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        clause = [s for s in spans if lo <= s.start and s.end < hi]
        if clause and allow_described:
            clause = _with_described_subjects(folded, lo, clause)
        if clause:
            reader.clause(folded[:hi - 1], clause, allow_described)
    return reader.found


def sentence_relations(text: str, start: int, mentions: list[Mention], entities: dict[Key, Entity],
                       finding: int | None = None, *, allow_described: bool = False) -> list[Relation]:
    """Relations stated inside one sentence.

    Args:
        text: the sentence, ``report.text[start:start + len(text)]``.
        start: its offset in the report text.
        mentions: resolved entity mentions (report offsets); those outside the sentence are ignored.
        entities: the resolved entities by key; types are read from the mention keys, and the
            systems' aliases give their descriptive names ("command and control", see
            ``references.py``).
        finding: ordinal of the finding the sentence belongs to, passed through.
        allow_described: also relate a subject to a counted plural it replaces/feeds/... that names
            no system ("12 existing systems"); see the module docstring.

    Returns:
        One ``Relation`` per distinct (subject, predicate, object), with the sentence as provenance.
    """
    described = descriptors(entities)
    return [Relation(s, p, o, text, start, start + len(text), method, finding)
            for s, p, o, method, _ in _read(text, start, mentions, (), allow_described, described)]


def passage_relations(sentences: list[tuple[str, int, list[Mention]]], entities: dict[Key, Entity],
                      finding: int | None = None, *, text: str | None = None,
                      allow_described: bool = False,
                      described: dict[str, Key] | None = None) -> list[Relation]:
    """Relations in consecutive sentences, resolving a sentence-initial "This"/"It" across the break.

    Args:
        sentences: ``(sentence text, start offset, mentions)`` in reading order.
        entities: the resolved entities by key.
        finding: finding ordinal, passed through.
        text: the report text. A cross-sentence relation cites the span covering both sentences,
            sliced from ``text``; without it the span is rebuilt only when the sentences are
            adjacent or one character apart (a paragraph's sentences are separated by one space in
            normalised text), and otherwise the relation is dropped rather than misquoted.
        allow_described: as for ``sentence_relations``.
        described: ``descriptors(entities)``, when the caller reads many passages with the same
            entities (it costs a pass over every entity's aliases: once per report, not per passage).

    Returns:
        The relations of every sentence in order; a relation whose subject or object is a resolved
        sentence-initial anaphor cites both sentences and has a ``+anaphora`` method.
    """
    described = descriptors(entities) if described is None else described
    relations: list[Relation] = []
    previous: tuple[str, int, list[Mention]] | None = None
    history: list[tuple[str, int, list[Mention]]] = []
    introduced: Key | None = None  # the system the passage introduced: what "the new system" means
    for sentence, start, mentions in sentences:
        first = len(relations)  # this sentence's relations start here
        antecedents: tuple[Key, ...] = ()
        if previous is not None:
            prev_text, prev_start, prev_mentions = previous
            antecedents = tuple(k.entity for k in sorted(_inside(prev_mentions, prev_text, prev_start),
                                                          key=lambda m: m.start))
        for s, p, o, method, cross in _read(sentence, start, mentions, antecedents, allow_described,
                                            described, introduced):
            if not cross:
                relations.append(Relation(s, p, o, sentence, start, start + len(sentence), method, finding))
                continue
            assert previous is not None  # an anaphor span only exists when there are antecedents
            prev_text, prev_start, _ = previous
            span = _join(prev_text, prev_start, sentence, start, text)
            if span is not None:
                relations.append(Relation(s, p, o, span, prev_start, start + len(sentence), method, finding))
        # The context readers look only at this sentence's relations: passing the whole passage's
        # made a one-paragraph report of a few MB quadratic. (A migration looks back through the
        # passage for what the new system replaces, and only where one is said.)
        relations += held_by_context(sentence, start, mentions, history[-2:], relations[first:], text, finding)
        relations += migrated_from(sentence, start, mentions, introduced, relations, text, finding)
        previous = (sentence, start, mentions)
        history.append(previous)
        introduced = introduced_system(sentence, start, mentions, relations[first:]) or introduced
    return relations


def _inside(mentions: list[Mention], text: str, start: int) -> list[Mention]:
    return [m for m in mentions if start <= m.start < m.end <= start + len(text)]


def _join(first: str, first_start: int, second: str, second_start: int, text: str | None) -> str | None:
    """The verbatim text from the start of ``first`` to the end of ``second``, or None if unknown."""
    if text is not None:
        return text[first_start:second_start + len(second)]
    gap = second_start - (first_start + len(first))
    if gap == 0:
        return first + second
    if gap == 1:
        return first + " " + second
    return None


def _names(entities: dict[Key, Entity], kind: str) -> dict[str, Key]:
    """Case-folded label and aliases -> entity key, for entities of one type."""
    names: dict[str, Key] = {}
    for key, entity in entities.items():
        if entity.type == kind:
            for name in (entity.label, *sorted(entity.aliases)):
                names.setdefault(name.casefold(), key)
    return names


def structural_relations(report: Report, entities: dict[Key, Entity]) -> list[Relation]:
    """CDRP liesWithin Division from the overview tables (``report.cdrps``).

    The CDRP entity is the one whose label or alias equals ``CDRPInfo.name``; the division is
    matched with and without a trailing "Division" (or "BCU"). Rows whose ends are not both
    entities give nothing.

    Returns:
        One relation per table row, citing the row text, method ``"table"``.
    """
    cdrps, divisions = _names(entities, CDRP), _names(entities, DIVISION)
    relations = []
    for row in report.cdrps:
        if not row.division:
            continue
        subject = cdrps.get(row.name.strip().casefold())
        base = re.sub(r"\s+(?:division|bcu)$", "", row.division.strip(), flags=re.IGNORECASE)
        obj = next((divisions[n.casefold()] for n in (row.division.strip(), base, f"{base} Division",
                                                      f"{base} BCU") if n.casefold() in divisions), None)
        if subject and obj:
            relations.append(Relation(subject, LIES_WITHIN, obj, report.text[row.start:row.end],
                                      row.start, row.end, "table"))
    return relations
