"""Property-based tests (hypothesis): random and mutated report text never raises anything but the
project's own errors, and every offset the pipeline records maps back to the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policekg.errors import PoliceKGError
from policekg.extract.nlp import extract_entities, extract_fragment, fragment_report
from policekg.extract.normalise import normalise
from policekg.extract.structure import parse_text

DATA = Path(__file__).parent / "data"
# Invented reports only (an invented force), never the bundled corpus.
SEEDS = [(DATA / name).read_text(encoding="utf-8")
         for name in ("wessex-2006-baseline.txt", "wessex-2019-peel.md", "wessex-fragment.txt")]

# Characters the normaliser and parsers treat specially, plus ordinary and odd ones.
SPECIAL = "\n\n\n\t  -*\u2022\u2013\u2014#[]()\\_.,:;!?'\"\u2018\u2019\u201c\u201d\u00a0\r"
text_chars = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
)
random_text = st.text(text_chars, max_size=400)
words = st.sampled_from(["Division", "PNC", "the force", "Operation Harbour", "unit", "Areas for improvement",
                         "Strengths", "Page 3 of 40", "October 2006", "[term](#)", "**bold**", "- ", "1. "])


@st.composite
def mutated_report(draw) -> str:
    """A slice of an invented report, then a few edits: deletions, repeats, insertions, line swaps."""
    seed = draw(st.sampled_from(SEEDS))
    start = draw(st.integers(0, len(seed)))
    text = seed[start:start + draw(st.integers(0, 3000))]
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "repeat", "insert", "word", "swap"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 200)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "repeat":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(random_text) + text[i:]
        elif op == "word":
            text = text[:i] + draw(words) + text[i:]
        else:
            lines = text.split("\n")
            if len(lines) > 2:
                a, b = sorted(draw(st.lists(st.integers(0, len(lines) - 1), min_size=2, max_size=2)))
                lines[a], lines[b] = lines[b], lines[a]
                text = "\n".join(lines)
    return text


any_text = st.one_of(random_text, mutated_report())
FAST = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
def test_normalise_keeps_an_offset_for_every_character(source):
    try:
        norm = normalise(source)
    except PoliceKGError:
        return
    assert len(norm.offsets) == len(norm.text) + 1
    assert list(norm.offsets[:-1]) == sorted(norm.offsets[:-1])
    for i, ch in enumerate(norm.text):
        off = norm.offsets[i]
        # A character is the source's own, or a newline / joining space the normaliser wrote.
        assert (off < len(source) and source[off] == ch) or ch in "\n ", (i, ch, off)


@FAST
@given(any_text)
def test_generic_parse_raises_only_our_errors_and_findings_quote_the_text(text):
    try:
        report = parse_text(text, kind="generic")
    except PoliceKGError:
        return
    for f in report.findings:
        assert report.text[f.start:f.end] == f.text, f


@SLOW
@given(any_text)
def test_extraction_mentions_map_back_to_the_same_text(text):
    try:
        report = fragment_report(text)
        extraction = extract_entities(report)
        extract_fragment(text)
    except PoliceKGError:
        return
    for f in report.findings:
        assert report.text[f.start:f.end] == f.text
    for m in extraction.mentions:
        assert report.text[m.start:m.end] == m.surface, m


@SLOW
@given(mutated_report())
def test_generic_reports_extract_with_offsets_into_their_text(text):
    try:
        report = parse_text(text, kind="generic")
        extraction = extract_entities(report)
    except PoliceKGError:
        return
    for m in extraction.mentions:
        assert report.text[m.start:m.end] == m.surface, m


@pytest.mark.parametrize("kind", [None, "baseline", "peel"])
@SLOW
@given(text=mutated_report())
def test_report_parsers_raise_only_our_errors(kind, text):
    try:
        report = parse_text(text, kind=kind)
    except PoliceKGError:
        return
    for f in report.findings:
        assert report.text[f.start:f.end] == f.text, f
