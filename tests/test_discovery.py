"""Units, divisions, systems and initiatives named in open text, name boundaries and merging
(extract/units.py, divisions.py, cues.py, systems.py, resolve.py), and long paragraphs (nlp.py).

Every sentence is invented for these tests; none comes from the development set.
"""

from __future__ import annotations

import pytest

from policekg.extract.cues import find_called, find_camel_names, find_coinages, find_head_first, find_models
from policekg.extract.divisions import find_division_lists, find_divisions
from policekg.extract.model import DIVISION, INITIATIVE, OBSERVATION, SYSTEM, UNIT, Finding
from policekg.extract.nlp import build_pipeline, chunks, extract_entities, extract_fragment, fragment_report
from policekg.extract.resolve import Candidate, covered_dropped
from policekg.extract.systems import find_domain_systems
from policekg.extract.units import find_units


def found(fn, text):
    return [text[f.start:f.end] for f in fn(text)]


def of_type(text: str, type_: str) -> set[str]:
    return {e["label"] for e in extract_fragment(text)["entities"] if e["type"] == type_}


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, unit", [
    ("Officers in child abuse investigation teams are stretched.", "child abuse investigation teams"),
    ("Neighbourhood policing teams meet residents weekly.", "Neighbourhood policing teams"),
    ("Its early help hubs have potential.", "early help hubs"),
    ("Calls are graded in the control room.", "control room"),
    ("Call handling: control room staff grade calls well.", "control room"),
    ("Referrals go to the force's crime bureau.", "crime bureau"),
    ("Analysts sit on the intelligence desk.", "intelligence desk"),
    ("The integrated offender management (IOM) team meets daily.", "integrated offender management (IOM) team"),
    ("Staff work with the Tidewater Counter Terrorism Command.", "Tidewater Counter Terrorism Command"),
])
def test_units_with_plural_and_wider_heads(text, unit):
    assert unit in found(find_units, text)


@pytest.mark.parametrize("text", [
    "The chief constable and senior team lead by example.",  # a job title, not a unit
    "A team of officers visited; the team was small.",  # a collective noun; no modifier says which
    "The force disrupted organised crime groups.",  # a kind of group of people
    "The strategic partnership advisory group met; so did the steering group.",  # meetings
    "Weekly meetings between neighbourhood teams and partners are held.",  # "meetings between" is no modifier
    "Footfall is high in its urban centres.",  # a place
    "It has four basic command units.",  # a category of division
])
def test_not_units(text):
    units = {u.lower() for u in found(find_units, text)}
    assert not units & {"chief constable and senior team", "senior team", "team", "organised crime groups",
                        "strategic partnership advisory group", "steering group", "urban centres",
                        "basic command units", "meetings between neighbourhood teams"}


def test_an_apposition_describes_the_name_before_it():
    text = "It works with the Tidewater Regional Unit (TRU), a regional crime unit run by four forces."
    assert of_type(text, UNIT) == {"TRU"}


def test_a_defined_category_is_no_unit_whichever_way_it_is_found():
    text = "The Harbour Basic Command Unit (BCU) covers the port; each BCU has a chief superintendent."
    ex = extract_fragment(text)
    assert {(e["type"], e["label"]) for e in ex["entities"]} == {(DIVISION, "Harbour")}


def test_a_group_is_a_unit_only_as_a_standing_team():
    assert found(find_units, "The Harbour Advisory Group met.") == []
    assert found(find_units, "The Marine Operations Group patrols the coast.") == ["Marine Operations Group"]


# --- divisions -----------------------------------------------------------------------------------


def test_divisions_from_place_lists():
    text = "The force is policed through three divisions: Harbour, North Downs and Saltmarsh-on-Sea."
    assert found(find_division_lists, text) == ["Harbour", "North Downs", "Saltmarsh-on-Sea"]
    assert found(find_divisions, "Officers of Ashby, Fernleigh and Low Dale BCU attended.") == [
        "Ashby, Fernleigh and Low Dale"]
    assert found(find_divisions, "The Harbour and Downs divisions merged.") == ["Harbour", "Downs"]


@pytest.mark.parametrize("text, division", [
    ("Crime fell in Harbour Local Policing Area.", "Harbour"),
    ("The Vale District team was praised.", "Vale"),
    ("Staff in the North Coast Area were trained.", "North Coast"),
])
def test_division_heads(text, division):
    assert division in found(find_divisions, text)


@pytest.mark.parametrize("text", [
    "The Staff Officer and the Chief Inspector attended.",
    "This is an Area for Improvement.",
    "The Force Area is rural.",
    "Lowdale District Council agreed.",
    "The port of Saltmouth and Downs Division were visited.",
])
def test_not_divisions(text):
    assert not {"Staff", "Chief", "Area", "Force", "Lowdale", "Saltmouth and Downs"} & set(
        found(find_divisions, text))


