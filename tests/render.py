"""Render a text report as a PDF (fpdf2) or as a web page with site chrome, for round-trip tests.

The renderer lays out the *normalised* text, block by block, the way published reports look:
short lines as bold headings, paragraphs wrapped to the page width, bullets indented (sub-items
further), table rows as cells in columns; the PDF gets a running header and a "Page n of m"
footer on every page, the web page a header, navigation, breadcrumbs, a cookie banner, a skip
link, a download link and a footer. Reading the rendering back must give the same report.
"""

from __future__ import annotations

import html
import re

from policekg.extract.normalise import fold, normalise
from policekg.extract.parsers.blocks import is_short

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[-*\u2022\u2013]|\d{1,2}[.)])[ \t]+(?=\S)")


def _lines(text: str) -> list[tuple[str, int, str]]:
    """``(kind, indent level, text)`` for each non-blank line of the normalised text."""
    out = []
    for line in normalise(text).text.split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            out.append(("row", 0, line))
            continue
        m = _BULLET.match(fold(line))
        if m:
            level = 1 if len(m.group("indent")) else 0
            out.append(("item", level, line.strip()))
        else:
            s = line.strip()
            out.append(("heading" if is_short(s) else "para", 0, s))
    return out


def to_pdf(text: str, *, header: str = "Inspection report") -> bytes:
    """The report as a PDF: Helvetica in Windows-1252 (curly quotes, dashes and bullets print)."""
    from fpdf import FPDF

    class _Doc(FPDF):
        def header(self):
            self.set_font("helvetica", "I", 8)
            self.cell(0, 5, header, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self):
            self.set_y(-12)
            self.set_font("helvetica", "I", 8)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Doc(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.epw
    prev = None
    for kind, level, line in _lines(text):
        if prev == "item" and kind != "item":
            pdf.ln(3)  # space after a list, as after a paragraph
        prev = kind
        if kind == "heading":
            pdf.ln(2)
            pdf.set_font("helvetica", "B", 12)
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "row":
            pdf.set_font("helvetica", size=7.5)
            cells = line.split("\t")
            # The first column (an area's or framework's title) is the wide one.
            first = max(width * 0.45, pdf.get_string_width(cells[0].strip()) + 4) if len(cells) > 1 else width
            rest = (width - first) / max(len(cells) - 1, 1)
            for k, cell in enumerate(cells):
                pdf.cell(first if k == 0 else rest, 5, cell.strip())
            pdf.ln(5)
        elif kind == "item":
            pdf.set_font("helvetica", size=10)
            pdf.set_x(pdf.l_margin + 10 * level)
            pdf.multi_cell(width - 10 * level, 5, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("helvetica", size=10)
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


_CHROME_TOP = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>window.dataLayer = [];</script><style>body {{ font-family: sans-serif; }}</style></head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<div id="cookie-banner"><p>We use cookies to improve this site.</p><button>Accept all cookies</button></div>
<header class="site-header"><a href="/">HM Inspectorate</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/reports">Reports</a></li></ul></nav></header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li>Home</li><li>PEEL</li></ol></nav>
<main id="main">
<p><a class="download" href="report.pdf">Download the full report (PDF, 1.2 MB)</a></p>
"""
_CHROME_END = """</main>
<aside class="related"><h2>Related publications</h2><ul><li>Another report</li></ul></aside>
<footer><p>&copy; Crown copyright</p><ul><li>Accessibility</li><li>Privacy</li></ul></footer>
</body></html>
"""


def to_html(text: str, *, title: str = "Inspection report") -> str:
    """The report as a web page: headings, paragraphs, nested lists and tables, inside site chrome."""
    out = [_CHROME_TOP.format(title=html.escape(title))]
    open_lists = 0
    in_table = False
    for kind, level, line in _lines(text):
        if kind != "item":
            out.append("</li></ul>" * open_lists)
            open_lists = 0
        if kind != "row" and in_table:
            out.append("</table>")
            in_table = False
        if kind == "heading":
            out.append(f"<h3>{html.escape(line)}</h3>")
        elif kind == "para":
            out.append(f"<p>{html.escape(line)}</p>")
        elif kind == "row":
            if not in_table:
                out.append("<table>")
                in_table = True
            cells = "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("\t"))
            out.append(f"<tr>{cells}</tr>")
        else:
            body = html.escape(_BULLET.sub("", line, count=1))
            if level + 1 > open_lists:
                out.append("<ul><li>" * (level + 1 - open_lists))
                open_lists = level + 1
            else:
                out.append("</li></ul>" * (open_lists - level - 1) + "</li><li>")
                open_lists = level + 1
            out.append(body)
    out.append("</li></ul>" * open_lists)
    if in_table:
        out.append("</table>")
    out.append(_CHROME_END)
    return "\n".join(out)
