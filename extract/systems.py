"""Discovery of systems named by what they do: ``the HR system``, ``the payroll system``.

A report often names a force's own system by its business domain rather than by a product name:
"The HR system interfaces with the payroll system". ``find_domain_systems`` takes such a phrase
as a System when all of these hold (the rule, in order):

1. **Definite and singular.** A determiner that points at one thing (``the``, ``its``, ``their``,
   ``our``, a possessive such as ``the force's``) opens the phrase, or ``and`` after another such
   system ("the automatic vehicle location system and automatic person location system"). The
   head is ``system``, ``database`` or ``application`` in the singular: "a content management
   system", "IT systems", "key systems" and "legacy applications" speak of a kind, not of one.
2. **Plain modifiers.** One to five lower-case words, or a domain acronym (``HR``, ``CCTV``), with
   single spaces between them: no quotes, figures, punctuation or function words ("the 'tidal'
   2/2/2 shift system", "the incident and crime recording systems" are not read). A coined name
   (``STORM``, ``Beacon``) is left to the named-system pattern in ``discover.py``.
3. **A specific modifier.** At least one modifier says *which* system: it is not one of the
   generic words in ``GENERIC_MODIFIERS`` ("the new system", "the current IT system", "the force
   computer system", "its records management system", "the national system").
4. **Not a process or a scheme.** The word next to the head is not a process or document noun
   (``PROCESS_NOUNS``: "the PDR/appraisal/review system", "the street bail system", "the shift
   system", "the security marking system", "the criminal justice system"), and process nouns do
   not count as specific in rule 3 ("the performance management system"). An acronym that the
   report defines as a process ("performance development review (PDR)") is dropped at
   resolution (``resolve.py``).
5. **"for" phrases.** "the enhanced information system for emergency calls": when the modifiers
   hold a noun ("information", not only "new"), one to three plain words after ``for`` can be
   the specific part, and they belong to the label.

The label is the phrase without its determiner and leading vague adjectives ("new", "existing",
"force"): "payroll system", "HR system", "duty management system". Discovered systems are
force-scoped, like every discovered entity.
"""

from __future__ import annotations

import re

# Words that never say which system is meant: age, owner, scale, technology, generic data nouns.
GENERIC_MODIFIERS = frozenset(
    "new existing current old older legacy previous proposed replacement future interim temporary "
    "force force's national regional local main key core central centralised centralized computerised "
    "computerized electronic automated integrated bespoke own same whole other relevant various single "
    "separate recent enhanced improved upgraded updated modern internal external online web-based "
    "it is ict is/it pc mis cpu tv id hq uk computer computers information management data business "
    "software technology technical records record support operational corporate".split()
)
# Leading adjectives dropped from the label ("the new payroll system" -> "payroll system").
_LEADING = frozenset(
    "new existing current old older legacy previous proposed replacement future interim temporary "
    "force force's own same whole other relevant various single separate recent main key".split()
)
# Nouns naming a process, scheme, institution or paper record rather than an IT system.
PROCESS_NOUNS = frozenset(
    "appraisal appraisals review reviews assessment assessments appointment appointments shift shifts "
    "rota rotas bail justice marking grading scoring reward rewards honours promotion selection "
    "recruitment grievance complaint complaints performance quality audit inspection tasking briefing "
    "accountability governance planning banding points warning voting paper card form forms file filing "
    "manual paper-based process processes procedure procedures policy".split()
)
# Acronyms for a business domain, which a specific system can be named after ("the HR system").
DOMAIN_ACRONYMS = frozenset("HR CCTV DNA GPS SMS".split())
_DEFINITE = frozenset("the its their our".split())
_FUNCTION = frozenset(
    "of to for in on with by from that which who whom whose is are was were be been being has have had "
    "at as into the a an than then so not no or but it this these those there their its our all any "
    "some such what when where how why also only very more less and each every both either".split()
)
_HEAD = re.compile(r"\b(?:system|database|application)\b")
_MODIFIER = re.compile(r"[a-z][a-z-]*|[A-Z]{2,5}")
_WORD = re.compile(r"[\w'/-]+")
_FOR = re.compile(r" for ((?:[a-z][a-z-]* ?){1,4})")
_NEXT = re.compile(r" ([a-z][a-z-]*)")
_MAX_MODIFIERS = 5


