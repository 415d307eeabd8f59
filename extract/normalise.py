"""Read a report file and normalise its text, keeping a map back to the original.

Reports reach us as text extracted from PDFs or web pages. Normalising:

* drops page footers (a lone ``October 2006`` line repeated on every page, ``Page 3 of 40``);
* joins a bullet or paragraph that a page break split in two: the continuation starts in lower
  case, or the line before it ends in a word no sentence ends with ("and", "the", ","), so it cannot
  be a new sentence or heading; table rows (lines with tabs) are never joined;
* reduces ``[term](#)`` link markup and ``*emphasis*`` / ``**strong**`` to their text;
* collapses runs of blank lines to one and trims trailing spaces.

Typographic quotes and dashes are kept verbatim (findings quote the source exactly); ``fold``
gives a same-length copy with ASCII quotes and hyphens for loose matching, so offsets found in the
folded text are offsets in the normalised text.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from policekg.errors import InputError

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
# A line that is only a date or a page number: repeated on every page, so a footer.
_FOOTER = re.compile(rf"^\s*(?:(?:{_MONTHS})\s+\d{{4}}|Page\s+\d+(?:\s+of\s+\d+)?)\s*$")
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


def normalise(source: str) -> Normalised:
    """Normalise report text; see the module docstring for what changes."""
    lines: list[tuple[int, int]] = []  # (start, end) of each line, without its newline
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append((pos, pos + len(body)))
        pos += len(raw)
    stripped = [source[s:e].strip() for s, e in lines]
    counts = Counter(stripped)
    footer = {t for t in counts if _FOOTER.match(t) and (counts[t] >= 3 or t.lower().startswith("page"))}

    out = _Builder(source)
    prev_text = ""  # last non-blank line emitted, to decide joins
    pending_blank = False
    for (s, e), text in zip(lines, stripped, strict=True):
        if not text or text in footer:
            pending_blank = pending_blank or bool(prev_text)
            continue
        body_end = s + len(source[s:e].rstrip())
        continues = (text[0].islower() and not _SENTENCE_END.search(prev_text)) or (
            text[0].isupper() and _DANGLING.search(prev_text) and not _BULLET_START.match(text)
        )
        joins = (
            prev_text
            and continues
            and not prev_text.endswith(":")
            and not prev_text.lstrip().startswith(("|", "#"))
            # Table rows (a glossary's "eg<tab>for example") are never continuations.
            and "\t" not in text
            and "\t" not in prev_text
        )
        if joins:
            # A page break split this sentence: glue it back with one space.
            out.parts[-1] = out.parts[-1][:-1]
            out.offsets.pop()
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


def read_report(path: str | Path) -> tuple[str, str]:
    """Read a report file as text.

    Returns:
        The decoded text and the SHA-256 of the file's bytes.

    Raises:
        InputError: the file is missing, unreadable, empty, binary or not UTF-8.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file; give the path of a .txt or .md report") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory; give the path of a .txt or .md report") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check its permissions") from None
    if not data.strip():
        raise InputError(f"{p}: the file is empty; give a report with text in it")
    if b"\x00" in data[:8192]:
        raise InputError(f"{p}: looks like a binary file; convert the report to plain text (.txt or .md)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{p}: is not UTF-8 (byte {exc.start}); re-save the report as UTF-8 text"
        ) from None
    return text, hashlib.sha256(data).hexdigest()
