"""Queries rewritten for national scale answer what their definition says, on invented forces."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from stores import inspected_forces  # tests/ is on sys.path, as for render

from policekg import api
from policekg.cli import main
from policekg.errors import UnknownEntity
from policekg.graph.store import open_store
from policekg.queries.library import load
from policekg.queries.run import param_bindings, run
from policekg.queries.trace import trace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def national(national_store):
    return national_store


@pytest.fixture()
def ds(national):
    with open_store(national) as gs:
        yield gs.dataset


def _busiest_system(ds) -> str:
    rows = ds.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?l (COUNT(?f) AS ?n) WHERE { ?s a pol:System ; skos:prefLabel ?l . ?f pol:cites ?s }
        GROUP BY ?l ORDER BY DESC(?n) ?l LIMIT 1""")
    return str(next(iter(rows))[0])


def test_trace_force_scope_keeps_exactly_that_forces_findings(ds):
    system = _busiest_system(ds)
    everything = trace(ds, system)
    forces = inspected_forces(ds)
    assert len(set(forces.values())) == 3
    seen = 0
    for force in sorted(set(forces.values())):
        scoped = trace(ds, system, force=force)
        expected = [f.as_json() | {"spans": f.spans} for f in everything.findings if forces[f.report] == force]
        # The same findings, read another way (the scoped reports' mentions, then each finding's
        # details): same text, spans, via, framework and grade.
        assert [f.as_json() | {"spans": f.spans} for f in scoped.findings] == expected
        seen += len(expected)
    assert seen == len(everything.findings) > 0


def test_trace_year_scope_matches_calendar_or_assessment_year(ds):
    system = _busiest_system(ds)
    everything = trace(ds, system).findings
    for year in ("2019", "2005/06"):
        scoped = trace(ds, system, year=year).findings
        assert scoped, year
        assert all(f.year == "2019" if year == "2019" else f.report.endswith("2005-06-baseline") for f in scoped)
        assert len(scoped) < len(everything)


def test_trace_reads_grades_and_framework_titles_in_the_query(ds):
    findings = trace(ds, _busiest_system(ds)).findings
    graded = [f for f in findings if f.grade]
    assert graded and all(f.framework_title for f in graded)
    # The grade is the one this report gave the framework, never another report's.
    def text(term):
        return None if term is None else str(term)

    grades = {(text(r["report"]), text(r["code"]), text(r["title"])): text(r["grade"])
              for r in run(ds, load("framework-grades").text).dicts()}
    for f in graded:
        assert grades[(f.report, f.framework, f.framework_title)] == f.grade
    assert len({f.report for f in graded}) > 1 and len({f.grade for f in graded}) > 1


def test_trace_pages_with_limit_and_offset(ds):
    system = _busiest_system(ds)
    full = [f.iri for f in trace(ds, system).findings]
    pages = [f.iri for offset in range(0, len(full), 7) for f in trace(ds, system, limit=7, offset=offset).findings]
    assert pages == full
    assert trace(ds, system, offset=len(full)).findings == []


def test_trace_force_must_name_a_force(ds):
    with pytest.raises(UnknownEntity, match="not a force"):
        trace(ds, _busiest_system(ds), force=_busiest_system(ds))


