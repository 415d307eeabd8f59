"""trace's queries rewritten for a national store answer as the texts they replace, on invented forces.

Each rewrite keeps the text it replaces here, as the reference: both run on a small store of invented
reports (three forces), and their answers must be the same rows.
"""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from stores import inspected_forces  # tests/ is on sys.path

from policekg.graph.iris import national_or_of
from policekg.graph.store import open_store
from policekg.queries.library import load
from policekg.queries.run import Values, param_bindings, run


@pytest.fixture(scope="module")
def national(national_store):
    return national_store


@pytest.fixture()
def ds(national):
    with open_store(national) as gs:
        yield gs.dataset


def _years(ds) -> dict[str, set[str]]:
    rows = ds.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        SELECT ?r ?y ?p WHERE {
            ?r a pol:InspectionReport OPTIONAL { ?r pol:year ?y } OPTIONAL { ?r pol:assessmentYear ?p } }""")
    out: dict[str, set[str]] = {}
    for r, y, p in rows:
        out.setdefault(str(r), set()).update(str(v) for v in (y, p) if v is not None)
    return out


def _systems(ds, n: int = 3) -> list[str]:
    """The n systems cited by most findings (national ones, shared by the forces)."""
    rows = ds.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        SELECT ?s (COUNT(?f) AS ?n) WHERE { ?s a pol:System . ?f pol:cites ?s }
        GROUP BY ?s ORDER BY DESC(?n) ?s""")
    return [str(r[0]) for r in list(rows)[:n]]


def _rows(result) -> list[str]:
    return sorted(map(repr, result.rows))


