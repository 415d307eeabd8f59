"""Discovery of units, teams, departments, hubs and rooms of a force.

``find_units`` reads a noun phrase ending in a unit head noun (``HEADS``: unit, team, department,
hub, bureau, centre, squad, room, desk, directorate) as a Unit when these hold (the rule,
in order):

1. **Anchored.** A singular head follows a determiner or a possessive ("the control room", "its
   counter-fraud team", "the force's crime bureau") or opens a sentence ("Call centre staff");
   a plural head may also follow a preposition, a conjunction or punctuation, because plurals take
   no determiner ("officers in child abuse investigation teams", "between neighbourhood teams and").
2. **Plain modifiers.** One to six lower-case words or acronyms ("specialist fraud departments"),
   optionally with a defined acronym in parentheses ("integrated offender management (IOM) team").
   Leading vague words ("dedicated", "new", "specialist") are dropped from the label.
3. **Which unit.** At least one modifier says which unit ("the team", "the senior team", "the
   command team" do not); no modifier is a job title ("chief constable and senior team"); the
   phrase is not a kind of group of people ("organised crime groups"), nor a category of
   division (``is_category``: "basic command units").
4. **Not a description.** An indefinite phrase in apposition after a comma ("EMSOU, a regional
   crime unit") describes the name before it; it is not another unit.

``Marine Support Unit``, ``Force Resolution Centre``, ``Rural Crime Teams``: a capitalised run before a
capitalised head is a Unit too; a ``Group`` only when it is not a meeting (advisory, steering,
working, gold groups are meetings, not standing teams).
"""

from __future__ import annotations

import re

from policekg.extract.model import UNIT
from policekg.extract.phrases import (
    _FUNCTION,
    _STOP,
    _WORD,
    Found,
    cut_at_acronym,
    is_category,
    is_inspectorate,
    singular,
    strip_function_words,
    title_run_before,
)

# "command" is a unit head only when capitalised ("Counter Terrorism Command"): in lower case it is
# mostly "command and control" or a rank ("the command team").
HEADS = ("unit", "team", "department", "hub", "bureau", "centre", "squad", "room", "desk", "directorate")
# Leading modifiers that say nothing about which unit is meant ("a dedicated team").
VAGUE = frozenset(
    "force force's hq new existing full-time part-time large small own same whole relevant "
    "appropriate most similar dedicated designated current recent former separate various several single "
    "specialist non-specialist local proactive strong stronger effective main overall other wider entire "
    "first second third further another additional two three four five six seven eight nine ten "
    "eleven twelve many different national well-established well-resourced".split()
)
# A unit whose only modifiers are these is a role of people, not an organisational unit.
VAGUE_ONLY = frozenset(
    "command executive leadership management senior top working project theme core chief officer "
    "officers central strategic headquarters review".split()
)
# Job titles: a phrase holding one names people ("the chief constable and senior team").
JOB_WORDS = frozenset(
    "constable constables inspector inspectors superintendent superintendents sergeant sergeants "
    "commissioner commander commanders director directors head heads manager managers".split()
)
# Unit-like phrases that name a kind of group, not a police unit (compared in the singular).
NOT_UNITS = frozenset({
    "organised crime group", "crime group", "focus group", "peer group", "age group", "user group",
    "ethnic group", "minority group", "support group", "working group", "steering group",
})
# Capitalised words before "Group" that make it a meeting, not a standing team.
_MEETING = frozenset("Advisory Steering Working Strategic Reference Scrutiny Gold Silver Bronze Project "
                     "Focus User Support Tactical Oversight".split())
_DETERMINERS = frozenset("the a an its each every their our any this that".split())
# Words that end a plural unit phrase on the left ("meetings between | neighbourhood teams").
_LEFT_STOPS = frozenset(
    "between across within among amongst including through via like per about against after before during "
    "without around both either whether while assisting supporting using creating leading running helping "
    "joining providing developing establishing introducing improving forming reviewing advise advises "
    "advised created introduced established formed launched developed visited contacted merged combined "
    "restructured reorganised joined funded set".split())
# Words ending in -ly that are adjectives, not adverbs ("early help hubs", "family support unit").
_NOT_ADVERBS = frozenset("early family elderly weekly daily monthly quarterly yearly friendly assembly "
                         "supply only".split())
