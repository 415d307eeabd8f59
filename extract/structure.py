"""Entry point for reading a report: detect its kind and hand it to the right parser.

>>> parse_text("Minutes\\n\\nThe committee met at noon.", kind="generic").findings[0].text
'The committee met at noon.'
"""

from __future__ import annotations

import hashlib
from importlib import import_module
from pathlib import Path

from policekg.errors import UnknownReportKind
from policekg.extract.model import BASELINE, GENERIC, KINDS, PEEL, Report
from policekg.extract.normalise import normalise, read_report

# kind -> (module, parser function); imported when first used, so a parser that fails to import
# breaks only its own kind.
_PARSERS = {
    BASELINE: ("policekg.extract.baseline", "parse_baseline"),
    PEEL: ("policekg.extract.peel", "parse_peel"),
    GENERIC: ("policekg.extract.generic", "parse_generic"),
}
# Detectors, most specific first; every report kind but GENERIC has one.
_DETECTORS = (
    (PEEL, "policekg.extract.peel", "looks_like_peel"),
    (BASELINE, "policekg.extract.baseline", "looks_like_baseline"),
)


def detect_kind(text: str) -> str | None:
    """Which kind of report ``text`` is.

    Args:
        text: the report's text, raw or normalised.

    Returns:
        ``"peel"`` or ``"baseline"``, or None when neither detector recognises it. A detector
        whose module is not installed is passed over.
    """
    for kind, module, name in _DETECTORS:
        try:
            looks_like = getattr(import_module(module), name)
        except (ImportError, AttributeError):
            continue
        if looks_like(text):
            return kind
    return None


def parse_report(path: str | Path, kind: str | None = None) -> Report:
    """Read, normalise and parse a report file.

    Args:
        path: a UTF-8 ``.txt`` or ``.md`` report.
        kind: ``"baseline"``, ``"peel"`` or ``"generic"`` (plain headings and paragraphs); None
            detects it.

    Returns:
        The parsed report; its ``source_name`` is the file's name.

    Raises:
        InputError: the file is missing, unreadable, empty, binary or not UTF-8.
        UnknownReportKind: ``kind`` is not a known kind, or it is None and the text is not
            recognised.
    """
    p = Path(path)
    _check_kind(kind)
    text, sha256 = read_report(p)
    return _parse(text, sha256, source_name=p.name, where=str(p), kind=kind)


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
    return _parse(text, sha256, source_name=source_name, where=source_name, kind=kind)


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise UnknownReportKind(f"unknown report kind {kind!r}; use one of {', '.join(KINDS)}")


def _parse(text: str, sha256: str, *, source_name: str, where: str, kind: str | None) -> Report:
    norm = normalise(text)
    if kind is None:
        kind = detect_kind(norm.text)
    if kind is None:
        known = " or ".join(k for k in KINDS if k != GENERIC)
        raise UnknownReportKind(
            f"{where}: not recognised as a {known} report; "
            "pass `--kind generic` to read it as plain headings and paragraphs"
        )
    module, name = _PARSERS[kind]
    parser = getattr(import_module(module), name)
    return parser(norm, source_name=source_name, sha256=sha256)