# trace-affected.rq before the scope moved into it: trace bound (?entity, ?report) with one row per
# scoped report (so the query ran once per report) and dropped another force's entities in Python.
TRACE_AFFECTED_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?from ?relation ?inverse ?to ?sentence ?report
WHERE {
  # Each branch binds the entity itself: bound once outside the UNION, the engine read every
  # edge of the store in each branch before joining.
  { SELECT DISTINCT ?from ?p ?to ?s ?o ?inverse WHERE {
    {
      # The closure first, in its own sub-query: written inline, the engine evaluated the path
      # once per edge of the store (150 times slower at 100 reports).
      { SELECT DISTINCT ?entity ?from WHERE {
          #@values
          ?entity (pol:feeds|pol:interfacesWith|pol:integratedWith|pol:replaces)* ?from } }
      VALUES ?p { pol:feeds pol:interfacesWith pol:integratedWith pol:replaces pol:usedBy }
      ?from ?p ?to .
      BIND(?from AS ?s) BIND(?to AS ?o) BIND(false AS ?inverse)
    } UNION {
      #@values
      VALUES ?p { pol:feeds pol:interfacesWith pol:integratedWith pol:partOf }
      ?to ?p ?entity .
      BIND(?entity AS ?from) BIND(?to AS ?s) BIND(?entity AS ?o) BIND(true AS ?inverse)
    } UNION {
      #@values
      VALUES ?q { pol:feeds pol:interfacesWith pol:integratedWith pol:partOf }
      ?linked ?q ?entity ; pol:usedBy ?to .
      BIND(pol:usedBy AS ?p) BIND(?linked AS ?from) BIND(?linked AS ?s) BIND(?to AS ?o) BIND(false AS ?inverse)
    } } }
  # The sentences stating the edges, read from the (scoped) reports' provenance records and joined
  # on the edge: looked up edge by edge, a national system's edges were read with every sentence
  # of every report in the country before a scope could apply. (DISTINCT makes the engine join
  # the two answers by hashing, rather than re-running this sub-query once per edge.)
  OPTIONAL { SELECT DISTINCT ?s ?p ?o ?sentence ?report WHERE {
    #@values
    ?a pol:inReport ?report ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pol:sentence ?sentence } }
  BIND(STRAFTER(STR(?p), "#") AS ?relation)
}
ORDER BY ?from ?relation ?to ?report ?sentence
"""


def test_trace_affected_answers_as_before_nationally(ds):
    q = load("trace-affected")
    for system in _systems(ds):
        bindings = {"entity": URIRef(system)}
        got = run(ds, q.text, bindings)
        assert got.rows == run(ds, TRACE_AFFECTED_BEFORE, bindings).rows
        assert any(r[4] is not None for r in got.rows)


def test_trace_affected_force_scope_answers_as_before(ds):
    q = load("trace-affected")
    forces = inspected_forces(ds)
    dropped = stated = 0
    for system in _systems(ds):
        for force in sorted(set(forces.values())):
            reports = sorted(r for r, f in forces.items() if f == force)
            before = run(ds, TRACE_AFFECTED_BEFORE, Values(
                ("entity", "report"), tuple((URIRef(system), URIRef(r)) for r in reports))).rows
            kept = [r for r in before if national_or_of(r[0], force) and national_or_of(r[3], force)]
            dropped += len(before) - len(kept)
            got = run(ds, q.text, param_bindings(ds, q, {"entity": system, "force": force})).rows
            assert sorted(map(repr, got)) == sorted(map(repr, kept))
            stated += sum(r[4] is not None for r in got)
    assert dropped and stated  # another force's entities were there to leave out; sentences were read


def test_trace_affected_year_scope_answers_as_before(ds):
    q = load("trace-affected")
    years = _years(ds)
    system = _systems(ds)[0]
    for year in ("2019", "2005/06"):
        reports = sorted(r for r, ys in years.items() if year in ys)
        assert reports
        before = run(ds, TRACE_AFFECTED_BEFORE, Values(
            ("entity", "report"), tuple((URIRef(system), URIRef(r)) for r in reports))).rows
        got = run(ds, q.text, {"entity": URIRef(system), "in_year": Literal(year)}).rows
        assert sorted(map(repr, got)) == sorted(map(repr, before))
        assert got


# trace-citations.rq before the scoped reports had their own sub-query.
TRACE_CITATIONS_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
SELECT DISTINCT ?finding ?cited ?direct ?report ?year
WHERE {
  { SELECT DISTINCT ?entity ?cited WHERE {
      #@values
      ?entity (pol:feeds|pol:interfacesWith|pol:integratedWith|pol:replaces)* ?cited . } }
  { SELECT DISTINCT ?report ?year ?finding ?cited WHERE {
      #@values
      ?report pol:inspectedForce ?force .
      OPTIONAL { ?report pol:year ?y }
      OPTIONAL { ?report pol:assessmentYear ?period }
      BIND(STR(?y) AS ?year)
      FILTER(!BOUND(?in_year) || ?year = ?in_year || STR(?period) = ?in_year)
      ?finding pol:inReport ?report ; pol:cites ?cited . } }
  BIND(?cited = ?entity AS ?direct)
}
ORDER BY DESC(?direct) ?year ?finding ?cited
"""


def test_trace_citations_answers_as_before(ds):
    q = load("trace-citations")
    forces = sorted(set(inspected_forces(ds).values()))
    system = _systems(ds)[0]
    for scope in ({"force": forces[0]}, {"in_year": "2019"}, {"in_year": "2005/06"},
                  {"force": forces[1], "in_year": "2019"}):
        bindings = param_bindings(ds, q, {"entity": system, **scope})
        got = run(ds, q.text, bindings).rows
        assert got == run(ds, TRACE_CITATIONS_BEFORE, bindings).rows
        assert got, scope


class QueryOnly:
    """A dataset that only answers ``query`` (as a remote endpoint does): trace reads its rows through rdflib."""

    def __init__(self, dataset):
        self.dataset = dataset

    def query(self, text):
        return self.dataset.query(text)


def test_trace_reads_the_same_through_pyoxigraph_and_through_rdflib(ds):
    from policekg.queries.trace import trace

    forces = sorted(set(inspected_forces(ds).values()))
    system = _systems(ds)[0]
    for options in ({}, {"force": forces[0]}, {"year": "2019"}):
        direct = trace(ds, system, **options)
        through = trace(QueryOnly(ds), system, **options)
        assert [f.as_json() | {"spans": f.spans} for f in direct.findings] == [
            f.as_json() | {"spans": f.spans} for f in through.findings]
        assert [a.as_json() for a in direct.affected] == [a.as_json() for a in through.affected]
        assert direct.findings and direct.affected and direct.sparql == through.sparql


