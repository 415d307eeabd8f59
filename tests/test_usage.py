"""Issue 12: usage relations (pol:usedBy), role groups, and system ends that are not mentions.

Invented sentences (an invented force, invented system names) for every phrasing the reader
supports, with negatives; the bundled reports' own sentences are checked in ``test_bundled_*``.
"""

from __future__ import annotations

import doctest
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sentences import mentions  # tests/ is on sys.path, as for render

from policekg.errors import InputError
from policekg.extract import references, usage
from policekg.extract.described import name_described
from policekg.extract.model import (
    FEEDS,
    INITIATIVE,
    INTEGRATED_WITH,
    INTERFACES_WITH,
    PART_OF,
    PARTNER,
    REPLACES,
    ROLE_GROUP,
    SYSTEM,
    UNIT,
    USED_BY,
    Entity,
)
from policekg.extract.relations import passage_relations, sentence_relations
from policekg.extract.usage import parse_role_groups, role_group_spans

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def read(sentence: str, *items: tuple[str, str, str], entities=None, **kw):
    return sentence_relations(sentence, 0, mentions(sentence, 0, *items), entities or {}, **kw)


def triples(relations) -> set[tuple[str, str, str]]:
    return {(r.subject[1], r.predicate, r.object[1]) for r in relations}


KESTREL = ("KESTREL", SYSTEM, "KESTREL")
BEACON = ("BEACON", SYSTEM, "BEACON")
TIDEWATCH = ("TIDEWATCH", SYSTEM, "TIDEWATCH")


# --- Usage, every phrasing ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, items, expected", [
    # trained in the use of (user first)
    ("The Harbour child protection unit has officers trained in the use of the national KESTREL database.",
     [("Harbour child protection unit", UNIT, "HCPU"), KESTREL], {("KESTREL", USED_BY, "HCPU")}),
    # supported by (user first)
    ("The Wessex custody unit is supported by the BEACON system.",
     [("Wessex custody unit", UNIT, "custody unit"), BEACON], {("BEACON", USED_BY, "custody unit")}),
    # enables ... to (system first, role group)
    ("TIDEWATCH enables call takers to see every previous call from an address.",
     [TIDEWATCH], {("TIDEWATCH", USED_BY, "call handlers")}),
    # allows (role group with a quantifier)
    ("The KESTREL portal allows all members of the force to view forensic results.",
     [KESTREL], {("KESTREL", USED_BY, "all members of the force")}),
    # provides ... to a partner: the ends' types make "provides details to" usage, not feeds
    ("BEACON provides custody details to the Youth Offending Team.",
     [BEACON, ("Youth Offending Team", PARTNER, "Youth Offending Team")],
     {("BEACON", USED_BY, "Youth Offending Team")}),
    # equipped with, and regularly use (role group first)
    ("Neighbourhood officers are equipped with, and routinely use, SEAGLASS.",
     [("SEAGLASS", SYSTEM, "SEAGLASS")], {("SEAGLASS", USED_BY, "neighbourhood officers")}),
    # available to
    ("The BEACON database is available to analysts across the county.",
     [BEACON], {("BEACON", USED_BY, "analysts")}),
    # used by, two systems: each is used, neither relates to the other
    ("KESTREL and BEACON are both used by custody sergeants.",
     [KESTREL, BEACON], {("KESTREL", USED_BY, "custody staff"), ("BEACON", USED_BY, "custody staff")}),
    # use, coordinated objects: a list of systems is not a relation between them
    ("Frontline officers use KESTREL, BEACON and TIDEWATCH every day.",
     [KESTREL, BEACON, TIDEWATCH],
     {("KESTREL", USED_BY, "frontline officers"), ("BEACON", USED_BY, "frontline officers"),
      ("TIDEWATCH", USED_BY, "frontline officers")}),
    # for: a system bought or built for a group
    ("The force has bought a KESTREL workstation for analysts, which speeds up searches.",
     [KESTREL], {("KESTREL", USED_BY, "analysts")}),
    # the nominal form: the use of X by
    ("The increased use of KESTREL by the Harbour CAIU has improved referrals.",
     [KESTREL, ("Harbour CAIU", UNIT, "CAIU")], {("KESTREL", USED_BY, "CAIU")}),
    ("The use of BEACON by frontline officers has grown.", [BEACON], {("BEACON", USED_BY, "frontline officers")}),
    # to provide ... to, after a system relation
    ("KESTREL interfaces with TIDEWATCH to provide risk information to response officers.",
     [KESTREL, TIDEWATCH],
     {("KESTREL", INTERFACES_WITH, "TIDEWATCH"), ("TIDEWATCH", USED_BY, "frontline officers")}),
])
def test_usage_phrasings(sentence, items, expected):
    rels = read(sentence, *items)
    assert triples(rels) == expected
    assert all(r.sentence == sentence and r.method.startswith("pattern:") for r in rels)


