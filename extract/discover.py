"""Discovery of force-specific entities from phrasing: divisions, units, systems, operations.

Each pattern is a pure function ``find_<name>(text) -> list[Found]`` over one finding's text
(``fold()``-ed, so quotes and dashes are ASCII); the component records the pattern's name as the
candidate's method, ``pattern:<name>``. Systems named by their domain ("the payroll system") follow
the rule in ``systems.py``. The patterns are deliberately conservative: a generic noun
("the system", "the unit", "IT systems", "command teams") never becomes an entity, because a false
entity in the graph costs a reader more than a missed one.

Nothing here names a particular force's divisions, units or systems; only the vocabulary of UK
policing (division, BCU, unit, system, Operation ...) is in the code.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from policekg.extract.cues import find_cued
from policekg.extract.divisions import find_division_lists, find_divisions
from policekg.extract.model import INITIATIVE, SYSTEM
from policekg.extract.partners import find_partners
from policekg.extract.phrases import (  # noqa: F401  (re-exported: the patterns' shared rules)
    _FUNCTION,
    _PLACE,
    _STOP,
    _TITLE,
    _WORD,
    CATEGORY_TERMS,
    HEAD_TYPES,
    Found,
    head_type,
    is_category,
    is_inspectorate,
    singular,
)
from policekg.extract.phrases import strip_function_words as _strip_function_words
from policekg.extract.phrases import title_run_before as _title_run_before
from policekg.extract.systems import find_domain_systems
from policekg.extract.units import find_units

SPANS_KEY = "policekg_candidates"

# ALL-CAPS words that are generic technology or organisation words, not system names.
GENERIC_CAPS = frozenset(
    "IT IS ICT IS/IT HR HQ CCTV DNA UK PC MIS ID GPS SMS CPU PDA TV".split()
)
_SYSTEM_HEADS = r"system|database|application|register|suite|workstation"

# A system name: ALL-CAPS (STORM), mixed case with two capitals (ViSOR), or a letter+digit (i2).
_NAME = r"(?:[A-Z][A-Z0-9]{1,}|[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|[A-Z][a-z]*[A-Z][A-Za-z0-9]*|[a-z]\d+)"
_OPERATION = re.compile(rf"\bOperation\s+(?:{_TITLE})(?:\s+(?!(?:And|Of|The)\b){_TITLE})?")
_INITIATIVE_HEAD = re.compile(r"\b(?:[Pp]roject|[Pp]rogramme|[Ss]cheme|[Ii]nitiative|Strategy)\b")
_SYSTEM_HEAD = re.compile(rf"\b(?:{_SYSTEM_HEADS}|RMS)\b")
_NAME_RE = re.compile(_NAME)
_KNOWN_AS = re.compile(
    rf"\b(?:system|database|application|package|software)\s+(?:known as|called|named)\s+(?P<name>{_NAME}"
    rf"|[A-Z][a-z]+)\b"
)
_DESCRIBED = re.compile(
    rf"\b(?P<name>{_NAME}|[A-Z][a-z]+)(?: (?:IT )?(?:system|database))? ?"
    rf"\((?P<desc>(?:the|a|an|its)\s[^()]*?\b(?:{_SYSTEM_HEADS}|computer))\)"
)
_PROPER_SYSTEM = re.compile(r"\b(?:System|Database|Register)\b")
_PROPER_UNIT_HEAD = re.compile(r"\b(?:Unit|Team|Department|Hub|Bureau|Centre|Group|Squad)\b")



def find_operations(text: str) -> list[Found]:
    """``Operation Lighthouse`` -> Initiative (the whole phrase is the label)."""
    if "Operation " not in text:
        return []
    return [Found(INITIATIVE, m.start(), m.end(), "operation") for m in _OPERATION.finditer(text)]


def find_named_initiatives(text: str) -> list[Found]:
    """``Safer Streets project``, ``'Safer Harbours' initiative``, ``Coastal Watch Scheme`` ->
    Initiative labelled by the capitalised name, the whole phrase an alias."""
    out = []
    for m in _INITIATIVE_HEAD.finditer(text):
        name_end = m.start()
        start = _title_run_before(text, name_end, stop=_PROPER_UNIT_HEAD)
        start, _ = _strip_function_words(text, start, name_end)
        if start > 0 and text[start - 1] in "'\"":
            start -= 1  # keep the opening quote of "'Safer Streets' initiative" in the alias
        name = text[start:name_end].strip("'\" ")
        if not name or not name[0].isupper() or name in _FUNCTION or (" " not in name and len(name) < 3):
            continue  # "The programme", "This initiative"; a two-letter name is an unexpanded abbreviation
        if m.group()[0].isupper():  # "Night Owl Project": the capitalised head is part of the name
            out.append(Found(INITIATIVE, start, m.end(), "named_initiative"))
            continue
        lead = len(text[start:name_end]) - len(text[start:name_end].lstrip("'\" "))
        out.append(Found(INITIATIVE, start + lead, start + lead + len(name), "named_initiative",
                         (start, m.end())))
    return out


def _is_system_name(name: str) -> bool:
    return name not in GENERIC_CAPS and name not in _FUNCTION and len(name) >= 2


def _system_name_before(text: str, end: int) -> tuple[int, int] | None:
    """The name in ``NAME [up to four lower-case words]`` ending at ``end`` ("STORM command and
    control"), or None. A capitalised word ("Beacon") counts as a name only after "the"/"its"."""
    words = list(_WORD.finditer(text, max(0, end - 80), end))
    right, tail = end, 0
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if text[w.end():right] != " " and not (right == end and w.end() == end):
            return None
        word = w.group()
        if re.fullmatch(r"[a-z][a-z-]*", word) and word not in _STOP and tail < 4:
            right, tail = w.start(), tail + 1
            continue
        if not _is_system_name(word):
            return None
        if _NAME_RE.fullmatch(word):
            return w.start(), w.end()
        prev = words[i - 1] if i > 0 else None
        # "the Beacon database", "its Beacon system", "Wessex Police's Beacon system"
        after_the = bool(prev) and (prev.group().lower() in ("the", "its", "their") or prev.group().endswith("'s")) \
            and prev.end() + 1 == w.start()
        return (w.start(), w.end()) if word[:1].isupper() and word[1:].islower() and after_the else None
    return None


def find_named_systems(text: str) -> list[Found]:
    """``the HARBOURLINK system``, ``the STORM command and control system``, ``NICHE RMS``,
    ``the Beacon database`` -> System named by the name, the whole phrase an alias."""
    out = []
    for m in _SYSTEM_HEAD.finditer(text):
        head = m.start() - 3 if text[max(0, m.start() - 4):m.start()] == " IT " else m.start()
        if m.group() == "RMS" or text[max(0, head - 1):head] == " ":
            name = _system_name_before(text, head - 1)
        else:
            continue
        if name:
            out.append(Found(SYSTEM, name[0], name[1], "named_system", (name[0], m.end())))
    for m in _KNOWN_AS.finditer(text) if (" known as " in text or " called " in text
                                          or " named " in text) else ():
        if _is_system_name(m.group("name")):
            out.append(Found(SYSTEM, m.start("name"), m.end("name"), "known_as"))
    for m in _DESCRIBED.finditer(text) if "(" in text else ():
        if _is_system_name(m.group("name")):
            out.append(Found(SYSTEM, m.start("name"), m.end("name"), "described_system",
                             (m.start("desc"), m.end("desc"))))
    proper = "System" in text or "Database" in text or "Register" in text
    for m in _PROPER_SYSTEM.finditer(text) if proper else ():
        start = _title_run_before(text, m.start())
        start, _ = _strip_function_words(text, start, m.start())
        if start < m.start() and text[start].isupper():
            out.append(Found(SYSTEM, start, m.end(), "proper_system"))
    return out


def find_systems_by_domain(text: str) -> list[Found]:
    """``the payroll system``, ``the HR system`` -> System labelled "payroll system" (``systems.py``)."""
    return [Found(SYSTEM, s, e, "domain_system") for s, e in find_domain_systems(text)]


PATTERNS = (find_divisions, find_operations, find_named_initiatives, find_named_systems, find_systems_by_domain,
            find_units, find_partners, find_division_lists, find_cued)


def find_candidates(text: str) -> list[Found]:
    """All patterns over ``text``, sorted by position."""
    found = {f for pattern in PATTERNS for f in pattern(text)}
    return sorted(found, key=lambda f: (f.start, f.end, f.type, f.pattern))


def add_link(doc: Doc, a: tuple[int, int], b: tuple[int, int], method: str) -> None:
    """Record that the ``(start, end)`` character spans ``a`` and ``b`` of ``doc`` name the same
    thing (resolution unites them). Offsets, not token spans: a quote may sit inside a token."""
    if doc._.policekg_links is None:
        doc._.policekg_links = []
    doc._.policekg_links.append((*a, *b, method))


if not Doc.has_extension("policekg_links"):
    # (start, end, start, end, method) tuples; default None so no list is shared between docs.
    Doc.set_extension("policekg_links", default=None)
if not Span.has_extension("policekg_method"):
    # The method is kept in span.id_ (as EntityRuler keeps a pattern id); this reads it by name.
    Span.set_extension("policekg_method", getter=lambda span: span.id_ or None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc: spaCy joins every token's text on each access, and the
    three components each read it (a third of the pipeline's time on the bundled reports)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "policekg_text"


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)`` with ``doc_text`` already known: spaCy's tokenizer keeps every
    character, so the doc's text is ``text`` itself and need not be rebuilt from the tokens (on a
    long report, rebuilding it cost more than the sentencizer)."""
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT_KEY] = text
    return doc


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The span at exactly these offsets, else the tokens inside them (never a wider span:
    "TIDEWATCH" inside the token "TIDEWATCH.WEB" is no candidate rather than a wrong one)."""
    return doc.char_span(start, end) or doc.char_span(start, end, alignment_mode="contract")


@Language.factory(
    "policekg_discovery",
    assigns=["doc.spans", "doc._.policekg_links"],
    default_config={"spans_key": SPANS_KEY},
)
def make_discovery(nlp: Language, name: str, spans_key: str) -> EntityDiscovery:
    return EntityDiscovery(nlp, name, spans_key=spans_key)


class EntityDiscovery:
    """Adds a candidate span for every pattern match (method ``pattern:<name>``)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        for found in find_candidates(doc_text(doc)):
            span = char_span(doc, found.start, found.end)
            if span is None:
                continue
            method = f"pattern:{found.pattern}"
            group.append(Span(doc, span.start, span.end, label=found.type, span_id=method))
            if found.alias and found.alias != (found.start, found.end):
                add_link(doc, (found.start, found.end), found.alias, method)
        return doc