# Modifiers that make a "centre" a place, not a unit ("urban centres", "the town centre").
_PLACE_CENTRES = frozenset("urban town city shopping leisure population retail".split())
# "Local Resolution Teams": "Local" opens the name of a unit, unlike "The" or "Each".
_NAME_FUNCTION = _FUNCTION - {"Local"}
_HEAD = re.compile(rf"\b(?:{'|'.join(HEADS)})(?P<plural>s|x)?\b")
_PROPER_HEAD = re.compile(r"\b(?:Unit|Team|Department|Hub|Bureau|Centre|Group|Squad|Room|Desk|Command|"
                          r"Directorate)(?P<plural>s|x)?\b")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]['\"]?\s+|\n\s*(?:[-*\u2022]\s*)?)$")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_PAREN_ACRONYM = re.compile(r"\(([A-Z]{2,6})s?\) $")


def _is_modifier(word: str) -> bool:
    return word.islower() or word == "HQ" or bool(_ACRONYM.fullmatch(word))


def _modifiers_start(text: str, head_start: int, plural: bool) -> int | None:
    """Start of the modifiers of a lower-case head, or None when nothing anchors them (rule 1)."""
    right = head_start
    paren = _PAREN_ACRONYM.search(text, max(0, head_start - 12), head_start)
    if paren:
        right = paren.start()  # "integrated offender management (IOM) team": skip the acronym
    words = list(_WORD.finditer(text, max(0, right - 100), right))
    start = None
    for w in reversed(words[-7:]):
        word = w.group()
        gap = text[w.end():start if start is not None else right]
        if gap.strip():
            # "... : control room staff": a clause boundary anchors a phrase as a sentence start does.
            anchored = gap.strip() in ";:" or plural and gap.strip() in ",("
            return start if anchored else None
        if word.lower() in _DETERMINERS or word.endswith("'s"):
            return start
        if word.lower() in _STOP or word.lower() in _LEFT_STOPS:
            return start if plural else None
        if plural and start is not None and (word.lower() in VAGUE or word.endswith("ly")
                                                    and word.lower() not in _NOT_ADVERBS):
            return start  # "created two local prosecution hubs": a number or adverb opens the phrase
        if not _is_modifier(word):
            # A capital opening a sentence is the phrase's first word ("Neighbourhood teams ...").
            opens = _SENTENCE_END.search(text, max(0, w.start() - 8), w.start())
            if word[:1].isupper() and word[1:].islower() and opens:
                return w.start()
            return None
        start = w.start()
    return None


def _apposition(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` is "<name>, a/an ..." (a description of the name before it)."""
    return bool(re.search(r",\s+an?\s+$", text[max(0, start - 6):start]))


def find_units(text: str) -> list[Found]:
    """Unit phrases in ``text`` (the rule is in the module docstring).

    >>> t = "Officers in child abuse investigation teams and the control room; a team of officers."
    >>> [t[f.start:f.end] for f in find_units(t)]
    ['child abuse investigation teams', 'control room']
    """
    out = []
    for m in _HEAD.finditer(text):
        if re.match(r"\s+of\b", text[m.end():]):
            continue  # "a team of officers": a collective noun, not a named unit
        start = _modifiers_start(text, m.start(), bool(m.group("plural")))
        if start is None or _apposition(text, start):
            continue
        words = list(_WORD.finditer(text, start, m.start()))
        adverb = False
        while words and (words[0].group().lower() in VAGUE or words[0].group() == "and" or adverb
                         or words[0].group().endswith("ly") and words[0].group().lower() not in _NOT_ADVERBS):
            # "a dedicated and fully staffed major investigation team" -> "major investigation team"
            adverb = words.pop(0).group().endswith("ly") and not adverb
        conj = [i for i, w in enumerate(words) if w.group() in ("and", "&")]
        if conj and m.group("plural"):
            # "response and neighbourhood teams" names two kinds; the phrase read is the last one.
            words = words[conj[-1] + 1:]
        mods = [w.group().lower() for w in words if not _PAREN_ACRONYM.match(w.group())]
        if not mods or all(w in VAGUE_ONLY or w == "and" for w in mods) or any(
            _HEAD.fullmatch(singular(w)) for w in mods
        ) or any(w in JOB_WORDS for w in mods):
            continue
        phrase = text[words[0].start():m.end()]
        if " ".join(singular(w) for w in phrase.lower().split()) in NOT_UNITS or is_category(phrase) \
                or m.group().startswith("centre") and mods[-1] in _PLACE_CENTRES:
            continue
        out.append(Found(UNIT, words[0].start(), m.end(), "unit"))
    out.extend(find_proper_units(text))
    return out


def find_proper_units(text: str) -> list[Found]:
    """``Marine Support Unit``, ``Force Resolution Centre``, ``Rural Crime Teams`` -> Unit."""
    out = []
    for m in _PROPER_HEAD.finditer(text):
        if re.match(r"\s+(?:of|for)\s+[A-Z]|\s+[A-Z][a-z]", text[m.end():]):
            continue  # "National Centre for Policing Excellence": the name goes on
        start = title_run_before(text, m.start(), stop=_PROPER_HEAD)
        start, _ = strip_function_words(text, start, m.start(), _NAME_FUNCTION)
        start = cut_at_acronym(text, start, m.start())
        name = text[start:m.end()]
        if start >= m.start() or not text[start].isupper() or is_category(name) or is_inspectorate(name):
            continue
        if m.group().startswith("Group") and set(name.split()) & _MEETING:
            continue
        out.append(Found(UNIT, start, m.end(), "proper_unit"))
    return out
