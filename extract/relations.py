"""Entity-to-entity relations read from sentences and from the overview tables.

The reader is a small cascade of regular expressions over the text *between* two entity mentions,
in the spirit of Hearst (1992) lexico-syntactic patterns: a relation needs both ends to be
mentions of the right types (``_FAMILIES``) and the gap between them to be nothing but a trigger
phrase with a little grammatical glue around it. The glue is deliberately narrow (auxiliaries,
adverbs, determiners, "such as"), so an unrelated verb or noun phrase in the gap breaks the link.

Within one clause (text between semicolons) the mentions are read left to right, keeping:

* the current noun group, so "X and Y are integrated with Z" relates both X and Y;
* the last relation, so "X interfaces with Y and Z" relates X to Z too, and "X interfaces with Y
  and provides information to Z" gives X (the shared subject) feeds Z;
* a pronoun ("..., it automatically interfaces with Z") resolves to the nearest preceding mention
  of a type that can be the subject, in the same clause only (list items are often unrelated).

A mention inside an "of" phrase ("the structure of X includes ...") is no subject, and a mention
that only qualifies a role noun ("a call centre manager") is no relation end.

``passage_relations`` adds one step across sentences: a sentence that opens with "This", "It" or
"The new system" takes as subject the last fitting mention of the previous sentence.

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

from policekg.extract.described import described_entities, name_described  # noqa: F401  (re-exported)
from policekg.extract.model import (
    CDRP,
    DIVISION,
    FEEDS,
    INITIATIVE,
    INTEGRATED_WITH,
    INTERFACES_WITH,
    LIES_WITHIN,
    PART_OF,
    PARTNER,
    PILOTED_IN,
    REPLACES,
    ROLE_GROUP,
    SYSTEM,
    UNIT,
    USED_BY,
    USED_IN,
    Entity,
    Mention,
    Relation,
    Report,
)
from policekg.extract.normalise import fold
from policekg.extract.references import (
    described_subject,
    descriptor_spans,
    descriptors,
    introduces,
    new_system_spans,
    technology_subject,
)
from policekg.extract.usage import described_user, held_in, role_group_spans

Key = tuple[str, str]

# Which (subject type, object type) pairs each family of triggers may join, and the predicate.
_FAMILIES: dict[str, dict[tuple[str, str], str | None]] = {
    "system": {(SYSTEM, SYSTEM): None},  # predicate comes from the trigger
    "place": {(INITIATIVE, DIVISION): None, (INITIATIVE, CDRP): None},
    "contain": {(UNIT, DIVISION): PART_OF, (UNIT, UNIT): PART_OF, (CDRP, DIVISION): LIES_WITHIN,
                (SYSTEM, SYSTEM): PART_OF},
    # Usage: a system is used by a unit, division, partner or role group (usage.py).
    "use": {(SYSTEM, UNIT): USED_BY, (SYSTEM, DIVISION): USED_BY, (SYSTEM, PARTNER): USED_BY,
            (SYSTEM, ROLE_GROUP): USED_BY},
}


def _w(pattern: str) -> str:
    """Let a space in a trigger pattern match any run of whitespace (a line break included)."""
    return pattern.replace(" ", r"\s+")


_ADV = ("(?:automatically|directly|electronically|fully|closely|seamlessly|also|now|already|"
        "successfully|increasingly|currently)")
_WHEN = (r"(?:to date|so far|successfully|widely|extensively|initially|first|already|now|recently|"
         r"jointly|locally|also|since \d{4}|in \d{4}|last year|this year)")
_TRIGGERS: tuple[tuple[str, str, str | None, bool, str], ...] = (
    # (name, family, predicate, inverse, pattern); inverse: the right-hand mention is the subject.
    ("interfaces", "system", INTERFACES_WITH, False,
     rf"interfac(?:es|ed|ing|e) (?:{_ADV} )?(?:with|to|into)"
     r"|(?:has|have|provides?) (?:an? )?(?:\w+ )?interfaces? (?:with|to|into)"),
    ("integrated", "system", INTEGRATED_WITH, False, rf"integrat(?:ed|es|e|ing) (?:{_ADV} )?(?:with|into)"),
    ("linked", "system", INTEGRATED_WITH, False, rf"(?:link|network)(?:ed|s)? (?:{_ADV} )?(?:to|with|into)"),
    ("feeds", "system", FEEDS, True,
     r"(?:fed|populated) (?:by|from)|populated with (?:data|information) from"
     r"|(?:receives|draws|takes|pulls) (?:(?:information|data|intelligence|updates) )?from"),
    ("feeds", "system", FEEDS, False,
     rf"(?:feeds?|fed)(?: {_ADV})?(?: (?:data|information|intelligence))?(?: (?:into|in to|to))?"
     r"|(?:provides?|provided|providing|supplies|supply|supplied|passes|pass|passed|sends?|sent"
     r"|exports?|exported|transfers?|transferred|uploads?|uploaded|pushes|pushed)"
     rf"(?: {_ADV})? (?:(?:information|data|intelligence|details|records|updates) )?(?:{_ADV} )?"
     r"(?:to|into|on to|onto)"
     r"|used to populate|populat(?:es|e|ing)|used (?:in|within|by)"),
    ("replaces", "system", REPLACES, True, r"(?:replaced|superseded) (?:by|with)"),
    ("replaces", "system", REPLACES, False,
     r"replac(?:es|e|ing)|replaced(?!\s+(?:by|with))|(?:a |the )?replacement (?:for|of)"
     r"|supersed(?:es|e|ing)|superseded(?!\s+(?:by|with))"),
    # Usage, system first: "X is available to call handlers", "X enables analysts to ...".
    ("used-by", "use", USED_BY, False,
     r"(?:(?:both|all|each) )?(?:used|accessed|shared) (?:by|in|within|across|throughout)"
     r"|(?:made )?(?:available|accessible) (?:to|for)"
     r"|networked (?:to|with)|(?:issued|provided|given|supplied|rolled out|distributed) to"
     r"|enabl(?:es|ed|ing|e)|allow(?:s|ed|ing)?|lets|support(?:s|ed|ing)?"
     r"|(?:to )?(?:provide|provides|provided|providing|give|gives|gave|giving|offers?)"
     r"(?: (?:[\w-]+ ){0,3}?(?:access )?(?:to|for))?"),
    # Usage, user first: "the unit has officers trained in the use of X", "officers are equipped with X".
    ("uses", "use", USED_BY, True,
     r"(?:(?:has|have|had) (?:[\w-]+ ){0,2})?trained (?:in|on|to use)(?: the use of| using)?"
     r"|equipped with(?:,? and (?:[\w-]+ )?use,?)?"
     r"|(?:(?:regularly|routinely|widely|all) )?(?:us(?:es|e|ing)|make use of|makes use of|made use of)"
     r"|(?:has|have|had|with|gained|given) (?:(?:direct|full|online|remote) )?access (?:to|into)"
     r"|(?:is |are )?supported by|rel(?:y|ies|ied) (?:up)?on"),
    ("piloted", "place", PILOTED_IN, False,
     rf"(?:piloted|pilotted|piloting|trialled|trialed|trialling|tested|testing)(?: {_WHEN})*"
     r" (?:in|on|across|at|within|throughout)"),
    ("used", "place", USED_IN, False,
     r"(?:used|introduced|implemented|rolled out|adopted|launched|deployed|in use|operating|operational"
     rf"|established|extended|running|embedded|in place)(?: {_WHEN})*"
     r" (?:in|across|to|throughout|within|on|at)"),
    ("contains", "contain", None, True,
     r"(?:includes?|including|contains?|containing|comprises?|comprising|encompass(?:es)?|covers?|covering"
     r"|is made up of|consists of|houses)"),
    ("within", "contain", None, False,
     r"(?:(?:a|one) )?(?:part|parts|member|section|component) of|(?:forms?|forming) (?:a |one )?part of"
     r"|one of (?:the )?(?:[\w-]+ ){0,3}?(?:within|in|of|that make up|that form|forming|making up|across)"
     r"|(?:based|located|situated|housed|sited|sits?|lies?|lying|placed|co-located)"
     r" (?:in|within|at|inside|under)"
     r"|within|inside|in|under"),
)
_AUX = ("(?:is|are|was|were|be|been|being|has|have|had|will|would|can|could|may|should|shall|to|due|planned|"
        "expected|set|going|still|further|recently|initially|first|then|soon|" + _ADV[3:-1] + ")")
_HEAD = (r"(?:systems?|databases?|applications?|software|platforms?|packages?|tools?|portals?|suites?|terminals?"
         r"|rms|processe?s?|schemes?"
         r"|initiatives?|programmes?|projects?|pilots?|units?|teams?|departments?|divisions?|bcus?|lpus?|areas?"
         r"|cdrps?|partnerships?|hubs?|desks?|centres?|sections?|squads?)")
_TAIL = rf"(?:\s+{_HEAD})?(?:\s*\([^();]*\))?"  # the rest of a name the mention left out: " system (KESTREL)"
_PRE = rf"(?:\s*,)?(?:\s+(?:which|that))?(?:\s+{_AUX})*\s+"
_DET = (r"(?:the|its|their|a|an|both|all|each|every|other|another|new|existing|current|local|national"
        r"|(?:the\s+)?force's|this|these|those)")
_INTRO = r"(?:such as|including|like|namely|e\.?g\.?,?|i\.?e\.?,?|for example,?)"
_AREAS = (r"(?:(?:a number of|some|several|many|all|two|three|four|five|\d+|selected|certain|a few|most) )?"
          r"(?:areas|parts|districts|neighbourhoods|wards|sites|locations|places|towns)"
          r" (?:of|in|across|within)")
_POST = (rf"(?:\s+{_DET})*(?:(?:\s+[\w'-]+){{0,6}}?,?\s+{_w(_INTRO)}(?:\s+{_DET})*"
         rf"|\s+{_w(_AREAS)}(?:\s+{_DET})*)?\s*")
_COUNT = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|a number of)"
_DESCRIBED = (rf"(?:\s+{_DET})*\s+"
              rf"(?P<desc>{_w(_COUNT)}\s+(?:[\w-]+\s+){{0,2}}?(?:systems|databases|applications))\b")

_TRIG = "|".join(f"(?P<t{i}>{_w(p)})" for i, (*_, p) in enumerate(_TRIGGERS))
_FLAGS = re.IGNORECASE


def _shapes(trig: str) -> dict[str, str]:
    """The gaps a trigger may stand in: after a name, after an anaphor, after "it"/"which", after "and"."""
    return {
        "direct": rf"^{_TAIL}{_PRE}(?:{trig}){_POST}$",
        "bare": rf"^{_PRE}(?:{trig}){_POST}$",  # after an anaphor: no name tail
        "pronoun": rf"^[^;]*?(?:,|\s(?:and|but|so|where|when))\s+(?-i:it|which|this)(?:\s+{_AUX})*\s+"
                   rf"(?:{trig}){_POST}$",
        "conj": rf"^{_TAIL}\s*,?\s+and(?:\s+{_AUX})*\s+(?:{trig}){_POST}$",
    }


# One regex per shape over all triggers (a quick test), and one per trigger: a gap such as "provides
# information to" fits several triggers, and the types of its ends decide which one holds.
_ANY = {shape: re.compile(p, _FLAGS) for shape, p in _shapes(_TRIG).items()}
_EACH = {shape: [re.compile(_shapes(_w(t[-1]))[shape], _FLAGS) for t in _TRIGGERS] for shape in _ANY}
_DIRECT = _ANY["direct"]
_COORD = re.compile(rf"^{_TAIL}\s*(?:,|,?\s+(?:and|or|as\s+well\s+as))(?:\s+{_DET})*\s*$", _FLAGS)
# A mention that only modifies a role noun is not a relation end: "a call centre manager".
_ROLE = re.compile(r"^\s+(?:managers?|heads?|leads?|staff|officers?|co-?ordinators?|chairs?|members?"
                   r"|analysts?|administrators?|representatives?|sergeants?|inspectors?|workers?|personnel)\b",
                   _FLAGS)
# "The structure of X includes Y": X is inside a prepositional phrase, not the subject.
_OF = re.compile(rf"(?<!use )\bof(?:\s+{_DET})*\s*$", _FLAGS)  # "the use of X allows" keeps X
_POSSESSIVE = re.compile(r"^(?:\s+(?:division|bcu|lpu|department))?'s\s+(?:own\s+)?$", _FLAGS)
_DESCRIBE = re.compile(rf"^{_TAIL}{_PRE}(?:{_TRIG}){_DESCRIBED}", _FLAGS)
_DESCRIBE_BARE = re.compile(rf"^{_PRE}(?:{_TRIG}){_DESCRIBED}", _FLAGS)
_USE_TRIG = [(i, _w(t[-1])) for i, t in enumerate(_TRIGGERS) if t[1] == "use" and not t[3]]
_USE = [re.compile(rf"^{_TAIL}{_PRE}(?P<t{i}>{t})", _FLAGS) for i, t in _USE_TRIG]
_USE_BARE = [re.compile(rf"^{_PRE}(?P<t{i}>{t})", _FLAGS) for i, t in _USE_TRIG]
_ANAPHOR = re.compile(r"^(?-i:It|This|This new system|This system|The new system|The system"
                      r"|The new (?:[\w-]+ ){0,2}system)\b", _FLAGS)


@dataclass(frozen=True)
class _Trigger:
    name: str
    family: str
    predicate: str | None
    inverse: bool

    @classmethod
    def of(cls, m: re.Match[str]) -> _Trigger:
        i = next(int(g[1:]) for g, v in m.groupdict().items() if v is not None and g[0] == "t")
        name, family, predicate, inverse, _ = _TRIGGERS[i]
        return cls(name, family, predicate, inverse)


_POSSESSION = _Trigger("possessive", "contain", None, True)


def _triggers(shape: str, gap: str) -> list[_Trigger]:
    """Every trigger that ``gap`` fits in ``shape`` (see ``_shapes``), in table order."""
    if not _ANY[shape].match(gap):
        return []
    return [_Trigger(*_TRIGGERS[i][:4]) for i, rx in enumerate(_EACH[shape]) if rx.match(gap)]


@dataclass
class _Span:
    """A mention inside the sentence; an anaphor span carries several candidate antecedents."""

    start: int  # offsets in the sentence
    end: int
    keys: tuple[Key, ...]  # one key, or for an anaphor the candidates, nearest last
    anaphor: bool = False
    modifier: bool = False  # followed by a role noun: "call centre manager"


def _predicate(trigger: _Trigger, subject: str, obj: str) -> str | None:
    family = _FAMILIES[trigger.family]
    if (subject, obj) not in family:
        return None
    return family[(subject, obj)] or trigger.predicate


def _pick(span: _Span, trigger: _Trigger, role: int, other: str | None) -> Key | None:
    """The key of ``span`` that can play ``role`` (0 subject, 1 object) for ``trigger``."""
    for key in reversed(span.keys):
        pairs = _FAMILIES[trigger.family]
        if any(pair[role] == key[0] and (other is None or pair[1 - role] == other) for pair in pairs):
            return key
    return None


class _Reader:
    """Reads the relations of one clause; collects (subject, predicate, object, method, anaphoric)."""

    def __init__(self) -> None:
        self.found: list[tuple[Key, str, Key, str, bool]] = []

    def emit(self, left: list[_Span], trigger: _Trigger, right: list[_Span], pronoun: bool = False) -> None:
        for a in (x for x in left if not x.modifier):
            for b in (x for x in right if not x.modifier):
                subj_span, obj_span = (b, a) if trigger.inverse else (a, b)
                obj = _pick(obj_span, trigger, 1, None)
                subj = _pick(subj_span, trigger, 0, obj[0] if obj else None)
                if subj is None or obj is None or subj == obj:
                    continue
                predicate = _predicate(trigger, subj[0], obj[0])
                if predicate:
                    cross = subj_span.anaphor or obj_span.anaphor  # antecedent in the sentence before
                    method = f"pattern:{trigger.name}" + ("+anaphora" if cross or pronoun else "")
                    self.found.append((subj, predicate, obj, method, cross))

    def first(self, left: list[_Span], triggers: list[_Trigger], right: list[_Span],
              pronoun: bool = False) -> _Trigger | None:
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
        active: tuple[list[_Span], _Trigger] | None = None
        for i, span in enumerate(spans):
            prev = spans[i - 1] if i else None
            if prev is not None:
                gap = text[prev.end:span.start]
                direct = _triggers("bare" if prev.anaphor else "direct", gap)
                if direct and _OF.search(text[:group[0].start]) and not gap.lstrip().startswith(","):
                    direct = []
                if direct:
                    left = group
                    trigger = self.first(left, direct, [span])
                    if trigger is None and active and gap.lstrip().startswith(","):
                        # "X, piloted in Y, has been rolled out across Z": the verb after the
                        # parenthetical belongs to X when Y cannot be its subject.
                        left = active[0]
                        trigger = self.first(left, direct, [span])
                    active, group = (left, trigger or direct[0]), [span]
                elif _POSSESSIVE.match(gap):
                    self.emit([prev], _POSSESSION, [span])
                    active, group = None, [span]
                elif _COORD.match(gap):
                    if active:
                        self.emit(active[0], active[1], [span])
                    group = [*group, span]
                elif active and (conj := _triggers("conj", gap)):
                    trigger = self.first(active[0], conj, [span]) or conj[0]
                    active, group = (active[0], trigger), [span]
                elif pronoun := _triggers("pronoun", gap):
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
                self.described(text, span, spans[i + 1].start if i + 1 < len(spans) else len(text))

    def described(self, text: str, span: _Span, limit: int) -> None:
        """Emit ``span`` replaces/feeds/... a counted plural that names no system ("12 existing systems"),
        or ``span`` is used by a plural of units that names none ("networked to all divisional HR units")."""
        after = text[span.end:limit]
        for rx in (_USE_BARE if span.anaphor else _USE):
            if (u := rx.match(after)) and (label := described_user(after[u.end():])):
                trigger = _Trigger.of(u)
                self.emit([span], trigger, [_Span(0, 0, ((UNIT, label),))])
                return
        m = (_DESCRIBE_BARE if span.anaphor else _DESCRIBE).match(after)
        if m is None:
            return
        trigger = _Trigger.of(m)
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
            spans[-1].modifier = bool(_ROLE.match(text[spans[-1].end:]))
            continue
        spans.append(_Span(s, e, (m.entity,), modifier=bool(_ROLE.match(text[e:]))))
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
    desc, roles = _extra(text, start, mentions, described or {}, introduced)
    first = _pass(text, start, [*mentions, *desc], antecedents, allow_described)
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


def _technology(text: str, lo: int, first: _Span) -> _Span | None:
    """An unnamed technology opening the clause at ``lo`` as the subject of a system relation with
    ``first`` ("text messaging is interfaced with STORM"); see ``references.technology_subject``."""
    before = text[lo:first.start]
    for m in re.finditer(r"\s+", before):
        found = technology_subject(before[:m.end()])
        if found is None:
            continue
        a, b = found
        if any(t.family == "system" and not t.inverse for t in _triggers("bare", before[b:])):
            return _Span(lo + a, lo + b, ((SYSTEM, " ".join(before[a:b].split())),))
    return None


def _with_described_subjects(text: str, lo: int, clause: list[_Span]) -> list[_Span]:
    """The clause's spans with subjects the text describes rather than names inserted before the
    span they relate to: an opening technology ("text messaging is interfaced with X") or an
    indefinite system noun phrase ("a database linked to X"); see ``references.py``."""
    out: list[_Span] = []
    for i, span in enumerate(clause):
        if i == 0 and (subject := _technology(text, lo, span)):
            out.append(subject)
        elif not span.anaphor:
            begin = clause[i - 1].end if i else lo
            before = text[begin:span.start]
            for a, b in described_subject(before):
                fits = _triggers("direct", before[b:])
                if any(t.family in ("system", "contain") and not t.inverse for t in fits):
                    out.append(_Span(begin + a, begin + b, ((SYSTEM, " ".join(before[a:b].split())),)))
                    break
        out.append(span)
    return out


def _pass(text: str, start: int, mentions: list[Mention], antecedents: tuple[Key, ...],
          allow_described: bool) -> list[tuple[Key, str, Key, str, bool]]:
    folded = fold(text)
    spans = _spans(text, start, mentions)
    anaphor = _ANAPHOR.match(folded) if antecedents else None
    if anaphor and not (spans and spans[0].start < anaphor.end()):
        keys = antecedents
        if "system" in anaphor.group().lower():
            keys = tuple(k for k in antecedents if k[0] == SYSTEM)
        if keys:
            spans.insert(0, _Span(0, anaphor.end(), keys, anaphor=True))
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
                      allow_described: bool = False) -> list[Relation]:
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

    Returns:
        The relations of every sentence in order; a relation whose subject or object is a resolved
        sentence-initial anaphor cites both sentences and has a ``+anaphora`` method.
    """
    described = descriptors(entities)
    relations: list[Relation] = []
    previous: tuple[str, int, list[Mention]] | None = None
    history: list[tuple[str, int, list[Mention]]] = []
    introduced: Key | None = None  # the system the passage introduced: what "the new system" means
    for sentence, start, mentions in sentences:
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
        relations += _held_by_context(sentence, start, mentions, history[-2:], relations, text, finding)
        previous = (sentence, start, mentions)
        history.append(previous)
        introduced = _introduced(sentence, start, mentions, relations) or introduced
    return relations


