"""The library API as a notebook user meets it (README "Use from Python"): build, query, trace,
show, export, on the invented Wessex Constabulary's PEEL report."""

from __future__ import annotations

import builtins
import importlib.util
from pathlib import Path

import pytest
from rdflib import Graph

from policekg import api
from policekg.errors import InputError, QueryError

EXAMPLE = Path(__file__).parent.parent / "examples" / "wessex-2019-peel.md"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    where = tmp_path_factory.mktemp("py") / "kg"
    summary = api.build([EXAMPLE], store=where)
    assert [r.source for r in summary.reports] == [EXAMPLE.name]
    assert summary.reports[0].findings > 0 and summary.total_triples > 100
    return where


def test_query_gives_rows_as_dicts_in_the_query_order(kg):
    rows = api.query("framework-grades", store=kg)
    assert rows and rows.columns[:2] == ["report", "year"]
    assert all(isinstance(r, dict) and list(r) == rows.columns for r in rows)
    assert {r["grade"] for r in rows} & {"Good", "Requires improvement", "Adequate", "Outstanding", "Inadequate"}
    assert all(r["report"].startswith("https://w3id.org/policekg/id/report/wessex-constabulary/") for r in rows)


def test_query_binds_an_entity_parameter_by_name_and_runs_sparql_text(kg):
    cited = api.query("findings-citing", {"entity": "Police National Computer"}, store=kg)
    assert cited and all("PNC" in r["text"] or "Police National Computer" in r["text"] for r in cited)
    (count,) = api.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=kg)
    assert count["n"] == api.distinct_triples(kg) and isinstance(count["n"], int)
    assert api.distinct_triples(kg) <= api.stats(kg)["triples"]


def test_query_refuses_what_is_not_a_select(kg):
    with pytest.raises(QueryError):
        api.query("ASK { ?s ?p ?o }", store=kg)
    with pytest.raises(QueryError):
        api.query("no-such-query", store=kg)


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_rows_become_a_dataframe_when_pandas_is_installed(kg):
    frame = api.query("framework-grades", store=kg).to_dataframe()
    assert list(frame.columns) == api.query("framework-grades", store=kg).columns
    assert len(frame) == len(api.query("framework-grades", store=kg))


def test_without_pandas_to_dataframe_says_how_to_get_it(kg, monkeypatch):
    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas here")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(InputError, match="pip install pandas"):
        api.query("framework-grades", store=kg).to_dataframe()


def test_trace_and_show(kg):
    t = api.trace("pnc", store=kg)
    assert t.entity.label == "PNC" and t.findings
    assert all(f.direct and f.via == ["PNC"] for f in t.findings)
    assert t.as_json()["entity"]["iri"] == "https://w3id.org/policekg/id/system/pnc"
    card = api.show("Police National Computer", store=kg)
    assert card.entity.iri == t.entity.iri
    assert sum(c["findings"] for c in card.citations) == len(t.findings)


def test_export_parses_back(kg):
    turtle = api.export("ttl", store=kg)
    assert len(Graph().parse(data=turtle, format="turtle")) == api.distinct_triples(kg)