def test_networked_to_a_plural_of_units_is_a_described_user():
    sentence = "The KESTREL system is networked to all district custody units."
    assert read(sentence, KESTREL) == []  # no unit named: nothing unless described ends are accepted
    rels = read(sentence, KESTREL, allow_described=True)
    assert triples(rels) == {("KESTREL", USED_BY, "district custody units")}
    named, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    [unit] = new
    assert (unit.type, unit.label, unit.scope) == (UNIT, "district custody units", "force")
    assert named == rels


def test_role_group_entities_keep_the_words_used():
    sentence = "Call takers use TIDEWATCH; TIDEWATCH is also available to call-handlers."
    rels = read(sentence, TIDEWATCH, TIDEWATCH)
    assert triples(rels) == {("TIDEWATCH", USED_BY, "call handlers")}
    _, new = name_described(rels, {("System", "TIDEWATCH"): Entity(SYSTEM, "TIDEWATCH")})
    [group] = new
    assert group.type == ROLE_GROUP and group.aliases == {"Call takers", "call-handlers"}
    # The label's own words are kept too, so a mention of the group can be found where it is said.
    rels = read("KESTREL is available to analysts.", KESTREL)
    _, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    assert new[0].aliases == {"analysts"}
    assert "answer" in group.note  # the data file's note says what the group is


def test_records_managed_through_a_system_in_the_units_own_sentence():
    s = "The Seaview PPU shares referrals with partners, and registered offenders are managed through TIDEWATCH."
    [r] = passage_relations([(s, 0, mentions(s, 0, ("Seaview PPU", UNIT, "PPU"), TIDEWATCH))], {}, text=s)
    assert (r.subject[1], r.predicate, r.object[1], r.sentence) == ("TIDEWATCH", USED_BY, "PPU", s)


def test_place_first_piloted():
    from policekg.extract.model import DIVISION, INITIATIVE, PILOTED_IN

    rels = read("The Riverside BCU piloted Operation Kingfisher in 2005.",
                ("Riverside BCU", DIVISION, "Riverside"), ("Operation Kingfisher", INITIATIVE, "Kingfisher"))
    assert triples(rels) == {("Kingfisher", PILOTED_IN, "Riverside")}


def test_records_held_within_a_system_are_the_unit_of_the_passage():
    s1 = "The Seaview public protection unit manages registered offenders."
    s2 = "Case records from both areas are held within the TIDEWATCH system."
    text = s1 + " " + s2
    passage = [(s1, 0, mentions(s1, 0, ("Seaview public protection unit", UNIT, "PPU"))),
               (s2, len(s1) + 1, mentions(s2, len(s1) + 1, TIDEWATCH))]
    [r] = passage_relations(passage, {}, finding=4, text=text)
    assert (r.subject[1], r.predicate, r.object[1]) == ("TIDEWATCH", USED_BY, "PPU")
    assert r.method == "pattern:held-in+context" and r.sentence == text == text[r.start:r.end]
    # Without the report text the span cannot be quoted: nothing rather than a misquote.
    assert passage_relations(passage, {}, finding=4) == []


# --- System-to-system phrasings added for issue 12 ------------------------------------------------

