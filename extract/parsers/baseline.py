"""Parse an HMIC Baseline Assessment report (2005-2007 format) into a :class:`Report`.

The format, one report per force, flattened from PDF to text:

* a title page (force name, "Baseline Assessment", month and year, ISBN), a contents list and an
  introduction that names the assessment's financial year;
* a force overview with one ``<Name> Division`` heading per division, each followed by a descriptive
  paragraph, and CDRP population / household tables with a Division column;
* a Summary of Judgements table (titles, grades, directions of travel);
* one section per domain (``4 Promoting Safety (Domain 3)``) and framework (``4B Protecting Vulnerable
  People``), each with its own grade table, national grade distribution, Contextual Factors / National
  Position paragraphs, Strengths / Work in Progress / Areas for Improvement bullets (sometimes under
  sub-headings) and GOOD PRACTICE blocks;
* a glossary appendix.

Everything is found from that structure and its fixed phrases, never from a force's own names. The
overview tables, divisions and glossary are read by :mod:`policekg.extract.parsers.baseline_overview`.
"""

from __future__ import annotations

import logging
import re

from policekg.extract.model import (
    AREA_FOR_IMPROVEMENT,
    BASELINE,
    CONTEXT,
    GOOD_PRACTICE,
    STRENGTH,
    WORK_IN_PROGRESS,
    Finding,
    Framework,
    Report,
)
from policekg.extract.normalise import Normalised, fold
from policekg.extract.parsers.baseline_overview import find_cdrps, find_divisions, find_glossary
from policekg.extract.parsers.blocks import MONTHS, Line, is_bullet, next_nonblank, split_lines, titleish

log = logging.getLogger(__name__)

_DATE_LINE = re.compile(rf"(?:{MONTHS})\s+\d{{4}}")
_YEAR = re.compile(r"financial\s+year\s+(\d{4}\s*/\s*\d{2,4})", re.I)
_ISBN13 = re.compile(r"ISBN(?:-13)?\s*:?\s*(97[89](?:[-\s]?\d){10})")
_ISBN10 = re.compile(r"ISBN(?:-10)?\s*:?\s*((?:\d[-\s]?){9}[\dX])")
_FRAMEWORK = re.compile(r"(\d{1,2})([A-Z])\s+([A-Z(].*)")
_DOMAIN = re.compile(r"(\d{1,2})\s+([A-Z].*)")
_DOMAIN_REF = re.compile(r"\s*\((?:PPAF\s+)?Domain\s+\w+\)\s*$", re.I)
_GP_FIELD = re.compile(r"(TITLE|PROBLEM|SOLUTION|OUTCOMES?|OUTCOME\(S\)|FORCE CONTACT)\s*:\s*", re.I)
_CODE_PREFIX = re.compile(r"\d{1,2}[A-Z]\s+")
_GLOSSARY = re.compile(r"(?:appendix\b.*)?glossary\b.*", re.I)

# Headings that open a run of findings, keyed by their lower-cased text (any case in the report).
_KIND_HEADINGS = {
    "strengths": STRENGTH,
    "strength": STRENGTH,
    "work in progress": WORK_IN_PROGRESS,
    "areas for improvement": AREA_FOR_IMPROVEMENT,
    "area for improvement": AREA_FOR_IMPROVEMENT,
    "contextual factors": CONTEXT,
    "national position": CONTEXT,
    "good practice": GOOD_PRACTICE,
}
_GRADE_TABLE = "grade direction of travel"
_DISTRIBUTION = "national grade distribution"
_STOPWORDS = frozenset({"a", "and", "for", "in", "of", "the", "to", "with"})


def looks_like_baseline(text: str) -> bool:
    """Cheap test: is this an HMIC Baseline Assessment?

    True when "Baseline Assessment" appears near the top and at least two lines are framework
    headings such as ``1A Fairness and Equality in Service Delivery``.
    """
    if "baseline assessment" not in text[:3000].lower():
        return False
    return len(re.findall(r"^\s*\d{1,2}[A-Z][ \t]+[A-Z]", text, re.M)) >= 2


