"""Relation ends that are not mentions: descriptive names of known systems, and unnamed technologies.

Two ways a report names a system at a relation's end without a mention the pipeline made:

* **A descriptive name** the report gives a system elsewhere. "STORM command and control system"
  tells the reader that "command and control" is STORM, so "video links ... are integrated with
  command and control" ends at STORM. ``descriptors`` reads such names from the aliases of the
  resolved systems ("<label> <description> system"); ``descriptor_spans`` finds them in a sentence.
  A description two systems share, or one word long, is ambiguous and is not used.
* **An unnamed technology** that is the subject of a system relation: "text messaging is interfaced
  with STORM". Only systems interface with systems, so the clause's opening noun phrase is a system
  the text names in ordinary words. ``technology_subject`` reads it under narrow conditions (at the
  start of a clause, one to three lower-case words, the first perhaps capitalised, no pronoun or
  generic noun); ``described.py`` turns it into an entity labelled with those words.
  ``technology_conjunct`` reads one coordinated with a mention ("video links to the force
  helicopter and CCTV are integrated with X").
* **"The new system"**: the system the passage introduced ("the force introduced X", or X replaces
  something) before; ``relations.passage_relations`` keeps track of it, ``new_system_spans`` finds
  the phrase.
* **A component**: "SOCRATES.WEB" (a dotted part of a system's name) and "the SOCRATES system and
  its various applications" are parts of SOCRATES (``component_name``, ``component_plural``).
* **A described subject**: "a database linked to Lotus Notes", "a programme that is part of the
  SOCRATES suite". ``described_subject`` finds the indefinite noun phrase with a system head noun
  right before the relation's trigger; ``described.py`` labels it by that relation ("programme part
  of SOCRATES"), as it does for a counted object.
* **Where a data flow goes**: "information being taken from X (business objects universe under
  construction)" states the flow from its source; ``flow_destination`` reads the reporting layer
  the parenthesis names as its destination, so X feeds it.
"""

from __future__ import annotations

import re

from policekg.extract.model import SYSTEM, Entity

Key = tuple[str, str]

_TAIL = re.compile(r"\s+(?:it\s+)?(?:system|database|application|software|platform)$", re.IGNORECASE)


def descriptors(entities: dict[Key, Entity]) -> dict[str, Key]:
    """Case-folded description -> system key, from aliases "<label or alias> <description> system".

    >>> storm = Entity("System", "STORM", aliases={"STORM command and control system"})
    >>> descriptors({storm.key: storm})
    {'command and control': ('System', 'STORM')}
    """
    found: dict[str, set[Key]] = {}
    names = {n.casefold() for e in entities.values() for n in (e.label, *e.aliases)}
    for key, entity in entities.items():
        if entity.type != SYSTEM:
            continue
        heads = sorted({entity.label, *entity.aliases}, key=len)
        for alias in sorted(entity.aliases):
            if not _TAIL.search(alias):
                continue
            body = _TAIL.sub("", alias)
            for head in heads:
                if head != alias and body.casefold().startswith(head.casefold() + " "):
                    description = " ".join(body[len(head):].split())
                    if len(description.split()) >= 2 and description.casefold() not in names:
                        found.setdefault(description.casefold(), set()).add(key)
                    break
    return {d: next(iter(keys)) for d, keys in sorted(found.items()) if len(keys) == 1}


