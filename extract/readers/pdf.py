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

Measured on the bundled Baseline Assessment rendered as a 48-page PDF: pdfminer.six's
``extract_text`` (which pdfplumber builds on) took 2.8 s, PDFium's plain text 0.05 s and this
reader, layout included, about 0.2 s (``benchmarks/formats.py``).
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


class _Boxes:
    """Character geometry from PDFium's C API, with the output doubles allocated once per page
    (the per-character wrappers cost more than the extraction itself)."""

    def __init__(self, textpage):
        import ctypes

        import pypdfium2.raw as raw

        self.raw, self.page = raw, textpage.raw
        self._d = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(d) for d in self._d]

    def box(self, i: int) -> tuple[float, float, float, float]:
        """``(left, right, bottom, top)`` of character ``i``."""
        self.raw.FPDFText_GetCharBox(self.page, i, *self._refs)
        return self._d[0].value, self._d[1].value, self._d[2].value, self._d[3].value

    def baseline(self, i: int) -> float:
        self.raw.FPDFText_GetCharOrigin(self.page, i, self._refs[0], self._refs[1])
        return self._d[1].value

    def generated(self, i: int) -> bool:
        """Whether PDFium made character ``i`` up (a space for a gap, a line break)."""
        return self.raw.FPDFText_IsGenerated(self.page, i) == 1

    def size(self, i: int) -> float:
        return self.raw.FPDFText_GetFontSize(self.page, i)


_SPACES = re.compile(r"\s+")


def _page_lines(textpage) -> list[_Line]:
    """One page's non-blank lines, with tabs between table cells."""
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:
        # Characters and text are not one-to-one (ligatures expanded): keep PDFium's lines, no layout.
        return [_Line(t, 0, 0, 0, 0, 0, 0) for t in text.replace("\r\n", "\n").split("\n") if t.strip()]
    boxes = _Boxes(textpage)
    lines: list[_Line] = []
    pos = 0
    for raw_line in text.split("\n"):
        start, pos = pos, pos + len(raw_line) + 1
        body = raw_line.rstrip("\r")
        if body.strip():
            lines.append(_line(body, start, boxes))
    return lines


def _line(body: str, at: int, boxes: _Boxes) -> _Line:
    """A line's text, with a tab where the gap between two words is wider than the font size.

    PDFium puts a space wherever characters are apart, so gaps are only looked for at the spaces
    it made up (table cells are separate pieces of text); a space typed in the text is a word
    space, however wide justification makes it.
    """
    first = len(body) - len(body.lstrip())
    last = len(body.rstrip()) - 1
    size = boxes.size(at + first)
    gap = 1.0 * (size or 10.0)
    left, _, bottom, top = boxes.box(at + first)
    right = boxes.box(at + last)[1]
    out: list[str] = []
    done = first
    first_word_end = None
    for m in _SPACES.finditer(body, first, last + 1):
        if first_word_end is None:
            first_word_end = boxes.box(at + m.start() - 1)[1]
        out.append(body[done:m.start()])
        done = m.end()
        if m.end() - m.start() == 1 and not boxes.generated(at + m.start()):
            out.append(body[m.start()])  # a space typed in the text: a word space, however justified
            continue
        # PDFium made this space up for a gap between characters: how wide is the gap?
        sl, sr, _, _ = boxes.box(at + m.start())
        before = sr if sr > sl else sl
        after = boxes.box(at + m.end())[0]
        out.append("\t" if after - before > gap else body[m.start():m.end()])
    out.append(body[done:last + 1])
    return _Line(
        "".join(out),
        left=left,
        right=right,
        top=top,
        bottom=boxes.baseline(at + first),
        size=size,
        first_word=(first_word_end if first_word_end is not None else right) - left,
    )
