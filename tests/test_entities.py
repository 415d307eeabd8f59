"""Tests for the gazetteer, discovery patterns, resolution and the pipeline (extract/nlp.py).

Invented-force fixtures (Wessex Constabulary) prove the code is general; the bundled Staffordshire
reports, read through the structure parser when it is present, pin what a real report yields.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import spacy

from policekg.errors import InputError
from policekg.extract import discover
from policekg.extract.discover import SPANS_KEY, head_type, is_category, is_inspectorate
from policekg.extract.gazetteer import GazetteerEntry, load_gazetteer, parse_gazetteer
from policekg.extract.model import (
    CDRP,
    DIVISION,
    FORCE,
    GENERIC,
    INITIATIVE,
    OBSERVATION,
    PARTNER,
    PARTNERSHIP,
    SYSTEM,
    UNIT,
    CDRPInfo,
    DivisionInfo,
    Finding,
    GlossaryEntry,
    Report,
)
from policekg.extract.nlp import build_pipeline, extract_entities, extract_fragment
from policekg.extract.resolve import Candidate, resolve, surface_key

DATA = Path(__file__).parent / "data"
REPORTS = Path(__file__).parent.parent / "data" / "reports"


def make_report(paragraphs: list[str], *, divisions=(), cdrps=(), glossary=(), force="Wessex Constabulary"):
    """A generic report whose findings are ``paragraphs``, with optional structure."""
    text, findings = "", []
    for i, para in enumerate(paragraphs, 1):
        start = len(text)
        text += para + "\n\n"
        findings.append(Finding(i, OBSERVATION, para, start, start + len(para)))
    extra = []
    for name in divisions:
        start = len(text)
        text += f"{name} Division\n\n"
        extra.append(DivisionInfo(name, start=start, end=start + len(name) + 9))
    cdrp_infos = []
    for name in cdrps:
        start = len(text)
        text += name + "\n"
        cdrp_infos.append(CDRPInfo(name, start=start, end=start + len(name)))
    gloss = []
    for abbr, expansion in glossary:
        start = len(text)
        text += f"{abbr}\t{expansion}\n"
        gloss.append(GlossaryEntry(abbr, expansion, start, start + len(abbr) + 1 + len(expansion)))
    return Report(kind=GENERIC, force=force, title="t", year="2006/07", published=None, source_name="w.txt",
                  text=text, findings=findings, divisions=extra, cdrps=cdrp_infos, glossary=gloss)


def by_label(extraction) -> dict[str, object]:
    return {e.label: e for e in extraction.entities}


def check_mentions(report, extraction) -> None:
    """Every mention quotes the report exactly, sits in its finding, and none overlap."""
    keys = {e.key for e in extraction.entities}
    spans = sorted((m.start, m.end) for m in extraction.mentions)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2, "mentions overlap"
    findings = {f.ordinal: f for f in report.findings}
    for m in extraction.mentions:
        assert report.text[m.start:m.end] == m.surface
        assert m.entity in keys
        if m.finding is not None:
            f = findings[m.finding]
            assert f.start <= m.start and m.end <= f.end


# --- gazetteer -------------------------------------------------------------------------------


def test_gazetteer_has_the_national_entities_and_only_national_types():
    entries = {e.label: e for e in load_gazetteer()}
    for label in ("PNC", "PND", "ViSOR", "NAFIS", "IDENT1", "IMPACT", "HOLMES", "Airwave", "ANPR", "STORM",
                  "NICHE", "Athena", "i2", "ICCS"):
        assert entries[label].type == SYSTEM, label
    for label in ("CPS", "Home Office", "College of Policing", "NCA", "NHS", "ACRO", "IOPC", "ACPO",
                  "Forensic Science Service", "Probation Service", "Youth Offending Team"):
        assert entries[label].type == PARTNER, label
    for label in ("Operation Encompass", "Clare's Law", "Troubled Families", "Operation Uplift"):
        assert entries[label].type == INITIATIVE, label
    for label in ("MAPPA", "MARAC", "local safeguarding children board"):
        assert entries[label].type == PARTNERSHIP, label
    assert entries["community safety partnership"].type == CDRP
    assert "HOLMES 2" in entries["HOLMES"].aliases and "SOCA" in entries["NCA"].aliases
    assert "NPCC" in entries["ACPO"].aliases and "NICHE RMS" in entries["NICHE"].aliases
    # The inspectorate writes the reports: it is never one of the entities they cite.
    assert not any(is_inspectorate(n) for e in entries.values() for n in e.names)
    assert all(e.note for e in entries.values())


def test_gazetteer_rejects_force_specific_types_and_bad_lines():
    with pytest.raises(InputError, match="line 1.*force-specific"):
        parse_gazetteer(['{"label": "Harbour", "type": "Division", "note": "x"}'])
    with pytest.raises(InputError, match="line 2"):
        parse_gazetteer(['{"label": "PNC", "type": "System", "note": "x"}', "{not json"])


def gazetteer_spans(text: str, nlp=None) -> set[tuple[str, str, str]]:
    nlp = nlp or build_pipeline()
    doc = nlp(text)
    return {(s.text, s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY] if s.id_ == "gazetteer"}


def test_gazetteer_acronyms_are_case_sensitive():
    found = gazetteer_spans("A storm closed the port; the impact on STORM and IMPACT was small.")
    assert found == {("STORM", SYSTEM, "STORM"), ("IMPACT", SYSTEM, "IMPACT")}


def test_gazetteer_long_names_match_any_case_and_typographic_quotes():
    found = gazetteer_spans(
        "Checks on the police national computer and the Violent and Sex Offenders\u2019 Register."
    )
    assert found == {
        ("police national computer", SYSTEM, "PNC"),
        ("Violent and Sex Offenders\u2019 Register", SYSTEM, "ViSOR"),
    }


def test_gazetteer_patterns_come_from_the_data_given_at_initialise():
    nlp = spacy.blank("en")
    nlp.add_pipe("policekg_gazetteer")
    nlp.get_pipe("policekg_gazetteer").initialize(
        nlp=nlp, entries=(GazetteerEntry("TIDELINE", SYSTEM, ("Tideline Network",), "invented"),)
    )
    assert gazetteer_spans("TIDELINE links to PNC.", nlp) == {("TIDELINE", SYSTEM, "TIDELINE")}
    # The packaged gazetteer is untouched by that: a default pipeline knows PNC, not TIDELINE.
    assert gazetteer_spans("TIDELINE links to PNC.") == {("PNC", SYSTEM, "PNC")}


# --- discovery patterns ----------------------------------------------------------------------


def found(fn, text: str) -> list[tuple[str, str]]:
    return [(f.type, text[f.start:f.end]) for f in fn(text)]


def test_divisions_from_place_words():
    text = ("In Harbour Division and the North Downs division, as in the Vale BCU. "
            "Each division; policing divisions.")
    assert found(discover.find_divisions, text) == [
        (DIVISION, "Harbour"), (DIVISION, "North Downs"), (DIVISION, "Vale")
    ]
    (f,) = discover.find_divisions("the Saltmouth-on-Sea division")
    assert (f.start, f.end, f.alias) == (4, 20, (4, 29))


@pytest.mark.parametrize(
    "phrase",
    ["the coastal safeguarding unit", "its counter-fraud team", "the force contact centre",
     "each harm reduction hub", "the force's economic crime department", "a central referral unit",
     "the child abuse investigation unit", "The Marine Support Unit"],
)
def test_units_positive(phrase):
    (hit,) = found(discover.find_units, phrase + " meets weekly.")
    assert hit[0] == UNIT
    assert phrase.lower().endswith(hit[1].lower())
    assert not hit[1].lower().startswith(("the ", "its ", "force", "each ", "a "))


@pytest.mark.parametrize(
    "phrase",
    ["the unit", "a team of officers", "command teams", "the command team", "the executive leadership team",
     "the most appropriate team", "organised crime groups", "its own group", "four basic command units",
     "investigation teams", "officers in team briefings"],
)
def test_units_negative(phrase):
    assert found(discover.find_units, phrase + " meets weekly.") == []


def test_named_systems_and_their_longer_names():
    text = ("The HARBOURLINK system feeds the BEACON command and control system. The IT system known as "
            "LANTERN is new, and the Tideline database and the i2 workstation are used.")
    hits = {(text[f.start:f.end], f.pattern, text[f.alias[0]:f.alias[1]] if f.alias else None)
            for f in discover.find_named_systems(text)}
    assert hits == {
        ("HARBOURLINK", "named_system", "HARBOURLINK system"),
        ("BEACON", "named_system", "BEACON command and control system"),
        ("LANTERN", "known_as", None),
        ("Tideline", "named_system", "Tideline database"),
        ("i2", "named_system", "i2 workstation"),
    }


@pytest.mark.parametrize(
    "text",
    ["The system is slow.", "IT systems are old.", "the HR system and the CCTV system",
     "a new records management system", "The IT system was replaced."],
)
def test_generic_systems_are_not_entities(text):
    # "the HR system" has no coined name; systems named by their domain are read by
    # find_domain_systems (tests/test_systems.py).
    assert discover.find_named_systems(text) == []


def test_described_system():
    text = "held on the Tideline system (the force custody IT system) daily"
    (hit,) = [f for f in discover.find_named_systems(text) if f.pattern == "described_system"]
    assert text[hit.start:hit.end] == "Tideline"
    assert text[hit.alias[0]:hit.alias[1]] == "the force custody IT system"


def test_operations_and_named_initiatives():
    text = ("Operation Lighthouse ran in June. The 'Safer Harbours' initiative and the Coastal Watch Scheme "
            "joined the Safer Streets project. The programme ended. This initiative worked.")
    assert found(discover.find_operations, text) == [(INITIATIVE, "Operation Lighthouse")]
    hits = [(text[f.start:f.end], text[f.alias[0]:f.alias[1]] if f.alias else None)
            for f in discover.find_named_initiatives(text)]
    assert hits == [
        ("Safer Harbours", "'Safer Harbours' initiative"),
        ("Coastal Watch Scheme", None),  # a capitalised head is part of the name
        ("Safer Streets", "Safer Streets project"),
    ]


def test_head_types_of_defined_long_forms():
    assert head_type("Safer Neighbourhood Interview Questionnaire") == INITIATIVE
    assert head_type("public protection units") == UNIT
    assert head_type("Violent and Sex Offenders' Register") == SYSTEM
    assert head_type("local criminal justice board") == PARTNER
    assert head_type("statutory performance indicators") is None
    assert is_category("basic command units") and not is_category("public protection unit")


def test_surface_keys_join_variants():
    assert surface_key("GUARDIAN") == surface_key("Guardian")
    assert surface_key("PPUs") == surface_key("PPU")
    assert surface_key("the public protection units") == surface_key("public protection unit")
    assert surface_key("Sex Offenders\u2019 Register") == surface_key("sex offender register")


# --- resolution over an invented force --------------------------------------------------------

WESSEX = [
    "Case information is held on BEACON (the force custody IT system), and the Beacon database "
    "interfaces with the HARBOURLINK system.",
    "The coastal safeguarding unit (CSU) shares referrals daily. "
    "CSUs on both divisions use the Beacon system.",
    "Officers in Harbour division and the Downs BCU use the force custody IT system; "
    "a storm closed the port.",
    "Operation Lighthouse was piloted in Saltmouth. Wessex Constabulary checks the PNC and the "
    "Police National Computer daily.",
    "The pathfinder Vale division shares its name with the Vale CDRP; Vale is rural.",
]


@cache
def wessex():
    glossary = (("BEACON", "the force custody IT system"), ("CSU", "coastal safeguarding unit"))
    report = make_report(WESSEX, divisions=("Harbour", "Downs", "Vale"), cdrps=("Saltmouth", "Vale"),
                         glossary=glossary)
    return report, extract_entities(report)


def test_wessex_one_entity_per_system_however_written():
    report, ex = wessex()
    check_mentions(report, ex)
    ents = by_label(ex)
    beacon = ents["BEACON"]
    assert beacon.type == SYSTEM and beacon.scope == "force"
    assert {"Beacon", "the force custody IT system", "Beacon database"} <= beacon.aliases
    assert [e for e in ex.entities if e.type == SYSTEM and "beacon" in e.label.lower()] == [beacon]
    surfaces = {m.surface for m in ex.mentions if m.entity == beacon.key}
    assert {"BEACON", "Beacon database", "the force custody IT system", "Beacon system"} <= surfaces
    assert ents["HARBOURLINK"].type == SYSTEM


def test_wessex_unit_with_abbreviation_and_plural():
    report, ex = wessex()
    csu = by_label(ex)["CSU"]
    assert csu.type == UNIT and "coastal safeguarding unit" in csu.aliases
    methods = {(m.surface, m.method) for m in ex.mentions if m.entity == csu.key and m.finding}
    assert methods == {
        ("coastal safeguarding unit", "abbreviation"), ("CSU", "abbreviation"), ("CSUs", "alias")
    }


def test_wessex_structure_divisions_cdrps_force_and_national_entities():
    report, ex = wessex()
    ents = by_label(ex)
    assert {e.label for e in ex.entities if e.type == DIVISION} == {"Harbour", "Downs", "Vale"}
    assert {e.label for e in ex.entities if e.type == CDRP} == {"Saltmouth", "Vale"}
    assert ents["Harbour"].source == "structure" and "Harbour division" in ents["Harbour"].aliases
    harbour = [m for m in ex.mentions if m.entity == (DIVISION, "Harbour") and m.finding == 3]
    assert [(m.surface, m.method) for m in harbour] == [("Harbour division", "pattern:division")]
    # "Vale" alone names both a division and a CDRP: no mention is guessed for it.
    assert not [m for m in ex.mentions if m.surface == "Vale" and m.finding == 5]
    assert [m.surface for m in ex.mentions if m.finding == 5] == ["Vale division"]
    force = ents["Wessex Constabulary"]
    assert (force.type, force.scope) == (FORCE, "national")
    pnc = ents["PNC"]
    assert (pnc.scope, pnc.source) == ("national", "gazetteer")
    assert {m.surface for m in ex.mentions if m.entity == pnc.key} == {"PNC", "Police National Computer"}
    assert ents["Operation Lighthouse"].type == INITIATIVE


def test_wessex_lower_case_storm_is_not_the_system():
    _, ex = wessex()
    assert "STORM" not in by_label(ex)
    assert not [m for m in ex.mentions if m.surface.lower() == "storm"]


def test_extraction_is_deterministic():
    report, ex = wessex()
    again = extract_entities(report)
    def flat(extraction):
        return [(e.key, sorted(e.aliases)) for e in extraction.entities]

    assert flat(again) == flat(ex)
    assert again.mentions == ex.mentions


def test_a_discovered_name_of_a_gazetteer_entity_is_that_national_entity():
    report = make_report(["The Tideline Network is new."], force="")
    gaz = (GazetteerEntry("TIDELINE", SYSTEM, ("Tideline Network",), "invented national system"),)
    cand = Candidate(SYSTEM, "Tideline Network", 4, 20, "pattern:proper_system", 1)
    entities, mentions = resolve(report, [cand], [], gaz)
    (ent,) = entities.values()
    assert (ent.label, ent.scope, ent.source, ent.aliases) == ("TIDELINE", "national", "gazetteer",
                                                               {"Tideline Network"})
    assert [(m.surface, m.method) for m in mentions] == [("Tideline Network", "pattern:proper_system")]


# --- extract_fragment ------------------------------------------------------------------------


def test_fragment_json_shape_and_entities():
    text = (DATA / "wessex-fragment.txt").read_text(encoding="utf-8")
    out = extract_fragment(text)
    assert set(out) == {"entities", "relations"}
    json.dumps(out)  # plain JSON types only
    for e in out["entities"]:
        assert set(e) == {"label", "type", "surfaces"} and e["surfaces"] == sorted(e["surfaces"])
    for r in out["relations"]:
        assert set(r) == {"subject", "predicate", "object", "sentence"} and r["sentence"] in text
    assert out["entities"] == sorted(out["entities"], key=lambda e: (e["type"], e["label"]))
    assert out == extract_fragment(text)
    got = {(e["type"], e["label"]) for e in out["entities"]}
    assert {(DIVISION, "Harbour"), (DIVISION, "Downs"), (UNIT, "CSU"), (UNIT, "marine support team"),
            (SYSTEM, "BEACON"), (SYSTEM, "HARBOURLINK"), (INITIATIVE, "Operation Lighthouse"),
            (INITIATIVE, "Safer Harbours"), (INITIATIVE, "Coastal Watch Scheme"), (SYSTEM, "PNC"),
            (SYSTEM, "ViSOR")} == got
    beacon = next(e for e in out["entities"] if e["label"] == "BEACON")
    assert beacon["surfaces"] == ["BEACON", "Beacon database", "the force custody IT system"]
    everything = json.dumps(out)
    for name in ("Staffordshire", "Chase", "Trent", "Stoke", "GUARDIAN", "SOCRATES", "COMPACT", "STORM"):
        assert name not in everything


def test_fragment_of_plain_prose_has_no_entities():
    out = extract_fragment("The team met on Tuesday.\n\nIt discussed the system and the unit.")
    assert out == {"entities": [], "relations": []}


def test_build_pipeline_order_and_reuse():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert build_pipeline(nlp) is nlp
    assert nlp.pipe_names == [
        "sentencizer", "policekg_abbreviations", "policekg_gazetteer", "policekg_discovery"
    ]
    assert build_pipeline(nlp).pipe_names == nlp.pipe_names  # idempotent


# --- the bundled reports (through the structure parser when it is there) ---------------------


@cache
def bundled(name: str):
    structure = pytest.importorskip("policekg.extract.structure", reason="no structure parser yet")
    path = REPORTS / name
    if not path.exists():
        pytest.skip(f"{name} is not bundled")
    report = structure.parse_report(path)
    return report, extract_entities(report)


BASELINE_2006 = "staffordshire-2006-baseline-assessment.txt"
PEEL_2019 = "staffordshire-2019-peel.txt"


@pytest.mark.slow
@pytest.mark.parametrize("name", [BASELINE_2006, PEEL_2019])
def test_bundled_mentions_quote_the_report(name):
    report, ex = bundled(name)
    check_mentions(report, ex)
    assert not [m for m in ex.mentions if m.surface in ("storm", "impact")]


@pytest.mark.slow
def test_bundled_systems_one_entity_each():
    systems = {}
    for name in (BASELINE_2006, PEEL_2019):
        _, ex = bundled(name)
        for e in ex.entities:
            if e.type == SYSTEM:
                systems.setdefault(e.label, e)
    for label in ("STORM", "GUARDIAN", "ViSOR", "COMPACT", "SOCRATES", "NICHE", "PNC", "Airwave", "IMPACT",
                  "ELMER", "i2", "ICCS"):
        assert label in systems, label
    # However written, each is one entity: no other system label is a variant of these.
    keys = [surface_key(label) for label in systems]
    assert len(keys) == len(set(keys))
    assert {"Guardian", "the force public protection IT system"} <= systems["GUARDIAN"].aliases
    assert "NICHE RMS" in systems["NICHE"].aliases
    assert any(a.lower().startswith("violent and sex offender") for a in systems["ViSOR"].aliases)
    assert systems["STORM"].scope == "national" and systems["SOCRATES"].scope == "force"


@pytest.mark.slow
def test_bundled_baseline_units_divisions_cdrps_initiatives():
    report, ex = bundled(BASELINE_2006)
    ents = {e.key: e for e in ex.entities}
    ppu = ents[(UNIT, "PPU")]
    assert "public protection unit" in ppu.aliases
    assert "child abuse investigation unit" in ents[(UNIT, "CAIU")].aliases
    assert not [e for e in ex.entities if e.type != UNIT and surface_key(e.label) == "ppu"]
    assert {e.label for e in ex.entities if e.type == DIVISION} == {
        "Chase", "North Staffordshire", "Stoke-on-Trent", "Trent Valley"}
    # The named CDRPs of the overview tables; "CDRPs" in prose is the kind, one national entity.
    assert len([e for e in ex.entities if e.type == CDRP and e.source == "structure"]) == 9
    assert ents[(INITIATIVE, "Operation Converter")].scope == "force"
    assert ents[(FORCE, report.force)].scope == "national"
    ppu_mentions = {m.surface for m in ex.mentions if m.entity == ppu.key}
    assert {"PPU", "PPUs", "public protection unit"} <= ppu_mentions


@pytest.mark.slow
def test_wessex_baseline_through_the_structure_parser():
    structure = pytest.importorskip("policekg.extract.structure", reason="no structure parser yet")
    report = structure.parse_report(DATA / "wessex-2006-baseline.txt")
    ex = extract_entities(report)
    check_mentions(report, ex)
    ents = {e.key: e for e in ex.entities}
    assert {e.label for e in ex.entities if e.type == DIVISION} == {"Harbour", "Downs", "Vale"}
    assert {e.label for e in ex.entities if e.type == CDRP and e.source == "structure"} == {
        "Saltmouth", "Eastcliff", "Chalkbury", "Hilltown Borough", "Vale of Ashby"}
    assert "Harbour Watch Unit" in ents[(UNIT, "HWU")].aliases
    assert "public protection unit" in ents[(UNIT, "PPU")].aliases
    assert ents[(FORCE, "Wessex Constabulary")].scope == "national"
    assert not [e for e in ex.entities if "Stafford" in e.label or "Trent" in e.label]
