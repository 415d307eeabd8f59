"""Named queries rewritten for speed at 1,000 reports answer exactly as they did before.

Each test keeps the query's text from before its rewrite and checks that the bundled text gives the
same rows in the same order, on a store of invented forces and on the bundled reports. Where the old
text left ties in its ORDER BY (or the whole order) to the engine, the rewrite breaks them by IRI;
the old text is compared with the same sort keys appended.
"""

from __future__ import annotations

import shlex

import pytest
from rdflib import URIRef

from policekg.graph.store import memory_copy, open_store
from policekg.queries.library import load
from policekg.queries.run import Values, param_bindings, run


@pytest.fixture(scope="module")
def national(national_store):
    with open_store(national_store) as gs:
        yield gs.dataset


@pytest.fixture(scope="module")
def bundled(built_store):
    gs = memory_copy(built_store)
    yield gs.dataset
    gs.close()


def _example_params(name: str) -> dict[str, str]:
    words = shlex.split(load(name).example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words[:-1]) if w in ("--param", "-p"))


def _both(ds, name: str, before: str, params: dict[str, str] | None = None):
    """The rows of the bundled query and of its text before the rewrite, with the same parameters."""
    query = load(name)
    bindings = param_bindings(ds, query, _example_params(name) if params is None else params)
    return run(ds, query.text, bindings).rows, run(ds, before, bindings).rows


def _tie_break(before: str, extra: str) -> str:
    """The old text with ``extra`` sort keys appended to its ORDER BY (its last line)."""
    assert before.rstrip().splitlines()[-1].startswith("ORDER BY ")
    return f"{before.rstrip()} {extra}\n"


