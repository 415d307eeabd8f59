"""``policekg trace`` and ``policekg show``: on the bundled reports, and on an invented force's graph.

The expected findings are computed independently of the extraction: a regular expression per
spelling, written by hand from the report text, run over every finding's verbatim text.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from policekg.cli import main
from policekg.errors import UnknownEntity
from policekg.graph.store import memory_copy
from policekg.queries.show import card
from policekg.queries.trace import highlighted, resolve, trace

# Every spelling the reports use, read off the report text by eye (grep -i).
SPELLINGS = {
    "STORM": r"\bSTORM\b",
    "GUARDIAN": r"\bguardian\b|force public protection IT system",
    "ViSOR": r"\bvisor\b|violent and sex offenders?'? register",
    "NICHE": r"\bniche\b",
}


@pytest.fixture(scope="module")
def gs(built_store):
    """An in-memory copy of the built store, so that CliRunner can open the directory itself."""
    mem = memory_copy(built_store)
    yield mem
    mem.close()


@pytest.fixture(scope="module")
def finding_texts(gs):
    rows = gs.dataset.query("""SELECT DISTINCT ?f ?t WHERE {
        ?f a <https://w3id.org/policekg/ontology#Finding> ;
           <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?t }""")
    return {str(f): str(t) for f, t in rows}


def naming(finding_texts, name):
    return {f for f, t in finding_texts.items() if re.search(SPELLINGS[name], t, re.I)}


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_trace_returns_every_finding_that_names_it(gs, finding_texts, name):
    expected = naming(finding_texts, name)
    assert expected  # the spelling list is about these reports: it must find something
    result = trace(gs.dataset, name)
    direct = {f.iri for f in result.findings if f.direct}
    assert expected <= direct
    assert all(f.via == [result.entity.label] for f in result.findings if f.direct)


def test_trace_storm_finds_the_interfacing_sentence(gs):
    result = trace(gs.dataset, "STORM")
    hits = [f for f in result.findings
            if "STORM command and control system identifies a domestic violence incident" in f.text]
    assert len(hits) == 1 and hits[0].direct
    assert hits[0].framework == "4B" and hits[0].framework_title == "Protecting Vulnerable People"
    assert hits[0].grade == "Fair" and hits[0].year == "2006"


def test_trace_storm_lists_guardian_findings_as_indirect(gs, finding_texts):
    """'... whenever the STORM command and control system identifies a domestic violence incident,
    it automatically interfaces with the Guardian system ...': GUARDIAN findings depend on STORM."""
    result = trace(gs.dataset, "STORM")
    by_iri = {f.iri: f for f in result.findings}
    guardian_only = naming(finding_texts, "GUARDIAN") - naming(finding_texts, "STORM")
    assert guardian_only
    for iri in guardian_only:
        assert not by_iri[iri].direct
        assert by_iri[iri].via == ["STORM", "GUARDIAN"]
    direct_only = trace(gs.dataset, "STORM", direct_only=True)
    assert {f.iri for f in direct_only.findings} == {f.iri for f in result.findings if f.direct}
    # The rule has a direction: GUARDIAN findings depend on STORM, not the other way round.
    assert all(f.direct for f in trace(gs.dataset, "GUARDIAN").findings)


def test_highlights_cover_the_cited_words(gs):
    for name in SPELLINGS:
        for f in trace(gs.dataset, name).findings:
            assert f.spans, f.iri
            words = [f.text[a:b] for a, b in f.spans]
            assert any(re.search(SPELLINGS[label], w, re.I) for w in words for label in SPELLINGS), words
            assert {(s.start, s.end) for s in highlighted(f).spans} == set(f.spans)


@pytest.mark.parametrize(("spelling", "label"), [
    ("storm", "STORM"), ("Storm", "STORM"), ("visor", "ViSOR"), ("VISOR", "ViSOR"),
    ("violent and sex offenders register", "ViSOR"), ("guardian database", "GUARDIAN"),
    ("niche rms", "NICHE"), ("Police National Computer", "PNC"),
])
def test_names_resolve_in_any_case_and_by_alias(gs, spelling, label):
    ref = resolve(gs.dataset, spelling)
    assert (ref.type, ref.label) == ("System", label)


def test_abbreviation_from_the_glossary_resolves(gs):
    """The glossary defines 'PPU public protection unit'; the long form names the same unit."""
    assert resolve(gs.dataset, "public protection unit").iri == resolve(gs.dataset, "ppu").iri


