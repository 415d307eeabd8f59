"""The named query library, the runner (binding, refusals, errors) and the results formats."""

from __future__ import annotations

import csv
import io
import json
import shlex

import pytest
from click.testing import CliRunner
from rdflib import XSD, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result

from policekg.cli import main
from policekg.errors import QueryError, UnknownEntity
from policekg.graph.store import memory_copy, open_store
from policekg.queries.library import all_queries, load, parse_header, query_names
from policekg.queries.run import Values, bind, iri_term, param_bindings, run, to_csv, to_json, to_tsv

INJECTION = 'STORM" } ; DROP ALL ; #'
ALL = query_names()


def example_params(example: str) -> dict[str, str]:
    words = shlex.split(example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words[:-1]) if w in ("--param", "-p"))

@pytest.fixture(scope="module")
def mem(built_store):
    gs = memory_copy(built_store)
    yield gs
    gs.close()


@pytest.fixture(scope="module")
def ds(mem):
    return mem.dataset


def invoke(built_store, *args):
    return CliRunner().invoke(main, [*args, "--store", str(built_store)])


# --- the library ----------------------------------------------------------------------------------


def test_the_issue_queries_are_shipped():
    wanted = {"findings-citing", "areas-for-improvement-by-system", "systems-by-framework", "co-cited",
              "framework-grades", "national-grades", "cdrps-by-division", "units-by-division",
              "initiatives", "system-relations", "finding-counts", "report-changes", "trace"}
    assert wanted <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_query_file_parses_has_summary_and_binds_what_it_declares(name):
    q = load(name)
    parseQuery(q.text)  # rdflib's parser: standard SPARQL 1.1, no engine extensions
    assert q.summary
    assert q.example.startswith(f"policekg query {name}")
    for p in q.params:
        assert f"?{p.name}" in q.text, p.name
    assert q.has_placeholder == bool(q.params)
    declared = {p.name for p in q.params}
    assert set(example_params(q.example)) <= declared
    assert {p.name for p in q.params if not p.optional} <= set(example_params(q.example))


@pytest.mark.parametrize("name", ALL)
def test_query_example_returns_rows_on_the_bundled_graph(ds, name):
    q = load(name)
    result = run(ds, q.text, param_bindings(ds, q, example_params(q.example)))
    assert result.type == "SELECT"
    assert len(result.rows) >= 1


def test_header_parser_reads_params_types_and_continuations():
    text = """#+ summary: Things in a division
#+ description: first line
#+   second line
#+ params:
#+   - division (entity): the division
#+   - year (literal, optional): the year,
#+     as written
#+ example: policekg query things --param division=Harbour
SELECT ?x WHERE {
  #@values
  ?x ?division ?year }"""
    q = parse_header("things", text)
    assert q.summary == "Things in a division"
    assert q.description == "first line second line"
    assert [(p.name, p.type, p.optional) for p in q.params] == [
        ("division", "entity", False), ("year", "literal", True)]
    assert q.params[1].description == "the year, as written"
    with pytest.raises(QueryError):
        parse_header("bad", "#+ params:\n#+   - x (number): a number\nSELECT * {}")


# --- binding ---------------------------------------------------------------------------------------


def test_bind_writes_values_on_the_placeholder_line_and_keeps_line_numbers():
    text = "SELECT ?s WHERE {\n  #@values\n  ?s ?p ?o }"
    out = bind(text, {"o": Literal('say "hi"')})
    assert out.splitlines()[1].strip() == 'VALUES (?o) { ("say \\"hi\\"") }'
    assert len(out.splitlines()) == 3
    many = bind(text, Values(("s", "o"), ((URIRef("urn:a"), Literal(1)), (URIRef("urn:b"), Literal(2)))))
    assert "(<urn:a> " in many and "(<urn:b> " in many
    with pytest.raises(QueryError, match="#@values"):
        bind("SELECT * WHERE { ?s ?p ?o }", {"o": Literal("x")})


@pytest.mark.parametrize("bad", ["urn:a> } ; DROP ALL ; #", "http://x/a b", "no-colon", 'urn:"x"'])
def test_iri_parameters_refuse_characters_an_iri_cannot_hold(bad):
    with pytest.raises(QueryError):
        iri_term(bad)


def test_injection_as_a_literal_is_one_harmless_string(built_store, mem):
    with open_store(built_store) as gs:
        before = gs.count()
    in_memory = mem.count()
    result = run(mem.dataset, load("entity-lookup").text, {"name": Literal(INJECTION)})
    assert result.rows == []
    assert mem.count() == in_memory
    r = invoke(built_store, "query", "entity-lookup", "--param", f"name={INJECTION}", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["entity,how"]
    with open_store(built_store) as gs:
        assert gs.count() == before


def test_injection_as_an_entity_is_an_unknown_entity(built_store, ds):
    with pytest.raises(UnknownEntity):
        param_bindings(ds, load("findings-citing"), {"entity": INJECTION})
    r = invoke(built_store, "query", "findings-citing", "--param", f"entity={INJECTION}")
    assert r.exit_code == 2
    assert "no entity named" in r.output
    r = invoke(built_store, "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
    assert int(r.output.splitlines()[1]) > 10000  # the graph is still all there


def test_missing_and_unknown_parameters_are_errors(ds):
    with pytest.raises(QueryError, match="needs --param entity"):
        param_bindings(ds, load("co-cited"), {})
    with pytest.raises(QueryError, match="takes no parameter"):
        param_bindings(ds, load("co-cited"), {"entity": "PNC", "colour": "red"})


# --- refusals and errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("update", [
    "DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/x.ttl>", "CREATE GRAPH <urn:g>",
    "ADD <urn:a> TO <urn:b>", "MOVE <urn:a> TO <urn:b>", "COPY <urn:a> TO <urn:b>",
])
def test_updates_are_refused(built_store, update):
    r = invoke(built_store, "query", "--sparql", update)
    assert r.exit_code == 2
    assert "not allowed" in r.output