# report-changes.rq before: the report of each citation looked up with pol:inReport, and the pair
# subquery's ?r (a BIND, so possibly unbound) joined with every citation in the store (10 s).
REPORT_CHANGES_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?change ?type ?label ?entity (SUM(?cited) AS ?findings)
WHERE {
  # Set difference by counting, not FILTER NOT EXISTS: the findings of both reports are read once
  # and grouped by entity; an entity cited in only one of the two is a change. (A NOT EXISTS per
  # citation re-read the other report's findings for every row: minutes at national scale.)
  {
    SELECT ?r1 ?r2 ?entity (COUNT(DISTINCT ?finding) AS ?cited)
           (SUM(IF(?r = ?r1, 1, 0)) AS ?in1) (SUM(IF(?r = ?r2, 1, 0)) AS ?in2)
    WHERE {
      {
        SELECT ?r1 ?r2 ?r WHERE {
          # The old and the new reports apart, then paired by force (hashing): with both in one
          # pattern, every old report was paired with every report in the store before filtering.
          { SELECT DISTINCT ?force ?r1 WHERE {
              #@values
              ?r1 a pol:InspectionReport ; pol:inspectedForce ?force ; pol:assessmentYear ?a1 .
              OPTIONAL { ?r1 pol:year ?y1 }
              FILTER(STR(?r1) = ?old || STR(?y1) = ?old || STR(?a1) = ?old) } }
          { SELECT DISTINCT ?force ?r2 WHERE {
              #@values
              ?r2 a pol:InspectionReport ; pol:inspectedForce ?force ; pol:assessmentYear ?a2 .
              OPTIONAL { ?r2 pol:year ?y2 }
              FILTER(STR(?r2) = ?new || STR(?y2) = ?new || STR(?a2) = ?new) } }
          VALUES ?side { 1 2 }
          BIND(IF(?side = 1, ?r1, ?r2) AS ?r)
        }
      }
      ?finding pol:inReport ?r ; pol:cites ?entity .
    }
    GROUP BY ?r1 ?r2 ?entity
  }
  FILTER(?in1 = 0 || ?in2 = 0)
  BIND(IF(?in2 = 0, "dropped", "new") AS ?change)
  ?entity a ?t ; skos:prefLabel ?label .
  ?t rdfs:subClassOf pol:PolicingEntity .
  BIND(STRAFTER(STR(?t), "#") AS ?type)
}
GROUP BY ?change ?type ?label ?entity
ORDER BY ?change ?type LCASE(?label)"""


@pytest.mark.parametrize("old,new", [("2006", "2019"), ("2019", "2006"), ("2005/06", "2007")])
def test_report_changes_answers_as_before(national, old, new):
    got, before = _both(national, "report-changes",
                        _tie_break(REPORT_CHANGES_BEFORE, "?entity"), {"old": old, "new": new})
    assert got == before
    assert {str(row[0]) for row in got} == {"dropped", "new"}


def test_report_changes_answers_as_before_on_the_bundled_reports(bundled):
    got, before = _both(bundled, "report-changes", _tie_break(REPORT_CHANGES_BEFORE, "?entity"))
    assert got == before and len(got) > 10


# systems-by-framework.rq before: one pattern, every citing finding's framework, report, labels and
# year looked up one by one before counting distinct findings (5 s).
SYSTEMS_BY_FRAMEWORK_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?year ?code ?framework ?system ?label (COUNT(DISTINCT ?finding) AS ?findings)
WHERE {
  ?system a pol:System ; skos:prefLabel ?label .
  ?finding pol:cites ?system ; pol:ofFramework ?fw ; pol:inReport ?report .
  ?fw skos:prefLabel ?framework .
  OPTIONAL { ?fw skos:notation ?code }
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
}
GROUP BY ?year ?code ?framework ?system ?label
ORDER BY ?year ?code ?framework LCASE(?label)"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_systems_by_framework_answers_as_before(request, store):
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "systems-by-framework", _tie_break(SYSTEMS_BY_FRAMEWORK_BEFORE, "?system"))
    assert got == before
    assert len(got) > 10 and any(int(row[5]) > 1 for row in got)
    assert any(row[1] is None for row in got)  # PEEL frameworks have no code


# finding-counts.rq before: each finding's kind, report and framework looked up one by one.
FINDING_COUNTS_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?year ?code ?framework ?kind (SUM(?n) AS ?findings)
WHERE {
  # Count per (report, framework, kind) first, then label the few groups: labelling every finding
  # before counting made the work grow with the findings of the whole corpus several times over.
  # (A finding has one report, one kind and at most one framework, so the sums count each once.)
  {
    SELECT ?report ?fw ?k (COUNT(?f) AS ?n) WHERE {
      ?f a pol:Finding ; pol:findingKind ?k ; pol:inReport ?report .
      OPTIONAL { ?f pol:ofFramework ?fw }
    } GROUP BY ?report ?fw ?k
  }
  BIND(STRAFTER(STR(?k), "#") AS ?kind)
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
  # "" is no subject: a group without a framework matches no label.
  BIND(COALESCE(?fw, "") AS ?key)
  OPTIONAL { ?key skos:prefLabel ?framework }
  OPTIONAL { ?key skos:notation ?c }
  BIND(IF(BOUND(?framework), ?c, ?unbound) AS ?code)
}
GROUP BY ?year ?code ?framework ?kind
ORDER BY ?year ?code ?framework ?kind"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_finding_counts_answers_as_before(request, store):
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "finding-counts", FINDING_COUNTS_BEFORE)
    assert got == before
    assert any(row[2] is None for row in got) and any(row[1] is not None for row in got)


# system-relations.rq before: each relation's provenance records looked up from its subject, with
# their report by pol:inReport.
SYSTEM_RELATIONS_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?subjectLabel ?relation ?objectLabel ?report ?sentence ?subject ?object
WHERE {
  VALUES ?p { pol:feeds pol:interfacesWith pol:integratedWith pol:replaces }
  ?subject ?p ?object .
  ?subject a pol:System ; skos:prefLabel ?subjectLabel .
  ?object a pol:System ; skos:prefLabel ?objectLabel .
  BIND(STRAFTER(STR(?p), "#") AS ?relation)
  OPTIONAL {
    ?a rdf:subject ?subject ; rdf:predicate ?p ; rdf:object ?object ;
       pol:sentence ?sentence ; pol:inReport ?report
  }
}
ORDER BY LCASE(?subjectLabel) ?relation LCASE(?objectLabel)"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_system_relations_answers_as_before(request, store):
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "system-relations", _tie_break(
        SYSTEM_RELATIONS_BEFORE, "?subject ?object ?report ?sentence"))
    assert got == before
    assert len({row[3] for row in got}) > 1 and all(row[4] is not None for row in got if row[3] is not None)


# system-users.rq before: the sentences in an OPTIONAL that did not see the bound system, so every
# usedBy record in the store was read, with its report by pol:inReport.
SYSTEM_USERS_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?systemLabel ?userLabel ?userType ?report ?sentence ?entity ?user
WHERE {
  #@values
  ?entity pol:usedBy ?user .
  ?entity skos:prefLabel ?systemLabel .
  ?user skos:prefLabel ?userLabel ; a ?class .
  FILTER(STRSTARTS(STR(?class), STR(pol:)) && ?class != pol:PolicingEntity)
  BIND(STRAFTER(STR(?class), "#") AS ?userType)
  OPTIONAL {
    ?a rdf:subject ?entity ; rdf:predicate pol:usedBy ; rdf:object ?user ;
       pol:sentence ?sentence ; pol:inReport ?report
  }
}
ORDER BY LCASE(?systemLabel) LCASE(?userLabel) ?report"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_system_users_answers_as_before_for_every_system_and_for_one(request, store):
    ds = request.getfixturevalue(store)
    before = _tie_break(SYSTEM_USERS_BEFORE, "?sentence ?entity ?user ?userType")
    got, expected = _both(ds, "system-users", before, {})
    assert got == expected
    assert any(row[4] is not None for row in got)
    busiest = max({row[5] for row in got}, key=lambda e: sum(1 for row in got if row[5] == e))
    got, expected = _both(ds, "system-users", before, {"entity": str(busiest)})
    assert got == expected
    assert len(got) > 1 and {row[5] for row in got} == {busiest}


# areas-for-improvement-by-system.rq before: each citing finding's kind looked up citation by
# citation, its report by pol:inReport.
AREAS_FOR_IMPROVEMENT_BY_SYSTEM_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?system ?label ?year ?code ?framework ?finding ?text
WHERE {
  ?system a pol:System ; skos:prefLabel ?label .
  ?finding pol:cites ?system ;
           pol:findingKind pol:AreaForImprovement ;
           pol:inReport ?report ;
           rdf:value ?text .
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
  OPTIONAL {
    ?finding pol:ofFramework ?fw .
    ?fw skos:prefLabel ?framework .
    OPTIONAL { ?fw skos:notation ?code }
  }
}
ORDER BY LCASE(?label) ?year ?finding"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_areas_for_improvement_by_system_answers_as_before(request, store):
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "areas-for-improvement-by-system", _tie_break(
        AREAS_FOR_IMPROVEMENT_BY_SYSTEM_BEFORE, "?system ?code ?framework"))
    assert got == before
    assert len({row[0] for row in got}) > 1 and any(row[4] is not None for row in got)


# report-grades.rq before: from every judgement and finding under a framework, each one's grade and
# report looked up; it had no ORDER BY (now it sorts by report, framework and grade).
REPORT_GRADES_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
SELECT DISTINCT ?report ?framework ?grade
WHERE {
  #@values
  # From the framework: the engine then looks up each judgement rather than joining all of them.
  ?j pol:ofFramework ?framework .
  ?j pol:grade ?grade .
  ?j pol:inReport ?report .
}
ORDER BY ?report ?framework ?grade"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_report_grades_answers_as_before_bound_or_not(request, store):
    ds = request.getfixturevalue(store)
    query = load("report-grades")
    everything = run(ds, query.text).rows
    assert everything == run(ds, REPORT_GRADES_BEFORE).rows
    reports = sorted({row[0] for row in everything})
    frameworks = sorted({row[1] for row in everything})
    assert len(reports) > 1 and len(frameworks) > 1
    for bindings in ({"report": reports[0]}, {"framework": frameworks[-1]},
                     Values(("report",), tuple((r,) for r in reports[1:]))):
        got = run(ds, query.text, bindings).rows
        assert got and got == run(ds, REPORT_GRADES_BEFORE, bindings).rows


# national-grades.rq before: each judgement's report looked up with pol:inReport.
NATIONAL_GRADES_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?report ?year ?code ?framework ?forceGrade ?grade ?forces ?isForceGrade
WHERE {
  # The national grade cells, the frameworks' labels, the force's own grades and the reports' years
  # are each read once and joined by hashing (DISTINCT sub-queries): looked up row by row, the
  # work grew with the square of the corpus (8 s at 1,000 reports; about half that now).
  { SELECT DISTINCT ?report ?fw ?j ?grade ?forces WHERE {
      ?j pol:nationalGrade ?cell . ?cell pol:grade ?grade ; pol:forceCount ?forces .
      ?j pol:inReport ?report ; pol:ofFramework ?fw } }
  { SELECT DISTINCT ?fw ?framework ?code WHERE {
      ?fw a pol:Framework ; skos:prefLabel ?framework . OPTIONAL { ?fw skos:notation ?code } } }
  OPTIONAL { SELECT DISTINCT ?j ?forceGrade WHERE { ?j pol:nationalGrade ?c ; pol:grade ?forceGrade } }
  OPTIONAL { SELECT DISTINCT ?report ?y WHERE { ?report a pol:InspectionReport ; pol:year ?y } }
  BIND(STR(?y) AS ?year)
  BIND(COALESCE(LCASE(?grade) = LCASE(?forceGrade), false) AS ?isForceGrade)
}
ORDER BY ?year ?code ?framework DESC(?forces) ?grade"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_national_grades_answers_as_before(request, store):
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "national-grades", _tie_break(NATIONAL_GRADES_BEFORE, "?report ?forceGrade"))
    assert got == before
    assert len(got) > 20 and any(str(row[7]) == "true" for row in got)


# report-summary.rq before: every graph's triples counted, which read every triple in the store.
REPORT_SUMMARY_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?report ?source ?kind ?year ?force ?triples ?frameworks ?findings ?relations ?entities
WHERE {
  { SELECT ?report ?source ?kind ?year ?force WHERE {
      #@values
      GRAPH ?report { ?report a pol:InspectionReport ; pol:reportKind ?kind ; pol:assessmentYear ?year ;
                              pol:sourceFile ?source ; pol:inspectedForce/skos:prefLabel ?force } } }
  { SELECT ?report (COUNT(*) AS ?triples) WHERE {
      #@values
      GRAPH ?report { ?s ?p ?o } } GROUP BY ?report }
  { SELECT ?report (COUNT(?fw) AS ?frameworks) WHERE {
      #@values
      GRAPH ?report { ?report a pol:InspectionReport . OPTIONAL { ?fw a pol:Framework } } } GROUP BY ?report }
  { SELECT ?report (COUNT(?f) AS ?findings) WHERE {
      #@values
      GRAPH ?report { ?report a pol:InspectionReport . OPTIONAL { ?f a pol:Finding } } } GROUP BY ?report }
  { SELECT ?report (COUNT(?a) AS ?relations) WHERE {
      #@values
      GRAPH ?report { ?report a pol:InspectionReport . OPTIONAL { ?a a pol:Assertion } } } GROUP BY ?report }
  OPTIONAL { SELECT ?report (GROUP_CONCAT(?pair; separator=" ") AS ?entities) WHERE {
      { SELECT ?report ?type (COUNT(?e) AS ?n) WHERE {
          #@values
          GRAPH ?report { ?e a ?t } ?t rdfs:subClassOf pol:PolicingEntity .
          BIND(STRAFTER(STR(?t), "#") AS ?type) } GROUP BY ?report ?type ORDER BY ?type }
      BIND(CONCAT(?type, "=", STR(?n)) AS ?pair) } GROUP BY ?report }
}
ORDER BY ?report"""