def _introduced(sentence: str, start: int, mentions: list[Mention], relations: list[Relation]) -> Key | None:
    """The last system this sentence introduces: one it says is introduced, bought, adopted...,
    or the subject of a ``replaces`` relation read from it."""
    found = None
    for m in sorted(_inside(mentions, sentence, start), key=lambda m: m.start):
        if m.entity[0] == SYSTEM and introduces(fold(sentence[:m.start - start])):
            found = m.entity
    replacing = [r.subject for r in relations if r.predicate == REPLACES and r.end == start + len(sentence)]
    return replacing[-1] if replacing else found


def _held_by_context(sentence: str, start: int, mentions: list[Mention],
                     history: list[tuple[str, int, list[Mention]]], found: list[Relation],
                     text: str | None, finding: int | None) -> list[Relation]:
    """"Case information ... is held within the X system" names no user: the unit the passage is
    about (the last unit named in the two sentences before) keeps its records there.

    Needs the report text (the relation cites every sentence from the unit's to this one) and
    gives nothing when this sentence already names a unit, division or partner using the system.
    """
    if text is None or not history:
        return []
    out = []
    for m in sorted(_inside(mentions, sentence, start), key=lambda m: m.start):
        used = any(r.subject == m.entity and r.predicate == USED_BY and r.object[0] != ROLE_GROUP
                   and r.end == start + len(sentence) for r in found)
        if m.entity[0] != SYSTEM or used or not held_in(fold(sentence[:m.start - start])):
            continue
        for prev_text, prev_start, prev_mentions in reversed(history):
            units = [x for x in _inside(prev_mentions, prev_text, prev_start) if x.entity[0] == UNIT]
            if units:
                unit = max(units, key=lambda x: x.start).entity
                out.append(Relation(m.entity, USED_BY, unit, text[prev_start:start + len(sentence)], prev_start,
                                    start + len(sentence), "pattern:held-in+context", finding))
                break
    return out


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