@pytest.mark.parametrize("sentence, items, expected", [
    # data from X is used in Y
    ("Data from KESTREL is used in the BEACON database.", [KESTREL, BEACON], {("KESTREL", FEEDS, "BEACON")}),
    # networked to a system
    ("BEACON is networked to TIDEWATCH.", [BEACON, TIDEWATCH], {("BEACON", INTEGRATED_WITH, "TIDEWATCH")}),
    # part of the X suite: a named component
    ("KESTREL is part of the BEACON suite.", [KESTREL, BEACON], {("KESTREL", PART_OF, "BEACON")}),
    # coordination on the right: X is interfaced with A and B
    ("KESTREL is interfaced with BEACON and TIDEWATCH.", [KESTREL, BEACON, TIDEWATCH],
     {("KESTREL", INTERFACES_WITH, "BEACON"), ("KESTREL", INTERFACES_WITH, "TIDEWATCH")}),
    # coordination on the left: A and B are integrated with X
    ("BEACON and TIDEWATCH are integrated with KESTREL.", [BEACON, TIDEWATCH, KESTREL],
     {("BEACON", INTEGRATED_WITH, "KESTREL"), ("TIDEWATCH", INTEGRATED_WITH, "KESTREL")}),
])
def test_system_phrasings(sentence, items, expected):
    assert triples(read(sentence, *items)) == expected


def test_descriptive_name_resolves_to_the_system_so_described():
    kestrel = Entity(SYSTEM, "KESTREL", aliases={"KESTREL command and dispatch system"})
    sentence = "Harbour CCTV is integrated with command and dispatch."
    rels = read(sentence, ("CCTV", SYSTEM, "CCTV"), entities={kestrel.key: kestrel})
    assert triples(rels) == {("CCTV", INTEGRATED_WITH, "KESTREL")}
    # Two systems described the same way: the description is ambiguous and names neither.
    beacon = Entity(SYSTEM, "BEACON", aliases={"BEACON command and dispatch system"})
    assert read(sentence, ("CCTV", SYSTEM, "CCTV"), entities={kestrel.key: kestrel, beacon.key: beacon}) == []


def test_unnamed_technology_subject():
    sentence = "Mobile messaging is interfaced with KESTREL and BEACON."
    assert read(sentence, KESTREL, BEACON) == []  # not without described ends
    rels = read(sentence, KESTREL, BEACON, allow_described=True)
    assert triples(rels) == {("Mobile messaging", INTERFACES_WITH, "KESTREL"),
                             ("Mobile messaging", INTERFACES_WITH, "BEACON")}  # the words as written
    _, new = name_described(rels, {k[1:]: Entity(SYSTEM, k[0]) for k in (KESTREL, BEACON)})
    assert [(e.type, e.scope) for e in new] == [(SYSTEM, "force")]


def test_components_named_by_their_system():
    sentence = "The BEACON.WEB portal lets all staff see results; BEACON and its various applications are new."
    rels = read(sentence, BEACON, BEACON, allow_described=True)
    assert triples(rels) == {("BEACON.WEB", PART_OF, "BEACON"), ("BEACON.WEB", USED_BY, "all members of the force"),
                             ("various applications of BEACON", PART_OF, "BEACON")}
    assert read(sentence, BEACON, BEACON) == []  # components are described ends: only when accepted
    _, new = name_described(rels, {("System", "BEACON"): Entity(SYSTEM, "BEACON")})
    assert sorted(e.label for e in new) == ["BEACON.WEB", "all members of the force", "various applications of BEACON"]


def test_described_subject_is_labelled_by_its_relation():
    sentence = "Submissions are tracked on a programme that is part of the BEACON suite."
    rels = read(sentence, BEACON, allow_described=True)
    assert triples(rels) == {("a programme", PART_OF, "BEACON")}
    named, new = name_described(rels, {("System", "BEACON"): Entity(SYSTEM, "BEACON")})
    assert triples(named) == {("programme part of BEACON", PART_OF, "BEACON")}
    assert new[0].aliases == {"a programme"}


def test_the_new_system_is_the_one_the_passage_introduced():
    s1 = "In 2006 the force bought KESTREL."
    s2 = "Custody records in TIDEWATCH will transfer to the new system in May."
    start2 = len(s1) + 1
    passage = [(s1, 0, mentions(s1, 0, KESTREL)), (s2, start2, mentions(s2, start2, TIDEWATCH))]
    assert triples(passage_relations(passage, {}, text=s1 + " " + s2)) == {("TIDEWATCH", FEEDS, "KESTREL")}
    # Nothing introduced before: "the new system" names nothing.
    assert passage_relations(passage[1:], {}, text=s1 + " " + s2) == []


