"""Read a report file, whatever its format, as text: plain text, PDF or HTML.

The format is detected from the file's bytes, not its name: ``%PDF-`` opens a PDF; a file whose
first non-blank characters are an HTML doctype or an ``<html>``/``<head>``/``<body>`` tag is HTML,
and so is a ``.html``/``.htm`` file that starts with a tag (a page fragment); anything else must
be UTF-8 text (Markdown with some inline HTML stays text).

Each reader returns the text it extracted, which is what the normaliser normalises and what
offsets map back to (``Normalised.to_source``). PDF text keeps its page structure: pages are
separated by a form feed and ``Source.page_starts`` holds the offset where each page starts,
so a finding's page is known.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from policekg.errors import InputError

FORMATS = ("text", "pdf", "html")
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S,
)


@dataclass
class Source:
    """A report's extracted text, the digest of the original file and what format it was."""

    text: str
    sha256: str  # of the original file's bytes
    format: str = "text"  # one of FORMATS
    page_starts: list[int] = field(default_factory=list)  # PDF: offset in ``text`` of each page


def detect_format(data: bytes, suffix: str = "") -> str:
    """``"pdf"``, ``"html"`` or ``"text"``, from the file's content (and, for a fragment, its suffix).

    >>> detect_format(b"%PDF-1.7 ..."), detect_format(b"<!DOCTYPE html><p>x</p>"), detect_format(b"Title")
    ('pdf', 'html', 'text')
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if _HTML_START.match(head) or (suffix.lower() in (".html", ".htm") and head.lstrip().startswith(b"<")):
        return "html"
    return "text"


def read_source(path: str | Path) -> Source:
    """Read a report file and extract its text.

    Args:
        path: a ``.txt``/``.md`` (UTF-8), ``.pdf`` or ``.html``/``.htm`` file; the format is
            detected from the content.

    Returns:
        The extracted text, the SHA-256 of the file's bytes, the format and (PDF) page starts.

    Raises:
        InputError: the file is missing, unreadable, empty, binary, not UTF-8, or a PDF that
            cannot be opened or has no text layer.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file; give the path of a report (.txt, .md, .pdf or .html)") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory; give the path of a report (.txt, .md, .pdf or .html)") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror}); check its permissions") from None
    if not data.strip():
        raise InputError(f"{p}: the file is empty; give a report with text in it")
    sha256 = hashlib.sha256(data).hexdigest()
    fmt = detect_format(data, p.suffix)
    if fmt == "pdf":
        from policekg.extract.readers.pdf import read_pdf

        text, page_starts = read_pdf(data, where=str(p))
        return Source(text, sha256, "pdf", page_starts)
    text = _decode(data, p)
    if fmt == "html":
        from policekg.extract.readers.html import html_to_text

        return Source(html_to_text(text), sha256, "html")
    return Source(text, sha256, "text")


def _decode(data: bytes, p: Path) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{p}: looks like a binary file; give the report as PDF, HTML or plain text (.txt or .md)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: is not UTF-8 (byte {exc.start}); re-save the report as UTF-8 text") from None


def read_report(path: str | Path) -> tuple[str, str]:
    """Read a report file as text, whatever its format, for callers that keep no page structure
    (``policekg extract``): a PDF's text comes with its page furniture dropped and its lines
    re-flowed (``normalise(..., pages=True)``); use :func:`read_source` to keep the pages.

    Returns:
        The text and the SHA-256 of the file's bytes.

    Raises:
        InputError: as for :func:`read_source`.
    """
    source = read_source(path)
    if source.page_starts:
        from policekg.extract.normalise import normalise  # here: normalise imports this module

        return normalise(source.text, pages=True).text, source.sha256
    return source.text, source.sha256
