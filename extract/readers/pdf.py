"""Extract a PDF's text with pypdfium2 (PDFium: fast, Apache/BSD licensed), keeping its layout.

PDFium gives every character with its box, and a line break where a printed line ends. From the
boxes this reader rebuilds what the normaliser needs (see ``normalise(..., pages=True)``):

* a blank line between paragraphs: where the gap to the next line is clearly larger than the
  line spacing, where the font size changes (a heading), or where a line stops short of the right
  margin by more than the next line's first word (the writer broke the line, not the layout);
* a tab between table cells: where two characters on one line are further apart than twice
  the font size (PDFium reports such a gap as one space);
* a form feed before each page after the first, so headers, footers and page numbers can be
  recognised and every offset has a page.

pdfplumber/pdfminer.six read the same layouts but are an order of magnitude slower in pure Python
(measured on the bundled Baseline Assessment; see ``benchmarks/formats.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from policekg.errors import InputError

_BULLETS = ("\u2022", "-", "\u2013", "*", "\u25aa", "\u25cf", "\uf0b7")


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
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                body = _page_text(textpage)
            finally:
                textpage.close()
                page.close()
            chunk = ("\f" if index else "") + body + "\n"
            starts.append(at + (1 if index else 0))
            parts.append(chunk)
            at += len(chunk)
    finally:
        doc.close()
    text = "".join(parts)
    if not text.strip("\f\n "):
        raise InputError(f"{where}: the PDF has no text layer (a scan?); run OCR on it first")
    return text, starts


def _page_text(textpage) -> str:
    """One page as lines, with blank lines between paragraphs and tabs between table cells."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:
        # Characters and text are not one-to-one (ligatures expanded): keep PDFium's lines as they are.
        return text.replace("\r\n", "\n")
    lines: list[_Line] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    size = 0.0

    def flush() -> None:
        if not chars:
            lines.append(_Line("", 0, 0, 0, 0, 0, 0))
        else:
            lines.append(_line(chars, boxes, size))
        chars.clear()
        boxes.clear()

    for i, ch in enumerate(text):
        if ch == "\r":
            continue
        if ch == "\n":
            flush()
            size = 0.0
            continue
        box = textpage.get_charbox(i)
        if ch.strip() and not size:
            size = raw.FPDFText_GetFontSize(textpage, i)
        chars.append(ch)
        boxes.append(box)
    flush()
    return _paragraphs([ln for ln in lines if ln.text.strip()])


def _line(chars: list[str], boxes: list[tuple[float, float, float, float]], size: float) -> _Line:
    """A line's text, with a tab where a gap between characters is wider than twice the font size."""
    out: list[str] = []
    prev_right = None
    gap = 2 * (size or 10.0)
    first_word_end = None  # right edge of the line's first word
    for c, (left, _, right, _) in zip(chars, boxes, strict=True):
        if not c.strip():
            if prev_right is not None and first_word_end is None:
                first_word_end = prev_right
            out.append(c)
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


def _paragraphs(lines: list[_Line]) -> str:
    """Join a page's lines, with a blank line wherever a new paragraph starts."""
    if not lines:
        return ""
    pitches = sorted(a.bottom - b.bottom for a, b in zip(lines, lines[1:], strict=False) if a.bottom > b.bottom)
    pitch = pitches[len(pitches) // 2] if pitches else 0.0  # the usual line spacing
    margin = max(ln.right for ln in lines)
    out = [lines[0].text]
    for prev, ln in zip(lines, lines[1:], strict=False):
        step = prev.bottom - ln.bottom
        new_para = (
            step <= 0  # a new column or a line printed out of order
            or (pitch and step > 1.4 * pitch)
            or abs(prev.size - ln.size) > 0.5
            or "\t" in prev.text or "\t" in ln.text
            or ln.text.lstrip().startswith(_BULLETS) and ln.text.lstrip()[1:2] in (" ", "\t")
            or margin - prev.right > ln.first_word + 2 * max(ln.size, 1.0)
        )
        table = "\t" in prev.text and "\t" in ln.text  # rows of one table stay on adjacent lines
        out.append("\n\n" + ln.text if new_para and not table else "\n" + ln.text)
    return "".join(out)
