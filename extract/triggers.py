"""The trigger table of the relation reader: which phrases relate which types, and the glue around them.

Each trigger is ``(name, family, predicate, inverse, pattern)``; a family says which (subject type,
object type) pairs it may join (``FAMILIES``), ``inverse`` that the right-hand mention is the
subject. A gap between two mentions is read in one of four *shapes* (``matching``): after a name,
after an anaphor, after "it"/"which", after "and". One gap may fit several triggers ("provides
information to" is a feed between systems and a usage towards a unit); the reader keeps the first
whose family fits the ends' types. The reader itself is ``relations.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
)

# Which (subject type, object type) pairs each family of triggers may join, and the predicate.
FAMILIES: dict[str, dict[tuple[str, str], str | None]] = {
    "system": {(SYSTEM, SYSTEM): None},  # predicate comes from the trigger
    "place": {(INITIATIVE, DIVISION): None, (INITIATIVE, CDRP): None},
    "contain": {(UNIT, DIVISION): PART_OF, (UNIT, UNIT): PART_OF, (CDRP, DIVISION): LIES_WITHIN,
                (SYSTEM, SYSTEM): PART_OF},
    # Usage: a system is used by a unit, division, partner, role group or activity (usage.py).
    "use": {(SYSTEM, UNIT): USED_BY, (SYSTEM, DIVISION): USED_BY, (SYSTEM, PARTNER): USED_BY,
            (SYSTEM, ROLE_GROUP): USED_BY, (SYSTEM, INITIATIVE): USED_BY},
}


def _w(pattern: str) -> str:
    """Let a space in a trigger pattern match any run of whitespace (a line break included)."""
    return pattern.replace(" ", r"\s+")


_ADV = ("(?:automatically|directly|electronically|fully|closely|seamlessly|also|now|already|"
        "successfully|increasingly|currently)")
_WHEN = (r"(?:to date|so far|successfully|widely|extensively|initially|first|already|now|recently|"
         r"jointly|locally|also|since \d{4}|in \d{4}|last year|this year)")
TRIGGERS: tuple[tuple[str, str, str | None, bool, str], ...] = (
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
     # "NICHE will automatically notify schools": whoever a system notifies or alerts depends on it.
     r"|(?:notif(?:y|ies|ied|ying)|alert(?:s|ed|ing)?)"
     r"|(?:to )?(?:provide|provides|provided|providing|give|gives|gave|giving|offers?)"
     r"(?: (?:[\w-]+ ){0,3}?(?:access )?(?:to|for))?"
     # "an i2 workstation for analysts": bare "for" only reaches a unit, partner or role group.
     r"|for"),
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
    # Place first: "the Riverside BCU piloted Operation Kingfisher".
    ("piloted", "place", PILOTED_IN, True, r"(?:has |have |had )?(?:piloted|pilotted|trialled|trialed)"),
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
_HEAD = (r"(?:systems?|databases?|applications?|software|platforms?|packages?|tools?|portals?|suites?"
         r"|terminals?|workstations?|rms|processe?s?|schemes?"
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

_TRIG = "|".join(f"(?P<t{i}>{_w(p)})" for i, (*_, p) in enumerate(TRIGGERS))
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
_EACH = {shape: [re.compile(_shapes(_w(t[-1]))[shape], _FLAGS) for t in TRIGGERS] for shape in _ANY}
_DIRECT = _ANY["direct"]
COORD = re.compile(rf"^{_TAIL}\s*(?:,|,?\s+(?:and|or|as\s+well\s+as))(?:\s+{_DET})*\s*$", _FLAGS)
# A plural of systems coordinated with a relation's named object, naming none: "linked to X and
# intelligence systems". Not the subject of a new clause ("... and other systems are planned"): a
# plural verb after it says so, while a singular one ("... and intelligence systems is being rolled
# out") belongs to the relation's subject.
COORD_DESCRIBED = re.compile(
    rf"^{_TAIL}\s+(?:and|or|as\s+well\s+as)\s+(?:(?:other|various|several|its|their|the|local|national)\s+)*"
    r"(?P<desc>(?:[a-z][\w-]*\s+){0,2}?(?:systems|databases|applications))\b"
    r"(?!\s+(?:are|were|will|would|have|had|can|could|may|might|should|shall)\b)",
    _FLAGS,
)
# The nominal form of usage, "the (increased) use of X by Y": before X, and the gap between X and Y.
USE_OF = re.compile(r"\b(?:use|usage|take-up|uptake)\s+of(?:\s+(?:the|its|their))?\s*$", _FLAGS)
USE_OF_BY = re.compile(rf"^{_TAIL}\s+by(?:\s+(?:the|its|their|all|both|some|many|most|local))*\s*$", _FLAGS)
# A mention that only modifies a role noun is not a relation end: "a call centre manager".
ROLE_NOUN = re.compile(r"^\s+(?:managers?|heads?|leads?|staff|officers?|co-?ordinators?|chairs?|members?"
                   r"|analysts?|administrators?|representatives?|sergeants?|inspectors?|workers?|personnel)\b",
                   _FLAGS)
# "The structure of X includes Y": X is inside a prepositional phrase, not the subject.
OF_PHRASE = re.compile(rf"(?<!use )\bof(?:\s+{_DET})*\s*$", _FLAGS)  # "the use of X allows" keeps X
POSSESSIVE = re.compile(r"^(?:\s+(?:division|bcu|lpu|department))?'s\s+(?:own\s+)?$", _FLAGS)
DESCRIBE = re.compile(rf"^{_TAIL}{_PRE}(?:{_TRIG}){_DESCRIBED}", _FLAGS)
DESCRIBE_BARE = re.compile(rf"^{_PRE}(?:{_TRIG}){_DESCRIBED}", _FLAGS)
_USE_TRIG = [(i, _w(t[-1])) for i, t in enumerate(TRIGGERS) if t[1] == "use" and not t[3]]
USE = [re.compile(rf"^{_TAIL}{_PRE}(?P<t{i}>{t})", _FLAGS) for i, t in _USE_TRIG]
USE_BARE = [re.compile(rf"^{_PRE}(?P<t{i}>{t})", _FLAGS) for i, t in _USE_TRIG]
# Longest first: "This system" must not stop at "This".
ANAPHOR = re.compile(r"^(?-i:This new system|This system|The new (?:[\w-]+ ){0,2}system|The system|It|This)\b",
                     _FLAGS)


@dataclass(frozen=True)
class Trigger:
    name: str
    family: str
    predicate: str | None
    inverse: bool

    @classmethod
    def of(cls, m: re.Match[str]) -> Trigger:
        i = next(int(g[1:]) for g, v in m.groupdict().items() if v is not None and g[0] == "t")
        name, family, predicate, inverse, _ = TRIGGERS[i]
        return cls(name, family, predicate, inverse)


POSSESSION = Trigger("possessive", "contain", None, True)


def matching(shape: str, gap: str) -> tuple[Trigger, ...]:
    """Every trigger that ``gap`` fits in ``shape`` (see ``_shapes``), in table order. Cached: a
    report says "is linked to the" or ", and" between its names over and over (a long gap is read
    afresh, not kept)."""
    return _matching(shape, gap) if len(gap) <= 200 else _matching.__wrapped__(shape, gap)


@lru_cache(maxsize=8192)
def _matching(shape: str, gap: str) -> tuple[Trigger, ...]:
    if not _ANY[shape].match(gap):
        return ()
    return tuple(Trigger(*TRIGGERS[i][:4]) for i, rx in enumerate(_EACH[shape]) if rx.match(gap))
