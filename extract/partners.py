"""Discovery of partner organisations and police forces in open text.

Four pure patterns over one finding's (folded) text:

1. ``find_councils``: councils and authorities by the shape of their names: a capitalised place
   before ``Council`` / ``council`` (``Northby Borough Council``, ``Lowdale District council``),
   ``London Borough of X``, ``X Unitary Authority``.
2. ``find_named_bodies``: a capitalised name ending in an organisation noun (``ORG_HEADS``:
   Authority, Agency, Commission, Trust, Society, Association, Foundation), and the name may go on
   with ``for`` / ``of`` (``Northshire Society for the Protection of Birds``).
3. ``find_listed_partners``: the capitalised items of a list introduced as organisations
   (``partner organisations such as A, B and C``, ``the following organisations: - A; - B``).
4. ``find_forces``: police forces (``ontology/forces.jsonl``: the 43 territorial forces and the
   national and other-nation ones) by name and short form, and places coordinated before a plural
   ("Northshire and Southshire constabularies"). The candidate's type is ``Force``; resolution
   keeps the inspected force as the Force and makes every other force a Partner.

Never a partner: the inspectorate that wrote the report (``is_inspectorate``) and the inspected
force (see ``resolve.py``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from policekg.extract.model import FORCE, PARTNER
from policekg.extract.phrases import (
    _FUNCTION,
    Found,
    is_inspectorate,
    strip_function_words,
    title_run_before,
)

FORCES_FILE = "forces.jsonl"
ORG_HEADS = ("Authority", "Agency", "Commission", "Trust", "Society", "Association", "Foundation")
_COUNCIL = re.compile(r"\b(?:Council|council)\b")
_LONDON_BOROUGH = re.compile(r"\bLondon Borough of [A-Z][a-z]+(?: (?:and )?[A-Z][a-z]+)*")
_ORG_HEAD = re.compile(rf"\b(?:{'|'.join(ORG_HEADS)})\b")
# After the head: "for the Prevention of Cruelty to Animals" (capitalised words joined by small words).
_NAME_GOES_ON = re.compile(r"(?: (?:for|of|on)(?: the)?(?: (?:[A-Z][\w'-]*|and|of|to|the|for|in|&))*"
                           r" [A-Z][\w'-]*)+")
_LIST_CUE = re.compile(
    r"\b(?:organi[sz]ations|agencies|partners|bodies|charities|providers)"
    r"(?:,? (?:such as|including|like|for example)|:)\s*", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"\s*(?:[;,]|\band\b|\n)\s*(?:and\s+)?(?:[-*\u2022]\s*)?")
_LINE_SPLIT = re.compile(r"\s*(?:;\s*(?:and\s*)?)?\n\s*(?:[-*\u2022]\s*)?")
_SMALL = frozenset("of for the and to & on in".split())
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,7}")


@lru_cache(maxsize=1)
def load_forces() -> tuple[dict, ...]:
    """The packaged list of police forces: ``{"label", "place", "aliases", "note"}`` per line."""
    text = resources.files("policekg.ontology").joinpath(FORCES_FILE).read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def _force_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    canonical: dict[str, str] = {}
    names, places = [], []
    for f in load_forces():
        for name in (f["label"], *f["aliases"]):
            canonical[name.lower()] = f["label"]
            names.append(name)
        if f["place"]:
            canonical[f["place"].lower()] = f["label"]
            places.append(f["place"])
    alt = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    named = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    by_name = re.compile(rf"\b(?:{named}|(?:{alt}) (?:Police|Constabulary|police|constabulary))\b")
    listed = re.compile(rf"\b((?:{alt})(?:,? (?:and )?(?:{alt}))+) (?:constabularies|forces|police forces)\b")
    return by_name, listed, canonical


def force_label(surface: str) -> str | None:
    """The force a surface names ("Northumbria police", "Hertfordshire", "GMP"), or None.

    >>> force_label("Merseyside police"), force_label("Kent"), force_label("Wessex Police")
    ('Merseyside Police', 'Kent Police', None)
    """
    _, _, canonical = _force_patterns()
    s = " ".join(surface.split())
    hit = canonical.get(s.lower())
    if hit:
        return hit
    place = re.sub(r" (?:police|constabulary)$", "", s, flags=re.IGNORECASE)
    return canonical.get(place.lower())


def find_forces(text: str) -> list[Found]:
    """Police forces named in ``text`` (type ``Force``; see the module docstring)."""
    if "olice" not in text and "onstabular" not in text and "forces" not in text and not re.search(
            r"\b(?:BTP|GMP|MPS|CNC|MDP|PSNI|Met)\b", text):
        return []
    by_name, listed, _ = _force_patterns()
    out = [Found(FORCE, m.start(), m.end(), "force") for m in by_name.finditer(text)]
    for m in listed.finditer(text):
        for p in re.finditer(r"[A-Z][\w-]*(?: (?:and )?[A-Z][\w-]*)*", m.group(1)):
            for part in _split_places(p.group()):
                start = m.start(1) + p.start() + p.group().index(part)
                out.append(Found(FORCE, start, start + len(part), "force"))
    return out


def _split_places(run: str) -> list[str]:
    """"Northshire and Westmarch" -> both; "Avon and Somerset" stays one force's place."""
    if force_label(run):
        return [run]
    return [p for p in re.split(r" and |, ", run) if force_label(p)]


