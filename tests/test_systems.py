"""Systems named by their domain ("the payroll system") and described objects ("12 existing systems").

Covers extract/systems.py, the process-acronym rule in resolve.py and, through the pipeline, the
relations they make possible. Passages quoted from the bundled reports are verbatim; the rest is an
invented force (Wessex Constabulary).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from policekg.extract import discover
from policekg.extract.model import (
    FEEDS,
    GENERIC,
    INTEGRATED_WITH,
    INTERFACES_WITH,
    OBSERVATION,
    REPLACES,
    SYSTEM,
    Finding,
    GlossaryEntry,
    Report,
)
from policekg.extract.nlp import extract_entities, extract_fragment
from policekg.extract.systems import find_domain_systems

REPORTS = Path(__file__).parent.parent / "data" / "reports"

# 2006 baseline, 6A Human Resource Management (verbatim).
HR_PASSAGE = (
    "HR functions are supported by a computerised HR system, which is networked to all divisional HR "
    "units. The HR system interfaces with the payroll system and the National Management Information "
    "System and provides information to other operational force systems such as STORM (command and "
    "control)."
)
# 2006 baseline, 5A Technology (verbatim, the first six items of the list).
ICCS_ITEMS = (
    "There are numerous examples of effective use of technology to support contact management: the "
    "enhanced information system for emergency calls is integrated with the ICCS system to provide call "
    "takers with customer details; STORM command and control is continually being developed and "
    "tailored to provide prompts and geographical information; video links to the force helicopter and "
    "local authority CCTV are integrated with command and control; mobile data is being piloted in one "
    "division; text messaging is interfaced with STORM "
    "and Airwave; the automatic vehicle location system and automatic person location system are being "
    "rolled out across the force"
)
# 2019 PEEL, Planning for the future (verbatim).
NICHE_PASSAGE = (
    "The force has invested in a replacement for its records management system: NICHE RMS. This "
    "replaces 12 existing systems to create a single platform to improve data collection and analysis. "
    "Staff have been trained and data is ready to transfer to the new system."
)


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in find_domain_systems(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HR_PASSAGE, ["HR system", "payroll system"]),
        (ICCS_ITEMS, ["enhanced information system for emergency calls", "automatic vehicle location system",
                      "automatic person location system"]),
        ("Rosters are held on the force's duty management system.", ["duty management system"]),
        ("The new custody system went live in Harbour Division.", ["custody system"]),
        ("Its crime recording system and the CCTV system are audited.", ["crime recording system",
                                                                         "CCTV system"]),
        ("Wessex replaced the legacy firearms licensing database in 2005.", ["firearms licensing database"]),
        ("Officers use the mobile warrants application daily.", ["mobile warrants application"]),
    ],
)
def test_domain_systems_positive(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Verbatim phrases from the bundled reports that name a kind, a process or nothing specific.
        "The PDR system is based on role profile activities and behaviours.",
        "To assist with the use of the street bail system and to monitor police bail.",
        "shift patterns to reflect demand, including the 'tidal' 2/2/2 shift system.",
        "deficiencies in the security marking system and a number of legacy applications",
        "victims and witnesses through the criminal justice system",
        "The force is in the process of purchasing a content management system which will increase access.",
        "The force has invested in a replacement for its records management system: NICHE RMS.",
        "data is ready to transfer to the new system.",
        "The force's IT systems can flag vulnerable callers using markers. But the system relies on them.",
        "an audit process supports these systems; the incident and crime recording systems are checked",
        # Invented generic phrasing.
        "the current IT system", "the force computer system", "the national system", "key systems",
        "the performance management system", "the HARBOURLINK system", "the new system for officers",
        "the information system for managing all calls", "the system for emergency calls",
        "a payroll system", "their application",
    ],
)
def test_domain_systems_negative(text):
    assert spans(text) == []


def test_domain_systems_are_discovery_candidates():
    text = "The payroll system feeds the HARBOURLINK system."
    hits = {(text[f.start:f.end], f.pattern) for f in discover.find_candidates(text) if f.type == SYSTEM}
    assert hits == {("payroll system", "domain_system"), ("HARBOURLINK", "named_system")}


def make_report(paragraphs: list[str], glossary: tuple[tuple[str, str], ...] = ()) -> Report:
    text, findings = "", []
    for i, para in enumerate(paragraphs, 1):
        findings.append(Finding(i, OBSERVATION, para, len(text), len(text) + len(para)))
        text += para + "\n\n"
    gloss = []
    for abbr, expansion in glossary:
        gloss.append(GlossaryEntry(abbr, expansion, len(text), len(text) + len(abbr) + 1 + len(expansion)))
        text += f"{abbr}\t{expansion}\n"
    return Report(kind=GENERIC, force="Wessex Constabulary", title="t", year="2006/07", published=None,
                  source_name="w.txt", text=text, findings=findings, glossary=gloss)


def systems(extraction) -> set[str]:
    return {e.label for e in extraction.entities if e.type == SYSTEM}


def test_an_acronym_defined_as_a_process_names_no_system():
    paragraphs = ["The PDR system is used to follow up developmental issues. The CAD system logs every call."]
    glossary = (("PDR", "personal development review"), ("CAD", "computer aided dispatch"))
    ex = extract_entities(make_report(paragraphs, glossary))
    assert systems(ex) == {"CAD"}
    # Without the definition, "the PDR system" reads as a named system: the rule is the definition.
    assert systems(extract_entities(make_report(paragraphs))) == {"CAD", "PDR"}


def relation_triples(extraction) -> set[tuple[str, str, str]]:
    return {(r.subject[1], r.predicate, r.object[1]) for r in extraction.relations}


def test_wessex_hr_system_interfaces_and_feeds():
    text = ("Personnel records are kept on a computerised HR system. The HR system interfaces with the "
            "payroll system and the duty management system and provides data to other force systems such "
            "as the HARBOURLINK system.")
    out = extract_fragment(text)
    found = {(r["subject"], r["predicate"], r["object"]) for r in out["relations"]}
    assert found == {
        ("HR system", INTERFACES_WITH, "payroll system"),
        ("HR system", INTERFACES_WITH, "duty management system"),
        ("HR system", FEEDS, "HARBOURLINK"),
    }
    hr = next(e for e in out["entities"] if e["label"] == "HR system")
    assert hr["type"] == SYSTEM and hr["surfaces"] == ["HR system"]


def test_wessex_described_object_of_replaces():
    text = ("Wessex has bought a new records management system, NICHE RMS. It replaces 7 legacy "
            "databases across the county.")
    report = make_report([text])
    ex = extract_entities(report)
    (rel,) = ex.relations
    label = "7 legacy databases replaced by NICHE"
    assert (rel.subject, rel.predicate, rel.object) == ((SYSTEM, "NICHE"), REPLACES, (SYSTEM, label))
    assert rel.sentence == text and rel.method == "pattern:replaces+anaphora"
    ent = next(e for e in ex.entities if e.label == label)
    assert (ent.scope, ent.aliases) == ("force", {"7 legacy databases"})
    (m,) = [m for m in ex.mentions if m.entity == ent.key]
    assert (m.surface, m.method, m.finding) == ("7 legacy databases", "pattern:described", 1)
    assert report.text[m.start:m.end] == m.surface


def test_no_described_object_without_a_count():
    ex = extract_entities(make_report(["NICHE RMS went live in May. It replaces older systems."]))
    assert ex.relations == [] and systems(ex) == {"NICHE"}


# --- The bundled reports ------------------------------------------------------------------------


@cache
def bundled(name: str):
    structure = pytest.importorskip("policekg.extract.structure", reason="no structure parser yet")
    report = structure.parse_report(REPORTS / name)
    return report, extract_entities(report)


def relations_citing(extraction, passage: str) -> set[tuple[str, str, str]]:
    """Relations whose sentence is part of ``passage`` or holds all of it."""
    return {(r.subject[1], r.predicate, r.object[1]) for r in extraction.relations
            if r.sentence in passage or passage in r.sentence}


@pytest.mark.slow
def test_bundled_hr_system_relations_cite_their_sentence():
    report, ex = bundled("staffordshire-2006-baseline-assessment.txt")
    assert HR_PASSAGE in report.text and ICCS_ITEMS in report.text
    assert relations_citing(ex, HR_PASSAGE) == {
        ("HR system", INTERFACES_WITH, "payroll system"),
        ("HR system", INTERFACES_WITH, "National Management Information System"),
        ("HR system", FEEDS, "STORM"),
        ("HR system", "usedBy", "divisional HR units"),  # issue 12: usage relations
    }
    assert ("enhanced information system for emergency calls", INTEGRATED_WITH, "ICCS") in relations_citing(
        ex, ICCS_ITEMS)
    # Issue 12: text messaging, named in words as the subject of "is interfaced with", is a system end.
    assert {(r.subject[1], r.object[1]) for r in ex.relations if "messaging" in r.subject[1] + r.object[1]} == {
        ("text messaging", "STORM"), ("text messaging", "Airwave")}
    found = {e.label for e in ex.entities if e.type == SYSTEM}
    assert {"HR system", "payroll system", "automatic vehicle location system"} <= found
    assert not found & {"PDR", "PDR system", "street bail system", "criminal justice system"}


@pytest.mark.slow
def test_bundled_niche_replaces_the_systems_it_describes():
    report, ex = bundled("staffordshire-2019-peel.txt")
    (rel,) = [r for r in ex.relations if r.predicate == REPLACES]
    assert rel.subject == (SYSTEM, "NICHE")
    assert rel.object == (SYSTEM, "12 existing systems replaced by NICHE")
    assert rel.sentence in NICHE_PASSAGE and "This replaces 12 existing systems" in rel.sentence
    assert report.text[rel.start:rel.end] == rel.sentence