def test_data_moved_to_the_new_system_comes_from_the_systems_it_replaces():
    s1 = "KESTREL replaces four existing systems."
    s2 = "Staff have been trained and data is ready to transfer to the new system."
    text = s1 + " " + s2
    passage = [(s1, 0, mentions(s1, 0, KESTREL)), (s2, len(s1) + 1, [])]
    rels = passage_relations(passage, {}, text=text, allow_described=True)
    assert triples(rels) == {("KESTREL", REPLACES, "four existing systems"),
                             ("four existing systems", FEEDS, "KESTREL")}
    feed = next(r for r in rels if r.predicate == FEEDS)
    assert feed.method == "pattern:transfer+context" and feed.sentence == text == text[feed.start:feed.end]
    # One entity for the replaced systems, whichever relation reaches it.
    named, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    assert [e.label for e in new] == ["four existing systems replaced by KESTREL"]
    assert triples(named) == {("KESTREL", REPLACES, "four existing systems replaced by KESTREL"),
                              ("four existing systems replaced by KESTREL", FEEDS, "KESTREL")}


@pytest.mark.parametrize("second", [
    "Staff will be trained on the new system in May.",  # no data moved
    "Data from BEACON is ready to transfer to the new system.",  # the source is named: it feeds
])
def test_no_feed_from_the_replaced_systems(second):
    s1 = "KESTREL replaces four existing systems."
    start = len(s1) + 1
    passage = [(s1, 0, mentions(s1, 0, KESTREL)), (second, start, mentions(second, start, *(
        [BEACON] if "BEACON" in second else [])))]
    rels = passage_relations(passage, {}, text=s1 + " " + second, allow_described=True)
    assert ("four existing systems", FEEDS, "KESTREL") not in triples(rels)


def test_usage_after_a_vague_anaphor_needs_a_system_word():
    s1 = "Guidance is available on KESTREL terminals."
    start = len(s1) + 1
    vague = "This gives analysts the latest advice."
    passage = [(s1, 0, mentions(s1, 0, KESTREL)), (vague, start, [])]
    assert passage_relations(passage, {}, text=s1 + " " + vague) == []  # "This" may be the guidance
    named = "This system gives analysts the latest advice."
    passage = [(s1, 0, mentions(s1, 0, KESTREL)), (named, start, [])]
    assert triples(passage_relations(passage, {}, text=s1 + " " + named)) == {("KESTREL", USED_BY, "analysts")}


def test_replacing_system_is_the_new_system():
    s1 = "KESTREL replaces TIDEWATCH."
    s2 = "BEACON will be linked to the new system."
    passage = [(s1, 0, mentions(s1, 0, KESTREL, TIDEWATCH)),
               (s2, len(s1) + 1, mentions(s2, len(s1) + 1, BEACON))]
    assert triples(passage_relations(passage, {}, text=s1 + " " + s2)) == {
        ("KESTREL", REPLACES, "TIDEWATCH"), ("BEACON", INTEGRATED_WITH, "KESTREL")}


def test_data_used_within_an_activity():
    sentence = "Data from KESTREL is used within the divisional performance review process to drive detections."
    assert read(sentence, KESTREL) == []  # the activity is named in words: only when described ends are accepted
    rels = read(sentence, KESTREL, allow_described=True)
    assert triples(rels) == {("KESTREL", USED_BY, "divisional performance review process")}
    _, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    assert [(e.type, e.label, e.scope) for e in new] == [(INITIATIVE, "divisional performance review process", "force")]
    # A named initiative is a user the same way.
    rels = read("BEACON is used in Operation Lantern.", BEACON, ("Operation Lantern", INITIATIVE, "Lantern"))
    assert triples(rels) == {("BEACON", USED_BY, "Lantern")}


@pytest.mark.parametrize("sentence", [
    "Data from KESTREL is used within the process.",  # which process: says nothing
    "Data from KESTREL is used to monitor the custody process.",  # no "in/within": what it is for
    "KESTREL is available to the performance review process.",  # an activity is only used within
])
def test_no_activity_user(sentence):
    assert read(sentence, KESTREL, allow_described=True) == []