def _is_name_run(name: str) -> bool:
    """Every word capitalised, an acronym, or a small joining word; at least one capital."""
    words = name.split()
    return bool(words) and words[0][:1].isupper() and all(
        w[:1].isupper() or w[:1].isdigit() or w in _SMALL for w in words) and words[-1] not in _SMALL


def find_councils(text: str) -> list[Found]:
    """``Northby Borough Council``, ``Lowdale District council``, ``London Borough of Eastham``."""
    if "ouncil" not in text and "London Borough" not in text:
        return []
    out = []
    for m in _COUNCIL.finditer(text):
        start = title_run_before(text, m.start(), max_words=5)
        start, _ = strip_function_words(text, start, m.start())
        city = re.search(r"\b(?:City|Borough|County|Royal Borough) of $", text[max(0, start - 20):start])
        if city and start < m.start():
            start -= len(city.group())  # "City of Eastham Council"
        name = text[start:m.end()]
        if start < m.start() and text[start].isupper() and name.split()[0] not in _FUNCTION:
            out.append(Found(PARTNER, start, m.end(), "council"))
    out.extend(Found(PARTNER, m.start(), m.end(), "council") for m in _LONDON_BOROUGH.finditer(text))
    return out


def find_named_bodies(text: str) -> list[Found]:
    """``Northshire Licensing Authority``, ``Coastal Rescue Society for the Protection of Seals``."""
    out = []
    for m in _ORG_HEAD.finditer(text):
        start = title_run_before(text, m.start(), max_words=6)
        start, _ = strip_function_words(text, start, m.start())
        if start >= m.start() or not text[start].isupper():
            continue
        end = m.end()
        more = _NAME_GOES_ON.match(text, end)
        if more:
            end = more.end()
        name = text[start:end]
        if not is_inspectorate(name):
            out.append(Found(PARTNER, start, end, "named_body"))
    return out


def find_listed_partners(text: str) -> list[Found]:
    """The capitalised items of a list introduced as organisations or partners.

    >>> t = "It works with partner organisations such as Harbour Trust, Seaview Lifeboats and the CPS."
    >>> [t[f.start:f.end] for f in find_listed_partners(t)]
    ['Harbour Trust', 'Seaview Lifeboats', 'CPS']
    """
    out = []
    for cue in _LIST_CUE.finditer(text):
        stop = re.compile(r"\.(?:\s|$)|\n\s*\n(?!\s*[-*\u2022])").search(text, cue.end())
        end = stop.start() if stop else len(text)
        pos = cue.end()
        region = text[cue.end():end]
        # A bulleted list has one item a line ("Children and Family Court ... Service"); an inline
        # list is split at commas and its last "and".
        split = _LINE_SPLIT if "\n" in region.strip() else _ITEM_SPLIT
        for piece in split.split(region) + [""]:
            i = text.find(piece, pos, end) if piece else -1
            if i < 0:
                continue
            pos = i + len(piece)
            item = re.sub(r"\s*\([^()]*\)?\s*$", "", piece.rstrip(" .;")).strip(" .;:'\"")
            item = re.sub(r"\s*\([^()]*\)?\s*$", "", re.sub(r";?\s*and$", "", item))
            item = re.sub(r"^(?:[-*\u2022]\s*)?(?:(?:the|a|an|other|local) )?", "", item)
            start = i + piece.index(item) if item else i
            s, _ = strip_function_words(text, start, start + len(item))
            item = text[s:start + len(item)]
            if item and (_is_name_run(item) or _ACRONYM.fullmatch(item)) and not is_inspectorate(item) \
                    and item.split()[0] not in _FUNCTION:
                out.append(Found(PARTNER, s, s + len(item), "partner_list"))
    return out


def find_partners(text: str) -> list[Found]:
    """All four patterns (forces typed ``Force``, the rest ``Partner``)."""
    return [*find_councils(text), *find_named_bodies(text), *find_listed_partners(text), *find_forces(text)]

