"""Read a report file and normalise its text, keeping a map back to the original.

Reports reach us as text extracted from PDFs or web pages. Normalising:

* drops page footers (a lone ``October 2006`` line repeated on every page, ``Page 3 of 40``);
* joins a bullet or paragraph that a page break split in two: the continuation starts in lower
  case, or the line before it ends in a word no sentence ends with ("and", "the", ","), so it cannot
  be a new sentence or heading; table rows (lines with tabs) are never joined;
* reduces ``[term](#)`` link markup and ``*emphasis*`` / ``**strong**`` to their text;
* collapses runs of blank lines to one and trims trailing spaces.

Text extracted from a PDF (``pages=True``: pages separated by a form feed, the lines of one
paragraph on consecutive lines, paragraphs separated by a blank line) is also:

* stripped of running headers and footers (a line at the top or bottom of a page that recurs,
  digits aside, on many pages) and of lone page numbers (``12``, ``Page 3``, ``3 of 40``);
* re-flowed: the lines of one paragraph become one line; a word hyphenated across two lines
  (``organ-`` / ``isation``, or a soft hyphen) is joined without its hyphen.

Typographic quotes and dashes are kept verbatim (findings quote the source exactly); ``fold``
gives a same-length copy with ASCII quotes and hyphens for loose matching, so offsets found in the
folded text are offsets in the normalised text.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass

from policekg.extract.readers import read_report  # noqa: F401  (re-exported: callers import it from here)

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A line that is only a date or a page number: repeated on every page, so a footer.
_FOOTER = re.compile(rf"^\s*(?:(?:{MONTHS})\s+\d{{4}}|Page\s+\d+(?:\s+of\s+\d+)?)\s*$")
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\((?:#|[^)\s]*)\)")
_STRONG = re.compile(r"\*\*(?=\S)")
_EMPH = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")
_ESCAPE = re.compile(r"\\([()\[\]*_])")
# A line ending in one of these cannot end a sentence: a page break split it, even though the next
# line starts with a capital ("... The Prevent and" / "Deter programme also ...").
_DANGLING = re.compile(r"(?:,|\b(?:a|an|and|as|at|by|for|from|in|into|of|on|or|than|the|to|with))$")
_BULLET_START = re.compile(r"[-*\u2022\u2013]\s")
# A line ending a sentence is not continued by a lower-case line ("... teams." / "areas for
# improvement" is a heading), unless its last word is an abbreviation.
_SENTENCE_END = re.compile(r"(?<!\betc)(?<!\beg)(?<!\bie)(?<!\be\.g)(?<!\bi\.e)(?<!\bno)[.!?]$")

# A lone page number at the top or bottom of a PDF page: "12", "Page 12", "12 of 40", "- 12 -".
_PAGE_NUMBER = re.compile(r"^(?:Page\s+)?[-\u2013 ]*\d{1,4}(?:\s+of\s+\d{1,4})?[-\u2013 ]*$", re.I)
_ITEM_START = re.compile(r"(?:[-*]|\d{1,2}[.)])\s")  # on folded text: a list item never continues a line
_SOFT_HYPHENS = ("\u00ad", "\x02")  # pdfium reports a soft hyphen at a line end as U+0002
_EDGE_LINES = 2  # lines at each end of a page that may be a running header or footer

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2022": "-",
})


def fold(text: str) -> str:
    """Return ``text`` with typographic quotes, dashes and bullets as ASCII, same length.

    >>> fold("the \u2018beacon\u2019 \u2013 2005\u201308")
    "the 'beacon' - 2005-08"
    """
    return text.translate(_FOLD)


@dataclass
class Normalised:
    """Normalised text and, for each of its characters, the offset in the original text."""

    text: str
    source: str
    offsets: array  # len(text) + 1 entries; offsets[i] is the source offset of text[i]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text to the original text."""
        if start >= end:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.parts: list[str] = []
        self.offsets = array("l")

    def keep(self, start: int, end: int) -> None:
        self.parts.append(self.source[start:end])
        self.offsets.extend(range(start, end))

    def insert(self, text: str, at: int) -> None:
        self.parts.append(text)
        self.offsets.extend([at] * len(text))

    def ends_with_newline(self) -> bool:
        return bool(self.parts) and self.parts[-1].endswith("\n")

    def finish(self) -> Normalised:
        text = "".join(self.parts)
        self.offsets.append(len(self.source))
        return Normalised(text, self.source, self.offsets)


def _inline_spans(line: str) -> list[tuple[int, int]]:
    """Spans of ``line`` to keep once link, emphasis and escape markup is dropped."""
    if not any(c in line for c in "[*\\"):
        return [(0, len(line))]  # most lines have no markup: skip the per-character pass
    drop = [False] * len(line)
    for m in _LINK.finditer(line):
        for i in range(m.start(), m.start(1)):
            drop[i] = True
        for i in range(m.end(1), m.end()):
            drop[i] = True
    for m in _STRONG.finditer(line):
        drop[m.start()] = drop[m.start() + 1] = True
    for m in re.finditer(r"(?<=\S)\*\*", line):
        drop[m.start()] = drop[m.start() + 1] = True
    for m in _EMPH.finditer(line):
        drop[m.start()] = drop[m.end() - 1] = True
    for m in _ESCAPE.finditer(line):
        drop[m.start()] = True
    spans, i = [], 0
    while i < len(line):
        if drop[i]:
            i += 1
            continue
        j = i
        while j < len(line) and not drop[j]:
            j += 1
        spans.append((i, j))
        i = j
    return spans


