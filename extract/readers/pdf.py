"""Extract a PDF's text with pypdfium2 (PDFium: fast, Apache/BSD licensed), keeping its layout.

PDFium gives every character with its box, and a line break where a printed line ends. From the
boxes this reader rebuilds what the normaliser needs (see ``normalise(..., pages=True)``):

* a blank line between paragraphs: where the gap to the next line is clearly larger than the
  line spacing, where the font size changes (a heading), or where a line stops short of the right
  margin by more than the next line's first word (the writer broke the line, not the layout);
* a tab between table cells: where two characters on one line are further apart than the
  font size (PDFium reports such a gap as one space);
* a form feed before each page after the first, so headers, footers and page numbers can be
  recognised and every offset has a page.

pdfplumber/pdfminer.six read the same layouts but are an order of magnitude slower in pure Python
(measured on the bundled Baseline Assessment; see ``benchmarks/formats.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.errors import InputError
from policekg.extract.normalise import page_furniture

_BULLET = re.compile(r"^\s*(?:[\u2022\u2013\u25aa\u25cf\uf0b7*-]|\d{1,2}[.)])[ \t]")


@dataclass
class _Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float  # font size of its first visible character
    first_word: float  # width of its first word


def read_pdf(data: bytes, *, where: str) -> tuple[str, list[int]]:
    """The text of a PDF, one paragraph per block of lines, and the offset where each page starts.

    Args:
        data: the PDF file's bytes.
        where: the file's name, for error messages.

    Returns:
        The text (pages separated by a form feed) and the start offset of every page.

    Raises:
        InputError: the PDF cannot be opened (damaged, encrypted) or has no text layer.
    """
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{where}: cannot be opened as a PDF ({exc}); check that it is a complete, "
                         "unencrypted PDF") from None
    pages: list[list[_Line]] = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                pages.append(_page_lines(textpage))
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()
    if not any(ln.text.strip() for page in pages for ln in page):
        raise InputError(f"{where}: the PDF has no text layer (a scan?); run OCR on it first")
    return _assemble(pages)


def _assemble(pages: list[list[_Line]]) -> tuple[str, list[int]]:
    """Lay the pages' lines out as text: paragraphs split by blank lines, pages by form feeds.

    Headers, footers and page numbers stay in the text, each on its own line and never between
    a blank line and what follows it, so that the normaliser can drop them and still see whether
    the last paragraph of a page runs on to the next.
    """
    furniture = page_furniture([[ln.text.strip() for ln in page] for page in pages])
    bodies = [[ln for k, ln in enumerate(page) if k not in furniture[n]] for n, page in enumerate(pages)]
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    for n, page in enumerate(pages):
        body = bodies[n]
        margin = max((ln.right for ln in body), default=0.0)
        pitch = _pitch(body)
        chunk: list[str] = []
        prev: _Line | None = None
        for k, ln in enumerate(page):
            if chunk:
                breaks = prev is not None and k not in furniture[n] and _new_paragraph(prev, ln, pitch, margin)
                # Items of one list, like rows of one table, stay on adjacent lines.
                adjacent = prev is not None and (
                    (_is_bullet(prev.text) and _is_bullet(ln.text)) or ("\t" in prev.text and "\t" in ln.text)
                )
                chunk.append("\n\n" if breaks and not adjacent else "\n")
            chunk.append(_indented(ln, body))
            if k not in furniture[n]:
                prev = ln
                if body and ln is body[-1]:
                    nxt = next((b[0] for b in bodies[n + 1:] if b), None)
                    if nxt is None or _new_paragraph(ln, nxt, 0.0, margin):
                        chunk.append("\n")  # the page's last paragraph ends here
        text = ("\f" if n else "") + "".join(chunk) + "\n"
        starts.append(at + (1 if n else 0))
        parts.append(text)
        at += len(text)
    return "".join(parts), starts


def _pitch(lines: list[_Line]) -> float:
    """The usual distance between the baselines of two lines of a paragraph on this page."""
    steps = sorted(a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False)
                   if a.bottom > b.bottom and abs(a.size - b.size) <= 0.5)
    # The lower quartile: on a page of one-line paragraphs most steps are paragraph gaps.
    return steps[len(steps) // 4] if steps else 0.0


def _new_paragraph(prev: _Line, ln: _Line, pitch: float, margin: float) -> bool:
    """Whether ``ln`` starts a new paragraph rather than continuing ``prev``'s.

    ``pitch`` 0 means the lines are on different pages: only what the lines hold decides.
    """
    if pitch:
        step = prev.bottom - ln.bottom
        # A new column, or more space than between the lines of a paragraph (the page's usual
        # spacing, or, on a page with few lines, the usual leading of at most 1.7 times the size).
        if step <= 0 or step > 1.4 * pitch or step > 1.7 * max(prev.size, ln.size, 1.0):
            return True
    elif prev.text.rstrip().endswith((".", "!", "?", ":")) and ln.text[:1].isupper():
        # Across a page break the spacing is lost: a sentence ending the page and a capital
        # starting the next is taken as a new paragraph (splitting one is the lesser harm).
        return True
    return (
        abs(prev.size - ln.size) > 0.5  # a heading
        or "\t" in prev.text or "\t" in ln.text  # table rows are lines of their own
        or _is_bullet(ln.text)
        # The previous line stopped short although the next line's first word would have fitted.
        or margin - prev.right > ln.first_word + 2 * max(ln.size, 1.0)
    )


def _is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def _indented(ln: _Line, body: list[_Line]) -> str:
    """A bullet indented further than the page's text gets two spaces per step, as a sub-item."""
    if not _is_bullet(ln.text) or not body:
        return ln.text
    left = min(b.left for b in body)
    steps = int((ln.left - left) // (1.5 * max(ln.size, 1.0)))
    return "  " * max(0, steps) + ln.text


def _page_lines(textpage) -> list[_Line]:
    """One page's non-blank lines, with tabs between table cells."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:
        # Characters and text are not one-to-one (ligatures expanded): keep PDFium's lines, no layout.
        return [_Line(t, 0, 0, 0, 0, 0, 0) for t in text.replace("\r\n", "\n").split("\n") if t.strip()]
    lines: list[_Line] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    size = 0.0
    for i, ch in enumerate(text + "\n"):
        if ch == "\r":
            continue
        if ch == "\n":
            if any(c.strip() for c in chars):
                lines.append(_line(chars, boxes, size))
            chars, boxes, size = [], [], 0.0
            continue
        if ch.strip() and not size:
            size = raw.FPDFText_GetFontSize(textpage, i)
        chars.append(ch)
        boxes.append(textpage.get_charbox(i))
    return lines


def _line(chars: list[str], boxes: list[tuple[float, float, float, float]], size: float) -> _Line:
    """A line's text, with a tab where a gap between characters is wider than the font size (about three spaces)."""
    out: list[str] = []
    prev_right = None
    gap = 1.0 * (size or 10.0)
    first_word_end = None  # right edge of the line's first word
    for c, (left, _, right, _) in zip(chars, boxes, strict=True):
        if not c.strip():
            if prev_right is not None and first_word_end is None:
                first_word_end = prev_right
            out.append(c)
            # A space typed in the text has a width and so narrows the gap; one PDFium made up
            # for a gap has none, and the gap after it is measured from the last character.
            if right > left and prev_right is not None:
                prev_right = max(prev_right, right)
            continue
        if prev_right is not None and left - prev_right > gap:
            while out and out[-1] == " ":
                out.pop()
            out.append("\t")
            if first_word_end is None:
                first_word_end = prev_right
        out.append(c)
        prev_right = right
    visible = [b for c, b in zip(chars, boxes, strict=True) if c.strip()]
    if not visible:
        return _Line("", 0, 0, 0, 0, size, 0)
    left = min(b[0] for b in visible)
    return _Line(
        "".join(out).strip(" "),
        left=left,
        right=max(b[2] for b in visible),
        top=max(b[3] for b in visible),
        bottom=min(b[1] for b in visible),
        size=size,
        first_word=(first_word_end if first_word_end is not None else prev_right) - left,
    )