def test_report_changes_is_the_set_difference_of_cited_entities(ds):
    q = load("report-changes")
    got = {(str(r["change"]), str(r["entity"])): int(r["findings"])
           for r in run(ds, q.text, param_bindings(ds, q, {"old": "2006", "new": "2019"})).dicts()}
    rows = ds.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?r ?e ?f WHERE {
            ?f pol:inReport ?r ; pol:cites ?e . ?e a ?t . ?t rdfs:subClassOf pol:PolicingEntity }""")
    cited: dict[str, dict[str, set]] = {}
    for r, e, f in rows:
        cited.setdefault(str(r), {}).setdefault(str(e), set()).add(str(f))
    forces = inspected_forces(ds)
    expected: dict[tuple[str, str], int] = {}
    for old in (r for r in forces if r.endswith("2005-06-baseline")):
        new = next(r for r in forces if r.endswith("2018-19-peel") and forces[r] == forces[old])
        for change, a, b in (("dropped", old, new), ("new", new, old)):
            for e in set(cited.get(a, {})) - set(cited.get(b, {})):
                expected[(change, e)] = expected.get((change, e), 0) + len(cited[a][e])
    assert got == expected
    assert {c for c, _ in got} == {"dropped", "new"}


def test_cli_trace_scopes_and_pages(national):
    with open_store(national) as gs:
        system = _busiest_system(gs.dataset)
        force = sorted(set(inspected_forces(gs.dataset).values()))[0]
        label = str(next(iter(gs.dataset.query(f"SELECT ?l WHERE {{ <{force}> "
                                                "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"))) [0])
    runner = CliRunner()
    out = runner.invoke(main, ["trace", system, "--force", label, "--year", "2019", "--limit", "2",
                               "--format", "csv", "--store", str(national)])
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert len(lines) == 3 and all(",2019," in line for line in lines[1:])


# initiatives.rq as first written: one group counting findings per (initiative, place, sentence).
# Correct by definition, but it multiplies a national initiative's findings by its places.
INITIATIVES_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?initiative ?label ?relation ?where ?sentence (COUNT(DISTINCT ?finding) AS ?findings)
WHERE {
  ?initiative a pol:Initiative ; skos:prefLabel ?label .
  OPTIONAL {
    VALUES ?p { pol:pilotedIn pol:usedIn }
    ?initiative ?p ?place .
    ?place skos:prefLabel ?where .
    BIND(STRAFTER(STR(?p), "#") AS ?relation)
    OPTIONAL { ?a rdf:subject ?initiative ; rdf:predicate ?p ; rdf:object ?place ; pol:sentence ?sentence }
  }
  OPTIONAL { ?finding pol:cites ?initiative }
}
GROUP BY ?initiative ?label ?relation ?where ?sentence"""


def test_initiatives_answers_as_its_definition(ds):
    got = run(ds, load("initiatives").text).rows
    expected = run(ds, INITIATIVES_BY_DEFINITION).rows
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    assert any(row[2] is not None for row in got) and any(int(row[5]) > 1 for row in got)


FINDING_COUNTS_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?year ?code ?framework ?kind (COUNT(DISTINCT ?f) AS ?findings)
WHERE {
  ?f a pol:Finding ; pol:findingKind ?k ; pol:inReport ?report .
  BIND(STRAFTER(STR(?k), "#") AS ?kind)
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
  OPTIONAL { ?f pol:ofFramework ?fw . ?fw skos:prefLabel ?framework . OPTIONAL { ?fw skos:notation ?code } }
}
GROUP BY ?year ?code ?framework ?kind"""


def test_finding_counts_answers_as_its_definition(ds):
    got = run(ds, load("finding-counts").text).rows
    assert sorted(map(repr, got)) == sorted(map(repr, run(ds, FINDING_COUNTS_BY_DEFINITION).rows))
    assert any(row[1] is None and row[2] is not None for row in got)  # PEEL frameworks have no code
    assert any(row[2] is None for row in got)  # findings outside any framework


# The counting queries `policekg stats` runs, as first written: every finding (or provenance record)
# joined to its type and named before grouping.
COUNTS_BY_DEFINITION = {
    "finding-kind-counts": """PREFIX pol: <https://w3id.org/policekg/ontology#>
SELECT ?kind (COUNT(?f) AS ?n)
WHERE { ?f a pol:Finding ; pol:findingKind ?k . BIND(STRAFTER(STR(?k), "#") AS ?kind) }
GROUP BY ?kind""",
    "relation-counts": """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?relation (COUNT(DISTINCT ?a) AS ?n)
