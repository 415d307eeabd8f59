"""The force-overview parts of a Baseline Assessment: divisions, CDRPs, glossary.

Used by :mod:`policekg.extract.parsers.baseline`. The overview heads each division with a line
``<Name> Division`` followed by a descriptive paragraph, then gives two tables whose header reads
``CDRP<tab>Population<tab>Division<tab>Population`` (and the same with ``Households``): one row per
CDRP, with the division's name and total on the first row of each group, and a ``Force`` total row.
"""

from __future__ import annotations

import re

from policekg.extract.model import CDRPInfo, DivisionInfo, GlossaryEntry
from policekg.extract.normalise import fold
from policekg.extract.parsers.blocks import Line, is_bullet, next_nonblank, titleish

_DIVISION = re.compile(r"(.{2,60}?)\s+Division")
_RULE = re.compile(r"[-_=\u2013\u2014\s]+")
_TOTALS = frozenset({"force", "total", "force total", "force area", "totals"})
_METRICS = ("population", "households")


def _int(cell: str) -> int | None:
    cell = cell.strip().replace(",", "")
    return int(cell) if cell.isdigit() else None


def _name_key(name: str) -> str:
    return re.sub(r"\s+division$", "", re.sub(r"\s+", " ", fold(name).strip().lower()))


def find_divisions(lines: list[Line]) -> list[DivisionInfo]:
    """Divisions headed in the force overview: ``<Name> Division`` then a descriptive paragraph."""
    out = []
    for i, line in enumerate(lines):
        m = _DIVISION.fullmatch(line.stripped)
        if not m or not titleish(line.stripped):
            continue
        j = next_nonblank(lines, i + 1)
        if j is None or titleish(lines[j].stripped) or is_bullet(lines[j].stripped) or "\t" in lines[j].text:
            continue
        para = lines[j]
        start = line.span_of(line.stripped)[0]
        out.append(DivisionInfo(name=m.group(1).strip(), description=para.stripped, start=start,
                                end=para.span_of(para.stripped)[1]))
    return out


def _table_header(line: Line) -> tuple[int, str] | None:
    """``(division column, metric)`` for a header like ``CDRP<tab>Population<tab>Division<tab>...``."""
    cells = [c.strip().lower() for c in line.text.split("\t")]
    if len(cells) < 2 or "division" not in cells:
        return None
    col = cells.index("division")
    metric = cells[col + 1] if col + 1 < len(cells) else (cells[1] if col > 0 else "")
    return (col, metric) if metric in _METRICS else None


def find_cdrps(lines: list[Line], divisions: list[DivisionInfo]) -> list[CDRPInfo]:
    """CDRP rows of the overview tables; also fills the divisions' population and households.

    A division missing from the headings but named in a table is appended to ``divisions``.
    """
    by_name: dict[str, CDRPInfo] = {}
    divs = {_name_key(d.name): d for d in divisions}
    i = 0
    while i < len(lines):
        head = _table_header(lines[i])
        i += 1
        if head is None:
            continue
        col, metric = head
        current: str | None = None
        # Rows run on across a blank line (a page break) until a line that is not a table row.
        while i < len(lines) and (not lines[i].stripped or "\t" in lines[i].text):
            line = lines[i]
            cells = [c.strip() for c in line.text.split("\t")]
            if len(cells) >= 2 and cells[0] and cells[1] and _int(cells[1]) is None:
                # Not a CDRP row (its second cell is a count): another table, such as a Summary of
                # Judgements that follows the overview after a blank line, or a repeated header.
                break
            i += 1
            if len(cells) < 2 or cells[0].lower() in _TOTALS or (col > 0 and not cells[1]):
                continue  # blank line, or the force's total row
            if col < len(cells) and cells[col] and _int(cells[col]) is None:
                current = cells[col]
                div = divs.get(_name_key(current))
                if div is None:
                    a, b = line.span_of(current)
                    div = divs[_name_key(current)] = DivisionInfo(name=current, start=a, end=b)
                    divisions.append(div)
                if col + 1 < len(cells) and _int(cells[col + 1]) is not None:
                    setattr(div, metric, _int(cells[col + 1]))
                current = div.name
            if col == 0 or _int(cells[1]) is None or not cells[0]:
                continue
            cdrp = by_name.get(cells[0].lower())
            if cdrp is None:
                a, b = line.span_of(cells[0])
                cdrp = by_name[cells[0].lower()] = CDRPInfo(name=cells[0], start=a, end=b)
            cdrp.division = cdrp.division or current
            setattr(cdrp, metric, _int(cells[1]))
    return list(by_name.values())


def find_glossary(lines: list[Line]) -> list[GlossaryEntry]:
    """Entries of the glossary appendix; ``lines`` starts at its heading.

    An entry is ``ABBR<tab>expansion`` or ``ABBR expansion``; single-letter section letters and
    ``-----`` rules are skipped. Stops at the next appendix heading.
    """
    out = []
    for n, line in enumerate(lines):
        s = line.stripped
        if n > 0 and s.lower().startswith("appendix"):
            break
        if n == 0 or not s or len(s) == 1 or _RULE.fullmatch(s):
            continue
        abbr, sep, expansion = s.partition("\t") if "\t" in s else s.partition(" ")
        abbr, expansion = abbr.strip(), expansion.strip()
        if not sep or not expansion or not re.search(r"[A-Z0-9]", abbr) or len(abbr) > 20:
            continue
        start, end = line.span_of(s)
        out.append(GlossaryEntry(abbreviation=abbr, expansion=expansion, start=start, end=end))
    return out
