"""Shared phrase helpers for the discovery patterns: the candidate tuple, plural and head-noun rules,
categories, and the run of capitalised words before a head noun.

The pattern modules (``discover.py``, ``units.py``, ``partners.py``) are pure functions over one
finding's ``fold()``-ed text; they share these rules so that a phrase is judged the same way
whichever pattern found it (one category rule, one inspectorate rule).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from policekg.extract.model import INITIATIVE, PARTNER, PARTNERSHIP, SYSTEM, UNIT

# The head noun of a defined long form decides its type ("public protection unit (PPU)" -> Unit).
HEAD_TYPES = {
    **dict.fromkeys(("unit", "team", "department", "squad", "bureau", "hub", "room", "directorate"), UNIT),
    **dict.fromkeys(("system", "database", "register", "computer"), SYSTEM),
    **dict.fromkeys(("service", "agency", "board"), PARTNER),
    "partnership": PARTNERSHIP,
    **dict.fromkeys(("initiative", "project", "programme", "questionnaire", "audit", "scheme"), INITIATIVE),
}
# Kinds of territorial division that every force has several of: a category, never one entity
# (a named one is a Division: "Harbour BCU"). Teams of a kind ("neighbourhood teams") are Units,
# and partnerships of a kind are CDRPs/Partnerships from the gazetteer.
CATEGORY_TERMS = frozenset({
    "basic command unit", "operational command unit", "local policing area", "local police area",
    "policing area", "territorial policing unit", "command unit",
})
# Capitalised words that open a sentence or a phrase but are never part of a name.
_FUNCTION = frozenset(
    "A An The This That These Those Its Their Our His Her Each Every All Both Any Some In On At "
    "For From With By Within Across Under Over Into Through And Or But As While When Where If "
    "Of To New Recent Current Local".split()
)
# ALL-CAPS words that are generic technology or organisation words, not system names.
_STOP = frozenset(
    "of to for in on with by from that which who is are was were be been has have had at as into "
    "the a an than then so not no or but it this these those there their its our all any some such what "
    "when where how why also only very more less".split()
)
_TITLE = r"[A-Z][\w'&-]*"
_PLACE = r"[A-Z][a-z]+(?:-(?:[a-z]+-)*[A-Z][a-z]+)*"
_WORD = re.compile(r"[\w&-]+(?:'[\w]+)*")
# Between two words of a name: spaces (never a line break or tab), a quote, an "and" or "&".
_RUN_GAP = re.compile(r" ?['\"]? +(?:(?:and|&) +)?['\"]? ?")
_ACRONYM_WORD = re.compile(r"[A-Z]{2,6}")
# The inspectorate writes the reports: never a partner, unit or anything else it names itself by.
_INSPECTORATE = re.compile(r"\b(?:HMICF?R?S?|HMIs?|Inspectorates?|Inspector(?:s)? of Constabulary)\b")


class Found(NamedTuple):
    """A candidate: its type, ``[start, end)`` in the text, the pattern's name and, when the match
    is a longer phrase for the same thing ("STORM command and control system"), that phrase's span."""

    type: str
    start: int
    end: int
    pattern: str
    alias: tuple[int, int] | None = None


def singular(word: str) -> str:
    """A plural noun's singular, by spelling alone ("units" -> "unit", "authorities" -> "authority")."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("s'"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def head_type(long_form: str) -> str | None:
    """The entity type that the head noun of a defined long form implies, or None.

    >>> head_type("Safer Neighbourhood Interview Questionnaire"), head_type("statutory indicators")
    ('Initiative', None)
    """
    words = [singular(w.lower().strip(".,'\"")) for w in long_form.split()]
    if not words:
        return None
    if words[-1] in HEAD_TYPES:
        return HEAD_TYPES[words[-1]]
    for i, w in enumerate(words[1:], 1):
        if w in ("of", "for"):
            return HEAD_TYPES.get(words[i - 1])
    return None


def is_category(phrase: str) -> bool:
    """Whether ``phrase`` names a kind of unit that a force has many of ("basic command units")."""
    words = " ".join(singular(w) for w in phrase.lower().split())
    return any(words == term or words.endswith(" " + term) for term in CATEGORY_TERMS)


def strip_function_words(text: str, start: int, end: int,
                         words: frozenset[str] = _FUNCTION) -> tuple[int, int]:
    """Move ``start`` past leading capitalised function words ("The", "Each", "At")."""
    while True:
        m = _WORD.match(text, start)
        if not m or m.end() >= end or m.group() not in words:
            return start, end
        start = m.end()
        while start < end and text[start] in " \t'\"":
            start += 1


def title_run_before(text: str, end: int, max_words: int = 6, stop: re.Pattern | None = None) -> int:
    """Start of the run of capitalised words (joined by spaces, quotes, "and", "&") ending at
    ``end``; ``end`` itself when the word before it is not capitalised."""
    words = list(_WORD.finditer(text, max(0, end - 120), end))
    start, taken = end, 0
    for w in reversed(words):
        word, gap = w.group(), text[w.end():start]
        if taken and word in ("and", "&"):
            continue  # a connector inside a name; _RUN_GAP accepts it in the next gap
        if taken and not _RUN_GAP.fullmatch(gap) or taken >= max_words:
            break
        if taken == 0 and gap.strip(" '\"") or "\n" in gap or "\t" in gap:
            break
        if (stop and stop.fullmatch(word)) or not (word[0].isupper() or word[0].isdigit() and taken):
            break
        start, taken = w.start(), taken + 1
    if start < end and text[start - 1:start] in ("'", '"'):
        start -= 1
    return start


def cut_at_acronym(text: str, start: int, end: int) -> int:
    """Move ``start`` past an acronym that precedes a capitalised name ("HQRC Headquarters Resolution Centre" in
    a list of abbreviations reads "Headquarters Resolution Centre")."""
    words = list(_WORD.finditer(text, start, end))
    for i in range(len(words) - 1, 0, -1):
        if _ACRONYM_WORD.fullmatch(words[i - 1].group()) and not _ACRONYM_WORD.fullmatch(words[i].group()):
            return words[i].start()
    return start


def is_inspectorate(name: str) -> bool:
    """Whether ``name`` is the inspectorate that wrote the report (never an entity it cites).

    >>> is_inspectorate("HM Inspectorate of Constabulary"), is_inspectorate("HMICFRS")
    (True, True)
    >>> is_inspectorate("Care Quality Commission")
    False
    """
    return bool(_INSPECTORATE.search(name))
