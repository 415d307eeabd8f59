"""HMICFRS PEEL 2021/22 and 2023-2025: graded areas, no pillars.

These reports grade areas of policing (Investigating crime, Responding to the public...) on a
five-point scale: Outstanding, Good, Adequate, Requires improvement, Inadequate. The "Our
judgments" table gives every grade, in one of two shapes:

* a grid whose header row is the five grades, each area written in its grade's column
  (2021/22);
* one row per area: its title and its grade (2023-2025).

Each area then has its own section: the area's title, its grade on a line of its own, summary
paragraphs, and under sub-headings its "Areas for improvement", "Innovative practice" and
"Promising practice". "Causes of concern" (each with its "Recommendations") may sit before the
area sections or inside one. A practice's first short line is its title. Front matter ("About this
report", the contents), data sections and annexes hold no findings.
"""

from __future__ import annotations

import re

from policekg.extract.model import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    INNOVATIVE_PRACTICE,
    OBSERVATION,
    PEEL,
    PROMISING_PRACTICE,
    RECOMMENDATION,
    SUMMARY,
    Finding,
    Framework,
    Report,
)
from policekg.extract.normalise import Normalised, fold
from policekg.extract.parsers.blocks import Block, find_force, find_year, split_blocks

GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate", "Not graded")
_GRADE_KEYS = {g.lower(): g for g in GRADES}
_TITLE = re.compile(r"\bPEEL\b[^\n]{0,80}?\b20(?:2[1-9]|3\d)\b")
_JUDGMENTS = re.compile(r"^our judge?ments$", re.I)
_HMI = re.compile(r"(?:inspector|\bHMI)'?s observations$", re.I)
_STOP = re.compile(r"^(?:annex|appendix)\b", re.I)
_SKIP = re.compile(
    r"^(?:contents|about (?:this|the) (?:report|data)|data in this report|force in context|"
    r"overall summary|our judge?ments|what this report contains)$", re.I,
)
# Sub-headings that say what the blocks under them are.
_KINDS = {
    "areas for improvement": AREA_FOR_IMPROVEMENT, "area for improvement": AREA_FOR_IMPROVEMENT,
    "causes of concern": CAUSE_OF_CONCERN, "cause of concern": CAUSE_OF_CONCERN,
    "recommendations": RECOMMENDATION, "recommendation": RECOMMENDATION,
    "innovative practice": INNOVATIVE_PRACTICE, "promising practice": PROMISING_PRACTICE,
}
_PRACTICES = (INNOVATIVE_PRACTICE, PROMISING_PRACTICE)


def grade_of(line: str) -> str | None:
    """The grade a line or table cell states on its own, in canonical case."""
    return _GRADE_KEYS.get(" ".join(fold(line).lower().split()))


def looks_like_peel2021(text: str) -> bool:
    """Whether ``text`` is a PEEL report of 2021 onward: its title names PEEL and a year from
    2021, or it has an "Our judgments" heading and uses the "Adequate" grade."""
    head = fold("\n".join([line for line in text.split("\n") if line.strip()][:8]))
    if _TITLE.search(head):
        return True
    has_heading = any(_JUDGMENTS.match(line.strip()) for line in text.split("\n"))
    return has_heading and re.search(r"^\s*Adequate\s*$|\tAdequate\b", text, re.M) is not None


def judgments(blocks: list[Block], text: str) -> list[tuple[str, str, Block]]:
    """``(area, grade, row block)`` from the "Our judgments" table, in reading order.

    A header row of grades makes it a grid (each area in its grade's column); otherwise each row
    holds an area and its grade.
    """
    start = next((i for i, b in enumerate(blocks) if b.kind == "short" and _JUDGMENTS.match(b.text)), None)
    if start is None:
        return []
    out: list[tuple[str, str, Block]] = []
    columns: list[str | None] | None = None
    seen_table = False
    for b in blocks[start + 1:]:
        if b.kind != "table":
            if seen_table:
                break
            continue
        seen_table = True
        cells = [c.strip() for c in text[b.line_start:b.end].split("\t")]
        grades = [grade_of(c) for c in cells]
        if columns is None and sum(g is not None for g in grades) >= 2 and all(g or not c for g, c in
                                                                                zip(grades, cells, strict=True)):
            columns = grades
            continue
        if columns is not None:
            for k, cell in enumerate(cells):
                if cell and k < len(columns) and columns[k]:
                    out.append((cell, columns[k], b))
            continue
        grade = next((g for g in grades if g), None)
        title = next((c for c, g in zip(cells, grades, strict=True) if c and not g), None)
        if grade and title and title.lower() not in ("area", "areas", "grade", "judgment"):
            out.append((title, grade, b))
    return out