def test_filters(gs):
    afi = trace(gs.dataset, "ViSOR", kind="area-for-improvement")
    assert afi.findings and all(f.kind == "AreaForImprovement" for f in afi.findings)
    assert any("implementation of the national violent and sex offender register (ViSOR)" in f.text
               for f in afi.findings)
    assert trace(gs.dataset, "NICHE", report="baseline").findings == []
    assert trace(gs.dataset, "NICHE", report="2019").findings


# --- the command line --------------------------------------------------------------------------------------


def test_cli_json_shape(built_store):
    r = CliRunner().invoke(main, ["trace", "STORM", "--format", "json", "--store", str(built_store)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["query"] == "STORM"
    assert set(data["entity"]) == {"iri", "label", "type", "aliases"}
    assert data["entity"]["label"] == "STORM"
    keys = {"iri", "report", "year", "framework", "framework_title", "grade", "kind", "text", "direct", "via"}
    assert data["findings"] and all(set(f) == keys for f in data["findings"])
    assert any(f["via"] == ["STORM", "GUARDIAN"] and not f["direct"] for f in data["findings"])


def test_cli_unknown_entity_exits_2_with_suggestions(built_store):
    r = CliRunner().invoke(main, ["trace", "STROM", "--store", str(built_store)])
    assert r.exit_code == 2
    assert "did you mean" in r.output and "STORM" in r.output


def test_cli_table_csv_and_show_sparql(built_store):
    r = CliRunner().invoke(main, ["trace", "visor", "--show-sparql", "--store", str(built_store)])
    assert r.exit_code == 0, r.output
    assert "ViSOR" in r.output and "direct" in r.output
    assert "(pol:feeds|pol:interfacesWith|pol:integratedWith|pol:replaces)*" in r.output  # the SPARQL
    r = CliRunner().invoke(main, ["trace", "NICHE", "--format", "csv", "--store", str(built_store)])
    lines = r.output.splitlines()
    assert lines[0].startswith("iri,report,year,framework")
    assert len(lines) > 1


def test_show_card(gs, built_store):
    c = card(gs.dataset, "storm")
    assert c.entity.label == "STORM" and c.entity.type == "System"
    assert any(r["relation"] == "interfacesWith" and r["label"] == "GUARDIAN" and "interfaces with"
               in (r["sentence"] or "") for r in c.relations)
    assert sum(x["findings"] for x in c.citations) == len(trace(gs.dataset, "STORM", direct_only=True).findings)
    assert c.first_mention and "STORM" in c.first_mention["snippet"]
    r = CliRunner().invoke(main, ["show", "ViSOR", "--store", str(built_store)])
    assert r.exit_code == 0 and "Citing findings" in r.output
    r = CliRunner().invoke(main, ["show", "STROM", "--store", str(built_store)])
    assert r.exit_code == 2


# --- an invented force: the rule, chains and direction, not tuned to the bundled reports -------------------

WESSEX = """
@prefix pol: <https://w3id.org/policekg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix w: <https://w3id.org/policekg/id/force/wessex-constabulary/> .
pol:System rdfs:subClassOf pol:PolicingEntity .
w:atlas a pol:System ; skos:prefLabel "ATLAS" ; pol:replaces w:harbournet .
w:harbournet a pol:System ; skos:prefLabel "HARBOURNET" ; skos:altLabel "Harbour Network" ;
    pol:feeds w:tidewatch .
w:tidewatch a pol:System ; skos:prefLabel "TIDEWATCH" .
w:report a pol:InspectionReport ; pol:inspectedForce w:force .
w:force a pol:Force ; skos:prefLabel "Wessex Constabulary" .
w:hn a pol:GlossaryEntry ; skos:notation "HN" ; skos:prefLabel "harbour network" .
w:f1 a pol:Finding ; pol:inReport w:report ; pol:findingKind pol:Strength ; pol:start 100 ;
    rdf:value "The Harbour Network is resilient." ; pol:cites w:harbournet .
w:m1 pol:inFinding w:f1 ; pol:mentions w:harbournet ; pol:start 104 ; pol:end 119 .
w:f2 a pol:Finding ; pol:inReport w:report ; pol:findingKind pol:AreaForImprovement ; pol:start 200 ;
    rdf:value "TIDEWATCH alerts are slow." ; pol:cites w:tidewatch .
w:m2 pol:inFinding w:f2 ; pol:mentions w:tidewatch ; pol:start 200 ; pol:end 209 .
w:a1 rdf:subject w:atlas ; rdf:predicate pol:replaces ; rdf:object w:harbournet ;
    pol:sentence "ATLAS replaces the Harbour Network." ; pol:inReport w:report .
w:a2 rdf:subject w:harbournet ; rdf:predicate pol:feeds ; rdf:object w:tidewatch ;
    pol:sentence "The Harbour Network feeds TIDEWATCH." ; pol:inReport w:report .
"""  # graph/build.py writes a provenance record (w:a1, w:a2) with every relation


@pytest.fixture()
def wessex(turtle_dataset):
    return turtle_dataset(WESSEX)


def test_invented_force_chain_follows_replaces_then_feeds(wessex):
    result = trace(wessex, "atlas")
    got = {f.text: f.via for f in result.findings}
    assert got == {"The Harbour Network is resilient.": ["ATLAS", "HARBOURNET"],
                   "TIDEWATCH alerts are slow.": ["ATLAS", "HARBOURNET", "TIDEWATCH"]}
    assert not any(f.direct for f in result.findings)


def test_invented_force_dependency_runs_one_way(wessex):
    assert [f.text for f in trace(wessex, "TIDEWATCH").findings] == ["TIDEWATCH alerts are slow."]
    spans = trace(wessex, "harbour network").findings[0].spans
    assert spans == [(4, 19)]  # "Harbour Network", relative to the finding
    # "HN" is no label of any entity, but the glossary spells it out as one of HARBOURNET's names.
    assert resolve(wessex, "hn").label == "HARBOURNET"
    with pytest.raises(UnknownEntity, match="did you mean: TIDEWATCH"):
        trace(wessex, "TIDEWACH")


# Two invented forces sharing a national system (one node for both): each report states its own links.
FORCE_REPORT = """
@prefix pol: <https://w3id.org/policekg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix n: <https://w3id.org/policekg/id/system/> .
@prefix f: <https://w3id.org/policekg/id/force/FORCE/> .
pol:System rdfs:subClassOf pol:PolicingEntity .
n:hub a pol:System ; skos:prefLabel "HUBNET" .
f:local a pol:System ; skos:prefLabel "LOCAL" .
f:force a pol:Force ; skos:prefLabel "FORCE" .
<https://w3id.org/policekg/id/report/FORCE/2019-peel> a pol:InspectionReport ; pol:inspectedForce f:force .
f:f1 a pol:Finding ; pol:inReport <https://w3id.org/policekg/id/report/FORCE/2019-peel> ;
    pol:findingKind pol:AreaForImprovement ; pol:start 0 ; rdf:value "TEXT" ; pol:cites CITED .
f:m1 pol:inFinding f:f1 ; pol:mentions CITED ; pol:start 0 ; pol:end 4 .
"""


def test_a_dependency_chain_is_what_one_report_states():
    from rdflib import Graph, URIRef

    from policekg.graph.store import open_store

    def report(force: str, text: str, cited: str, edge: str) -> tuple[URIRef, Graph]:
        s, p, o = edge.rstrip(" .").split()
        record = f"f:a1 rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ; pol:sentence \"{edge}\" .\n"
        turtle = FORCE_REPORT.replace("FORCE", force).replace("TEXT", text).replace("CITED", cited)
        turtle += f"{edge}\n{record}"
        return URIRef(f"https://w3id.org/policekg/id/report/{force}/2019-peel"), Graph().parse(data=turtle)

    with open_store(":memory:") as store:
        # Northshire: its LOCAL system feeds the national HUBNET; its finding is about HUBNET.
        store.replace_graph(*report("northshire", "HUBNET is slow.", "n:hub", "f:local pol:feeds n:hub ."))
        # Wessex: HUBNET feeds its own LOCAL system; its finding is about that system.
        store.replace_graph(*report("wessex", "LOCAL is down.", "f:local", "n:hub pol:feeds f:local ."))
        north = "https://w3id.org/policekg/id/force/northshire/local"
        got = {f.text: f.via for f in trace(store.dataset, north).findings}
        # Northshire's LOCAL feeds HUBNET, and HUBNET feeds Wessex's own LOCAL only by Wessex's report:
        # replacing Northshire's system does not touch Wessex's.
        assert got == {"HUBNET is slow.": ["LOCAL", "HUBNET"]}
        got = {f.text: f.via for f in trace(store.dataset, "HUBNET").findings}
        assert got == {"HUBNET is slow.": ["HUBNET"], "LOCAL is down.": ["HUBNET", "LOCAL"]}