def page_furniture(pages: list[list[str]]) -> list[set[int]]:
    """Which lines of each page are running headers, footers or page numbers.

    Args:
        pages: each page's non-blank lines, stripped, in order.

    Returns:
        For each page, the indices of its furniture lines: among its first and last
        ``_EDGE_LINES`` lines, those that recur (digits aside) at the edges of at least 40% of the
        pages (and of two), and lone page numbers.

    >>> page_furniture([["Northshire Police", "Text one.", "1"], ["Northshire Police", "Text two.", "2"]])
    [{0, 2}, {0, 2}]
    """
    edges = [set(range(min(_EDGE_LINES, len(p)))) | set(range(max(0, len(p) - _EDGE_LINES), len(p)))
             for p in pages]
    keys: Counter = Counter()
    for page, idx in zip(pages, edges, strict=True):
        keys.update({re.sub(r"\d+", "#", page[i]) for i in idx})
    repeated = {k for k, n in keys.items() if n >= max(2, 0.4 * len(pages))}
    return [
        {i for i in idx if re.sub(r"\d+", "#", page[i]) in repeated or _PAGE_NUMBER.match(page[i])}
        for page, idx in zip(pages, edges, strict=True)
    ]


def _page_furniture(source: str, lines: list[tuple[int, int]], stripped: list[str]) -> set[int]:
    """Indices of the lines that are furniture (see :func:`page_furniture`); pages are separated
    by a line holding only a form feed."""
    pages: list[list[int]] = [[]]
    for i, (s, e) in enumerate(lines):
        if "\f" in source[s:e + 1] and not stripped[i]:
            pages.append([])
        elif stripped[i]:
            pages[-1].append(i)
    marks = page_furniture([[stripped[i] for i in page] for page in pages])
    return {page[k] for page, found in zip(pages, marks, strict=True) for k in found}


def _unhyphenate(out: _Builder, prev_text: str, text: str) -> bool:
    """Drop a hyphen that split a word across two lines; return whether one was dropped."""
    hyphen = prev_text.endswith(_SOFT_HYPHENS) or (
        prev_text.endswith("-") and len(prev_text) > 1 and prev_text[-2].isalpha() and text[0].islower()
    )
    if not hyphen:
        return False
    while out.parts and not out.parts[-1]:
        out.parts.pop()
    out.parts[-1] = out.parts[-1][:-1]
    out.offsets.pop()
    return True


def normalise(source: str, *, pages: bool = False) -> Normalised:
    """Normalise report text; see the module docstring for what changes.

    Args:
        source: the extracted text.
        pages: the text comes from a PDF reader: pages separated by form feeds, paragraphs by
            blank lines, with the lines of a paragraph wrapped; drop page furniture and re-flow.

    Returns:
        The normalised text with the map back to ``source``.
    """
    lines: list[tuple[int, int]] = []  # (start, end) of each line, without its newline
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append((pos, pos + len(body)))
        pos += len(raw)
    stripped = [source[s:e].strip() for s, e in lines]
    counts = Counter(stripped)
    footer = {t for t in counts if _FOOTER.match(t) and (counts[t] >= 3 or t.lower().startswith("page"))}
    furniture = _page_furniture(source, lines, stripped) if pages else set()

    out = _Builder(source)
    prev_text = ""  # last non-blank line emitted, to decide joins
    pending_blank = False
    for n, ((s, e), text) in enumerate(zip(lines, stripped, strict=True)):
        if pages and not text and "\f" in source[s:e + 1]:
            continue  # a page break is not a paragraph break: a sentence may run on to the next page
        if not text or text in footer or n in furniture:
            pending_blank = pending_blank or (bool(prev_text) and not (pages and n in furniture))
            continue
        body_end = s + len(source[s:e].rstrip())
        continues = (text[0].islower() and not _SENTENCE_END.search(prev_text)) or (
            text[0].isupper() and _DANGLING.search(prev_text) and not _BULLET_START.match(text)
        )
        # In a PDF's text the lines of one paragraph follow each other with no blank line between.
        wrapped = pages and not pending_blank and not _ITEM_START.match(fold(text))
        joins = (
            prev_text
            and (continues or wrapped)
            and not prev_text.endswith(":")
            and not prev_text.lstrip().startswith(("|", "#"))
            # Table rows (a glossary's "eg<tab>for example") are never continuations.
            and "\t" not in text
            and "\t" not in prev_text
        )
        if joins:
            # A page break or a PDF's line wrap split this sentence: glue it back with one space.
            out.parts[-1] = out.parts[-1][:-1]
            out.offsets.pop()
            if not (pages and _unhyphenate(out, prev_text, text)):
                out.insert(" ", s)
            line_start = s + (len(source[s:e]) - len(source[s:e].lstrip()))
        else:
            if pending_blank:
                out.insert("\n", s)
            line_start = s
        line = source[line_start:body_end]
        for a, b in _inline_spans(line):
            out.keep(line_start + a, line_start + b)
        out.insert("\n", body_end)
        prev_text = text
        pending_blank = False
    return out.finish()
