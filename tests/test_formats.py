"""PDF and HTML input: detection by content, chrome and page furniture dropped, round trips.

The PDFs and web pages are rendered in the test from the text fixtures (``tests/render.py``); the
graph built from each must hold the same frameworks, grades and finding texts as the one built
from the text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Literal

from policekg.errors import InputError
from policekg.extract.normalise import normalise
from policekg.extract.readers import detect_format, read_source
from policekg.extract.readers.html import html_to_text
from policekg.extract.structure import parse_report
from policekg.graph.build import build_graph
from policekg.ontology import POL

pytest.importorskip("fpdf", reason="fpdf2 (a test dependency) renders the PDF fixtures")

from render import to_html, to_pdf  # noqa: E402  (tests/ is on sys.path under pytest's rootdir conftest)

DATA = Path(__file__).parent / "data"
FIXTURES = ["wessex-2019-peel.md", "northshire-2019-peel-web.txt", "wessex-2006-baseline.txt",
            "northshire-2016-peel-legitimacy.txt", "northshire-2022-peel.txt", "eastmoor-2024-peel.txt",
            "eastmoor-2005-baseline.txt"]
# A grid table (grades as columns, areas in cells) prints with cells that overflow or wrap and
# empty columns that leave no text, so its columns cannot be rebuilt from PDFium's lines.
PDF_GRID = "northshire-2022-peel.txt"


def _content(report):
    """What must survive a change of format: frameworks with grades, findings with kinds and text.

    White space inside a finding is compared collapsed: a sub-item's indentation is layout.
    """
    return (
        report.kind, report.force, report.year,
        [(f.level, f.parent, f.title, f.grade, f.direction, f.last_inspected) for f in report.frameworks],
        [(f.kind, f.framework, f.section, " ".join(f.text.split())) for f in report.findings],
    )


@pytest.fixture(scope="module", params=FIXTURES)
def rendered(request, tmp_path_factory):
    src = DATA / request.param
    text = src.read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("formats")
    pdf = out / (src.stem + ".pdf")
    pdf.write_bytes(to_pdf(text, header=f"{src.stem} inspection report"))
    page = out / (src.stem + ".html")
    page.write_text(to_html(text, title=src.stem), encoding="utf-8")
    return parse_report(src), pdf, page


def test_pdf_round_trip_gives_the_same_report(rendered, request):
    report, pdf, _ = rendered
    if pdf.stem + ".txt" == PDF_GRID:
        request.applymarker(pytest.mark.xfail(reason="PDF: an Our judgments grid's columns are not rebuilt",
                                              strict=True))
    from_pdf = parse_report(pdf)
    assert from_pdf.source_format == "pdf"
    assert _content(from_pdf) == _content(report)


def test_html_round_trip_gives_the_same_report(rendered):
    report, _, page = rendered
    from_html = parse_report(page)
    assert from_html.source_format == "html"
    assert _content(from_html) == _content(report)


def test_pdf_findings_have_pages_and_exact_offsets(rendered):
    _, pdf, _ = rendered
    report = parse_report(pdf)
    pages = [f.page for f in report.findings]
    assert all(p is not None and p >= 1 for p in pages)
    assert pages == sorted(pages) and pages[-1] > 1  # every fixture runs to more than one page
    for f in report.findings:
        assert report.text[f.start:f.end] == f.text


def test_pdf_offsets_map_back_to_the_extracted_text(rendered):
    _, pdf, _ = rendered
    source = read_source(pdf)
    norm = normalise(source.text, pages=True)
    report = parse_report(pdf)
    assert report.text == norm.text
    for f in report.findings:
        a, b = norm.to_source(f.start, f.end)
        # The same words; only the line breaks of the printed page differ.
        assert source.text[a:b].split() == f.text.split()


def test_pdf_graph_records_page_format_and_file_digest(rendered):
    _, pdf, _ = rendered
    report = parse_report(pdf)
    g = build_graph(report, _no_entities())
    assert report.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert (None, POL.sha256, Literal(report.sha256)) in g
    assert (None, POL.sourceFormat, Literal("pdf")) in g
    assert {p.toPython() for p in g.objects(None, POL.page)} == {f.page for f in report.findings}


def _no_entities():
    from policekg.extract.model import Extraction

    return Extraction()


def test_running_header_and_page_footer_are_dropped(tmp_path):
    text = (DATA / "wessex-2019-peel.md").read_text(encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(text, header="Wessex Constabulary PEEL 2018/19"))
    source = read_source(pdf)
    assert "Page 2 of" in source.text  # the reader keeps them; the normaliser drops them
    norm = normalise(source.text, pages=True).text
    assert "Page 2 of" not in norm and "Wessex Constabulary PEEL 2018/19" not in norm


def test_read_report_gives_a_pdfs_text_without_page_furniture(tmp_path):
    from policekg.extract.normalise import read_report

    text = (DATA / "wessex-2019-peel.md").read_text(encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(text, header="Wessex Constabulary PEEL 2018/19"))
    got, sha = read_report(pdf)
    assert "Page 2 of" not in got and "Wessex Constabulary PEEL 2018/19" not in got
    assert "The force has a backlog of wanted persons on the Police National Computer (PNC)." in got
    assert sha == hashlib.sha256(pdf.read_bytes()).hexdigest()


def test_xhtml_with_an_xml_prolog_is_html():
    assert detect_format(b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>') == "html"


def test_hyphenated_word_across_lines_is_joined():
    # Two pages of a paragraph whose lines were wrapped by the PDF writer, one word hyphenated.
    src = "The force has improved its organ-\nisation of neighbourhood teams and\nits response.\n"
    assert normalise(src, pages=True).text == (
        "The force has improved its organisation of neighbourhood teams and its response.\n"
    )


def test_a_sentence_runs_on_across_a_page_break():
    src = "Page one ends in the middle of a\n7\n\fsentence that page two finishes.\n"
    assert normalise(src, pages=True).text == "Page one ends in the middle of a sentence that page two finishes.\n"


# --- detection by content -----------------------------------------------------------------------

def test_format_is_detected_by_content_not_suffix(tmp_path):
    text = (DATA / "wessex-2019-peel.md").read_text(encoding="utf-8")
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(to_pdf(text))
    assert read_source(disguised).format == "pdf"
    page = tmp_path / "report.download"
    page.write_text(to_html(text), encoding="utf-8")
    assert read_source(page).format == "html"
    # Markdown with some inline HTML is still text.
    assert detect_format(b"# Title\n\n<ul><li>one</li></ul>\n<p>two</p>\n", ".md") == "text"


def test_pdf_without_text_layer_is_an_error(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # a drawing, no text: as a scanned page looks to a text extractor
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(InputError) as err:
        read_source(path)
    assert "no text layer" in str(err.value) and "scan.pdf" in str(err.value)


# --- HTML chrome ------------------------------------------------------------------------------

def test_site_chrome_is_dropped():
    page = to_html("Summary\n\nThe force is good.\n", title="Chrome test")
    text = html_to_text(page)
    assert text == "Summary\n\nThe force is good.\n"


def test_html_without_main_drops_nav_cookie_banner_and_download_link():
    page = """<html><body>
    <div class="cookie-consent">We use cookies. <a>Accept all cookies</a></div>
    <nav>Home | Reports</nav>
    <p><a href="#content">Skip to main content</a></p>
    <h2>Investigating crime</h2>
    <p>Download the full report</p>
    <p>The force&rsquo;s investigations are <strong>well</strong> supervised.</p>
    <table><tr><th>Area</th><th>Grade</th></tr><tr><td>Investigating crime</td><td>Good</td></tr></table>
    <footer>Contact us</footer></body></html>"""
    assert html_to_text(page) == (
        "Investigating crime\n\nThe force\u2019s investigations are well supervised.\n\n"
        "Area\tGrade\nInvestigating crime\tGood\n"
    )