def descriptor_spans(text: str, described: dict[str, Key]) -> list[tuple[int, int, Key]]:
    """``(start, end, key)`` where ``text`` says a description from ``descriptors``.

    >>> descriptor_spans("links are integrated with command and control;", {"command and control": ("System", "STORM")})
    [(26, 45, ('System', 'STORM'))]
    """
    out = []
    for description, key in described.items():
        words = map(re.escape, description.split())
        for m in re.finditer(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", text, re.IGNORECASE):
            out.append((m.start(), m.end(), key))
    return sorted(out)


# Words that make an opening noun phrase no technology: pronouns, the force, data in general,
# people, and verbs (the phrase must stop before the relation's auxiliary).
_NOT_TECHNOLOGY = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|should|also|now|not|"
    r"it|this|that|these|those|which|who|there|force|forces|data|information|intelligence|work|"
    r"officers?|staff|people|public|process|processes|approach|plan|strategy|policy|team|unit|department|"
    r"division|partners?|agencies|arrangements|activity|case|cases|records?|details)\b",
    re.IGNORECASE,
)
_OPENING = re.compile(r"^\s*(?:(?:-|\u2022)\s*)?(?:(?i:the|a|an|its|our|their|new)\s+)?"
                      r"(?P<np>[A-Za-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2})\s+$")


def technology_subject(before: str) -> tuple[int, int] | None:
    """Offsets of an unnamed technology that opens a clause and ends where ``before`` ends.

    ``before`` is the clause text from its start up to the relation trigger's auxiliary ("is",
    "are", ...), which the caller has checked; the noun phrase must fill it.

    >>> technology_subject(" text messaging ")
    (1, 15)
    >>> technology_subject("the force ") is None
    True
    >>> technology_subject("Mobile messaging ")
    (0, 16)
    """
    m = _OPENING.match(before)
    if m is None or _NOT_TECHNOLOGY.search(m.group("np")):
        return None
    return m.start("np"), m.end("np")


_CONJUNCT = re.compile(
    r"^(?P<np>.*?)(?P<pp>\s+(?:to|from|for|at|in|on)\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}?[\w-]+)?\s+and\s+$",
    re.DOTALL,
)


def technology_conjunct(before: str) -> tuple[int, int] | None:
    """Offsets of an unnamed technology that opens a clause as the first of two coordinated
    subjects, the second being the mention right after ``before``: "video links to the force
    helicopter and CCTV are integrated with X". A short prepositional phrase after the noun phrase
    is kept, since it says which links they are.

    >>> text = " video links to the force helicopter and "
    >>> a, b = technology_conjunct(text)
    >>> text[a:b]
    'video links to the force helicopter'
    >>> technology_conjunct(" the force and ") is None
    True
    """
    m = _CONJUNCT.match(before)
    if m is None or (found := technology_subject(m.group("np") + " ")) is None:
        return None
    return found[0], m.end("pp") if m.group("pp") else found[1]


_SUBJECT = re.compile(
    r"(?<![\w-])(?P<np>(?:an?|a\s+new|one)\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?:programme|program|database|application|system|tool|package|module|platform))\b",
    re.IGNORECASE,
)


def described_subject(before: str) -> list[tuple[int, int]]:
    """Offsets of indefinite noun phrases with a system head noun in ``before``, last first.

    The caller keeps the first whose remaining text up to the relation's other end is a trigger.

    >>> text = "using a programme that is part of the "
    >>> [text[a:b] for a, b in described_subject(text)]
    ['a programme']
    """
    return [(m.start("np"), m.end("np")) for m in reversed(list(_SUBJECT.finditer(before)))]


_INTRODUCED = re.compile(
    r"(?:introduc\w*|implement\w*|bought|purchas\w*|procur\w*|invest\w*\s+in|launch\w*|adopt\w*|deploy\w*"
    r"|mov\w*\s+to|new)(?:\s+(?:of|the|a|an|its|their|new))*(?:\s+[\w-]+){0,3}?[\s:,]*$",
    re.IGNORECASE,
)
_NEW_SYSTEM = re.compile(r"(?<![\w-])the\s+new\s+(?:[\w-]+\s+){0,2}?(?:system|database|platform)\b", re.IGNORECASE)


def introduces(before: str) -> bool:
    """Whether the text right before a system's mention introduces it ("the force has introduced X").

    >>> introduces("In 2005 the force introduced the ")
    True
    >>> introduces("Data from the ")
    False
    """
    return bool(_INTRODUCED.search(before[-80:]))


