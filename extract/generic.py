"""Read any report as headings and paragraphs, and the block splitter the other parsers share.

Normalised text has one paragraph per line (the normaliser glues page-split sentences back
together), so a *block* is one non-blank line, except that a bullet's indented sub-bullets join
their parent bullet's block. Each block is one of:

* ``table``: a row of a flattened table (it has a tab in it);
* ``bullet``: a ``-``, ``•``, ``*`` or ``1.`` list item, with any indented sub-items;
* ``short``: a short line without final punctuation, which may be a heading, a title line, a
  judgment (``Good``) or a signature; the parser decides from what follows;
* ``para``: anything else.

The generic parser treats a ``short`` block followed by a paragraph or bullet as a heading and
makes every paragraph and bullet an OBSERVATION finding under the latest heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.extract.model import GENERIC, OBSERVATION, Finding, Report
from policekg.extract.normalise import Normalised, fold

# On folded text, so en dashes and "•" are already "-"; used with match(pos), so no "^". Numbered
# items allow one or two digits so that a sentence starting with a year is never a bullet.
_BULLET = re.compile(r"(?P<indent>[ \t]*)(?:[-*]|\d{1,2}[.)])[ \t]+(?=\S)")
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
        m = _BULLET.match(folded, line_start, line_start + len(line))
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


def heading_indices(blocks: list[Block]) -> set[int]:
    """Indices of ``short`` blocks that head a paragraph or bullet (the next block is one)."""
    return {
        i for i, b in enumerate(blocks[:-1])
        if b.kind == "short" and blocks[i + 1].kind in ("para", "bullet")
    }


def parse_generic(norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
    """Read a report of unknown kind as headings and paragraphs.

    Args:
        norm: the normalised text.
        source_name: the file's name, for the report's identity.
        sha256: digest of the original file's bytes.

    Returns:
        A GENERIC report: every paragraph and bullet is an OBSERVATION finding whose ``section``
        is the heading above it; no frameworks. A short line that ends the text (a one-line
        fragment) is a finding too; other short lines that head nothing (title lines,
        signatures) are not.
    """
    text = norm.text
    blocks = split_blocks(text)
    headings = heading_indices(blocks)
    findings: list[Finding] = []
    section: str | None = None
    for i, b in enumerate(blocks):
        if i in headings:
            section = b.text
            continue
        last = i == len(blocks) - 1
        if b.kind in ("para", "bullet") or (b.kind == "short" and last):
            findings.append(Finding(
                ordinal=len(findings) + 1, kind=OBSERVATION, text=text[b.start:b.end],
                start=b.start, end=b.end, section=section,
            ))
    first = next((b.text for b in blocks if b.kind != "table"), "")
    return Report(
        kind=GENERIC,
        force=find_force(text) or "Unknown force",
        title=first[:200],
        year=find_year(text),
        published=None,
        source_name=source_name,
        text=text,
        sha256=sha256,
        findings=findings,
    )