@pytest.mark.parametrize("store", ["national", "bundled"])
def test_report_summary_answers_as_before(request, store):
    """The size each graph states (void:triples, written by the build) is the size counted."""
    ds = request.getfixturevalue(store)
    got, before = _both(ds, "report-summary", REPORT_SUMMARY_BEFORE)
    assert got == before
    assert len(got) > 1 and all(int(row[5]) > 100 for row in got)
    stated = run(ds, "SELECT ?g ?n WHERE { GRAPH ?g { ?g <http://rdfs.org/ns/void#triples> ?n } }").rows
    assert {(g, int(n)) for g, n in stated} == {(row[0], int(row[5])) for row in got}
    one = got[-1][0]
    assert _both(ds, "report-summary", REPORT_SUMMARY_BEFORE, {"report": str(one)}) == ([got[-1]], [got[-1]])


def test_report_summary_counts_a_graph_that_states_no_size(national_store):
    """A store built before graphs stated their size: such a graph is counted, as before."""
    gs = memory_copy(national_store)
    try:
        first = sorted(str(g) for g in gs.graph_names() if "/report/" in str(g))[0]
        gs.inner.update(f"DELETE WHERE {{ GRAPH <{first}> {{ <{first}> <http://rdfs.org/ns/void#triples> ?n }} }}")
        got, before = _both(gs.dataset, "report-summary", REPORT_SUMMARY_BEFORE)
        assert got == before
        counted = {str(row[0]): int(row[5]) for row in got}
        assert counted[first] == gs.count(URIRef(first)) > 100
    finally:
        gs.close()


@pytest.mark.parametrize("name", ["system-relations", "national-grades", "report-summary", "finding-counts"])
def test_runner_gives_the_terms_rdflib_gives(national, name):
    """run() reads pyoxigraph's answer itself, converting each distinct term once: the same rows
    of the same terms (IRIs, plain, typed and language-tagged literals, unbound) as rdflib's rows."""
    text = load(name).text
    got = run(national, text)
    rdflib_rows = [tuple(row) for row in national.query(text)]
    assert got.rows == rdflib_rows and len(got.rows) > 1
    assert [[type(t) for t in row] for row in got.rows] == [[type(t) for t in row] for row in rdflib_rows]
    assert got.vars == [str(v) for v in national.query(text).vars]


def test_runner_answers_ask_and_construct_as_rdflib_does(national):
    ask = "PREFIX pol: <https://w3id.org/policekg/ontology#> ASK { ?f a pol:Finding }"
    assert run(national, ask).boolean is True
    construct = ("PREFIX pol: <https://w3id.org/policekg/ontology#> "
                 "CONSTRUCT { ?r pol:year ?y } WHERE { ?r pol:year ?y }")
    assert set(run(national, construct).graph) == set(national.query(construct).graph) != set()
