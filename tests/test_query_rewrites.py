"""Named queries rewritten for speed at 1,000 reports answer exactly as they did before.

Each test keeps the query's text from before its rewrite and checks that the bundled text gives the
same rows in the same order, on a store of invented forces (and on the bundled reports where the
query's example needs them). Where the old text left ties in its ORDER BY to the engine, the rewrite
breaks them by IRI; the old text is compared with the same tie-break appended.
"""

from __future__ import annotations

import shlex

import pytest
from scripts import benchmark_script  # tests/ is on sys.path

from policekg import api
from policekg.graph.store import memory_copy, open_store
from policekg.queries.library import load
from policekg.queries.run import param_bindings, run


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """Nine invented reports: three forces, each with two Baselines and a PEEL report."""
    corpus = benchmark_script("corpus")
    where = tmp_path_factory.mktemp("rewrites")
    paths = corpus.write_corpus(where / "reports", 9, seed=3, length=0.5, layouts=corpus.BASELINES_AND_PEEL_2019)
    api.build(paths, store=where / "kg", jobs=1)
    with open_store(where / "kg") as gs:
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
