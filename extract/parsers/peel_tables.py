"""The PEEL 2014-2019 vocabulary and tables: pillars, grades, questions, the summary table.

Shared by :mod:`policekg.extract.parsers.peel` (which reads the body) and its tests: the
"Overall summary" table's rows, the areas the contents lists under each pillar question, and
the word-overlap score that pairs a body heading with a table row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.extract.normalise import fold
from policekg.extract.parsers.blocks import Block

PILLARS = ("Effectiveness", "Efficiency", "Legitimacy")
GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate", "Ungraded", "Not graded")
_GRADE_KEYS = {g.lower(): g for g in GRADES}
_LAST_INSPECTED = re.compile(r"^(?:19|20)\d{2}(?:/\d{2})?$")
_STOPWORDS = frozenset("a an and the of for to in on with its how does do is are force".split())
# Any question about the force: "How effectively does the force ...?", "How effective is the force at
# ...?", "How well does the force ...?", "To what extent does the force ...?".
QUESTION = re.compile(
    r"^(?:How (\w+)|To what extent) (?:does|do|is|are) the (?:force|constabulary|service)\b.*\?$", re.I,
)
STOP = re.compile(r"^(?:annex|appendix)\b", re.I)
# Headings whose sections hold no findings: front matter, data tables, boilerplate.
SKIP = re.compile(
    r"^(?:contents|force in context|what this report contains|overall summary|"
    r"how does the force compare\b.*|our inspection approach|about (?:this|the) (?:report|data))$",
    re.I,
)


@dataclass
class TableRow:
    """One area row of the "Overall summary" table."""

    pillar: str | None
    title: str
    grade: str | None
    last_inspected: str | None
    start: int  # span of the title cell
    end: int


def _heading_index(blocks: list[Block], heading: str) -> int | None:
    return next((i for i, b in enumerate(blocks) if b.kind == "short" and b.text.lower() == heading), None)


def grade_of(line: str) -> str | None:
    """The judgment a line states on its own (``"Requires improvement"``), in canonical case."""
    return _GRADE_KEYS.get(" ".join(fold(line).lower().split()))


def summary_table(blocks: list[Block]) -> tuple[list[TableRow], dict[str, str]]:
    """Read the "Overall summary" table's rows, and any pillar judgments in its header rows.

    The flattened table is untidy: cells shift, and a pillar's own judgment can sit in its header
    row ("\\tLegitimacy\\t Good\\tLast inspected"). So each row is read by what its cells hold,
    not by column: a pillar name marks a header row, a judgment word is the grade, a year is the
    last inspection, and the first other cell is the area's title.
    """
    rows: list[TableRow] = []
    grades: dict[str, str] = {}
    start = _heading_index(blocks, "overall summary")
    if start is None:
        return rows, grades
    pillar: str | None = None
    for b in blocks[start + 1:]:
        if b.kind != "table":
            if rows or pillar:
                break
            continue
        cells = [c.strip() for c in b.text.split("\t") if c.strip()]
        grade = next((g for c in cells if (g := grade_of(c))), None)
        head = next((c for c in cells if c in PILLARS), None)
        if head:
            pillar = head
            if grade:
                grades[head] = grade
            continue
        last = next((c for c in cells if _LAST_INSPECTED.match(c)), None)
        title = next((c for c in cells if not grade_of(c) and not _LAST_INSPECTED.match(c)), None)
        if title is None or title.lower() == "last inspected":
            continue
        at = b.start + b.text.find(title)
        rows.append(TableRow(pillar, title, grade, last, at, at + len(title)))
    return rows, grades


def contents_areas(blocks: list[Block]) -> set[str]:
    """Folded, lower-cased titles the contents lists under a pillar question (the areas)."""
    out: set[str] = set()
    start = _heading_index(blocks, "contents")
    if start is None:
        return out
    under_question = False
    for b in blocks[start + 1:]:
        if b.kind != "table":
            break
        entry = fold(b.text.split("\t")[0].strip())
        if QUESTION.match(entry):
            under_question = True
        elif entry in PILLARS or STOP.match(entry):
            under_question = False
        elif under_question and not SKIP.match(entry) and entry.lower() != "summary":
            out.add(entry.lower())
    return out


def _stems(title: str) -> set[str]:
    # Four-letter prefixes make "Treating the public fairly" meet "Fair treatment of the public".
    return {w[:4] for w in re.findall(r"[a-z]+", fold(title).lower()) if w not in _STOPWORDS and len(w) > 2}


def area_match_score(a: str, b: str) -> float:
    """Word overlap of two area titles, 0..1, relative to the shorter title."""
    sa, sb = _stems(a), _stems(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
