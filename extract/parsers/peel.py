"""Parse an HMICFRS PEEL report (2014 onward) from its text structure.

A PEEL report grades three *pillars* (Effectiveness, Efficiency, Legitimacy), each asked as a
question ("How effectively does the force ...?") and answered by a lone judgment line ("Good"),
and, under each pillar, several *areas* (questions), each a heading followed by its judgment. The
"Overall summary" table grades the same areas, sometimes under different words ("Fair treatment
of the public" for the body's "Treating the public fairly"); the table's title wins and the body
heading's span is kept in ``Framework.start``/``end``.

Findings come from the narrative: area summaries, "Areas for improvement" bullets, "Cause of
concern" blocks, paragraphs under narrative sub-headings and HM Inspector's observations. Data
tables, the contents, the report's preamble and the annexes are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policekg.extract.model import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    CONTEXT,
    OBSERVATION,
    PEEL,
    RECOMMENDATION,
    SUMMARY,
    Finding,
    Framework,
    Report,
)
from policekg.extract.normalise import Normalised, fold
from policekg.extract.parsers.blocks import MONTHS, Block, find_force, find_year, split_blocks
from policekg.extract.parsers.peel_tables import (
    PILLARS,
    QUESTION,
    SKIP,
    STOP,
    TableRow,
    area_match_score,
    contents_areas,
    grade_of,
    summary_table,
)

# "How effectively/effective ..." -> Effectiveness, by the word's stem.
_PILLAR_STEMS = {
    "effecti": "Effectiveness", "efficie": "Efficiency", "legitim": "Legitimacy", "leader": "Leadership",
}
# The integrated assessment asks each pillar with an adverb ("How effectively does the force ...?");
# its areas, when asked as questions, use other words ("How effective is the force at ...?").
_PILLAR_ADVERBS = ("effectively", "efficiently", "legitimately")
# Page metadata of the inspectorate's web pages: never a heading, framework or finding.
_METADATA = re.compile(r"^(?:Last updated|Updated|Published)(?: on)?:?\s+\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$", re.I)
# A pillar graded only in prose: "the extent to which the force is effective at reducing crime and
# keeping people safe is good."
_PROSE_GRADE = re.compile(
    r"\bthe extent to which the (?:force|constabulary|service)\b([^.]{0,200}?)\bis "
    r"(outstanding|good|adequate|requires improvement|inadequate)\b", re.I,
)
# "This question was not subject to detailed inspection": a note on the inspection, not a finding.
_NOT_INSPECTED = re.compile(r"\bnot subject to detailed inspection\b", re.I)
# A single-pillar report (2014-2017): "PEEL: Police effectiveness 2016".
_PILLAR_REPORT = re.compile(r"\bPEEL\b.{0,40}?\bpolice (effectiveness|efficiency|legitimacy|leadership)\b(?!,)", re.I)
_AFI_HEADING = re.compile(r"^areas? for improvement$", re.I)
_COC_HEADING = re.compile(r"^causes? (?:of|for) concern$", re.I)
_RECS_HEADING = re.compile(r"^recommendations?$", re.I)
_HMI = re.compile(r"(?:inspector|\bHMI)'?s observations$", re.I)
# "One area for improvement remained from that inspection." / "there was one area for improvement
# identified": the bullets that follow are carried-over AFIs ("no areas for improvement" has no count).
_AFI_INTRO = re.compile(
    r"\b(?:an|one|two|three|four|five|\d+|some|several|the following)\s+areas?\s+for\s+"
    r"improvement\b[^.]*?\b(?:remain(?:ed|s)?|identified|outstanding|carried over)\b",
    re.I,
)
# Boilerplate that closes an area's summary and AFI list: "We set out our detailed findings below."
_DETAIL_MARK = re.compile(r"^We set out our detailed findings\b", re.I)
_AFI_PARA = re.compile(r"\b(?:should|needs? to|must)\b", re.I)
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][- ]?)?\d{1,5}[- ]?\d+[- ]?\d+[- ]?[\dX])\b")
_PUBLISHED = (
    re.compile(rf"\bPublished(?: on)?:?\s+((?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}})"),
    re.compile(rf"^((?:{MONTHS}) \d{{4}})\s*\|.*(?:\u00a9|ISBN)", re.M),
)


@dataclass
class _Area:
    index: int  # block index of its heading
    pillar: str | None
    heading: Block
    judgment: str | None
    row: TableRow | None = None


def looks_like_peel(text: str) -> bool:
    """Whether ``text`` reads as a PEEL report.

    True when its title (first ten non-blank lines) names PEEL or "police effectiveness,
    efficiency and legitimacy", when it asks at least two of the pillar questions ("How
    effectively does the force ...?"), or when a question is followed by a ``Last updated``
    date and a grade (a page of the inspectorate's website).
    """
    head = fold("\n".join([line for line in text.split("\n") if line.strip()][:10]))
    if re.search(r"\bPEEL\b", head) or re.search(r"effectiveness, efficiency and legitimacy", head, re.I):
        return True
    asked = {m.group(1).lower() for m in re.finditer(
        r"^How (effectively|efficiently|legitimately) does the force\b", text, re.M)}
    if len(asked) >= 2:
        return True
    # One page of the inspectorate's website: a question, its "Last updated" date and a grade.
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return any(
        QUESTION.match(fold(a)) and _METADATA.match(b) and grade_of(c)
        for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)
    )


def pillar_report(text: str) -> str | None:
    """The pillar a single-pillar PEEL report (2014-2017) is about, from its title lines.

    >>> pillar_report("PEEL: Police efficiency 2016\\nAn inspection of Northshire Police")
    'Efficiency'
    """
    head = fold("\n".join([line for line in text.split("\n") if line.strip()][:6]))
    m = _PILLAR_REPORT.search(head)
    return m.group(1).capitalize() if m else None


def parse_peel(norm: Normalised, *, source_name: str, sha256: str = "", pillar: str | None = None) -> Report:
    """Parse a PEEL report.

    Args:
        norm: the normalised text.
        source_name: the file's name, for the report's identity.
        sha256: digest of the original file's bytes.
        pillar: for a single-pillar report (2014-2017), its pillar: the report's first question is
            that pillar's, every later question an area. None: read from the title
            (:func:`pillar_report`).

    Returns:
        A PEEL report with its pillar and area frameworks (grades, last inspected) and its
        findings in document order.
    """
    text = norm.text
    pillar = pillar or pillar_report(text)
    blocks = _blocks(text)
    title, force, year = _front_matter(blocks, text)
    rows, table_pillar_grades = summary_table(blocks)
    areas, pillar_marks, stop = _find_areas(blocks, rows, contents_areas(blocks), pillar)
    _match_leftovers(areas, rows)
    frameworks = _frameworks(rows, table_pillar_grades, areas, pillar_marks)
    _prose_grades(frameworks, blocks[:stop])
    findings = _findings(blocks[:stop], text, {a.index: a for a in areas}, pillar)
    published = next((m.group(1) for p in _PUBLISHED if (m := p.search(text))), None)
    isbn = _ISBN.search(text)
    return Report(
        kind=PEEL, force=force, title=title, year=year, published=published,
        source_name=source_name, text=text, sha256=sha256,
        identifier=isbn.group(1) if isbn else None,
        frameworks=frameworks, findings=findings,
    )


def _blocks(text: str) -> list[Block]:
    """The text's blocks without page metadata; a long question is a heading all the same."""
    out = []
    for b in split_blocks(text):
        if _METADATA.match(b.text):
            continue
        if b.kind == "para" and len(b.text) <= 200 and QUESTION.match(fold(b.text)):
            b = replace(b, kind="short")  # "To what extent does the force treat all of ... respect?"
        out.append(b)
    return out


def _front_matter(blocks: list[Block], text: str) -> tuple[str, str, str]:
    """Title, force and year from the title lines before the contents or first paragraph."""
    lines: list[str] = []
    for b in blocks:
        if (b.kind != "short" or len(lines) == 4 or SKIP.match(b.text) or b.text in PILLARS
                or _HMI.search(fold(b.text))
                or QUESTION.match(fold(b.text)) or grade_of(b.text)):
            break
        lines.append(b.text)
    title = lines[0] if lines else ""
    for line in lines[1:]:
        # "PEEL" alone is a series label: "PEEL: Police effectiveness ... – An inspection of X".
        sep = ": " if title.isupper() and " " not in title else " \u2013 "
        title += sep + line
    force = None
    for line in lines:
        m = re.match(r"^An? (?:\w+ )?inspection of (?:the )?(.+)$", line, re.I)
        if m:
            force = m.group(1).rstrip(" .")
    return title, force or find_force(text) or "Unknown force", find_year(title) or find_year(text)


def _prose_grades(frameworks: list[Framework], blocks: list[Block]) -> None:
    """Give a pillar with no judgment line the grade its summary states in prose."""
    pillars = {f.title: f for f in frameworks if f.level == "pillar" and not f.grade}
    for b in blocks:
        for m in _PROSE_GRADE.finditer(fold(b.text)):
            name = next((p for w in m.group(1).lower().split() for stem, p in _PILLAR_STEMS.items()
                         if w.startswith(stem)), None)
            if name in pillars and not pillars[name].grade:
                pillars[name].grade = grade_of(m.group(2))


def _is_pillar_question(q: re.Match, single: str | None, asked: set[str | None], pillar: str | None) -> bool:
    """Whether question ``q`` asks a pillar's question (rather than one of its areas')."""
    if single:
        return not asked  # a single-pillar report asks its pillar first, then its areas
    word = (q.group(1) or "").lower()
    return word in _PILLAR_ADVERBS and _pillar_of(q, pillar) not in asked


def _find_areas(
    blocks: list[Block], rows: list[TableRow], toc: set[str], single: str | None = None,
) -> tuple[list[_Area], dict[str, tuple[Block | None, str | None]], int]:
    """Find the body's area headings and the pillars' headings and judgments.

    An area heading follows a pillar question and is a short line that is followed by a lone
    judgment, or listed under that question in the contents, or (for an area the summary table
    leaves ungraded, so with no judgment line) shares words with the next such table area.

    An area asked as a question ("How effective is the force at ...?", "To what extent does the
    force ...?") is an area wherever it is. A heading outside any pillar section that is
    followed by a judgment and matches a row of the summary table is that row's area (a report
    that goes straight from the summary table to its area sections).

    Returns:
        The areas in order; for each pillar, its heading block and judgment; and the index of
        the block where the report's body ends (the first annex).
    """
    areas: list[_Area] = []
    pillars: dict[str, tuple[Block | None, str | None]] = {}
    pillar: str | None = single
    in_pillar = False  # after a pillar question, where areas may start
    asked: set[str | None] = set()  # pillars whose question has been read
    for i, b in enumerate(blocks):
        if b.kind != "short":
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        judged = grade_of(nxt.text) if nxt and nxt.kind == "short" else None
        q = QUESTION.match(fold(b.text))
        if STOP.match(b.text):
            return areas, pillars, i
        if b.text in PILLARS:
            pillar, in_pillar = b.text, False
            pillars.setdefault(pillar, (b, None))
        elif q and _is_pillar_question(q, single, asked, pillar):
            # A pillar's first question is the pillar's; older single-pillar reports (2015-17)
            # ask each area as a question too ("How effectively does the force prevent crime?").
            pillar = single or _pillar_of(q, pillar)
            in_pillar = True
            asked.add(pillar)
            if pillar:
                head = pillars.get(pillar, (None, None))[0] or b
                pillars[pillar] = (head, judged)
        elif q and (q.group(1) or "").lower() not in _PILLAR_ADVERBS:
            pillar = single or _pillar_of(q, pillar)
            in_pillar = True
            if pillar:
                pillars.setdefault(pillar, (None, None))
            area = _Area(i, pillar, b, judged)
            area.row = _best_row(area, rows, areas)
            areas.append(area)
        elif SKIP.match(b.text) or _HMI.search(fold(b.text)):
            in_pillar = False
        elif not in_pillar and judged and (row := _table_area(b, rows, areas)):
            area = _Area(i, row.pillar, b, judged, row)
            areas.append(area)
        elif not in_pillar or grade_of(b.text) or _is_block_heading(b.text):
            continue
        elif judged or fold(b.text).lower() in toc or _ungraded_match(b, pillar, rows, areas):
            area = _Area(i, pillar, b, judged)
            area.row = _best_row(area, rows, areas)
            areas.append(area)
    return areas, pillars, len(blocks)


def _table_area(b: Block, rows: list[TableRow], areas: list[_Area]) -> TableRow | None:
    """The unclaimed summary-table row this heading names (sharing most of its words), if any."""
    claimed = _claimed(areas)
    scored = [(area_match_score(b.text, r.title), k) for k, r in enumerate(rows) if id(r) not in claimed]
    best = max(scored, default=(0.0, -1))
    return rows[best[1]] if best[0] >= 0.5 else None


def _pillar_of(question: re.Match, default: str | None) -> str | None:
    word = (question.group(1) or "").lower()
    return next((p for stem, p in _PILLAR_STEMS.items() if word.startswith(stem)), default)


def _is_block_heading(line: str) -> bool:
    return bool(_AFI_HEADING.match(line) or _COC_HEADING.match(line) or _RECS_HEADING.match(line)
                or line.lower() == "summary")


def _claimed(areas: list[_Area]) -> set[int]:
    return {id(a.row) for a in areas if a.row is not None}


def _open_rows(pillar: str | None, rows: list[TableRow], areas: list[_Area]) -> list[TableRow]:
    """The pillar's table rows after the last one a body heading has claimed, in order."""
    mine = [r for r in rows if r.pillar == pillar] or ([] if pillar else rows)
    claimed = _claimed(areas)
    last = max((k for k, r in enumerate(mine) if id(r) in claimed), default=-1)
    return [r for r in mine[last + 1:] if id(r) not in claimed]


def _ungraded_match(b: Block, pillar: str | None, rows: list[TableRow], areas: list[_Area]) -> bool:
    open_rows = _open_rows(pillar, rows, areas)
    return bool(open_rows) and open_rows[0].grade in (None, "Ungraded") and (
        area_match_score(b.text, open_rows[0].title) >= 0.5
    )


def _best_row(area: _Area, rows: list[TableRow], areas: list[_Area]) -> TableRow | None:
    """The open table row sharing most words with the heading (earliest on a tie), if any."""
    best, best_score = None, 0.0
    for r in _open_rows(area.pillar, rows, areas):
        score = area_match_score(area.heading.text, r.title)
        if score > best_score:
            best, best_score = r, score
    return best


def _match_leftovers(areas: list[_Area], rows: list[TableRow]) -> None:
    """Pair body areas and table rows that share no words, by order, when the counts agree."""
    for pillar in {a.pillar for a in areas}:
        loose = [a for a in areas if a.pillar == pillar and a.row is None]
        claimed = _claimed(areas)
        free = [r for r in rows if r.pillar == pillar and id(r) not in claimed]
        if loose and len(loose) == len(free):
            for a, r in zip(loose, free, strict=True):
                a.row = r


def _frameworks(
    rows: list[TableRow], table_grades: dict[str, str],
    areas: list[_Area], pillars: dict[str, tuple[Block | None, str | None]],
) -> list[Framework]:
    """Pillars, each followed by its areas: table areas in table order, then body-only areas."""
    order = list(dict.fromkeys([r.pillar for r in rows if r.pillar] + list(pillars)))
    by_row = {id(a.row): a for a in areas if a.row is not None}
    out: list[Framework] = []
    for name in order + [None]:
        head, judged = pillars.get(name, (None, None)) if name else (None, None)
        if name:
            grade = judged or table_grades.get(name)
            out.append(Framework(code="", title=name, level="pillar", grade=grade,
                                 start=head.start if head else 0, end=head.end if head else 0))
        for r in (r for r in rows if r.pillar == name):
            a = by_row.get(id(r))
            span = a.heading if a else r
            out.append(Framework(code="", title=r.title, level="question", parent=name,
                                 grade=r.grade or (a.judgment if a else None),
                                 last_inspected=r.last_inspected, start=span.start, end=span.end))
        for a in (a for a in areas if a.pillar == name and a.row is None):
            out.append(Framework(code="", title=a.heading.text, level="question", parent=name,
                                 grade=a.judgment, start=a.heading.start, end=a.heading.end))
    return out


def _findings(blocks: list[Block], text: str, areas: dict[int, _Area], single: str | None = None) -> list[Finding]:
    """Walk the body's blocks and turn its narrative into findings, in document order."""
    out: list[Finding] = []
    zone = "skip"  # "skip" | "hmi" | "pillar"
    framework: str | None = None
    pillar_title: str | None = single
    section: str | None = None
    mode = "summary"  # "summary" | "body" | "afi" | "afi-intro" | "coc" | "rec"
    listed = False  # a bullet has been seen in the current AFI / cause-of-concern list
    skip_next = False  # the block is a judgment line already read
    for i, b in enumerate(blocks):
        if skip_next:
            skip_next = False
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind == "table":
            continue
        if b.kind == "short":
            folded = fold(b.text)
            if b.text in PILLARS or SKIP.match(b.text):
                zone = "skip"
                pillar_title = b.text if b.text in PILLARS else pillar_title
            elif _HMI.search(folded):
                zone, framework, section = "hmi", None, b.text
            elif i in areas:
                a = areas[i]
                framework = a.row.title if a.row else a.heading.text
                zone, section, mode, skip_next = "pillar", None, "summary", a.judgment is not None
            elif q := QUESTION.match(folded):
                pillar_title = single or _pillar_of(q, pillar_title)
                zone, framework, section, mode = "pillar", pillar_title, None, "summary"
                skip_next = bool(nxt and nxt.kind == "short" and grade_of(nxt.text))
            elif zone != "pillar":
                continue
            elif _AFI_HEADING.match(b.text):
                mode, listed = "afi", False
            elif _COC_HEADING.match(b.text):
                mode, listed = "coc", False
            elif _RECS_HEADING.match(b.text) and mode == "coc":
                mode, listed = "rec", False  # what the cause of concern asks the force to do
            elif b.text.lower() == "summary":
                section, mode = b.text, "summary"
            elif nxt and nxt.kind in ("para", "bullet"):
                section, mode = b.text, "body"
            continue
        if zone == "skip":
            continue
        if zone == "pillar" and _DETAIL_MARK.match(b.text):
            mode = "body"
            continue
        if zone == "hmi":
            kind = OBSERVATION
        else:
            kind, mode, listed = _kind(b, nxt, mode, listed)
            if _NOT_INSPECTED.search(b.text):
                kind = CONTEXT
        out.append(Finding(ordinal=len(out) + 1, kind=kind, text=text[b.start:b.end], start=b.start,
                           end=b.end, framework=framework, section=section))
    return out


def _kind(b: Block, nxt: Block | None, mode: str, listed: bool) -> tuple[str, str, bool]:
    """A narrative block's finding kind, and the mode and list state after it."""
    if mode in ("afi", "afi-intro", "coc", "rec"):
        list_kind = {"coc": CAUSE_OF_CONCERN, "rec": RECOMMENDATION}.get(mode, AREA_FOR_IMPROVEMENT)
        if b.kind == "bullet":
            return list_kind, mode, True
        if mode in ("coc", "rec") and not listed:
            return list_kind, mode, False
        if mode == "afi" and not listed and not b.text.endswith(":") and _AFI_PARA.search(b.text):
            return AREA_FOR_IMPROVEMENT, mode, False  # an AFI written as a paragraph
        if not listed and b.text.endswith(":"):
            return OBSERVATION, mode, False  # a lead-in to the list
        mode = "body"  # the list is over: back to narrative
    kind = SUMMARY if mode == "summary" else OBSERVATION
    if b.kind == "para" and nxt is not None and nxt.kind == "bullet" and _AFI_INTRO.search(fold(b.text)):
        return kind, "afi-intro", False
    return kind, mode, listed


class PeelParser:
    """HMICFRS PEEL 2018/19 integrated assessments, in print and web layouts; see :func:`parse_peel`."""

    name = "peel"
    kind = PEEL
    description = "HMICFRS PEEL 2018/19 integrated assessment: pillars asked as questions, areas graded beneath"

    def looks_like(self, text: str) -> float:
        """0.9 for a PEEL report (see :func:`looks_like_peel`), else 0: layouts of one PEEL year
        (``peel-pillar``, ``peel-2021``) score higher on their own reports."""
        return 0.9 if looks_like_peel(text) else 0.0

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
        return parse_peel(norm, source_name=source_name, sha256=sha256)


PARSER = PeelParser()
