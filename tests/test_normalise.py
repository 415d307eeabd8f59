"""The reader and normaliser: footers, page-split joins, markup, offsets, fold, read errors."""

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from policekg.errors import InputError
from policekg.extract.normalise import fold, normalise, read_report

REPORTS = resources.files("policekg.data") / "reports"
WESSEX = Path(__file__).parent / "data" / "wessex-2006-baseline.txt"
SOURCES = [
    REPORTS / "staffordshire-2006-baseline-assessment.txt",
    REPORTS / "staffordshire-2019-peel.txt",
    WESSEX,
]

FOOTED = "Title\n\nMarch 2007\n\nFirst.\n\nMarch 2007\n\nSecond.\n\nMarch 2007\n\nThird.\n"


def test_repeated_date_line_is_a_footer():
    assert normalise(FOOTED).text == "Title\n\nFirst.\n\nSecond.\n\nThird.\n"


def test_a_date_line_seen_once_is_kept():
    assert normalise("Report\n\nMarch 2007\n\nText.\n").text == "Report\n\nMarch 2007\n\nText.\n"


def test_page_numbers_are_footers_even_once():
    assert normalise("One.\n\nPage 3 of 40\n\nTwo.\n").text == "One.\n\nTwo.\n"


def test_bullet_split_by_a_footer_is_joined():
    src = FOOTED.replace("First.", "- The force has agreed a protocol with\n\nMarch 2007\n\nits partners.")
    assert "- The force has agreed a protocol with its partners.\n" in normalise(src).text


def test_capitalised_continuation_after_a_dangling_word_is_joined():
    # Staffordshire 2006, 3E: "... The Prevent and" / blank line / "Deter programme also provides ..."
    text = normalise("- The Prevent and\n\nDeter programme also provides an approach.\n").text
    assert text == "- The Prevent and Deter programme also provides an approach.\n"


def test_no_join_after_a_finished_sentence_or_in_a_table():
    assert normalise("- Teams are in place.\n\nareas for improvement\n").text == (
        "- Teams are in place.\n\nareas for improvement\n")
    assert normalise("- Budgets are devolved.\n\nThe force is efficient.\n").text == (
        "- Budgets are devolved.\n\nThe force is efficient.\n")
    table = "ETCB\tequality board\neg\tfor example\n"
    assert normalise(table).text == table
    # An abbreviation's full stop does not end the sentence.
    assert normalise("- Uses of ASB orders, powers, etc.\n\nare reviewed.\n").text == (
        "- Uses of ASB orders, powers, etc. are reviewed.\n")


def test_link_and_emphasis_markup():
    src = "The [PPU](#) uses **all** of *A Safer Town* \\(and more\\) [SARA](https://x.org/sara).\n"
    assert normalise(src).text == "The PPU uses all of A Safer Town (and more) SARA.\n"


def test_blank_runs_collapse_and_trailing_spaces_go():
    assert normalise("\n\nA   \n\n\n\nB\r\nC\n").text == "A\n\nB\nC\n"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_offsets_map_back_to_the_source(path):
    source, _ = read_report(path)
    norm = normalise(source)
    assert len(norm.offsets) == len(norm.text) + 1
    inserted = 0
    for i, ch in enumerate(norm.text):
        off = norm.offsets[i]
        if off >= len(source) or source[off] != ch:  # a newline added after a last unended line
            # Only the newlines and joining spaces that the normaliser writes itself may differ.
            assert ch in "\n ", (i, ch)
            inserted += 1
    assert inserted < norm.text.count("\n") + 100
    assert list(norm.offsets[:-1]) == sorted(norm.offsets[:-1])


def test_to_source_span():
    src = "Title\n\nMarch 2007\n\n- The **unit** works.\n\nMarch 2007\n\nEnd.\n\nMarch 2007\n"
    norm = normalise(src)
    start = norm.text.index("The unit works.")
    a, b = norm.to_source(start, start + len("The unit works."))
    assert src[a:b] == "The **unit** works."
    assert norm.to_source(start, start) == (a, a)


def test_fold_keeps_length_and_maps_typography():
    s = "the \u2018beacon\u2019 \u2013 2005\u201308 \u201cquoted\u201d\u00a0\u2022 x"
    assert len(fold(s)) == len(s)
    assert fold(s) == "the 'beacon' - 2005-08 \"quoted\" - x"
    text = normalise(REPORTS.joinpath("staffordshire-2006-baseline-assessment.txt").read_text("utf-8")).text
    assert len(fold(text)) == len(text)


def test_read_report_returns_text_and_sha256(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes("\ufeffWessex Constabulary\n".encode())
    text, sha = read_report(p)
    assert text == "Wessex Constabulary\n"  # the BOM is dropped
    assert sha == hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("name, content, words", [
    ("missing.txt", None, "no such file"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n\t\n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
    ("broken.pdf", b"%PDF-1.4\x00\x01\x02binary", "cannot be opened as a PDF"),
    ("latin1.txt", "Caf\u00e9 report\n".encode("latin-1"), "not UTF-8"),
    ("folder", "dir", "directory"),
])
def test_read_report_errors(tmp_path, name, content, words):
    p = tmp_path / name
    if content == "dir":
        p.mkdir()
    elif content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_report(p)
    message = str(info.value)
    assert words in message and name in message
    assert "\n" not in message
