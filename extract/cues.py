"""Names introduced by a naming cue rather than followed by a head noun.

Pure patterns over one finding's (folded) text:

1. ``find_called``: a kind noun, then ``called`` / ``named`` / ``known as`` / an apposition, then a
   capitalised name, across a comma: "a new database, Beacon,", "its system, called Sentinel",
   "a strategy called Fair Shares", "the scheme known as Safe Streets". The kind noun decides
   the type (``KINDS``: system words -> System, programme words -> Initiative).
2. ``find_head_first``: a programme word before the name: "Programme Kestrel", "Project Aurora",
   "Campaign Nightlight" (``Operation X`` is ``discover.find_operations``).
3. ``find_models``: a capitalised run ending in ``Operating Model`` / ``Policing Model`` /
   ``Strategy`` is a named model or strategy: "the Northshire Operating Model" (a national model
   such as the National Intelligence Model is a doctrine, not an initiative).
4. ``find_coinages``: a quoted coinage of one to five words after an article or naming verb, when
   it is a name (capitalised, or holding an acronym) and a naming verb or a kind noun marks it as
   one: "the 'One Team' approach", "so-called 'virtual PCSOs'" -> Initiative. A quoted phrase
   ("a 'bolt-on'", "the 'golden hour'"), a grade ("'good'") or a quoted adjective after a verb
   ("to be 'victim-centred'") is not one.
5. ``find_camel_names``: a word with a capital inside it after two lower-case letters
   ("TideAlert", "NorthConnect") is a coined product name -> System.
"""

from __future__ import annotations

import re

from policekg.extract.model import INITIATIVE, SYSTEM
from policekg.extract.phrases import _FUNCTION, Found, cut_at_acronym, is_inspectorate, title_run_before

KINDS = {
    **dict.fromkeys("system database application app platform package software portal".split(), SYSTEM),
    **dict.fromkeys("programme program project scheme initiative strategy campaign operation approach "
                    "model plan service".split(), INITIATIVE),
}
_KIND = "|".join(sorted(KINDS, key=len, reverse=True))
_NAME_WORDS = r"[A-Z][\w'&-]*(?:(?: (?:of|and|for|the|&))* [A-Z][\w'&-]*){0,4}"
_CALLED = re.compile(
    rf"\b(?P<kind>{_KIND})s?(?:,? (?:which is |that is )?(?:called|named|known as|branded) |(?P<comma>, ))"
    rf"['\"]?(?P<name>{_NAME_WORDS})['\"]?(?P<after>[,.;:)]?)"
)
_HEAD_FIRST = re.compile(r"\b(?:Programme|Project|Campaign) (?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
# Words after "Project"/"Programme" that make it a role or a body, not a name.
_NOT_NAMES = frozenset("Manager Managers Board Team Lead Leader Officer Officers Director Plan Management "
                       "Office Group Sponsor Initiation".split())
_MODEL = re.compile(r"\b(?:Operating Model|Policing Model|Delivery Model|Strategy)\b")
_COINAGE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Oo]ur|so-called|called|named|known as|dubbed) "
    r"['\"](?P<name>[A-Za-z][\w -]{1,40}?)['\"]"
)
_NOT_COINED = frozenset("good outstanding adequate inadequate excellent fair poor requires improvement "
                        "needs improvement".split())
_COINED_KIND = re.compile(rf" (?:{_KIND}|vision|approach|model|team|unit|hub|car|service)s?\b")
_CAMEL = re.compile(r"\b[A-Z][a-z]{2,}[A-Z][a-z]{2,}\w*\b")


def _ok(name: str) -> bool:
    words = name.split()
    return bool(words) and words[0] not in _FUNCTION and not is_inspectorate(name)


def find_called(text: str) -> list[Found]:
    """Names after a kind noun and a naming cue.

    >>> t = "It bought a new database, Beacon, and a strategy called Wellbeing First."
    >>> [(t[f.start:f.end], f.type) for f in find_called(t)]
    [('Beacon', 'System'), ('Wellbeing First', 'Initiative')]
    """
    if " called " not in text and " named " not in text and " known as " not in text and ", " not in text:
        return []
    out = []
    for m in _CALLED.finditer(text):
        name = m.group("name")
        if m.group("comma") and not m.group("after"):
            continue  # "in its approach, Wessex Police has ...": a clause, not an apposition
        if _ok(name):
            out.append(Found(KINDS[m.group("kind").lower()], m.start("name"), m.end("name"), "called"))
    return out


def find_head_first(text: str) -> list[Found]:
    """``Programme Kestrel``, ``Project Aurora`` -> Initiative (the whole phrase the label)."""
    out = []
    for m in _HEAD_FIRST.finditer(text):
        words = m.group("name").split()
        if words[0] in _NOT_NAMES:
            continue
        end = m.end() if len(words) == 1 or words[1] not in _NOT_NAMES else m.start("name") + len(words[0])
        out.append(Found(INITIATIVE, m.start(), end, "head_first"))
    return out


def find_models(text: str) -> list[Found]:
    """``the Northshire Operating Model``, ``Safer Seas Strategy`` -> Initiative (capitalised run)."""
    if "Model" not in text and "Strategy" not in text:
        return []
    out = []
    for m in _MODEL.finditer(text):
        if re.match(r" (?:for|of) [A-Z]| [A-Z][a-z]", text[m.end():]):
            continue  # the name goes on
        start = title_run_before(text, m.start(), max_words=5)
        while start < m.start() and text[start:].split(" ", 1)[0] in _FUNCTION:
            start = text.index(" ", start) + 1
        start = cut_at_acronym(text, start, m.start())
        if start < m.start() and text[start].isupper() and _ok(text[start:m.end()]):
            out.append(Found(INITIATIVE, start, m.end(), "model"))
    return out


def find_coinages(text: str) -> list[Found]:
    """Quoted coinages after an article or naming verb -> Initiative.

    >>> t = "The 'One Team' approach was good; staff were said to be 'victim-centred' and 'good'."
    >>> [t[f.start:f.end] for f in find_coinages(t)]
    ['One Team']
    """
    if "'" not in text and '"' not in text:
        return []
    out = []
    for m in _COINAGE.finditer(text):
        name = m.group("name").strip()
        if name.lower() in _NOT_COINED or len(name.split()) > 5 or not _ok(name):
            continue
        named = name[0].isupper() or re.search(r"\b[A-Z]{2,}", name)
        cued = not m.group().startswith(("the", "The", "a", "A", "an", "An", "its", "Its", "their", "our")) \
            or _COINED_KIND.match(text, m.end())
        if not (named and cued):
            continue
        out.append(Found(INITIATIVE, m.start("name"), m.start("name") + len(name), "coinage"))
    return out


def find_camel_names(text: str) -> list[Found]:
    """``TideAlert`` -> System (a coined product name)."""
    return [Found(SYSTEM, m.start(), m.end(), "camel_name") for m in _CAMEL.finditer(text)]


def find_cued(text: str) -> list[Found]:
    """All the naming-cue patterns."""
    return [*find_called(text), *find_head_first(text), *find_models(text), *find_coinages(text),
            *find_camel_names(text)]
