"""The graph of the bundled reports: structure, provenance, IRIs, validation and determinism."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from policekg import api
from policekg.graph.store import open_store

PREFIXES = api.PREFIXES
ID = "https://w3id.org/policekg/id/"


def rows(store, query):
    with open_store(store) as gs:
        return [tuple(r) for r in gs.dataset.query(PREFIXES + query)]


def test_one_named_graph_per_report_plus_the_ontology(built_store):
    with open_store(built_store) as gs:
        names = [str(n) for n in gs.graph_names()]
    assert names == [
        ID + "report/staffordshire-police/2005-06-baseline",
        ID + "report/staffordshire-police/2018-19-peel",
        "https://w3id.org/policekg/ontology",
    ]


def test_every_finding_text_is_its_span_of_the_normalised_report(built_store):
    found = rows(built_store, """SELECT ?f ?v ?s ?e ?text WHERE {
        ?f a pol:Finding ; rdf:value ?v ; pol:start ?s ; pol:end ?e ; pol:inReport ?r .
        ?r pol:normalisedText ?text }""")
    assert len(found) > 600
    for f, v, s, e, text in found:
        assert str(text)[int(s):int(e)] == str(v), f


def test_every_citation_has_a_mention_whose_surface_is_its_span(built_store):
    found = rows(built_store, """SELECT ?m ?surface ?s ?e ?text ?fs ?fe WHERE {
        ?m a pol:Mention ; pol:surface ?surface ; pol:start ?s ; pol:end ?e ; pol:method ?how ;
           pol:inFinding ?f ; pol:mentions ?entity .
        ?f pol:cites ?entity ; pol:start ?fs ; pol:end ?fe ; pol:inReport ?r .
        ?r pol:normalisedText ?text }""")
    assert len(found) > 300
    for m, surface, s, e, text, fs, fe in found:
        assert str(text)[int(s):int(e)] == str(surface), m
        assert int(fs) <= int(s) < int(e) <= int(fe), m
    uncited = rows(built_store, """SELECT ?f ?e WHERE { ?f pol:cites ?e .
        FILTER NOT EXISTS { ?m pol:inFinding ?f ; pol:mentions ?e } }""")
    assert uncited == []


def test_storm_interfaces_with_guardian_with_its_sentence(built_store):
    found = rows(built_store, """SELECT ?sentence WHERE {
        ?storm skos:prefLabel "STORM" . ?guardian skos:prefLabel "GUARDIAN" .
        ?storm pol:interfacesWith ?guardian .
        ?a a pol:Assertion ; rdf:subject ?storm ; rdf:predicate pol:interfacesWith ;
           rdf:object ?guardian ; pol:sentence ?sentence }""")
    assert len(found) == 1
    assert "automatically interfaces with the Guardian system" in str(found[0][0])


def test_cdrps_carry_population_households_and_division(built_store):
    found = dict((str(n), (int(p), int(h), str(d))) for n, p, h, d in rows(built_store, """
        SELECT ?n ?p ?h ?d WHERE { ?c a pol:CDRP ; skos:prefLabel ?n ; pol:population ?p ;
        pol:households ?h ; pol:liesWithin/skos:prefLabel ?d }"""))
    assert len(found) == 9
    # From the 2006 report's population (mid-2004) and households (mid-2003) tables.
    assert found["Cannock"] == (92809, 37524, "Chase")
    assert found["Tamworth"] == (73891, 30045, "Trent Valley")
    assert found["Staffordshire Moorlands"] == (94322, 39242, "North Staffordshire")


def test_judgements_carry_grade_direction_and_national_distribution(built_store):
    found = rows(built_store, """SELECT ?g ?d ?n WHERE {
        ?j pol:ofFramework/skos:notation "4B" ; pol:grade ?g ; pol:directionOfTravel ?d ;
           pol:nationalGrade [ pol:grade "Fair" ; pol:forceCount ?n ] }""")
    assert [(str(g), str(d), int(n)) for g, d, n in found] == [("Fair", "Stable", 32)]


def test_national_entities_are_shared_by_both_reports_and_force_ones_are_scoped(built_store):
    pnc = rows(built_store, """SELECT DISTINCT ?r WHERE { ?f pol:cites ?e ; pol:inReport ?r .
        ?e skos:prefLabel "PNC" }""")
    assert len(pnc) == 2  # one node, cited from the 2006 and the 2019 report
    scoped = rows(built_store, """SELECT ?e WHERE { ?e a pol:Division }""")
    assert scoped and all(str(e).startswith(ID + "force/staffordshire-police/division/") for (e,) in scoped)
    storm = rows(built_store, """SELECT ?e WHERE { ?e skos:prefLabel "STORM" }""")
    assert [str(e) for (e,) in storm] == [ID + "system/storm"]


def test_the_built_graph_conforms_to_the_shapes(built_store):
    conforms, text = api.validate(built_store)
    assert conforms, text[:2000]


def test_the_shapes_catch_a_citation_without_provenance(tmp_path):
    """Validation must be able to fail: a pol:cites link with no pol:Mention is rejected."""
    from rdflib import Graph

    from policekg.ontology import POL, ontology_graph

    g = Graph()
    for t in ontology_graph():
        g.add(t)
    rep, force = URIRef(ID + "report/x/2020-peel"), URIRef(ID + "force/x")
    finding, entity = URIRef(f"{rep}/finding/0001"), URIRef(ID + "system/pnc")
    from rdflib import RDF
    from rdflib.namespace import DCTERMS, SKOS
    g.add((rep, RDF.type, POL.InspectionReport))
    for p, o in ((DCTERMS.title, Literal("t")), (POL.reportKind, Literal("peel")),
                 (POL.inspectedForce, force), (POL.normalisedText, Literal("PNC")),
                 (POL.sourceFile, Literal("x.txt"))):
        g.add((rep, p, o))
    g.add((force, RDF.type, POL.Force))
    g.add((force, SKOS.prefLabel, Literal("X Police")))
    g.add((force, POL.scope, Literal("national")))
    g.add((entity, RDF.type, POL.System))
    g.add((entity, SKOS.prefLabel, Literal("PNC")))
    g.add((entity, POL.scope, Literal("national")))
    for p, o in ((POL.inReport, rep), (RDF.value, Literal("PNC")), (POL.findingKind, POL.Observation),
                 (POL.ordinal, Literal(1)), (POL.start, Literal(0)), (POL.end, Literal(3)),
                 (POL.cites, entity)):
        g.add((finding, p, o))
    g.add((finding, RDF.type, POL.Finding))
    with open_store(tmp_path / "kg", create=True) as gs:
        gs.replace_graph(rep, g)
    conforms, text = api.validate(tmp_path / "kg")
    assert not conforms
    assert "needs a pol:Mention" in text


@pytest.mark.slow
def test_building_twice_gives_byte_identical_turtle(built_store, tmp_path):
    api.build(store=tmp_path / "again")
    assert api.export("ttl", tmp_path / "again") == api.export("ttl", built_store)


def test_rebuilding_an_unchanged_report_writes_nothing(built_store, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built_store, copy)
    summary = api.build(store=copy)
    assert [r.written for r in summary.reports] == [False, False]
    assert summary.total_triples == api.stats(built_store)["triples"]


def test_queries_see_each_shared_triple_once(built_store):
    """PNC is described in both report graphs; the default graph queries see holds it once."""
    found = rows(built_store, """SELECT (COUNT(*) AS ?n) WHERE { ?e skos:prefLabel "PNC" }""")
    assert int(found[0][0]) == 1
    per_graph = rows(built_store, """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e skos:prefLabel "PNC" } }""")
    assert int(per_graph[0][0]) == 2


def test_replacing_a_graph_keeps_the_default_graph_its_deduplicated_union():
    from rdflib import Graph

    a, p = URIRef("urn:a"), URIRef("urn:p")
    g1, g2, g1_new = Graph(), Graph(), Graph()
    for g, values in ((g1, ["shared", "only1"]), (g2, ["shared", "only2"]), (g1_new, ["new1"])):
        for v in values:
            g.add((a, p, Literal(v)))
    with open_store(":memory:") as gs:
        gs.replace_graph(URIRef("urn:g1"), g1)
        gs.replace_graph(URIRef("urn:g2"), g2)
        seen = sorted(str(r[0]) for r in gs.dataset.query("SELECT ?o WHERE { ?s ?p ?o }"))
        assert seen == ["only1", "only2", "shared"]
        assert gs.replace_graph(URIRef("urn:g1"), g1_new) is True
        seen = sorted(str(r[0]) for r in gs.dataset.query("SELECT ?o WHERE { ?s ?p ?o }"))
        assert seen == ["new1", "only2", "shared"]  # "shared" stays: g2 still holds it
        assert gs.replace_graph(URIRef("urn:g1"), g1_new) is False