def _opening(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether ``words[i]`` (the word before the modifiers) opens a definite noun phrase."""
    word = words[i].group()
    if word.lower() in _DEFINITE or word.lower().endswith("'s") and word[:1].isalpha():
        return True
    # "the X system and Y system": a coordinated second system shares the first one's determiner.
    return word == "and" and i > 0 and bool(_HEAD.fullmatch(words[i - 1].group())) \
        and text[words[i - 1].end():words[i].start()] == " "


def _modifiers(text: str, head_start: int) -> list[re.Match[str]] | None:
    """The plain modifier words between a definite opening and the head, or None."""
    words = list(_WORD.finditer(text, max(0, head_start - 120), head_start))
    mods: list[re.Match[str]] = []
    right = head_start
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        gap = text[w.end():right]
        # "the custody, case and property system": a list of domains joined by commas and "and"
        listed = gap == ", " and mods and " and " in text[w.end():head_start]
        if gap != " " and not listed:
            return None  # punctuation, a quote or a line break: not one plain noun phrase
        if _opening(text, words, i):
            return mods or None
        word = w.group()
        if word == "and" and mods and i > 0 and text[words[i - 1].end():w.start()] == " " \
                and not _HEAD.fullmatch(words[i - 1].group()):
            right = w.start()  # "command and control system": "and" inside a descriptive name
            continue
        acronym = word.isupper()
        if len(mods) == _MAX_MODIFIERS or not _MODIFIER.fullmatch(word) or word in _FUNCTION \
                or acronym and word not in DOMAIN_ACRONYMS and word.lower() not in GENERIC_MODIFIERS:
            return None  # a coined name ("STORM system") is the named-system pattern's
        mods.insert(0, w)
        right = w.start()
    return None


def _specific(words: list[str]) -> bool:
    return any(w.lower() not in GENERIC_MODIFIERS and w.lower() not in PROCESS_NOUNS for w in words)


def _for_phrase(text: str, end: int) -> int | None:
    """End of a "for" phrase of one to three plain, specific words after the head, or None."""
    m = _FOR.match(text, end)
    if not m:
        return None
    words = []
    for w in re.finditer(r"[a-z][a-z-]*", m.group(1)):
        if w.group() in _FUNCTION:
            break
        words.append(w)
    if not words or len(words) > 3 or words[0].group().endswith("ing") \
            or not _specific([w.group() for w in words]):
        return None  # "for managing calls" is a purpose clause, not part of a name
    end = m.start(1) + words[-1].end()
    more = _NEXT.match(text, end)
    if more and more.group(1) not in _FUNCTION:
        return None  # the phrase goes on: a clause, not a name
    return end


def find_domain_systems(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every system named by its domain ("the payroll system" -> "payroll system").

    Args:
        text: one finding's (folded) text.

    Returns:
        Spans from the first kept modifier to the end of the head (or of its "for" phrase), in
        text order.

    >>> t = "The HR system feeds the payroll system, not the new system or IT systems."
    >>> [t[s:e] for s, e in find_domain_systems(t)]
    ['HR system', 'payroll system']
    """
    if "system" not in text and "database" not in text and "application" not in text:
        return []
    out = []
    for m in _HEAD.finditer(text):
        if text[m.end():m.end() + 1].isalpha():
            continue
        mods = _modifiers(text, m.start())
        if not mods:
            continue
        while mods and mods[0].group().lower() in _LEADING:
            mods.pop(0)  # "the new payroll system": "new" is no part of the name
        words = [w.group() for w in mods]
        end = m.end()
        if not words or words[-1].lower() in PROCESS_NOUNS:
            continue
        if not _specific(words):
            for_end = _for_phrase(text, m.end()) if any(w.lower() not in _LEADING for w in words) else None
            if for_end is None:
                continue
            end = for_end
        out.append((mods[0].start(), end))
    return out