def test_information_taken_from_a_system_into_a_reporting_layer():
    sentence = "Reviews use information being taken from KESTREL (custody data warehouse under construction)."
    assert read(sentence, KESTREL) == []
    rels = read(sentence, KESTREL, allow_described=True)
    assert triples(rels) == {("KESTREL", FEEDS, "custody data warehouse")}
    assert rels[0].method == "pattern:taken-from"
    _, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    assert [(e.type, e.label, e.scope) for e in new] == [(SYSTEM, "custody data warehouse", "force")]


@pytest.mark.parametrize("sentence", [
    # A parenthesis after a name usually describes that system, not where data goes.
    "Reviews use information being taken from KESTREL (the force custody IT system).",
    "Reviews use information being taken from KESTREL (since 2005).",
    # No data flow stated: a dashboard in brackets is only an aside.
    "Officers praised KESTREL (crime dashboard) for its speed.",
])
def test_no_flow_to_a_parenthesis(sentence):
    assert read(sentence, KESTREL, allow_described=True) == []


def test_a_system_notifies_its_users():
    sentence = "The new KESTREL records system (live from May) will automatically notify schools."
    rels = read(sentence, ("KESTREL records system", SYSTEM, "KESTREL"), ("schools", PARTNER, "schools"))
    assert triples(rels) == {("KESTREL", USED_BY, "schools")}
    rels = read("KESTREL alerts custody sergeants when a detainee is at risk.", KESTREL)
    assert triples(rels) == {("KESTREL", USED_BY, "custody staff")}
    # The force notifying someone about a system is no use of it.
    assert read("The force notified schools about KESTREL.", ("schools", PARTNER, "schools"), KESTREL,
                allow_described=True) == []


def test_a_plural_of_systems_coordinated_with_the_object():
    sentence = "To address this, a database linked to KESTREL and intelligence systems is being rolled out."
    rels = read(sentence, KESTREL, allow_described=True)
    assert triples(rels) == {("a database", INTEGRATED_WITH, "KESTREL"),
                             ("a database", INTEGRATED_WITH, "intelligence systems")}
    named, new = name_described(rels, {KESTREL[1:]: Entity(SYSTEM, "KESTREL")})
    assert triples(named) == {("database integrated with KESTREL", INTEGRATED_WITH, "KESTREL"),
                              ("database integrated with KESTREL", INTEGRATED_WITH,
                               "intelligence systems integrated with database")}
    assert {e.label: e.aliases for e in new}["intelligence systems integrated with database"] \
        == {"intelligence systems"}
    rels = read("BEACON is interfaced with KESTREL and other force systems.", BEACON, KESTREL, allow_described=True)
    assert triples(rels) == {("BEACON", INTERFACES_WITH, "KESTREL"), ("BEACON", INTERFACES_WITH, "force systems")}


@pytest.mark.parametrize("sentence", [
    "BEACON is interfaced with KESTREL and other systems are planned.",  # a new clause's subject
    "BEACON is interfaced with KESTREL and other systems.",  # described ends not accepted: see below
])
def test_no_coordinated_plural(sentence):
    described = "planned" in sentence
    assert triples(read(sentence, BEACON, KESTREL, allow_described=described)) == {
        ("BEACON", INTERFACES_WITH, "KESTREL")}


def test_unnamed_technology_coordinated_with_a_system():
    kestrel = Entity(SYSTEM, "KESTREL", aliases={"KESTREL command and dispatch system"})
    sentence = "Radio links to the force launch and harbour authority CCTV are integrated with command and dispatch."
    rels = read(sentence, ("harbour authority", PARTNER, "harbour authority"), ("CCTV", SYSTEM, "CCTV"),
                entities={kestrel.key: kestrel}, allow_described=True)
    # The partner only says whose CCTV it is; the phrase with its preposition says which links.
    assert triples(rels) == {("Radio links to the force launch", INTEGRATED_WITH, "KESTREL"),
                             ("CCTV", INTEGRATED_WITH, "KESTREL")}


