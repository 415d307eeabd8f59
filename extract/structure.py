"""Entry point for reading a report: detect its kind and hand it to the right parser.

>>> parse_text("Minutes\\n\\nThe committee met at noon.", kind="generic").findings[0].text
'The committee met at noon.'
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from pathlib import Path

from policekg.errors import UnknownReportKind
from policekg.extract.model import GENERIC, KINDS, Report
from policekg.extract.normalise import Normalised, normalise
from policekg.extract.parsers import PARSERS, best_parser
from policekg.extract.readers import Source, read_source

_KIND_LABELS = {"peel": "PEEL", "baseline": "a Baseline Assessment"}


def detect_kind(text: str) -> str | None:
    """Which kind of report ``text`` is.

    Args:
        text: the report's text, raw or normalised.

    Returns:
        The kind (``"peel"``, ``"baseline"``) of the parser that scores it highest, or None when
        no parser recognises it.
    """
    parser, _ = best_parser(text)
    return parser.kind if parser else None


def parse_report(path: str | Path, kind: str | None = None) -> Report:
    """Read, normalise and parse a report file.

    Args:
        path: a report as text (UTF-8 ``.txt`` / ``.md``), PDF or HTML; the format is detected
            from the file's content.
        kind: ``"baseline"``, ``"peel"`` or ``"generic"`` (plain headings and paragraphs), or a
            parser's name (see ``policekg.extract.parsers.PARSERS``); None detects it.

    Returns:
        The parsed report; its ``source_name`` is the file's name, ``source_format`` the format
        read, ``parser`` the parser chosen; PDF findings carry their page.

    Raises:
        InputError: the file is missing, unreadable, empty, binary, not UTF-8 or a broken PDF.
        UnknownReportKind: ``kind`` is not a known kind, or it is None and the text is not
            recognised, or it was recognised but no framework or finding was found in it.
    """
    p = Path(path)
    _check_kind(kind)
    source = read_source(p)
    return _parse(source, source_name=p.name, where=str(p), kind=kind)


def parse_text(text: str, *, source_name: str = "<text>", kind: str | None = None) -> Report:
    """Parse report text held in memory, as :func:`parse_report` parses a file.

    Args:
        text: the report's text.
        source_name: a name for it, used as the report's ``source_name``.
        kind: as for :func:`parse_report`; ``"generic"`` reads any text, even one line.

    Returns:
        The parsed report; its ``sha256`` is that of the text's UTF-8 bytes.

    Raises:
        UnknownReportKind: as for :func:`parse_report`.
    """
    _check_kind(kind)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse(Source(text, sha256, "text"), source_name=source_name, where=source_name, kind=kind)


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS and kind not in PARSERS:
        names = sorted(set(KINDS) | set(PARSERS))
        raise UnknownReportKind(f"unknown report kind {kind!r}; use one of {', '.join(names)}")


def _parse(source: Source, *, source_name: str, where: str, kind: str | None) -> Report:
    norm = normalise(source.text, pages=bool(source.page_starts))
    parser, _ = best_parser(norm.text, kind=kind)
    if parser is None:
        known = " or ".join(k for k in KINDS if k != GENERIC)
        raise UnknownReportKind(
            f"{where}: not recognised as a {known} report; "
            "pass `--kind generic` to read it as plain headings and paragraphs"
        )
    report = parser.parse(norm, source_name=source_name, sha256=source.sha256)
    if parser.kind != GENERIC and not report.frameworks and not report.findings:
        label = _KIND_LABELS.get(parser.kind, parser.kind)
        raise UnknownReportKind(
            f"{where}: recognised as {label} but found no graded areas or findings; try --kind generic"
        )
    report.parser = parser.name
    report.source_format = source.format
    if source.page_starts:
        _set_pages(report, norm, source.page_starts)
    return report


def _set_pages(report: Report, norm: Normalised, page_starts: list[int]) -> None:
    """Give every finding the page its first character was printed on."""
    for f in report.findings:
        f.page = bisect_right(page_starts, norm.offsets[f.start])
