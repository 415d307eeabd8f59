"""Tests for extract/abbreviations.py: Schwartz & Hearst definitions, both directions, and the component."""

from __future__ import annotations

import pytest
import spacy

from policekg.extract.abbreviations import (
    best_long_form,
    find_abbreviations,
    glossary_abbreviations,
    is_short_form,
    singular_short,
)
from policekg.extract.discover import SPANS_KEY
from policekg.extract.model import SYSTEM, UNIT, GlossaryEntry


def pairs(text: str) -> list[tuple[str, str]]:
    found = find_abbreviations(text)
    for a in found:  # offsets always give back the surfaces
        assert text[a.short_span[0]:a.short_span[1]] == a.short
        assert text[a.long_span[0]:a.long_span[1]] == a.long
    return [(a.short, a.long) for a in found]


# Phrases quoted from the bundled 2006 baseline report.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On each BCU a public protection unit (PPU) deals with domestic violence.",
         [("PPU", "public protection unit")]),
        ("eg, GUARDIAN (the force public protection IT system), and more",
         [("GUARDIAN", "the force public protection IT system")]),
        ("ViSOR (Violent and Sex Offenders Register).",
         [("ViSOR", "Violent and Sex Offenders Register")]),
        ("following the implementation of the national violent and sex offender register (ViSOR) IT system.",
         [("ViSOR", "violent and sex offender register")]),
        ("COMPACT (Community Policing and Case Tracking System), ViSOR",
         [("COMPACT", "Community Policing and Case Tracking System")]),
        ("the Safer Neighbourhood Interview Questionnaire (SNIQ) was introduced",
         [("SNIQ", "Safer Neighbourhood Interview Questionnaire")]),
    ],
)
def test_definitions_from_the_baseline_report(text, expected):
    assert pairs(text) == expected


def test_long_form_stops_at_the_shortest_match_not_the_clause_start():
    # Schwartz & Hearst take the shortest run of words that matches, so "each BCU a" is left out.
    assert pairs("On each BCU a public protection unit (PPU) deals") == [("PPU", "public protection unit")]


def test_long_form_never_crosses_a_sentence_boundary():
    assert pairs("Officers met the public. Protection (PP) was discussed.") == []


def test_plural_definition_keeps_its_plural():
    assert pairs("the force has four basic command units (BCUs), which") == [("BCUs", "basic command units")]


@pytest.mark.parametrize(
    "text",
    [
        "the pathfinder BCU (Harbour) led the roll-out",  # a place in brackets, not a definition
        "as well as other ideas (eg) in the plan",
        "STORM (command and control) is integrated",  # letters of STORM are not in the description
        "a sub-group of the LCJB (the performance delivery group) meets",  # a part, not a definition
        "the chief constable (who retired in March) said",
    ],
)
def test_not_definitions(text):
    assert pairs(text) == []


def test_best_long_form_first_letter_must_start_a_word():
    assert best_long_form("PPU", "public protection unit") == 0
    assert best_long_form("XYZ", "public protection unit") is None
    # 'c' of "CSU" must begin a word: "coastal", not the 'c' inside "tactical".
    assert best_long_form("CSU", "tactical coastal safeguarding unit") == len("tactical ")


def test_short_form_shapes():
    assert is_short_form("PPU") and is_short_form("ViSOR") and is_short_form("IiP")
    assert not is_short_form("Guardian")  # a capitalised word, not an abbreviation
    assert not is_short_form("x") and not is_short_form("Stoke-upon-Avon")
    assert singular_short("PPUs") == "PPU"
    assert singular_short("NAFIS") == "NAFIS"  # a capital S belongs to the abbreviation
    assert singular_short("IS") == "IS"


def test_glossary_entries_become_definitions():
    entries = [GlossaryEntry("CSU", "coastal safeguarding unit", 10, 40)]
    (abbr,) = glossary_abbreviations(entries)
    assert (abbr.short, abbr.long, abbr.long_span) == ("CSU", "coastal safeguarding unit", (10, 40))


def test_component_types_candidates_by_the_long_forms_head():
    nlp = spacy.blank("en")
    nlp.add_pipe("policekg_abbreviations")
    doc = nlp("The coastal safeguarding unit (CSU) uses BEACON (the force custody IT system) daily.")
    found = {(s.text, s.label_, s.id_) for s in doc.spans[SPANS_KEY]}
    assert found == {
        ("coastal safeguarding unit", UNIT, "abbreviation"),
        ("CSU", UNIT, "abbreviation"),
        ("BEACON", SYSTEM, "abbreviation"),
        ("the force custody IT system", SYSTEM, "abbreviation"),
    }
    assert {s._.policekg_method for s in doc.spans[SPANS_KEY]} == {"abbreviation"}
    links = {(doc.text[a:b], doc.text[c:d]) for a, b, c, d, _ in doc._.policekg_links}
    assert links == {("CSU", "coastal safeguarding unit"), ("BEACON", "the force custody IT system")}


def test_component_links_untyped_definitions_without_candidates():
    nlp = spacy.blank("en")
    nlp.add_pipe("policekg_abbreviations")
    doc = nlp("Statutory performance indicators (SPIs) are set each year.")
    assert list(doc.spans[SPANS_KEY]) == []
    assert [m for *_, m in doc._.policekg_links] == ["abbreviation"]