@pytest.mark.parametrize("sentence", [
    "Officers in the force launch and CCTV are integrated with KESTREL.",  # people are no technology
    "Radio links to the force launch and CCTV were praised by KESTREL staff.",  # no system trigger
])
def test_no_technology_conjunct(sentence):
    rels = read(sentence, ("CCTV", SYSTEM, "CCTV"), KESTREL, allow_described=True)
    assert {s for s, _, _ in triples(rels)} <= {"CCTV"}


# --- Negatives ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, items", [
    ("The force uses data well.", []),  # no system, no unit: nothing, even with described ends
    ("Officers use their judgement when KESTREL is down.", [KESTREL]),
    ("Analysts and the KESTREL system were reviewed in 2005.", [KESTREL]),  # no trigger
    ("The unit has officers trained in the use of force.", [("unit", UNIT, "unit")]),  # no system
    ("The force has three systems: KESTREL, BEACON and TIDEWATCH.", [KESTREL, BEACON, TIDEWATCH]),  # a list
    ("Officers praised KESTREL; BEACON was slow.", [KESTREL, BEACON]),
    ("The force is linked to BEACON.", [BEACON]),  # "the force" is no technology
    ("KESTREL is not available to call handlers.", [KESTREL]),  # negation
    ("KESTREL was praised for its speed.", [KESTREL]),  # "for" reaches no user
    ("The force paid for KESTREL and BEACON.", [KESTREL, BEACON]),
    ("A review of KESTREL by the Harbour CAIU found faults.", [KESTREL, ("Harbour CAIU", UNIT, "CAIU")]),  # no use
    ("The use of KESTREL by BEACON is new.", [KESTREL, BEACON]),  # a system is no user
])
def test_no_usage_or_system_relation(sentence, items):
    assert read(sentence, *items, allow_described=True) == []


def test_role_group_does_not_cut_the_unit_from_its_verb():
    sentence = "The Harbour CAIU has officers trained in the use of KESTREL."
    rels = read(sentence, ("Harbour CAIU", UNIT, "CAIU"), KESTREL)
    assert triples(rels) == {("KESTREL", USED_BY, "CAIU")}  # not "officers and staff"


# --- Data file and pure functions -----------------------------------------------------------------

def test_role_group_file_parses_and_every_group_has_a_note():
    groups = usage.load_role_groups()
    assert groups and all(g.note for g in groups)
    assert len({g.label for g in groups}) == len(groups)
    with pytest.raises(InputError, match="line 1"):
        parse_role_groups(['{"label": "x"}'])


def test_longest_role_group_wins():
    assert [label for *_, label in role_group_spans("frontline officers and staff")] == ["frontline officers"]


_WORDS = st.sampled_from(["officers", "officer", "staff", "and", "call", "handlers", "of", "the", "o", "s"])