WHERE { ?a a pol:Assertion ; rdf:predicate ?p . BIND(STRAFTER(STR(?p), "#") AS ?relation) }
GROUP BY ?relation""",
}


@pytest.mark.parametrize("name", sorted(COUNTS_BY_DEFINITION))
def test_stats_counts_answer_as_their_definition(ds, name):
    got = run(ds, load(name).text).rows
    assert sorted(map(repr, got)) == sorted(map(repr, run(ds, COUNTS_BY_DEFINITION[name]).rows))
    assert len(got) > 1 and all(int(n) > 0 for _, n in got)


def test_stats_and_reports_count_each_graph_as_the_store_does(national):
    stats = api.stats(national)
    with open_store(national) as gs:
        expected = {str(g): gs.count(g) for g in gs.graph_names()}
        assert stats["triples"] == gs.count()
    assert stats["graphs"] == expected and len(expected) == 10  # nine reports and the ontology
    assert {r["iri"]: r["triples"] for r in api.reports(national)} == {
        g: n for g, n in expected.items() if "/report/" in g}


def test_trace_force_scope_keeps_affected_to_that_force_and_its_sentences(ds):
    system = _busiest_system(ds)
    forces = inspected_forces(ds)
    everything = trace(ds, system).affected
    assert any(a.report for a in everything)
    stated = 0
    for force in sorted(set(forces.values())):
        scoped = trace(ds, system, force=force).affected

        def mine(iri: str, force: str = force) -> bool:  # national, or this force's own
            return "/id/force/" not in iri or iri.startswith(force + "/")

        # National systems and users and this force's own; never another force's PPU.
        assert all(mine(a.iri) for a in scoped)
        stated += bool(scoped)
        assert {a.iri for a in scoped} <= {a.iri for a in everything if mine(a.iri)}
        # What this force's reports link to the system directly (trace reads chains report by report).
        assert {a.iri for a in everything if len(a.via) == 2 and a.report and forces[a.report] == force
                } <= {a.iri for a in scoped}
        assert all(a.report is None or forces[a.report] == force for a in scoped)
        assert all(a.sentence is None for a in scoped if a.report is None)
    assert stated > 1  # forces whose reports link the system to others
    assert any(a.report and forces[a.report] != force for a in everything)
    assert len({a.iri.split("/id/force/")[1].split("/")[0] for a in everything if "/id/force/" in a.iri}) > 1


# units-by-division.rq as first written: a unit's divisions, parent units and citing findings as
# OPTIONALs looked up unit by unit.
UNITS_BY_DIVISION_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?force ?division ?parentUnit ?unit ?label (COUNT(DISTINCT ?finding) AS ?findings)
WHERE {
  ?unit a pol:Unit ; skos:prefLabel ?label .
  OPTIONAL { ?unit org:unitOf/skos:prefLabel ?force }
  OPTIONAL { ?unit pol:partOf+ ?d . ?d a pol:Division ; skos:prefLabel ?division }
  OPTIONAL { ?unit pol:partOf ?p . ?p a pol:Unit ; skos:prefLabel ?parentUnit }
  OPTIONAL { ?finding pol:cites ?unit }
}
GROUP BY ?force ?division ?parentUnit ?unit ?label
ORDER BY ?force ?division DESC(?findings) LCASE(?label)"""


def test_units_by_division_answers_as_its_definition(ds):
    got = run(ds, load("units-by-division").text).rows
    expected = run(ds, UNITS_BY_DIVISION_BY_DEFINITION).rows
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    assert [row[3] for row in got] == [row[3] for row in expected]  # the same order of units
    assert any(row[1] is not None and int(row[5]) > 0 for row in got)  # units in divisions, cited



# findings-citing.rq by its definition: a finding's framework, code and this report's grade of it,
# each only when the finding has a framework (the query as first written gave a finding without one
# every code in the store).
FINDINGS_CITING_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?finding ?year ?code ?framework ?grade ?kind ?text
WHERE {
  #@values
  ?finding pol:cites ?entity ; pol:inReport ?report ; pol:findingKind ?k ; rdf:value ?text .
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
  BIND(STRAFTER(STR(?k), "#") AS ?kind)
  OPTIONAL { ?finding pol:ofFramework ?fw . ?fw skos:prefLabel ?framework . OPTIONAL { ?fw skos:notation ?code }
             OPTIONAL { ?j pol:inReport ?report ; pol:ofFramework ?fw ; pol:grade ?grade } }
}"""


def test_findings_citing_answers_as_its_definition_one_row_per_finding(ds):
    q = load("findings-citing")
    system = _busiest_system(ds)
    bindings = param_bindings(ds, q, {"entity": system})
    got = run(ds, q.text, bindings).rows
    assert sorted(map(repr, got)) == sorted(map(repr, run(ds, FINDINGS_CITING_BY_DEFINITION, bindings).rows))
    assert len({row[0] for row in got}) == len(got)
    assert any(row[3] is None for row in got) and any(row[4] is not None for row in got)


def test_trace_force_scope_reads_the_same_findings_as_the_national_trace(ds):
    system = _busiest_system(ds)
    forces = inspected_forces(ds)
    everything = trace(ds, system).findings
    for force in sorted(set(forces.values())):
        scoped = trace(ds, system, force=force)
        assert [f.as_json() | {"spans": f.spans} for f in scoped.findings] == [
            f.as_json() | {"spans": f.spans} for f in everything if forces[f.report] == force]
    assert any(f.grade for f in everything) and any(f.framework is None for f in everything)


def test_trace_scoped_query_answers_as_trace_does(ds):
    """trace-scoped.rq, the named query `trace --force` is defined by, answers trace.rq's rows of the force."""
    system = _busiest_system(ds)
    forces = inspected_forces(ds)
    q = load("trace-scoped")
    force = sorted(set(forces.values()))[0]
    scoped = run(ds, q.text, param_bindings(ds, q, {"entity": system, "force": force})).rows
    national = run(ds, load("trace").text, param_bindings(ds, load("trace"), {"entity": system})).rows
    assert sorted(map(repr, scoped)) == sorted(map(repr, (r for r in national if forces[str(r[3])] == force)))
    assert scoped


