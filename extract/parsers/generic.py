"""The generic parser: any text, read as headings and paragraphs.

A ``short`` block followed by a paragraph or bullet is a heading; every paragraph and bullet is an
OBSERVATION finding under the latest heading. It never recognises a report by itself (its
``looks_like`` score is 0): it runs only when asked for with ``kind="generic"``.
"""

from __future__ import annotations

from policekg.extract.model import GENERIC, OBSERVATION, Finding, Report
from policekg.extract.normalise import Normalised
from policekg.extract.parsers.blocks import find_force, find_year, heading_indices, split_blocks


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


class GenericParser:
    """Headings and paragraphs; see :func:`parse_generic`."""

    name = "generic"
    kind = GENERIC
    description = "any text: headings and paragraphs, every paragraph and bullet an observation"

    def looks_like(self, text: str) -> float:
        """Never: the generic reading is only used when asked for."""
        return 0.0

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
        return parse_generic(norm, source_name=source_name, sha256=sha256)


PARSER = GenericParser()