def parse_baseline(norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
    """Parse a normalised Baseline Assessment.

    Args:
        norm: the normalised report (``normalise(read_report(path)[0])``).
        source_name: the file name, stored on the report.
        sha256: SHA-256 of the original file's bytes.

    Returns:
        A :class:`Report` of kind ``BASELINE``; every offset is into ``norm.text``.
    """
    text = norm.text
    lines = split_lines(text)
    force = _force_name(lines)
    year = _YEAR.search(text)
    isbn = _ISBN13.search(text) or _ISBN10.search(text)
    begin, rows = _summary_of_judgements(lines)
    end = next((i for i in range(begin, len(lines)) if _is_glossary_heading(lines[i])), len(lines))
    report = Report(
        kind=BASELINE,
        force=force,
        title=f"{force} Baseline Assessment",
        year=re.sub(r"\s+", "", year.group(1)) if year else "",
        published=_published(norm.source) or _published(text),
        source_name=source_name,
        text=text,
        sha256=sha256,
        identifier=isbn.group(1).strip() if isbn else None,
    )
    _Sections(lines, text, report).run(begin, end)
    _apply_summary(report.frameworks, rows)
    report.divisions = find_divisions(lines[:begin])
    report.cdrps = find_cdrps(lines[:begin], report.divisions)
    report.glossary = find_glossary(lines[end:])
    return report


def _force_name(lines: list[Line]) -> str:
    """The first title-page line that is not the report's name, a date or an ISBN."""
    for line in lines[:20]:
        s = line.stripped
        if not s or s.lower().startswith(("baseline assessment", "isbn", "hmic")) or _DATE_LINE.fullmatch(s):
            continue
        return re.sub(r"\s*[-:\u2013]?\s*Baseline Assessment.*$", "", s, flags=re.I)
    return ""


def _published(text: str) -> str | None:
    """The month and year on the title page: before the contents, in the first 40 lines."""
    for raw in text.splitlines()[:40]:
        s = raw.strip()
        if s.lower() == "contents":
            break
        if _DATE_LINE.fullmatch(s):
            return s
    return None


def _is_glossary_heading(line: Line) -> bool:
    return bool(line.stripped) and len(line.stripped) < 80 and bool(_GLOSSARY.fullmatch(_key(line.stripped)))


def _key(s: str) -> str:
    """A heading's comparison key: folded, lower case, single spaces, no final colon.

    Long lines are paragraphs, never headings: their key is empty, which also keeps this cheap.
    """
    if len(s) > 100:
        return ""
    return re.sub(r"\s+", " ", fold(s).strip().rstrip(":").strip()).lower()


def _framework_heading(line: Line) -> tuple[str, str] | None:
    """``(code, title)`` if the line is just a framework heading such as ``4B Protecting ...``."""
    m = _FRAMEWORK.fullmatch(line.stripped)
    if not m or "\t" in line.stripped or "<" in line.stripped or len(line.stripped) > 110:
        return None
    if line.stripped.endswith((".", ";", ",")):
        return None
    return m.group(1) + m.group(2), m.group(3).strip()


def _domain_heading(lines: list[Line], i: int) -> tuple[str, str] | None:
    """``(code, title)`` if line ``i`` heads a domain: ``4 Title`` followed by a ``4X`` framework."""
    m = _DOMAIN.fullmatch(lines[i].stripped)
    if not m or "\t" in lines[i].stripped or "<" in lines[i].stripped or lines[i].stripped.endswith("."):
        return None
    j = next_nonblank(lines, i + 1)
    nxt = _framework_heading(lines[j]) if j is not None else None
    if not nxt or not nxt[0].startswith(m.group(1)) or not nxt[0][len(m.group(1)):].isalpha():
        return None
    return m.group(1), _DOMAIN_REF.sub("", m.group(2)).strip()


def _summary_of_judgements(lines: list[Line]) -> tuple[int, list[tuple[str, str, str]]]:
    """Find the Summary of Judgements table.

    Returns:
        The index of the first line after it (where the findings part starts) and its rows as
        ``(title, grade, direction)``; domain rows, which have no grade, are left out.
    """
    heads = [i for i, ln in enumerate(lines)
             if ln.text[:30].lower().lstrip().startswith("summary of judgements") and _key(ln.stripped)]
    if not heads:
        # No summary: the findings start at the first framework whose grade table follows it.
        for i, ln in enumerate(lines):
            j = next_nonblank(lines, i + 1)
            if _framework_heading(ln) and j is not None and _key(lines[j].stripped) == _GRADE_TABLE:
                k = next_nonblank(lines, i - 1, step=-1)
                return (k if k is not None and _domain_heading(lines, k) else i), []
        return len(lines), []
    rows = []
    i = heads[-1] + 1
    while i < len(lines) and not (_framework_heading(lines[i]) or _domain_heading(lines, i)):
        cells = [c.strip() for c in lines[i].stripped.split("\t")]
        if len(cells) >= 2 and cells[1]:
            rows.append((cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
        i += 1
    return i, rows


def _title_words(title: str) -> frozenset[str]:
    """Loose form of a title: no parentheses, no stop words, crude singulars, hyphens joined."""
    t = re.sub(r"\([^)]*\)", " ", fold(title).lower()).replace("-", "")
    words = re.findall(r"[a-z0-9]+", t)
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _STOPWORDS)


def _apply_summary(frameworks: list[Framework], rows: list[tuple[str, str, str]]) -> None:
    """Cross-check each framework's grade with the Summary of Judgements; fill any gap from it."""
    keys = [_title_words(r[0]) for r in rows]
    for fw in frameworks:
        if fw.level != "framework" or not keys:
            continue
        words = _title_words(fw.title)
        scores = [len(words & k) / len(words | k) if words | k else 0.0 for k in keys]
        best = max(range(len(rows)), key=scores.__getitem__)
        if scores[best] < 0.6:
            continue
        _, grade, direction = rows[best]
        if fw.grade and fw.grade != grade or fw.direction and direction and fw.direction != direction:
            log.warning("%s: section says %s/%s, summary says %s/%s", fw.code, fw.grade, fw.direction,
                        grade, direction)
        fw.grade = fw.grade or grade
        fw.direction = fw.direction or direction or None


class _Sections:
    """Walk the findings part line by line, building frameworks and findings on ``report``."""

    def __init__(self, lines: list[Line], text: str, report: Report):
        self.lines, self.text, self.report = lines, text, report
        self.framework: Framework | None = None
        self.domain: Framework | None = None
        self.kind: str | None = None  # kind of the findings under the current heading
        self.outer: str | None = None  # sub-heading above a Strengths/... heading (4B's areas)
        self.inner: str | None = None  # sub-heading inside a Strengths/... list (5A's themes)

    def run(self, begin: int, end: int) -> None:
        lines, i = self.lines, begin
        while i < end:
            line = lines[i]
            s = line.stripped
            if not s:
                i += 1
                continue
            dom = _domain_heading(lines, i)
            fw = None if dom else _framework_heading(line)
            key = _key(s)
            if dom or fw:
                self._close(i, domain=bool(dom))
                self._open(dom or fw, line, level="domain" if dom else "framework")
            elif key == _GRADE_TABLE:
                i = self._grade(i, end)
            elif key == _DISTRIBUTION:
                i = self._distribution(i, end)
            elif key in _KIND_HEADINGS:
                self.kind, self.inner = _KIND_HEADINGS[key], None
                if self.kind == GOOD_PRACTICE:
                    i = self._good_practice(i + 1, end)
                    self.kind = None
                    continue
            elif is_bullet(s):
                self._finding(line.start + len(line.text) - len(line.text.lstrip()[1:].lstrip()), line.end)
            elif titleish(s):
                j = next_nonblank(lines, i + 1, stop=end)
                nxt = lines[j].stripped if j is not None else ""
                if is_bullet(nxt):
                    self.inner = s
                elif _key(nxt) in _KIND_HEADINGS:
                    self.outer, self.inner = s, None
                else:
                    # A heading that introduces neither bullets nor findings (6D's Audit Commission
                    # table): what follows is not a finding.
                    self.kind = self.inner = None
            elif "\t" not in s:
                self._finding(line.start + len(line.text) - len(line.text.lstrip()), line.end)
            i += 1
        self._close(end, domain=True)

    def _open(self, head: tuple[str, str], line: Line, level: str) -> None:
        code, title = head
        start = line.start + len(line.text) - len(line.text.lstrip())
        parent = None if level == "domain" else (self.domain.code if self.domain else None)
        fw = Framework(code=code, title=title, level=level, parent=parent, start=start, end=line.end)
        self.report.frameworks.append(fw)
        if level == "domain":
            self.domain = fw
            self.framework = None
        else:
            self.framework = fw
        self.kind = self.outer = self.inner = None

    def _close(self, upto: int, domain: bool) -> None:
        """End the open framework (and domain) at the last non-blank line before line ``upto``."""
        k = next_nonblank(self.lines, upto - 1, step=-1)
        for fw in (self.framework, self.domain if domain else None):
            if fw is not None and k is not None:
                fw.end = max(fw.end, self.lines[k].end)

    def _grade(self, i: int, end: int) -> int:
        j = next_nonblank(self.lines, i + 1, stop=end)
        if j is None:
            return i + 1
        cells = [c.strip() for c in self.lines[j].stripped.split("\t")]
        if self.framework is not None and cells and cells[0]:
            self.framework.grade = cells[0]
            self.framework.direction = cells[1] if len(cells) > 1 and cells[1] else None
        self.kind = None
        return j + 1

    def _distribution(self, i: int, end: int) -> int:
        h = next_nonblank(self.lines, i + 1, stop=end)
        c = next_nonblank(self.lines, h + 1, stop=end) if h is not None else None
        if c is None:
            return i + 1
        names = [x.strip() for x in self.lines[h].stripped.split("\t") if x.strip()]
        counts = [x.strip().replace(",", "") for x in self.lines[c].stripped.split("\t") if x.strip()]
        # A stray page number can land in front of the counts: the last cells line up with the names.
        counts = counts[-len(names):] if names else []
        if self.framework is not None and len(counts) == len(names) and all(x.isdigit() for x in counts):
            self.framework.national_distribution = dict(zip(names, map(int, counts), strict=True))
        self.kind = None
        return c + 1

    def _finding(self, start: int, end: int, **fields: str | None) -> None:
        if self.kind is None or self.framework is None or start >= end:
            return
        self.report.findings.append(Finding(
            ordinal=len(self.report.findings) + 1,
            kind=self.kind,
            text=self.text[start:end],
            start=start,
            end=end,
            framework=self.framework.code,
            section=self.inner or self.outer,
            **fields,
        ))

    def _good_practice(self, i: int, end: int) -> int:
        """Read one GOOD PRACTICE block starting at line ``i``; return the line after it."""
        lines, body = self.lines, []
        while i < end:
            line = lines[i]
            s = line.stripped
            if s:
                if _key(s) in _KIND_HEADINGS or _framework_heading(line) or _domain_heading(lines, i):
                    break
                body.append(line)
            i += 1
            if s and s.upper().startswith("FORCE CONTACT"):
                break
        if not body:
            return i
        fields: dict[str, list[int]] = {}  # field -> [start, end]
        current = None
        for line in body:
            m = _GP_FIELD.match(line.stripped)
            if m:
                current = m.group(1).upper().split("(")[0].rstrip("S") or None
                lead = len(line.text) - len(line.text.lstrip())
                fields.setdefault(current, [line.start + lead + m.end(), line.end])
            elif current is not None:
                fields[current][1] = line.end
        got = {k: self.text[a:b].strip() or None for k, (a, b) in fields.items()}
        title = got.get("TITLE")
        if title and _CODE_PREFIX.match(title):
            title = _CODE_PREFIX.sub("", title, count=1)
        start = body[0].start + len(body[0].text) - len(body[0].text.lstrip())
        self._finding(start, body[-1].end, title=title, problem=got.get("PROBLEM"),
                      solution=got.get("SOLUTION"), outcome=got.get("OUTCOME"))
        return i


class BaselineParser:
    """HMIC Baseline Assessments, 2005-2007; see :func:`parse_baseline`."""

    name = "baseline"
    kind = BASELINE
    description = "HMIC Baseline Assessment 2005-2007: domains, frameworks (1A..7A), grade tables"

    def looks_like(self, text: str) -> float:
        """1.0 for a Baseline Assessment (see :func:`looks_like_baseline`), else 0."""
        return 1.0 if looks_like_baseline(text) else 0.0

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
        return parse_baseline(norm, source_name=source_name, sha256=sha256)


PARSER = BaselineParser()