def test_light_doctests():
    import doctest

    from policekg.queries import light

    assert doctest.testmod(light).failed == 0


# trace-scoped.rq before the scoped reports had their own sub-query and the details were looked up
# only for the findings that depend on the entity.
TRACE_SCOPED_BEFORE = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?finding ?cited ?direct ?report ?year ?framework ?kind ?text
       (GROUP_CONCAT(DISTINCT ?span; separator=" ") AS ?spans)
       (MAX(?c) AS ?code) (MAX(?t) AS ?title) (MAX(?g) AS ?grade)
WHERE {
  # The entity and everything that depends on it (as in trace.rq): a few dozen at most.
  { SELECT DISTINCT ?entity ?cited WHERE {
      #@values
      ?entity (pol:feeds|pol:interfacesWith|pol:integratedWith|pol:replaces)* ?cited . } }
  # Every citation in the scoped reports, with the cited words' offsets: read from the reports.
  { SELECT ?report ?year ?finding ?cited ?k ?text ?span ?framework ?fw ?c ?t WHERE {
      #@values
      ?report pol:inspectedForce ?force .
      OPTIONAL { ?report pol:year ?y }
      OPTIONAL { ?report pol:assessmentYear ?period }
      BIND(STR(?y) AS ?year)
      FILTER(!BOUND(?in_year) || ?year = ?in_year || STR(?period) = ?in_year)
      ?finding pol:inReport ?report ;
               pol:cites ?cited ;
               pol:findingKind ?k ;
               rdf:value ?text ;
               pol:start ?offset .
      ?m pol:inFinding ?finding ; pol:mentions ?cited ; pol:start ?ms ; pol:end ?me .
      BIND(CONCAT(STR(?ms - ?offset), "-", STR(?me - ?offset)) AS ?span)
      # Looked up here, row by row (as in trace.rq: "" is no subject, so a finding without a
      # framework matches no label or grade); after the join they were matched against every
      # label and judgement in the store.
      OPTIONAL { ?finding pol:ofFramework ?framework }
      BIND(COALESCE(?framework, "") AS ?fw)
      OPTIONAL { ?fw skos:notation ?c }
      OPTIONAL { ?fw skos:prefLabel ?t } } }
  # The scoped reports' grades, read from the reports (a few dozen judgements each) and joined on
  # (report, framework): looked up per finding from the framework, they were read from every
  # report of the framework's regime in the country.
  OPTIONAL { SELECT DISTINCT ?report ?fw ?g WHERE {
      #@values
      ?report pol:inspectedForce ?force .
      OPTIONAL { ?report pol:year ?y }
      OPTIONAL { ?report pol:assessmentYear ?period }
      FILTER(!BOUND(?in_year) || STR(?y) = ?in_year || STR(?period) = ?in_year)
      ?j pol:inReport ?report ; pol:ofFramework ?fw ; pol:grade ?g } }
  BIND(?cited = ?entity AS ?direct)
  BIND(STRAFTER(STR(?k), "#") AS ?kind)
}
GROUP BY ?finding ?cited ?direct ?report ?year ?framework ?kind ?text
ORDER BY DESC(?direct) ?year ?finding
"""


def test_trace_scoped_answers_as_before(ds):
    q = load("trace-scoped")
    forces = sorted(set(inspected_forces(ds).values()))
    found = {}
    for system in _systems(ds, 2):
        for scope in ({"force": forces[0]}, {"in_year": "2019"}, {"force": forces[1], "in_year": "2019"}):
            bindings = param_bindings(ds, q, {"entity": system, **scope})
            got = run(ds, q.text, bindings).rows
            assert got == run(ds, TRACE_SCOPED_BEFORE, bindings).rows
            found[repr(scope)] = found.get(repr(scope), 0) + len(got)
    assert all(found.values()), found