def parse_peel2021(norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
    """Parse a PEEL 2021/22 or 2023-2025 report.

    Args:
        norm: the normalised text.
        source_name: the file's name, for the report's identity.
        sha256: digest of the original file's bytes.

    Returns:
        A PEEL report whose frameworks are its graded areas (level ``area``, no pillars) and whose
        findings carry the new kinds (recommendations, innovative and promising practice).
    """
    text = norm.text
    blocks = split_blocks(text)
    table = judgments(blocks, text)
    titles = {fold(t).lower(): t for t, _, _ in table}
    frameworks = {t: Framework(code="", title=t, level="area", grade=g, start=b.start, end=b.end)
                  for t, g, b in table}
    findings: list[Finding] = []
    area: str | None = None
    zone = "skip"  # "skip" | "body" | "hmi"
    kind = SUMMARY
    section: str | None = None
    skip_grade = False
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        key = fold(b.text).lower()
        if b.kind == "table":
            continue
        if skip_grade and b.kind == "short" and grade_of(b.text):
            skip_grade = False
            continue
        skip_grade = False
        if b.kind == "short":
            if _STOP.match(b.text):
                break
            if key in titles:
                area, zone, kind, section, skip_grade = titles[key], "body", SUMMARY, None, True
                frameworks[area].start, frameworks[area].end = b.start, b.end
                continue
            if _HMI.search(fold(b.text)):
                zone, area, kind, section = "hmi", None, OBSERVATION, b.text
                continue
            if _SKIP.match(b.text):
                zone = "skip"
                continue
            if key in _KINDS:
                kind, section, zone = _KINDS[key], None, "body"
                continue
            if nxt is not None and nxt.kind in ("para", "bullet") and zone == "body":
                # A practice's title, or a narrative sub-heading.
                section = b.text
                if kind not in _PRACTICES:
                    kind = OBSERVATION
                continue
        if zone == "skip" or b.kind not in ("para", "bullet"):
            continue
        findings.append(Finding(ordinal=len(findings) + 1, kind=kind, text=text[b.start:b.end], start=b.start,
                                end=b.end, framework=area, section=section,
                                title=section if kind in _PRACTICES else None))
    return Report(
        kind=PEEL, force=_force(blocks) or find_force(text) or "Unknown force",
        title=_title(blocks), year=_year(_title(blocks)) or find_year(text), published=None,
        source_name=source_name, text=text, sha256=sha256,
        frameworks=list(frameworks.values()), findings=findings,
    )


def _title_lines(blocks: list[Block]) -> list[str]:
    lines = []
    for b in blocks[:4]:
        if b.kind != "short" or _SKIP.match(b.text):
            break
        lines.append(b.text)
    return lines


def _title(blocks: list[Block]) -> str:
    return " \u2013 ".join(_title_lines(blocks))


def _year(title: str) -> str:
    """The period in the title as written: ``2021/22``, ``2023–25``."""
    m = re.search(r"\b20\d\d(?:[/\u2013-]\d{2})?\b", title)
    return m.group(0) if m else ""


def _force(blocks: list[Block]) -> str | None:
    for line in _title_lines(blocks):
        m = re.match(r"^An? (?:\w+ )?inspection of (?:the )?(.+)$", line, re.I)
        if m:
            return m.group(1).rstrip(" .")
    return None


class Peel2021Parser:
    """PEEL 2021/22 and 2023-2025 reports; see :func:`parse_peel2021`."""

    name = "peel-2021"
    kind = PEEL
    description = "HMICFRS PEEL 2021/22 and 2023-2025: areas graded in an Our judgments table, no pillars"

    def looks_like(self, text: str) -> float:
        """1.0 for a PEEL report of 2021 onward (see :func:`looks_like_peel2021`), else 0."""
        return 1.0 if looks_like_peel2021(text) else 0.0

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
        return parse_peel2021(norm, source_name=source_name, sha256=sha256)


PARSER = Peel2021Parser()