# --- systems -------------------------------------------------------------------------------------


def test_systems_named_across_punctuation_and_by_cue():
    text = "It bought a new database, Beacon, and its new system, called Sentinel, went live."
    assert found(find_called, text) == ["Beacon", "Sentinel"]
    assert found(find_called, "In its approach, Wessex Police has improved.") == []
    assert found(find_camel_names, "Residents follow TideAlert and NorthConnect.") == ["TideAlert", "NorthConnect"]


def test_descriptive_system_names_with_and_and_lists():
    text = "Staff use the command and control system and the new custody, case and property system."
    assert [text[s:e] for s, e in find_domain_systems(text)] == [
        "command and control system", "custody, case and property system"]


def test_a_system_named_with_its_force_resolves_to_the_system():
    text = "Northshire Police's Sentinel system holds custody records; Sentinel is slow."
    assert of_type(text, SYSTEM) == {"Sentinel"}


def test_equipment_and_national_systems_from_the_gazetteer():
    text = ("Officers wear body-worn video cameras and use mobile data devices; ANPR cameras and CCTV "
            "help; checks run on the PND, IDENT1 and NABIS.")
    assert {"body-worn video", "mobile data devices", "ANPR", "CCTV", "PND", "IDENT1", "NABIS"} <= of_type(
        text, SYSTEM)


# --- initiatives ---------------------------------------------------------------------------------


def test_initiatives_without_a_keyword_after_the_name():
    assert found(find_head_first, "Programme Kestrel and the Project Manager.") == ["Programme Kestrel"]
    assert found(find_models, "It adopted the Northshire Operating Model.") == ["Northshire Operating Model"]
    assert found(find_models, "It uses the National Intelligence Model.") == []  # doctrine, not an initiative
    assert found(find_called, "It had a strategy called Wellbeing First.") == ["Wellbeing First"]
    assert found(find_coinages, "It trialled so-called 'virtual PCSOs' and the 'One Team' approach.") == [
        "virtual PCSOs", "One Team"]
    assert found(find_coinages, "It was 'good'; a 'bolt-on' idea; the 'golden hour'.") == []


def test_national_programmes_from_the_gazetteer():
    text = ("The force joined Operation Encompass, Troubled Families and Operation Uplift, and uses the "
            "domestic violence disclosure scheme (Clare's Law).")
    assert {"Operation Encompass", "Troubled Families", "Operation Uplift", "Clare's Law"} <= of_type(
        text, INITIATIVE)


# --- boundaries and merging ----------------------------------------------------------------------


def test_labels_have_no_quotes_or_trailing_punctuation():
    text = "The 'Safer Harbours' initiative and the \"Night Owl\" project run; so does Operation Tern."
    for e in extract_fragment(text)["entities"]:
        assert e["label"] == e["label"].strip(" '\".,;:"), e


def test_an_abbreviation_merges_with_slightly_different_long_forms():
    text = ("A dedicated case review unit (CRU) was set up. The case review unit reads every file. "
            "The CRU reports monthly.")
    assert of_type(text, UNIT) == {"CRU"}


def test_one_nesting_rule_for_candidates():
    a = Candidate(UNIT, "harbour street triage team", 0, 26, "pattern:unit", 1)
    b = Candidate(INITIATIVE, "street triage", 8, 21, "gazetteer", 1, "street triage")
    c = Candidate(SYSTEM, "PNC", 40, 43, "gazetteer", 1, "PNC")
    d = Candidate(UNIT, "PNC bureau", 40, 50, "pattern:unit", 1)
    assert set(covered_dropped([a, b, c, d])) == {a, c, d}  # a one-word name inside a phrase is kept


# --- long paragraphs -----------------------------------------------------------------------------


def test_a_paragraph_longer_than_max_length_is_read_in_pieces():
    nlp = build_pipeline()
    nlp.max_length = 2000  # spaCy raises E088 beyond this; a real paragraph would be 1 MB
    sentence = "The Harbour division uses STORM and the PNC. "
    report = fragment_report(sentence * 200)
    assert len(report.findings) == 1 and len(report.findings[0].text) > nlp.max_length
    ex = extract_entities(report, nlp)
    assert {e.label for e in ex.entities} >= {"Harbour", "STORM", "PNC"}
    assert len([m for m in ex.mentions if m.surface == "STORM"]) == 200


def test_chunks_end_at_sentence_ends_and_cover_the_finding():
    text = "One two. Three four five. Six seven eight nine."
    f = Finding(1, OBSERVATION, text, 0, len(text))
    pieces = chunks(f, text, 20)
    assert "".join(p.text for p in pieces) == text and all(len(p.text) <= 20 for p in pieces)
    assert all(p.ordinal == 1 and text[p.start:p.end] == p.text for p in pieces)
