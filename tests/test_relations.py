"""Tests for extract/relations.py: verbatim report sentences, invented-force fixtures, negatives."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from sentences import mentions  # tests/ is on sys.path, as for render

from policekg.extract.model import (
    CDRP,
    DIVISION,
    FEEDS,
    INITIATIVE,
    INTEGRATED_WITH,
    INTERFACES_WITH,
    LIES_WITHIN,
    PART_OF,
    PILOTED_IN,
    REPLACES,
    SYSTEM,
    UNIT,
    USED_BY,
    USED_IN,
    CDRPInfo,
    Entity,
    Mention,
    Report,
)
from policekg.extract.normalise import normalise, read_report
from policekg.extract.relations import (
    described_entities,
    name_described,
    passage_relations,
    sentence_relations,
    structural_relations,
)

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
BASELINE = "staffordshire-2006-baseline-assessment.txt"
PEEL = "staffordshire-2019-peel.txt"


@cache
def report_text(name: str) -> str:
    return normalise(read_report(REPORTS / name)[0]).text


def locate(text: str, sentence: str) -> int:
    start = text.find(sentence)
    assert start >= 0, f"not in the report: {sentence[:60]}"
    return start


def triples(relations) -> set[tuple[str, str, str]]:
    return {(r.subject[1], r.predicate, r.object[1]) for r in relations}


def read(sentence: str, *items: tuple[str, str, str], report: str | None = None, **kw):
    """Relations of ``sentence``: verbatim from ``report``, or standalone at offset 0."""
    start = locate(report_text(report), sentence) if report else 0
    relations = sentence_relations(sentence, start, mentions(sentence, start, *items), {}, **kw)
    for r in relations:
        if report:
            assert report_text(report)[r.start:r.end] == r.sentence == sentence
        assert (r.start, r.end) == (start, start + len(sentence))
        assert r.method.startswith("pattern:")
    return relations


# --- Verbatim sentences from the bundled reports -----------------------------------------------

GUARDIAN_SENTENCE = (
    "Case information from both areas of work is held within the Guardian system (the force public "
    "protection IT system) and whenever the STORM command and control system identifies a domestic "
    "violence incident, it automatically interfaces with the Guardian system to provide additional "
    "information to operational officers."
)


def test_pronoun_it_resolves_to_nearest_preceding_system():
    rels = read(GUARDIAN_SENTENCE, ("Guardian", SYSTEM, "GUARDIAN"), ("STORM", SYSTEM, "STORM"),
                ("Guardian", SYSTEM, "GUARDIAN"), report=BASELINE)
    # One system relation: the first Guardian mention and STORM share no trigger, and "IT system" is
    # no pronoun; "to provide additional information to operational officers" says who uses Guardian.
    assert triples(rels) == {("STORM", INTERFACES_WITH, "GUARDIAN"), ("GUARDIAN", USED_BY, "frontline officers")}


HR_SENTENCE = (
    "The HR system interfaces with the payroll system and the National Management Information System "
    "and provides information to other operational force systems such as STORM (command and control)."
)
HR_MENTIONS = (("HR system", SYSTEM, "HR system"), ("payroll system", SYSTEM, "payroll system"),
               ("National Management Information System", SYSTEM, "NMIS"), ("STORM", SYSTEM, "STORM"))


def test_coordinated_objects_and_shared_subject():
    rels = read(HR_SENTENCE, *HR_MENTIONS, report=BASELINE)
    assert triples(rels) == {
        ("HR system", INTERFACES_WITH, "payroll system"),
        ("HR system", INTERFACES_WITH, "NMIS"),
        ("HR system", FEEDS, "STORM"),  # subject shared across "... and provides information to"
    }


def test_direction_is_kept():
    rels = triples(read(HR_SENTENCE, *HR_MENTIONS, report=BASELINE))
    assert ("payroll system", INTERFACES_WITH, "HR system") not in rels
    assert ("STORM", FEEDS, "HR system") not in rels
    assert ("NMIS", FEEDS, "STORM") not in rels  # STORM is fed by the HR system, not the last object


CONTACT_SENTENCE = (
    "There are numerous examples of effective use of technology to support contact management: the "
    "enhanced information system for emergency calls is integrated with the ICCS system to provide call "
    "takers with customer details; STORM command and control is continually being developed and tailored "
    "to provide prompts and geographical information; video links to the force helicopter and local "
    "authority CCTV are integrated with command and control; mobile data is being piloted in one "
    "division; text messaging is interfaced with STORM and Airwave; the automatic vehicle location system "
    "and automatic person location system are being rolled out across the force; skill-based telephony "
    "is based around geographical customer needs; and workforce management software is used to predict "
    "demand and identify appropriate staff levels."
)


def contact_mentions(command_and_control: bool = True):
    items = [("enhanced information system for emergency calls", SYSTEM, "EISEC"), ("ICCS", SYSTEM, "ICCS"),
             ("STORM", SYSTEM, "STORM"), ("CCTV", SYSTEM, "CCTV")]
    if command_and_control:
        items.append(("command and control", SYSTEM, "command and control"))
    return [*items, ("STORM", SYSTEM, "STORM"), ("Airwave", SYSTEM, "Airwave"),
            ("automatic vehicle location system", SYSTEM, "AVLS")]


def test_list_items_are_separate_clauses():
    rels = read(CONTACT_SENTENCE, *contact_mentions(), report=BASELINE)
    assert triples(rels) == {
        ("EISEC", INTEGRATED_WITH, "ICCS"),
        ("ICCS", USED_BY, "call handlers"),  # "... to provide call takers with customer details"
        ("CCTV", INTEGRATED_WITH, "command and control"),
    }
    # ICCS ends one list item and STORM starts the next: never related across the semicolon.
    assert not any({"ICCS", "STORM"} == {r.subject[1], r.object[1]} for r in rels)


def test_unnamed_subject_gives_nothing():
    # "text messaging is interfaced with STORM and Airwave": the subject is no entity, and STORM
    # and Airwave are coordinated objects, not related to each other. Unless described ends are
    # accepted (next test), an unnamed subject gives nothing.
    rels = read(CONTACT_SENTENCE, *contact_mentions(command_and_control=False), report=BASELINE)
    assert triples(rels) == {("EISEC", INTEGRATED_WITH, "ICCS"), ("ICCS", USED_BY, "call handlers")}


def test_unit_part_of_department():
    sentence = ("The overall responsibility for protecting vulnerable people within Staffordshire is in the "
                "remit of the community safety department, one of the four departments within the crime "
                "support division.")
    rels = read(sentence, ("community safety department", UNIT, "community safety department"),
                ("crime support division", UNIT, "crime support division"), report=BASELINE)
    assert triples(rels) == {("community safety department", PART_OF, "crime support division")}


def test_piloted_in_then_introduced_in():
    sentence = ("- Through the Forensic Science Steering Group the force has sought to improve primary and "
                "secondary detections by the introduction of Operation Converter, piloted in the Trent "
                "Valley division and now being introduced in Stoke-on-Trent.")
    rels = read(sentence, ("Operation Converter", INITIATIVE, "Operation Converter"),
                ("Trent Valley division", DIVISION, "Trent Valley"),
                ("Stoke-on-Trent", DIVISION, "Stoke-on-Trent"), report=BASELINE)
    assert triples(rels) == {("Operation Converter", PILOTED_IN, "Trent Valley"),
                             ("Operation Converter", USED_IN, "Stoke-on-Trent")}


def test_used_in_coordinated_divisions():
    sentence = ("The SNIQ process has been used to date in a number of areas in the force's Chase and Trent "
                "Valley BCUs.")
    rels = read(sentence, ("SNIQ", INITIATIVE, "SNIQ"), ("Chase", DIVISION, "Chase"),
                ("Trent Valley", DIVISION, "Trent Valley"), report=BASELINE)
    assert triples(rels) == {("SNIQ", USED_IN, "Chase"), ("SNIQ", USED_IN, "Trent Valley")}


NICHE_1 = "The force has invested in a replacement for its records management system: NICHE RMS."
NICHE_2 = ("This replaces 12 existing systems to create a single platform to improve data collection and "
           "analysis.")


def niche_passage():
    text = report_text(PEEL)
    a, b = locate(text, NICHE_1), locate(text, NICHE_2)
    return [(NICHE_1, a, mentions(NICHE_1, a, ("NICHE RMS", SYSTEM, "NICHE RMS"))), (NICHE_2, b, [])]


def test_cross_sentence_replaces_needs_an_object():
    # "12 existing systems" names no system: no relation unless the caller accepts described objects.
    assert passage_relations(niche_passage(), {}, finding=7) == []


@pytest.mark.parametrize("with_text", [True, False])
def test_cross_sentence_replaces_described_object(with_text):
    text = report_text(PEEL)
    rels = passage_relations(niche_passage(), {}, finding=7, allow_described=True,
                             text=text if with_text else None)
    assert [(r.subject, r.predicate, r.object) for r in rels] == [
        ((SYSTEM, "NICHE RMS"), REPLACES, (SYSTEM, "12 existing systems"))]
    r = rels[0]
    # The provenance covers both sentences, verbatim.
    assert r.sentence == text[r.start:r.end] == NICHE_1 + " " + NICHE_2
    assert r.finding == 7 and r.method == "pattern:replaces+anaphora"
    entities = {(SYSTEM, "NICHE RMS"): Entity(SYSTEM, "NICHE RMS")}
    [described] = described_entities(rels, entities)
    assert described.key == (SYSTEM, "12 existing systems")


def test_name_described_labels_the_object_by_its_relation():
    text = report_text(PEEL)
    rels = passage_relations(niche_passage(), {}, finding=7, allow_described=True, text=text)
    entities = {(SYSTEM, "NICHE RMS"): Entity(SYSTEM, "NICHE RMS")}
    named, new = name_described(rels, entities)
    label = "12 existing systems replaced by NICHE RMS"
    assert [(r.subject, r.predicate, r.object) for r in named] == [((SYSTEM, "NICHE RMS"), REPLACES, (SYSTEM, label))]
    assert named[0].sentence == rels[0].sentence
    [entity] = new
    assert (entity.key, entity.aliases, entity.scope) == ((SYSTEM, label), {"12 existing systems"}, "force")
    assert "This replaces 12 existing systems" in entity.note


def test_name_described_leaves_named_ends_alone():
    rels = [*read("The KESTREL system feeds 3 other systems.", ("KESTREL", SYSTEM, "KESTREL"), allow_described=True),
            *read("The KESTREL system feeds the BEACON database.", ("KESTREL", SYSTEM, "KESTREL"),
                  ("BEACON", SYSTEM, "BEACON"), allow_described=True)]
    entities = {(SYSTEM, "KESTREL"): Entity(SYSTEM, "KESTREL"), (SYSTEM, "BEACON"): Entity(SYSTEM, "BEACON")}
    named, new = name_described(rels, entities)
    assert triples(named) == {("KESTREL", FEEDS, "BEACON"), ("KESTREL", FEEDS, "3 other systems fed by KESTREL")}
    assert [e.label for e in new] == ["3 other systems fed by KESTREL"]
    assert name_described([r for r in rels if r.object[1] == "BEACON"], entities)[1] == []


def test_this_framework_is_not_a_system_anaphor():
    text = report_text(BASELINE)
    second = ("This framework replaces two frameworks used in 2005 – Reducing and Investigating Hate Crime, "
              "and Crimes against Vulnerable Victims – which covered hate crimes (predominantly racially "
              "motivated), domestic violence and child protection.")
    b = locate(text, second)
    first = "The STORM system holds incident logs."  # invented antecedent in the sentence before
    passage = [(first, b - len(first) - 1, mentions(first, b - len(first) - 1, ("STORM", SYSTEM, "STORM"))),
               (second, b, [])]
    assert passage_relations(passage, {}, allow_described=True) == []


def test_anaphor_reaches_back_one_sentence_only():
    s1, s2, s3 = "HARBOURLINK went live in 2004.", "Officers were trained.", "It replaces TIDEWATCH."
    tidewatch = ("TIDEWATCH", SYSTEM, "TIDEWATCH")
    third = len(s1) + len(s2) + 2
    passage = [(s1, 0, mentions(s1, 0, ("HARBOURLINK", SYSTEM, "HARBOURLINK"))),
               (s2, len(s1) + 1, []),
               (s3, third, mentions(s3, third, tidewatch))]
    assert passage_relations(passage, {}) == []
    second = len(s1) + 1
    rels = passage_relations([passage[0], (s3, second, mentions(s3, second, tidewatch))], {})
    assert triples(rels) == {("HARBOURLINK", REPLACES, "TIDEWATCH")}
    assert rels[0].sentence == s1 + " " + s3 and rels[0].start == 0


# --- Invented force: the patterns are not tuned to the bundled reports -------------------------

@pytest.mark.parametrize("sentence, items, expected", [
    ("Since 2005 the HARBOURLINK system automatically interfaces with the TIDEWATCH database.",
     [("HARBOURLINK", SYSTEM, "HARBOURLINK"), ("TIDEWATCH", SYSTEM, "TIDEWATCH")],
     {("HARBOURLINK", INTERFACES_WITH, "TIDEWATCH")}),
    ("Operation Seagull was piloted in Downs division.",
     [("Operation Seagull", INITIATIVE, "Operation Seagull"), ("Downs", DIVISION, "Downs")],
     {("Operation Seagull", PILOTED_IN, "Downs")}),
    ("Operation Seagull, piloted in Downs Division, has now been rolled out across Harbour Division.",
     [("Operation Seagull", INITIATIVE, "Operation Seagull"), ("Downs Division", DIVISION, "Downs"),
      ("Harbour Division", DIVISION, "Harbour")],
     {("Operation Seagull", PILOTED_IN, "Downs"), ("Operation Seagull", USED_IN, "Harbour")}),
    ("TIDEWATCH was replaced by HARBOURLINK in 2004.",
     [("TIDEWATCH", SYSTEM, "TIDEWATCH"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")],
     {("HARBOURLINK", REPLACES, "TIDEWATCH")}),
    ("Custody records from CELLBOOK are used to populate the HARBOURLINK database.",
     [("CELLBOOK", SYSTEM, "CELLBOOK"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")],
     {("CELLBOOK", FEEDS, "HARBOURLINK")}),
    ("The KESTREL and CELLBOOK systems are linked to HARBOURLINK.",
     [("KESTREL", SYSTEM, "KESTREL"), ("CELLBOOK", SYSTEM, "CELLBOOK"),
      ("HARBOURLINK", SYSTEM, "HARBOURLINK")],
     {("KESTREL", INTEGRATED_WITH, "HARBOURLINK"), ("CELLBOOK", INTEGRATED_WITH, "HARBOURLINK")}),
    ("The Seaview CDRP lies within Harbour Division.",
     [("Seaview CDRP", CDRP, "Seaview"), ("Harbour Division", DIVISION, "Harbour")],
     {("Seaview", LIES_WITHIN, "Harbour")}),
    ("Downs Division includes the Cliffside and Saltmarsh CDRPs.",
     [("Downs Division", DIVISION, "Downs"), ("Cliffside", CDRP, "Cliffside"),
      ("Saltmarsh", CDRP, "Saltmarsh")],
     {("Cliffside", LIES_WITHIN, "Downs"), ("Saltmarsh", LIES_WITHIN, "Downs")}),
    ("Harbour Division's child abuse investigation unit meets weekly.",
     [("Harbour Division", DIVISION, "Harbour"), ("child abuse investigation unit", UNIT, "CAIU")],
     {("CAIU", PART_OF, "Harbour")}),
    ("The firearms licensing team, part of the Wessex operations department, issues certificates.",
     [("firearms licensing team", UNIT, "FLT"), ("Wessex operations department", UNIT, "operations")],
     {("FLT", PART_OF, "operations")}),
])
def test_invented_force(sentence, items, expected):
    assert triples(read(sentence, *items, finding=3)) == expected


# --- Negatives ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, items", [
    # negation
    ("HARBOURLINK is not integrated with TIDEWATCH.",
     [("HARBOURLINK", SYSTEM, "HARBOURLINK"), ("TIDEWATCH", SYSTEM, "TIDEWATCH")]),
    # wrong types: an initiative is not integrated with a division; a CDRP does not interface
    ("Operation Seagull is integrated with Downs Division.",
     [("Operation Seagull", INITIATIVE, "Operation Seagull"), ("Downs Division", DIVISION, "Downs")]),
    ("The Seaview CDRP interfaces with Harbour Division.",
     [("Seaview CDRP", CDRP, "Seaview"), ("Harbour Division", DIVISION, "Harbour")]),
    # a system is not piloted "in" a division by these patterns (usedIn/pilotedIn are for initiatives)
    ("The HARBOURLINK system was piloted in Downs Division.",
     [("HARBOURLINK", SYSTEM, "HARBOURLINK"), ("Downs Division", DIVISION, "Downs")]),
    # other words between subject and trigger: the subject is "the data", not KESTREL
    ("KESTREL holds the data and the archive is linked to HARBOURLINK.",
     [("KESTREL", SYSTEM, "KESTREL"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")]),
    # different clauses
    ("KESTREL went live in 2004; it is linked to nothing; HARBOURLINK followed.",
     [("KESTREL", SYSTEM, "KESTREL"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")]),
    # a pronoun does not reach into an earlier list item (the clause before the semicolon)
    ("KESTREL holds custody records; it is linked to HARBOURLINK.",
     [("KESTREL", SYSTEM, "KESTREL"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")]),
    # "IT" (the department) is not the pronoun "it"
    ("KESTREL holds custody records, and IT is integrated with HARBOURLINK.",
     [("KESTREL", SYSTEM, "KESTREL"), ("HARBOURLINK", SYSTEM, "HARBOURLINK")]),
    # "in" between a division and a unit only reads unit-in-division
    ("Downs Division in the child abuse investigation unit's view is well run.",
     [("Downs Division", DIVISION, "Downs"), ("child abuse investigation unit", UNIT, "CAIU")]),
])
def test_no_relation(sentence, items):
    assert read(sentence, *items) == []


def test_two_systems_used_by_one_group_are_not_related_to_each_other():
    # "used by" says who uses them, not how they relate: two usage relations, no system relation.
    rels = read("HARBOURLINK and TIDEWATCH are both used by call handlers.",
                ("HARBOURLINK", SYSTEM, "HARBOURLINK"), ("TIDEWATCH", SYSTEM, "TIDEWATCH"))
    assert triples(rels) == {("HARBOURLINK", USED_BY, "call handlers"), ("TIDEWATCH", USED_BY, "call handlers")}


def test_prepositional_subject_and_role_noun_are_not_relation_ends():
    sentence = ("The structure of the contact centre includes a call centre manager, dedicated "
                "administration and training teams and an IT administration team, together with high "
                "involvement from HR.")
    contact, call = ("contact centre", UNIT, "contact centre"), ("call centre", UNIT, "call centre")
    # The subject of "includes" is "the structure", and "call centre" only qualifies "manager".
    assert read(sentence, contact, call, report=BASELINE) == []
    # Each guard on its own: a unit that is the subject does include a named unit...
    assert triples(read("The contact centre includes a call centre.", contact, call)) == {
        ("call centre", PART_OF, "contact centre")}
    # ... but not its manager, nor when it sits in an "of" phrase.
    assert read("The contact centre includes a call centre manager.", contact, call) == []
    assert read("The structure of the contact centre includes a call centre.", contact, call) == []


def test_wrong_direction_passive():
    rels = triples(read("TIDEWATCH was replaced by HARBOURLINK.", ("TIDEWATCH", SYSTEM, "TIDEWATCH"),
                        ("HARBOURLINK", SYSTEM, "HARBOURLINK")))
    assert ("TIDEWATCH", REPLACES, "HARBOURLINK") not in rels


def test_two_mentions_of_one_entity_read_as_one():
    sentence = "STORM (command and control) provides information to the HARBOURLINK system."
    rels = read(sentence, ("STORM", SYSTEM, "STORM"), ("command and control", SYSTEM, "STORM"),
                ("HARBOURLINK", SYSTEM, "HARBOURLINK"))
    assert triples(rels) == {("STORM", FEEDS, "HARBOURLINK")}


def test_sentence_offsets_and_foreign_mentions():
    sentence = "Operation Seagull was piloted in Downs division."
    start = 500
    inside = mentions(sentence, start, ("Operation Seagull", INITIATIVE, "Operation Seagull"),
                      ("Downs", DIVISION, "Downs"))
    outside = Mention((DIVISION, "Harbour"), "Harbour", 10, 17, "test")  # another sentence's mention
    [r] = sentence_relations(sentence, start, [outside, *inside], {}, finding=12)
    assert (r.start, r.end, r.sentence, r.finding) == (500, 500 + len(sentence), sentence, 12)
    assert r.method == "pattern:piloted"


# --- Table relations ---------------------------------------------------------------------------

def test_structural_relations_from_cdrp_table():
    text = "Seaview\tHarbour\t120,000\nCliffside\tDowns\t80,000\nNowhere\tMoor\t1\n"
    rows = [CDRPInfo("Seaview", "Harbour", start=0, end=23), CDRPInfo("Cliffside", "Downs", start=24, end=46),
            CDRPInfo("Nowhere", "Moor", start=47, end=61), CDRPInfo("Lonely", None)]
    report = Report("baseline", "Wessex Constabulary", "Baseline", "2005/06", None, "wessex.txt", text,
                    cdrps=rows)
    entities = {e.key: e for e in (
        Entity(CDRP, "Seaview CDRP", aliases={"Seaview"}),
        Entity(CDRP, "Cliffside"),
        Entity(CDRP, "Nowhere"),
        Entity(DIVISION, "Harbour Division"),
        Entity(DIVISION, "Downs", aliases={"Downs BCU"}),
    )}
    rels = structural_relations(report, entities)
    assert [(r.subject, r.predicate, r.object) for r in rels] == [
        ((CDRP, "Seaview CDRP"), LIES_WITHIN, (DIVISION, "Harbour Division")),
        ((CDRP, "Cliffside"), LIES_WITHIN, (DIVISION, "Downs")),
    ]  # "Moor" is no division entity and "Lonely" has no division: skipped
    assert [r.sentence for r in rels] == ["Seaview\tHarbour\t120,000", "Cliffside\tDowns\t80,000"]
    assert all(r.method == "table" and r.sentence == text[r.start:r.end] for r in rels)