def new_system_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of "the new system" (or "the new custody system") in ``text``.

    >>> new_system_spans("Records will transfer to the new system in May.")
    [(25, 39)]
    """
    return [(m.start(), m.end()) for m in _NEW_SYSTEM.finditer(text)]


# Capitals only: "PNC.The force" (a lost space in a PDF copy) is no component.
_DOTTED = re.compile(r"^\.(?P<part>[A-Z][A-Z0-9]{1,9})\b")
_ITS = re.compile(
    r"^(?:\s+(?:system|database|suite|software|programme))?\s+and\s+its\s+"
    r"(?P<words>(?:(?:various|many|own|other|associated|related|specialist|separate|several)\s+)?"
    r"(?:applications|modules|components|sub-systems|subsystems))\b",
    re.IGNORECASE,
)


def component_name(after: str) -> str | None:
    """The dotted part right after a system's name ("SOCRATES" then ".WEB"), or None.

    >>> component_name(".WEB enables all staff")
    'WEB'
    >>> component_name(". WEB allows") is None  # a full stop and a new sentence
    True
    >>> component_name(".The force") is None
    True
    """
    m = _DOTTED.match(after)
    return m.group("part") if m else None


def component_plural(after: str) -> str | None:
    """The words naming a system's parts right after its name ("... system and its various
    applications"), or None.

    >>> component_plural(" system and its various applications to all areas")
    'various applications'
    """
    m = _ITS.match(after)
    return " ".join(m.group("words").split()) if m else None


# A data flow the text states from its source only: "information being taken from X", "data drawn
# from X". The sentence names where the data goes, if anywhere, in a parenthesis right after X.
_TAKEN_FROM = re.compile(
    r"\b(?:data|information|intelligence|figures|statistics|details)\s+"
    r"(?:(?:is|are|was|were|being|been|be|to|now|also|routinely|regularly)\s+)*"
    r"(?:taken|drawn|extracted|pulled|exported|obtained|sourced|downloaded)\s+(?:directly\s+)?(?:from|out\s+of)"
    r"(?:\s+(?:the|its|their|force's|the\s+force's))*\s*$",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"^(?:\s+(?:system|database|application))?\s*\((?P<np>[^();]{3,80}?)\)")
# Only a reporting layer is a destination: a parenthesis such as "(the force public protection IT
# system)" describes the source itself, but a universe, warehouse or dashboard never does.
_REPORTING = re.compile(
    r"^(?:(?:a|an|the|its|new|a\s+new)\s+)?"
    r"(?P<name>(?:[\w-]+\s+){0,3}?(?:universe|warehouse|data\s+mart|dashboards?|cube"
    r"|(?:reporting|query|analysis|analytical)\s+(?:tool|system|suite|platform|layer)))"
    r"(?:\s+(?:(?:still|now|currently)\s+)?(?:under\s+construction|in\s+development|being\s+(?:built|developed|tested)"
    r"|planned|in\s+(?:use|place)))?\s*$",
    re.IGNORECASE,
)


def flow_destination(before: str, after: str) -> str | None:
    """Where a data flow stated from its source goes, when a parenthesis after the source names it.

    ``before`` is the text up to the source system's mention, ``after`` the text right after it.
    The parenthesis must name a reporting layer (a universe, warehouse, dashboard, reporting tool):
    a parenthesis after a system's name usually describes that system.

    >>> flow_destination("with information being taken from ", " (business objects universe under construction)")
    'business objects universe'
    >>> flow_destination("information taken from ", " (the force public protection IT system)") is None
    True
    >>> flow_destination("officers were taken from ", " (crime dashboard)") is None
    True
    """
    if not _TAKEN_FROM.search(before[-120:]):
        return None
    m = _PARENTHESIS.match(after)
    if m is None:
        return None
    r = _REPORTING.match(m.group("np").strip())
    return " ".join(r.group("name").split()) if r else None