def test_syntax_error_gives_line_and_column_and_exits_2(built_store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text('SELECT ?s WHERE {\n  ?s ?p ?o .\n  ?s <urn:a> "unterminated }\n')
    r = invoke(built_store, "query", str(bad))
    assert r.exit_code == 2
    assert "line 3, column" in r.output


def test_unknown_query_name_exits_2(built_store):
    r = invoke(built_store, "query", "no-such-query")
    assert r.exit_code == 2 and "policekg queries" in r.output


# --- results formats ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def citing_pnc(ds):
    q = load("findings-citing")
    return run(ds, q.text, param_bindings(ds, q, {"entity": "PNC"}))


def same(term):
    """A term compared the RDF 1.1 way: "x" and "x"^^xsd:string are the same literal."""
    if isinstance(term, Literal):
        datatype = None if term.datatype == XSD.string else term.datatype
        return ("literal", str(term), term.language, datatype)
    return (type(term).__name__, str(term))


def test_json_output_parses_with_rdflib_and_keeps_every_term(citing_pnc):
    parsed = Result.parse(io.StringIO(to_json(citing_pnc)), format="json")
    assert [str(v) for v in parsed.vars] == citing_pnc.vars
    assert [tuple(map(same, row)) for row in parsed] == [tuple(map(same, r)) for r in citing_pnc.rows]


def test_csv_output_parses_with_rdflib_and_the_csv_module(citing_pnc):
    text = to_csv(citing_pnc)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == citing_pnc.vars
    assert len(rows) == len(citing_pnc.rows) + 1
    texts = {str(r[citing_pnc.vars.index("text")]) for r in citing_pnc.rows}
    assert {r[rows[0].index("text")] for r in rows[1:]} == texts
    parsed = Result.parse(io.StringIO(text), format="csv")
    assert len(list(parsed)) == len(citing_pnc.rows)


def test_tsv_output_parses_with_rdflib(citing_pnc):
    parsed = Result.parse(io.StringIO(to_tsv(citing_pnc)), format="tsv")
    got = [tuple(row) for row in parsed]
    assert [tuple(map(same, r)) for r in got] == [tuple(map(same, r)) for r in citing_pnc.rows]
    col = citing_pnc.vars.index("text")
    assert {str(r[col]) for r in got} == {str(r[col]) for r in citing_pnc.rows}


def test_cli_formats(built_store):
    r = invoke(built_store, "query", "system-relations", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["head"]["vars"][0] == "subjectLabel"
    r = invoke(built_store, "query", "--sparql",
               "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/policekg/ontology#System> ; ?p ?o }",
               "--format", "ttl")
    assert r.exit_code == 0 and "pol:System" in r.output
    r = invoke(built_store, "query", "system-relations", "--format", "ttl")
    assert r.exit_code == 2


def test_queries_command_lists_every_query():
    r = CliRunner().invoke(main, ["queries", "--format", "json"])
    assert r.exit_code == 0
    assert [q["name"] for q in json.loads(r.output)] == ALL
    assert all(q["summary"] for q in json.loads(r.output))


def test_commands_have_help_with_examples():
    for cmd in ("queries", "query", "trace", "show"):
        r = CliRunner().invoke(main, [cmd, "--help"])
        assert r.exit_code == 0 and "Example:" in r.output, cmd


# --- facts in the bundled reports ------------------------------------------------------------------------


def test_report_changes_between_2006_and_2019_systems(ds):
    """NICHE is named only in the 2019 PEEL report, the Guardian database only in the 2006 one."""
    q = load("report-changes")
    rows = run(ds, q.text, param_bindings(ds, q, {"old": "2006", "new": "2019"})).dicts()
    systems = {(str(r["change"]), str(r["label"])) for r in rows if str(r["type"]) == "System"}
    assert ("new", "NICHE") in systems
    assert ("dropped", "GUARDIAN") in systems
    assert not {label for change, label in systems if change == "new"} & {
        label for change, label in systems if change == "dropped"}


def test_cdrps_by_division_have_population(ds):
    rows = run(ds, load("cdrps-by-division").text).dicts()
    assert all(r["population"] is not None for r in rows)
    assert len({str(r["cdrp"]) for r in rows}) == len(rows)  # one row per CDRP, no repeats


def test_every_query_listed_in_all_queries():
    assert [q.name for q in all_queries()] == ALL
