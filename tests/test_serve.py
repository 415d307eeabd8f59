"""`policekg serve` as a real server (uvicorn on a free 127.0.0.1 port), read by a real SPARQL client
(SPARQLWrapper) and by the query page in headless Chromium."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from test_push import free_port, wait_for

from policekg.cli import main
from policekg.graph.store import open_store
from policekg.queries import library, run
from policekg.queries.limits import QueryLimits, run_limited
from policekg.server import formats

TIMEOUT = 3  # the server's per-query limit, seconds
ROW_CAP = 500


@pytest.fixture(scope="module")
def served(built_store, tmp_path_factory):
    """``policekg serve`` over the bundled corpus; yields (base URL, log file)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "policekg", "serve", "--store", str(built_store), "--port", str(port),
             "--timeout", str(TIMEOUT), "--limit", str(ROW_CAP)],
            stdout=subprocess.DEVNULL, stderr=err)
        proc.stderr = open(log, "rb")  # for wait_for's message if it dies
        try:
            wait_for(port, proc)
            yield f"http://127.0.0.1:{port}", log
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stderr.close()


def client(base: str, fmt=JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setReturnFormat(fmt)
    return sw


def local_rows(store, text: str) -> list[dict]:
    """A query's answer from the store, as SPARQL JSON bindings."""
    from policekg.queries.output import _binding

    with run_limited(store, text, QueryLimits(timeout=None, max_rows=None)) as answer:
        return [_binding(answer.vars, row) for row in answer.rows]


def bound(store, name: str, **values) -> str:
    named = library.load(name)
    with open_store(store) as gs:
        return run.bind(named.text, run.param_bindings(gs.dataset, named, values))


def canonical(bindings: list[dict]) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in bindings)


@pytest.mark.parametrize("name,values", [
    ("trace", {"entity": "STORM"}),
    ("findings-citing", {"entity": "STORM"}),
    ("report-grades", {}),
    ("system-relations", {}),
    ("reports", {}),
])
def test_a_sparql_client_runs_the_named_queries(built_store, served, name, values):
    base, _ = served
    text = bound(built_store, name, **values)
    sw = client(base)
    # Without the `#+` header: SPARQLWrapper guesses the query type from keywords and takes the
    # "ADD" in a header's "adds" for an update.
    sw.setQuery("\n".join(line for line in text.splitlines() if not line.startswith("#+")))
    got = sw.queryAndConvert()["results"]["bindings"]
    expected = local_rows(built_store, text)
    assert got and canonical(got) == canonical(expected)


def test_named_queries_are_served_by_name(built_store, served):
    base, _ = served
    listing = json.load(urllib.request.urlopen(f"{base}/queries"))
    assert {q["name"] for q in listing} == {q.name for q in library.all_queries()}
    assert [p["name"] for q in listing if q["name"] == "trace" for p in q["params"]] == ["entity"]
    req = urllib.request.Request(f"{base}/queries/trace?entity=storm",
                                 headers={"Accept": "application/sparql-results+json"})
    got = json.load(urllib.request.urlopen(req))["results"]["bindings"]
    assert canonical(got) == canonical(local_rows(built_store, bound(built_store, "trace", entity="STORM")))
    csv_req = urllib.request.Request(f"{base}/queries/reports", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(csv_req) as resp:
        assert resp.headers.get_content_type() == "text/csv"
        assert len(resp.read().decode().splitlines()) == 1 + len(local_rows(built_store, bound(built_store, "reports")))


@pytest.mark.parametrize("path,status,words", [
    ("/queries/no-such-query", 404, "no named query"),
    ("/queries/trace?entity=Nonexistent%20Widget%20System", 404, "Nonexistent"),
    ("/queries/trace", 400, "entity"),
    ("/queries/trace?entity=STORM&bogus=1", 400, "bogus"),
    ("/sparql", 400, "no query"),
    ("/sparql?query=SELECT%20*%20WHERE%20%7B", 400, "line 1"),
])
def test_bad_requests_get_a_status_and_one_line(served, path, status, words):
    base, _ = served
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base + path)
    assert err.value.code == status
    body = err.value.read().decode()
    assert words in body and len(body.strip().splitlines()) == 1


