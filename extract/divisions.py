"""Discovery of a force's territorial divisions: BCUs, divisions, local policing areas, districts.

Two pure patterns over one finding's (folded) text:

1. ``find_divisions``: place words before a division head (``HEADS``: Division, BCU, Basic
   Command Unit, Local Policing Area, LPA, Area, District, Command Unit), labelled by the place
   words, the whole phrase an alias. A list of places before a singular head is one division
   ("Ashby, Fernleigh and Low Dale BCU"); before a plural head each place is one ("the Harbour and
   Downs divisions"). ``Area`` and ``District`` need a place-like name and are never followed by
   ``for`` / ``of`` / a council word ("Area for Improvement", "Lowdale District Council").
2. ``find_division_lists``: the places listed after a plural division noun ("four BCUs
   (divisions): Harbour, North Downs and Vale").

Never a division: a job title ("Staff Officer", "Chief Inspector"), a kind of area ("Force Area",
"Policing Area"), or a heading word.
"""

from __future__ import annotations

import re

from policekg.extract.model import DIVISION
from policekg.extract.phrases import _FUNCTION, _PLACE, Found, strip_function_words

_NAME = rf"{_PLACE}(?: {_PLACE}){{0,3}}"
_LIST = rf"{_NAME}(?:(?:, (?:and )?| and | & ){_NAME}){{0,6}}"
_DIVISION = re.compile(
    rf"\b(?P<name>{_LIST}) (?P<head>[Dd]ivision|BCU|Basic Command Unit|Operational Command Unit|"
    rf"Command Unit|Local Policing Area|LPA|Area|District|(?P<plural>[Dd]ivisions|BCUs|LPAs|Areas|Districts))\b"
)
_NOT_AFTER = re.compile(r" (?:for|of|[Cc]ouncil|Authority|Commander|Manager|Inspector|Officer)\b")
# First words that make "X Area" / "X District" a kind of area or a heading, not a named division.
_NOT_PLACES = frozenset(
    "Force Policing Police Local Priority Key Focus Improvement Service Command Business Operational "
    "Geographical Rural Urban Metropolitan Crime Neighbourhood Partnership Inspection Performance Risk "
    "Core Grey Problem Wider Whole Main Other Each Every Certain Some Many Most Several Staff Chief "
    "Senior Deputy Assistant Detective Superintendent Inspector Sergeant Constable Constabulary".split()
)
# A word that makes a run of capitals an organisation, not a place.
_ORGANISATION_WORDS = frozenset("Police Constabulary Council Service Authority Agency Trust".split())
_CUE = re.compile(
    r"\b(?:BCUs|divisions|[Dd]ivisions|LPAs|local policing areas|basic command units|command units|districts)"
    r"(?: \([^()]{1,40}\))?(?:[;:]| - | are | were | namely | called |, namely )\s*"
)
_LIST_RE = re.compile(_LIST)


def _places(run: str, offset: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each place in "A, B and C" (offsets shifted by ``offset``)."""
    return [(offset + m.start(), offset + m.end()) for m in re.finditer(_NAME, run)]


def _is_place(name: str) -> bool:
    words = name.split()
    return bool(words) and words[0] not in _NOT_PLACES and words[0] not in _FUNCTION \
        and not _ORGANISATION_WORDS & set(words)


def find_divisions(text: str) -> list[Found]:
    """``Harbour division``, ``North Downs Division``, ``the Harbour BCU`` -> Division named by the
    place words (the label), with the whole phrase as an alias.

    >>> t = "The Harbour and Downs divisions; Ashby, Fernleigh and Low Dale BCU; the Area for Improvement."
    >>> [t[f.start:f.end] for f in find_divisions(t)]
    ['Harbour', 'Downs', 'Ashby, Fernleigh and Low Dale']
    """
    out = []
    if not re.search(r"ivision|BCU|LPA|Area|District|Command Unit", text):
        return out  # cheap test first: most findings name no division
    for m in _DIVISION.finditer(text):
        head = m.group("head")
        if head in ("Area", "District", "Areas", "Districts") and _NOT_AFTER.match(text, m.end()):
            continue
        start, end = strip_function_words(text, m.start("name"), m.end("name"))
        while re.search(r" (?:Basic|Operational|Local|Policing)$", text[start:end]):
            end = text.rindex(" ", start, end)  # "Harbour Basic Command Unit": the name is "Harbour"
        name = text[start:end]
        if start >= end or name in _FUNCTION:
            continue
        items = _places(name, start)
        # Without a comma, "the port of Saltmouth and Downs Division" is a place and a division.
        one_list = "," in name or bool(m.group("plural"))
        if len(items) > 1 and (not one_list or not all(_is_place(text[s:e]) for s, e in items)):
            # "Wessex Police and Harbour BCU": the list is not all places; the last item is the name.
            start, end = items[-1]
            name = text[start:end]
        if not _is_place(name):
            continue
        if m.group("plural"):
            for s, e in _places(name, start):
                if _is_place(text[s:e]):
                    out.append(Found(DIVISION, s, e, "division"))
        else:
            out.append(Found(DIVISION, start, end, "division", (start, m.end())))
    return out


def find_division_lists(text: str) -> list[Found]:
    """Places listed after a plural division noun, each a Division.

    >>> t = "The force has four BCUs (divisions): Harbour, North Downs, Saltmarsh-on-Sea and Vale."
    >>> [t[f.start:f.end] for f in find_division_lists(t)]
    ['Harbour', 'North Downs', 'Saltmarsh-on-Sea', 'Vale']
    """
    out = []
    for cue in _CUE.finditer(text):
        m = _LIST_RE.match(text, cue.end())
        if not m or not re.search(r", | and ", m.group()):
            continue  # one capitalised word after a colon is a sentence, not a list
        for s, e in _places(m.group(), m.start()):
            if _is_place(text[s:e]):
                out.append(Found(DIVISION, s, e, "division_list"))
    return out