@settings(max_examples=300, deadline=None)
@given(names=st.lists(st.lists(_WORDS, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=8),
       data=st.data())
def test_trie_pattern_finds_what_a_longest_first_alternation_finds(names, data):
    # The text is made of the names themselves (cased and spaced anyhow) and other words.
    pieces = st.sampled_from(names).map(lambda n: n.replace(" ", "-")) | st.sampled_from(names).map(str.title) \
        | _WORDS | st.sampled_from(names)
    words = data.draw(st.lists(st.tuples(pieces, st.sampled_from([" ", "-", "  ", ", ", "", "'s "])), max_size=8))
    text = "".join(w + sep for w, sep in words)
    by_length = sorted(set(names), key=lambda n: (-len(n), n))
    longest_first = "|".join(r"[\s-]+".join(map(re.escape, n.split())) for n in by_length)
    bounds = r"(?<![\w-])(?:{})(?![\w-])"
    plain, trie = (re.compile(bounds.format(p), re.IGNORECASE) for p in (longest_first, usage.trie_pattern(names)))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("module", [usage, references])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# --- The bundled reports: every relation the issue quotes, with its direction ----------------------

@cache
def bundled(name: str):
    from policekg.extract.nlp import extract_entities
    from policekg.extract.structure import parse_report

    report = parse_report(REPORTS / name)
    return report, extract_entities(report)


def bundled_triples(name: str) -> dict[tuple[str, str, str], str]:
    report, ex = bundled(name)
    for r in ex.relations:
        assert report.text[r.start:r.end] == r.sentence  # provenance: verbatim, with offsets
    return {(r.subject[1], r.predicate, r.object[1]): r.sentence for r in ex.relations}


@pytest.mark.slow
@pytest.mark.parametrize("triple, words", [
    (("text messaging", INTERFACES_WITH, "STORM"), "text messaging is interfaced with STORM and Airwave"),
    (("text messaging", INTERFACES_WITH, "Airwave"), "text messaging is interfaced with STORM and Airwave"),
    (("CCTV", INTEGRATED_WITH, "STORM"), "local authority CCTV are integrated with command and control"),
    (("programme part of SOCRATES", PART_OF, "SOCRATES"), "a programme that is part of the SOCRATES suite"),
    (("database integrated with Lotus Notes", INTEGRATED_WITH, "Lotus Notes"), "a database linked to Lotus Notes"),
    (("IMPACT", USED_BY, "CAIU"), "has officers trained in the use of the national IMPACT INI database"),
    (("GUARDIAN", USED_BY, "PPU"), "is held within the Guardian system"),
    (("HR system", USED_BY, "divisional HR units"), "networked to all divisional HR units"),
    (("STORM", INTERFACES_WITH, "GUARDIAN"), "it automatically interfaces with the Guardian system"),
    (("SOCRATES.WEB", PART_OF, "SOCRATES"), "A specific application called SOCRATES.WEB enables"),
    (("SOCRATES.WEB", USED_BY, "all members of the force"), "SOCRATES.WEB enables all members of the force"),
    (("various applications of SOCRATES", PART_OF, "SOCRATES"), "the SOCRATES system and its various applications"),
])
def test_bundled_baseline_relations(triple, words):
    found = bundled_triples("staffordshire-2006-baseline-assessment.txt")
    assert triple in found
    assert words in " ".join(found[triple].split())


@pytest.mark.slow
@pytest.mark.parametrize("triple, words", [
    (("video links to the force helicopter", INTEGRATED_WITH, "STORM"),
     "video links to the force helicopter and local authority CCTV are integrated with command and control"),
    (("database integrated with Lotus Notes", INTEGRATED_WITH,
      "intelligence systems integrated with database"),
     "a database linked to Lotus Notes and intelligence systems"),
])
def test_bundled_baseline_relations_beyond_the_quotes(triple, words):
    found = bundled_triples("staffordshire-2006-baseline-assessment.txt")
    assert triple in found
    assert words in " ".join(found[triple].split())


@pytest.mark.slow
def test_bundled_peel_data_moves_from_the_replaced_systems():
    found = bundled_triples("staffordshire-2019-peel.txt")
    sentence = found[("12 existing systems replaced by NICHE", FEEDS, "NICHE")]
    assert "This replaces 12 existing systems" in sentence and "data is ready to transfer to the new system" in sentence


@pytest.mark.slow
def test_bundled_peel_niche_notifies_schools():
    found = bundled_triples("staffordshire-2019-peel.txt")
    assert "will automatically notify schools" in found[("NICHE", USED_BY, "schools")]


@pytest.mark.slow
def test_bundled_peel_body_worn_video_users():
    found = bundled_triples("staffordshire-2019-peel.txt")
    sentence = found[("body-worn video", USED_BY, "frontline officers")]
    assert "Frontline officers are equipped with, and regularly use" in sentence


@pytest.mark.slow
@pytest.mark.parametrize("triple, words", [
    # The data goes to an activity, which uses it: a prov:Activity (pol:Initiative) as the user.
    (("SOCRATES", USED_BY, "BCU performance accountability process"),
     "Data from SOCRATES is used within the BCU performance accountability process"),
    # The parenthesis names the reporting layer the information is taken into.
    (("SOCRATES", FEEDS, "business objects universe"),
     "information being taken from SOCRATES (business objects universe under construction)"),
])
def test_bundled_socrates_data_flows(triple, words):
    found = bundled_triples("staffordshire-2006-baseline-assessment.txt")
    assert triple in found
    assert words in " ".join(found[triple].split())
    _, ex = bundled("staffordshire-2006-baseline-assessment.txt")
    types = {e.label: (e.type, e.scope) for e in ex.entities}
    assert types[triple[2]] == ((INITIATIVE if triple[1] == USED_BY else SYSTEM), "force")