@pytest.mark.parametrize("fmt,check", [
    (XML, lambda r: len(r.getElementsByTagName("result")) == 3),
    (CSV, lambda r: len(r.decode().strip().splitlines()) == 4),
    (TSV, lambda r: r.decode().startswith("?s\t?p\t?o\n") and len(r.decode().strip().splitlines()) == 4),
])
def test_results_formats_by_content_negotiation(served, fmt, check):
    base, _ = served
    sw = client(base, fmt)
    sw.setQuery("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3")
    assert check(sw.queryAndConvert())


def test_construct_answers_are_turtle_or_ntriples(built_store, served):
    base, _ = served
    sw = client(base, TURTLE)
    sw.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 7")
    graph = sw.queryAndConvert()
    if isinstance(graph, bytes):
        graph = Graph().parse(data=graph.decode(), format="turtle")
    assert len(graph) == 7
    ask = client(base)
    ask.setQuery("ASK { ?s a <https://w3id.org/policekg/ontology#InspectionReport> }")
    assert ask.queryAndConvert()["boolean"] is True


def test_updates_and_service_are_refused(built_store, served):
    base, _ = served
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = local_rows(built_store, count)
    sw = client(base)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    with pytest.raises(urllib.error.HTTPError) as err:  # SPARQLWrapper passes a 403 on as it is
        sw.query()
    assert err.value.code == 403
    for text in ("DROP ALL", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{base}/sparql", data=urllib.parse.urlencode({"query": text}).encode())
        assert err.value.code == 403
    raw = urllib.request.Request(f"{base}/sparql", data=b"CLEAR ALL",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(raw)
    assert err.value.code == 403
    assert local_rows(built_store, count) == before


def test_a_runaway_query_is_cut_off_and_a_large_answer_capped(served):
    base, log = served
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{base}/sparql?" + urllib.parse.urlencode({"query": runaway}), timeout=120)
    assert err.value.code == 503 and f"longer than {TIMEOUT} s" in err.value.read().decode()
    assert time.monotonic() - start < 60  # stopped, not run to the end (hours)
    sw = client(base)
    sw.setQuery("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryBadFormed, match=f"more than {ROW_CAP} rows"):
        sw.query()
    assert "GET /sparql?query=SELECT" in log.read_text()  # one log line per request


def test_serve_defaults_to_loopback_and_refuses_a_non_store(tmp_path):
    options = {p.name: p.default for p in main.commands["serve"].params}
    assert options["host"] == "127.0.0.1"
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no graph store" in result.output


def test_formats_doctests():
    assert doctest.testmod(formats).failed == 0


@pytest.mark.browser
def test_query_page_runs_a_named_query_offline(built_store, served):
    from conftest import chromium_path
    from playwright.sync_api import expect, sync_playwright

    base, _ = served
    requests = []
    # The page is served with a Content-Security-Policy (only this server), so the test waits
    # with locators rather than evaluating strings in the page.
    expected = len(local_rows(built_store, bound(built_store, "trace", entity="STORM")))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path()), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.select_option("#query-name", "trace")
            page.fill("#params input[name=entity]", "STORM")
            page.click("#run-named")
            expect(page.locator("#status")).to_contain_text("row(s)", timeout=30_000)
            assert page.locator("#results tbody tr").count() == expected
            assert "finding" in page.locator("#results thead").inner_text()
            page.fill("#sparql", "SELECT ?r WHERE { ?r a <https://w3id.org/policekg/ontology#InspectionReport> }")
            page.click("#run-sparql")
            expect(page.locator("#status")).to_have_text("2 row(s)", timeout=30_000)
            page.fill("#sparql", "SELECT * WHERE {")
            page.click("#run-sparql")
            page.wait_for_selector("#status.error", timeout=30_000)
            assert "syntax error" in page.locator("#status").inner_text()
        finally:
            browser.close()
    assert not errors
    assert requests and all(u.startswith(base + "/") for u in requests), requests