def test_affected_sorts_the_rows_as_trace_affected_orders_them(ds):
    from policekg.queries.affected import ORDER

    q = load("trace-affected")
    bindings = param_bindings(ds, q, {"entity": _busiest_system(ds)})
    ordered = run(ds, q.text, bindings).dicts()
    unordered = run(ds, q.text[:q.text.rindex("\nORDER BY")] + "\n", bindings).dicts()
    assert ordered == sorted(unordered, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in ORDER))
    assert len(ordered) > 10 and any(r["sentence"] for r in ordered)



# entity-relations.rq as first written: the entity bound outside the UNION, and each relation's
# sentences looked up from its subject.
ENTITY_RELATIONS_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?direction ?relation ?other ?otherLabel ?report ?sentence
WHERE {
  #@values
  VALUES ?p { pol:feeds pol:interfacesWith pol:integratedWith pol:replaces
              pol:liesWithin pol:partOf pol:pilotedIn pol:usedIn pol:usedBy }
  { ?entity ?p ?other . BIND("out" AS ?direction) }
  UNION
  { ?other ?p ?entity . BIND("in" AS ?direction) }
  BIND(STRAFTER(STR(?p), "#") AS ?relation)
  OPTIONAL { ?other skos:prefLabel ?otherLabel }
  BIND(IF(?direction = "out", ?entity, ?other) AS ?s)
  BIND(IF(?direction = "out", ?other, ?entity) AS ?o)
  OPTIONAL {
    ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pol:sentence ?sentence ; pol:inReport ?report
  }
}
ORDER BY ?direction ?relation LCASE(?otherLabel)"""


def test_entity_relations_answers_as_its_definition(ds):
    q = load("entity-relations")
    seen = 0
    for name in (_busiest_system(ds), sorted(set(inspected_forces(ds).values()))[0]):
        bindings = param_bindings(ds, q, {"entity": name})
        got = run(ds, q.text, bindings).rows
        expected = run(ds, ENTITY_RELATIONS_BY_DEFINITION, bindings).rows
        assert sorted(map(repr, got)) == sorted(map(repr, expected))
        seen += sum(1 for row in got if row[5] is not None)
    assert seen > 0



# national-grades.rq as first written: one pattern, looked up row by row.
NATIONAL_GRADES_BY_DEFINITION = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?report ?year ?code ?framework ?forceGrade ?grade ?forces ?isForceGrade
WHERE {
  ?j pol:inReport ?report ; pol:ofFramework ?fw ; pol:nationalGrade ?cell .
  ?cell pol:grade ?grade ; pol:forceCount ?forces .
  ?fw skos:prefLabel ?framework .
  OPTIONAL { ?fw skos:notation ?code }
  OPTIONAL { ?j pol:grade ?forceGrade }
  OPTIONAL { ?report pol:year ?y }
  BIND(STR(?y) AS ?year)
  BIND(COALESCE(LCASE(?grade) = LCASE(?forceGrade), false) AS ?isForceGrade)
}
ORDER BY ?year ?code ?framework DESC(?forces) ?grade"""


def test_national_grades_answers_as_its_definition(ds):
    got = run(ds, load("national-grades").text).rows
    expected = run(ds, NATIONAL_GRADES_BY_DEFINITION).rows
    assert sorted(map(repr, got)) == sorted(map(repr, expected))
    assert len(got) > 100 and any(str(row[7]) == "true" for row in got)


def test_entity_names_gives_each_entitys_label_and_type_as_entity_labels_does(ds):
    """trace and its affected section name what they reach with entity-names, which leaves out
    entity-labels' alias union (several times the cost with a national system's users bound)."""
    names = {(str(r["entity"]), str(r["label"]), str(r["type"])) for r in run(ds, load("entity-names").text).dicts()}
    labels = {(str(r["entity"]), str(r["label"]), str(r["type"])) for r in run(ds, load("entity-labels").text).dicts()}
    assert names == labels and len(names) > 20
    assert len({e for e, _, _ in names}) == len(names)  # one row per entity
