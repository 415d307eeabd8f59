"""Abbreviation definitions: ``long form (SHORT)`` and ``SHORT (long form)``.

The algorithm is Schwartz & Hearst's (A. S. Schwartz and M. A. Hearst, "A simple algorithm for
identifying abbreviation definitions in biomedical text", Pacific Symposium on Biocomputing 2003):
find a parenthesised short form, then walk its characters right to left, matching each one to a
character of the words before the parenthesis, the first one at the start of a word; the shortest
run of words that matches is the long form. Reports write definitions the other way round too,
``ViSOR (Violent and Sex Offenders Register)``, and a force names its own systems with a
description instead of an expansion, ``BEACON (the force public protection IT system)``; both are
accepted when the name before the parenthesis looks like an abbreviation.

``find_abbreviations`` is a pure function; ``AbbreviationDetector`` is the thin spaCy component
that turns its results into candidate spans and alias links.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from policekg.extract.discover import SPANS_KEY, add_link, char_span, doc_text, head_type
from policekg.extract.model import GlossaryEntry

# A parenthesised group without nested parentheses.
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
# A clause boundary: a long form never reaches back across one.
_BOUNDARY = re.compile(r"[.;:!?()\n\u2013\u2014\u2022]|\s-\s")
_WORD = re.compile(r"\S+")
_DETERMINERS = ("the ", "a ", "an ", "its ")


class Abbreviation(NamedTuple):
    """One definition: the short and long forms as written and their ``(start, end)`` offsets."""

    short: str
    long: str
    short_span: tuple[int, int]
    long_span: tuple[int, int]


def is_short_form(word: str) -> bool:
    """Whether ``word`` can be an abbreviation: 2-10 characters, alphanumeric first, a capital
    letter, and no lower-case run that would make it an ordinary capitalised word."""
    if not 2 <= len(word) <= 10 or not word[0].isalnum() or not any(c.isalpha() for c in word):
        return False
    core = singular_short(word)
    capitals = sum(c.isupper() for c in core)
    # "PPU", "ViSOR", "IiP", "QoSC" have at least two capitals; "Beacon" has one.
    return capitals >= 2 or (capitals == 1 and len(core) <= 3 and not core[1:].islower())


def singular_short(short: str) -> str:
    """``PPUs`` -> ``PPU``: a plural ``s`` after capitals is not part of the abbreviation."""
    if len(short) > 2 and short.endswith("s") and sum(c.isupper() for c in short[:-1]) >= 2:
        return short[:-1]
    return short


def best_long_form(short: str, long: str) -> int | None:
    """Schwartz & Hearst's match: the offset in ``long`` where the long form starts, or None.

    Each alphanumeric character of ``short``, right to left, must match a character of ``long``
    further left than the previous one; the first must also start a word.

    >>> best_long_form("PPU", "each BCU a public protection unit")
    11
    """
    s, i = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (long[i].lower() != c or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    return long.rfind(" ", 0, i + 1) + 1


def _long_form_before(text: str, paren_start: int, short: str) -> tuple[int, int] | None:
    """The long form ending just before ``(`` at ``paren_start``, as ``(start, end)``."""
    end = paren_start
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    clause_start = 0
    for m in _BOUNDARY.finditer(text, max(0, end - 200), end):
        clause_start = m.end()
    words = list(_WORD.finditer(text, clause_start, end))
    limit = min(len(short) + 5, len(short) * 2)
    if not words:
        return None
    words = words[-limit:]
    window_start = words[0].start()
    window = text[window_start:end]
    offset = best_long_form(short, window)
    if offset is None:
        return None
    start = window_start + offset
    long = text[start:end]
    # Schwartz & Hearst: the long form is longer than the short form and does not contain it.
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return None
    return start, end


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every abbreviation definition in ``text``, in order of the parenthesis.

    >>> [(a.short, a.long) for a in find_abbreviations("each BCU has a public protection unit (PPU).")]
    [('PPU', 'public protection unit')]
    """
    out = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip(" ,;")
        inner_start = m.start(1) + m.group(1).index(inner) if inner else m.start(1)
        if not inner:
            continue
        if len(inner.split()) == 1 and is_short_form(inner):
            span = _long_form_before(text, m.start(), singular_short(inner))
            if span:
                out.append(Abbreviation(inner, text[span[0]:span[1]], (inner_start, inner_start + len(inner)),
                                        span))
            continue
        # SHORT (long form): the word right before the parenthesis is the short form.
        before = re.search(r"(\S+)\s*$", text[max(0, m.start() - 30):m.start()])
        if not before or len(inner.split()) < 2:
            continue
        short = before.group(1)
        short_start = max(0, m.start() - 30) + before.start(1)
        if not is_short_form(short):
            continue
        # A description ("the force public protection IT system") must end in a typed head noun;
        # "LCJB (the performance delivery group)" names a part, not the thing itself.
        descriptive = inner.lower().startswith(_DETERMINERS) and head_type(inner) is not None
        if descriptive or best_long_form(singular_short(short), inner) is not None:
            out.append(Abbreviation(short, inner, (short_start, short_start + len(short)),
                                    (inner_start, inner_start + len(inner))))
    return out


def glossary_abbreviations(entries: list[GlossaryEntry]) -> list[Abbreviation]:
    """The report's own glossary as definitions (offsets are those of the glossary line)."""
    return [
        Abbreviation(e.abbreviation, e.expansion, (e.start, e.start + len(e.abbreviation)), (e.start, e.end))
        for e in entries
        if e.abbreviation and e.expansion
    ]


@Language.factory(
    "policekg_abbreviations",
    assigns=["doc.spans", "doc._.policekg_links"],
    default_config={"spans_key": SPANS_KEY},
)
def make_abbreviation_detector(nlp: Language, name: str, spans_key: str) -> AbbreviationDetector:
    return AbbreviationDetector(nlp, name, spans_key=spans_key)


class AbbreviationDetector:
    """Links each short form to its long form; a long form whose head names a type
    (``... unit`` -> Unit, ``... system`` -> System) makes both candidates (method ``abbreviation``)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.setdefault(self.spans_key, [])
        for abbr in find_abbreviations(doc_text(doc)):
            short = char_span(doc, *abbr.short_span)
            long = char_span(doc, *abbr.long_span)
            if short is None or long is None:
                continue
            add_link(doc, abbr.short_span, abbr.long_span, "abbreviation")
            type_ = head_type(abbr.long)
            if type_:
                for span in (short, long):
                    group.append(Span(doc, span.start, span.end, label=type_, span_id="abbreviation"))
        return doc
