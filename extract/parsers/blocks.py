"""The one line and block model every parser reads normalised text through.

Normalised text has one paragraph per line (the normaliser glues page-split sentences back
together). Two views of it:

* :class:`Line`: every line with its offsets, blank ones included, for parsers that walk a layout
  line by line (the Baseline Assessment's grade tables and overview tables);
* :class:`Block`: every non-blank line, except that a bullet's indented sub-bullets join their
  parent bullet's block. A block is a ``table`` row (it has a tab in it), a ``bullet`` (``-``,
  ``•``, ``*`` or ``1.``), a ``short`` line (short, capitalised, no final punctuation: a heading,
  a title line, a judgment such as ``Good`` or a signature; the parser decides from what follows)
  or a ``para``.

Helpers shared by the parsers live here too: the force name and year of a report's front matter,
the month names, and the one rule for what a heading looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.extract.normalise import MONTHS, fold

__all__ = ["MONTHS", "Block", "Line", "find_force", "find_year", "heading_indices", "is_bullet", "is_short",
           "next_nonblank", "split_blocks", "split_lines", "titleish"]

# On folded text, so en dashes and "•" are already "-"; used with match(pos), so no "^". Numbered
# items allow one or two digits so that a sentence starting with a year is never a bullet.
_BLOCK_BULLET = re.compile(r"(?P<indent>[ \t]*)(?:[-*]|\d{1,2}[.)])[ \t]+(?=\S)")
_LINE_BULLET = re.compile(r"\s*[-*\u2022\u2013]\s+(?=\S)")
_SHORT_MAX_CHARS = 120
_SHORT_MAX_WORDS = 16
# Final punctuation that marks a sentence, a lead-in or a list item rather than a heading.
_SENTENCE_END = (".", ",", ";", ":", "!", "\u2026")
# "... Police", "... Constabulary", "... Police Service": capitalised words, with "and"/"of"/"the"
# allowed between them (Avon and Somerset Constabulary, City of London Police). Spaces only, so a
# name never runs across lines.
_FORCE = re.compile(
    r"\b(?:[A-Z][\w'&-]*[ ]+)(?:(?:and|of|the|[A-Z][\w'&-]*)[ ]+)*?"
    r"(?:Police(?:[ ]Service)?|Constabulary)\b"
)
# "Review of X Police": a document word before "of" is not part of the name ("City of London" is).
_DOC_PREFIX = re.compile(
    r"^(?:[A-Z][\w'&-]*[ ]+)*?(?:Review|Inspection|Report|Minutes|Assessment|Audit|Meeting|Survey|"
    r"Letter|Summary|Update|Analysis|Evaluation)[ ]+(?:of|on|into|for)[ ]+(?:the[ ]+)?"
)
_NOT_FORCE_START = ("HM ", "Her Majesty", "His Majesty", "Inspector", "Chief ", "The ", "An ", "A ")
_YEAR = re.compile(r"\b(?:19|20)\d{2}(?:/\d{2})?\b")


# --- lines ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One line of the normalised text, without its newline."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def span_of(self, part: str) -> tuple[int, int]:
        """Offsets of the first occurrence of ``part`` in this line."""
        at = self.text.find(part)
        return self.start + at, self.start + at + len(part)


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines with their offsets (a last line without newline is kept)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def next_nonblank(lines: list[Line], i: int, *, stop: int | None = None, step: int = 1) -> int | None:
    """Index of the first non-blank line from ``i`` on (or back, with ``step=-1``), before ``stop``."""
    stop = (len(lines) if step > 0 else -1) if stop is None else stop
    while (i < stop if step > 0 else i > stop) and 0 <= i < len(lines):
        if lines[i].stripped:
            return i
        i += step
    return None


def is_bullet(s: str) -> bool:
    """Is this (stripped) line a bullet: ``- text``, ``• text``?"""
    return bool(_LINE_BULLET.match(s))


def titleish(s: str) -> bool:
    """Could this stripped line be a sub-heading: short, capitalised, no final punctuation, and
    most of its longer words capitalised (Title Case)?

    >>> titleish("Training, Skills and Education"), titleish("Key to grades"), titleish("It is.")
    (True, False, False)
    """
    if not s or len(s) > 80 or "\t" in s or s[-1] in ".;,:!?" or not s[0].isupper() or is_bullet(s):
        return False
    words = re.findall(r"[A-Za-z][\w'\u2019-]*", s)
    if not words or len(words) > 10:
        return False
    major = [w for w in words if len(w) > 3]
    return sum(w[0].isupper() for w in major) * 2 >= len(major)


# --- blocks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One paragraph, bullet (with its sub-bullets), table row or short line.

    ``start``/``end`` bound the block's text without any bullet marker or surrounding space, so
    ``text[start:end]`` is what a finding quotes.
    """

    kind: str  # "para" | "bullet" | "short" | "table"
    start: int
    end: int
    line_start: int  # offset of the line's first character, for headings' spans
    text: str  # the stripped text of the block (bullet marker removed)


def split_blocks(text: str) -> list[Block]:
    """Split normalised text into blocks, in document order.

    Args:
        text: normalised report text.

    Returns:
        Every non-blank line as a block, with indented sub-bullets merged into their parent.
    """
    folded = fold(text)
    blocks: list[Block] = []
    parent_indent = -1  # indent of the bullet that deeper bullets may join; -1: none open
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        start, end = line_start + lead, line_start + len(line.rstrip())
        if "\t" in line:
            blocks.append(Block("table", start, end, line_start, stripped))
            parent_indent = -1
            continue
        m = _BLOCK_BULLET.match(folded, line_start, line_start + len(line))
        if m:
            indent = len(m.group("indent"))
            if 0 <= parent_indent < indent and blocks and blocks[-1].kind == "bullet":
                # A sub-bullet: the parent's finding spans its children.
                prev = blocks[-1]
                blocks[-1] = Block("bullet", prev.start, end, prev.line_start, text[prev.start:end])
                continue
            body = m.end()
            blocks.append(Block("bullet", body, end, line_start, text[body:end]))
            parent_indent = indent
            continue
        parent_indent = -1
        kind = "short" if is_short(stripped) else "para"
        blocks.append(Block(kind, start, end, line_start, stripped))
    return blocks


def is_short(line: str) -> bool:
    """Whether a stripped line looks like a heading: short, capitalised, no final punctuation."""
    return (
        len(line) <= _SHORT_MAX_CHARS
        and len(line.split()) <= _SHORT_MAX_WORDS
        and not line.endswith(_SENTENCE_END)
        and (line[0].isupper() or line[0].isdigit())
    )


def heading_indices(blocks: list[Block]) -> set[int]:
    """Indices of ``short`` blocks that head a paragraph or bullet (the next block is one)."""
    return {
        i for i, b in enumerate(blocks[:-1])
        if b.kind == "short" and blocks[i + 1].kind in ("para", "bullet")
    }


# --- front matter -----------------------------------------------------------------------------

def find_force(text: str, *, max_lines: int = 40) -> str | None:
    """The first "... Police" / "... Constabulary" name in the first lines, if any."""
    head = "\n".join(text.split("\n")[:max_lines])
    for m in _FORCE.finditer(head):
        name = _DOC_PREFIX.sub("", m.group(0))
        if not name.startswith(_NOT_FORCE_START):
            return name
    return None


def find_year(text: str) -> str:
    """The first year (``2006``, or ``2018/19`` when written so) in ``text``, or ``""``."""
    m = _YEAR.search(text)
    return m.group(0) if m else ""
