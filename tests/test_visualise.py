"""The typed networkx graph, centrality, GraphML/GEXF export and the offline HTML page (no browser).

Most tests use a small invented force (Wessex Constabulary) written as Turtle below; a few check
facts of the bundled Staffordshire reports against their text.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

from policekg.cli import main
from policekg.errors import InputError, UnknownEntity
from policekg.visualise import views
from policekg.visualise.analytics import centrality
from policekg.visualise.html import remote_references, render_html, select_view
from policekg.visualise.network import export_network, load_network, to_networkx
from policekg.visualise.overview import load_overview, overview
from policekg.visualise.resolve import find_node
from policekg.visualise.style import PALETTE, type_style

ID = "https://w3id.org/policekg/id/"
REPORT = ID + "report/wessex-constabulary/2018-19-peel"
FINDING_TEXT = "The HARBOURNET system feeds the Wessex Constabulary control room."
WESSEX = f"""
@prefix pol: <https://w3id.org/policekg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <{ID}> .

<{REPORT}> a pol:InspectionReport ; dcterms:title "Wessex Constabulary PEEL" ;
    pol:reportKind "peel" ; pol:assessmentYear "2018/19" ; pol:inspectedForce id:force\\/wessex-constabulary .
id:force\\/wessex-constabulary a pol:Force ; skos:prefLabel "Wessex Constabulary" .
id:system\\/harbournet a pol:System ; skos:prefLabel "HARBOURNET" ; skos:altLabel "Harbour network" ;
    pol:feeds id:system\\/tidewatch .
id:system\\/tidewatch a pol:System ; skos:prefLabel "Tidewatch <b>& Co</b>" .
id:division\\/downs a pol:Division ; skos:prefLabel "Downs" ; skos:altLabel "Downs Division" .
id:scheme\\/peel\\/effectiveness a pol:Framework ; skos:prefLabel "Effectiveness"@en ; pol:frameworkLevel "pillar" .
id:scheme\\/peel\\/crime a pol:Framework ; skos:prefLabel "Investigating crime"@en ;
    pol:frameworkLevel "question" ; skos:broader id:scheme\\/peel\\/effectiveness .
<{REPORT}/judgement/crime> a pol:Judgement ; pol:inReport <{REPORT}> ;
    pol:ofFramework id:scheme\\/peel\\/crime ; pol:grade "Good" .
<{REPORT}/finding/0001> a pol:Finding ; pol:inReport <{REPORT}> ; pol:ofFramework id:scheme\\/peel\\/crime ;
    pol:findingKind pol:Strength ; rdf:value "{FINDING_TEXT}" ; pol:start 1000 ; pol:end 1065 ; pol:ordinal 1 ;
    pol:cites id:system\\/harbournet, id:force\\/wessex-constabulary .
<{REPORT}/finding/0001/mention/1> a pol:Mention ; pol:inFinding <{REPORT}/finding/0001> ;
    pol:mentions id:system\\/harbournet ; pol:surface "HARBOURNET" ; pol:start 1004 ; pol:end 1014 .
<{REPORT}/finding/0002> a pol:Finding ; pol:inReport <{REPORT}> ; pol:ofFramework id:scheme\\/peel\\/crime ;
    pol:findingKind pol:AreaForImprovement ; rdf:value "HARBOURNET is slow." ; pol:start 2000 ;
    pol:end 2019 ; pol:ordinal 2 ; pol:cites id:system\\/harbournet .
pol:Strength rdfs:label "Strength" .
"""
HARBOURNET = ID + "system/harbournet"
TIDEWATCH = ID + "system/tidewatch"
CRIME = ID + "scheme/peel/crime"
FINDING1 = REPORT + "/finding/0001"


@pytest.fixture(scope="module")
def wessex() -> nx.MultiDiGraph:
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX, format="turtle")
    return to_networkx(ds)


def test_nodes_are_typed_with_labels_aliases_and_reports(wessex):
    a = wessex.nodes[HARBOURNET]
    assert (a["type"], a["label"], a["aliases"]) == ("System", "HARBOURNET", ["Harbour network"])
    assert a["reports"] == [REPORT]
    assert a["findings"] == 2  # both findings cite it
    assert wessex.nodes[REPORT]["type"] == "Report"
    assert wessex.nodes[CRIME]["type"] == "Framework"
    assert wessex.nodes[CRIME]["findings"] == 2


def test_finding_carries_kind_framework_grade_text_and_relative_mention_offsets(wessex):
    f = wessex.nodes[FINDING1]
    assert (f["type"], f["kind"], f["framework"], f["grade"], f["report"]) == (
        "Finding", "Strength", CRIME, "Good", REPORT)
    assert f["text"] == FINDING_TEXT
    (start, end, entity), = f["mentions"]
    assert entity == HARBOURNET and f["text"][start:end] == "HARBOURNET"


def test_edges_keyed_by_relation(wessex):
    assert wessex.has_edge(HARBOURNET, TIDEWATCH, key="feeds")
    assert wessex.has_edge(FINDING1, HARBOURNET, key="cites")
    assert wessex.has_edge(FINDING1, CRIME, key="ofFramework")
    assert wessex.has_edge(CRIME, ID + "scheme/peel/effectiveness", key="broader")
    assert wessex.edges[REPORT, CRIME, "judged"]["grade"] == "Good"
    assert wessex.has_edge(REPORT, ID + "force/wessex-constabulary", key="inspectedForce")


def test_centrality_ranks_the_entity_that_bridges_findings_first(wessex):
    ranking = centrality(wessex)
    assert ranking[0].iri == HARBOURNET
    assert {r.type for r in ranking} <= {"Force", "Division", "CDRP", "Unit", "System", "Partner", "Initiative"}
    assert [r.iri for r in centrality(wessex, limit=2)] == [r.iri for r in ranking[:2]]


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_round_trips_through_networkx(wessex, fmt, reader):
    back = reader(io.BytesIO(export_network(wessex, fmt).encode()))
    assert back.number_of_nodes() == wessex.number_of_nodes()
    assert back.number_of_edges() == wessex.number_of_edges()
    node = back.nodes[HARBOURNET]
    assert node["type"] == "System" and json.loads(node["aliases"]) == ["Harbour network"]


def test_export_rejects_unknown_format(wessex):
    with pytest.raises(InputError):
        export_network(wessex, "dot")


def test_find_node_by_label_alias_iri_and_case(wessex):
    assert find_node(wessex, "harbournet") == HARBOURNET
    assert find_node(wessex, "Harbour  Network") == HARBOURNET
    assert find_node(wessex, "downs division") == ID + "division/downs"
    assert find_node(wessex, HARBOURNET) == HARBOURNET
    with pytest.raises(UnknownEntity):
        find_node(wessex, "Chalk Division")


def test_focus_keeps_the_neighbourhood_and_marks_trace_edges(wessex):
    view, meta = select_view(wessex, focus="tidewatch <B>& co</b>", depth=1)
    assert set(view) == {TIDEWATCH, HARBOURNET}
    assert (HARBOURNET, TIDEWATCH, "feeds") in meta["trace"]
    view2, _ = select_view(wessex, focus="HARBOURNET", depth=2)
    assert {FINDING1, CRIME, TIDEWATCH} <= set(view2)
    assert ID + "division/downs" not in view2  # nothing links it to HARBOURNET


def test_type_and_report_filters(wessex):
    view, _ = select_view(wessex, types=["System", "Framework"])
    assert {a["type"] for _, a in view.nodes(data=True)} == {"System", "Framework"}
    assert set(select_view(wessex, reports=["peel"])[0]) == set(wessex)
    with pytest.raises(InputError, match="no report matches"):
        select_view(wessex, reports=["2006"])
    with pytest.raises(InputError, match="unknown type"):
        select_view(wessex, types=["Sytem"])


def test_page_is_self_contained_and_escapes_labels(wessex):
    page = render_html(wessex)
    assert remote_references(page) == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "bootstrap" not in page.lower()
    assert "vis.Network" in page and "window.policekg" in page  # vis-network and app.js are inline
    # The label holds markup: it must never reach the page as a tag, and the hover title (which
    # app.js turns into markup) holds it escaped.
    assert "<b>& Co</b>" not in page
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    tide = next(n for n in nodes if n["id"] == TIDEWATCH)
    assert tide["fullLabel"] == "Tidewatch <b>& Co</b>"
    assert "Tidewatch &lt;b&gt;&amp; Co&lt;/b&gt;" in tide["title"] and "<b>Tidewatch" in tide["title"]


def test_script_breaking_label_stays_inside_its_json():
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX.replace("Tidewatch <b>& Co</b>", "x</script><script>alert(1)//"),
                                   format="turtle")
    page = render_html(to_networkx(ds))
    assert "</script><script>alert(1)" not in page


def test_pyvis_heading_and_remote_links_are_gone(wessex):
    page = render_html(wessex)
    assert "<center>" not in page
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page


# ---- the bundled reports ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(built_store) -> nx.MultiDiGraph:
    return load_network(built_store)


def _node(g, label):
    return next(n for n, a in g.nodes(data=True) if a["label"] == label)


def test_bundled_storm_interfaces_with_guardian(bundled):
    # 2006 baseline: "... the GUARDIAN system, which interfaces with STORM ..." (interfacesWith).
    storm, guardian = _node(bundled, "STORM"), _node(bundled, "GUARDIAN")
    assert bundled.has_edge(storm, guardian, key="interfacesWith") or bundled.has_edge(
        guardian, storm, key="interfacesWith")


def test_bundled_storm_finding_highlights_storm(bundled):
    storm = _node(bundled, "STORM")
    finding = next(n for n, a in bundled.nodes(data=True) if a["type"] == "Finding"
                   and "STORM command and control system identifies a domestic violence incident" in a["text"])
    a = bundled.nodes[finding]
    assert bundled.has_edge(finding, storm, key="cites")
    marked = [a["text"][s:e] for s, e, ent in a["mentions"] if ent == storm]
    assert marked and all(m.upper().startswith("STORM") for m in marked)
    assert a["grade"] and a["framework"] and a["kind"]


def test_cli_visualise_writes_offline_page(built_store, tmp_path):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["visualise", "--store", str(built_store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (")
    assert remote_references(out.read_text(encoding="utf-8")) == []


def test_cli_visualise_unknown_focus_is_an_error(built_store, tmp_path):
    result = CliRunner().invoke(main, ["visualise", "--store", str(built_store), "--out",
                                       str(tmp_path / "g.html"), "--focus", "Chalk Downs Omnibus"])
    assert result.exit_code == 2
    assert "policekg: error:" in result.output and not (tmp_path / "g.html").exists()


def test_cli_stats_central_json(built_store):
    result = CliRunner().invoke(main, ["stats", "--central", "--limit", "5", "--format", "json",
                                       "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 5
    assert [r["betweenness"] for r in rows] == sorted((r["betweenness"] for r in rows), reverse=True)
    assert {"iri", "type", "label", "findings", "degree", "betweenness"} <= set(rows[0])


def test_cli_stats_without_central_is_unchanged(built_store):
    result = CliRunner().invoke(main, ["stats", "--format", "json", "--store", str(built_store)])
    assert result.exit_code == 0
    assert {"triples", "graphs", "entities"} <= set(json.loads(result.output))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_cli_export_network_formats(built_store, tmp_path, fmt, bundled):
    out = tmp_path / f"g.{fmt}"
    result = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out), "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    assert back.number_of_nodes() == bundled.number_of_nodes()


# ---- the browser-test gate (tests/conftest.py) ---------------------------------------------------


def _run_browser_tests(**env) -> subprocess.CompletedProcess:
    here = Path(__file__).parent
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(here / "test_browser.py"), "-rs", "-x", "-p", "no:cacheprovider"],
        cwd=here.parent, capture_output=True, text=True, timeout=300,
        env={**os.environ, "POLICEKG_CHROMIUM": "/nonexistent/chromium", **env},
    )


def test_browser_tests_skip_with_a_reason_when_chromium_is_missing():
    done = _run_browser_tests(POLICEKG_REQUIRE_BROWSER="")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b\d+ skipped\b", done.stdout) and " passed" not in done.stdout
    assert "/nonexistent/chromium is missing" in done.stdout


def test_browser_tests_fail_when_ci_requires_chromium():
    done = _run_browser_tests(POLICEKG_REQUIRE_BROWSER="1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "browser tests cannot run: /nonexistent/chromium is missing" in done.stdout


# ---- national size: overview, scoped conversion, determinism, new types ------------------------

NORTH_REPORT = ID + "report/northshire-police/2019-peel"
NORTHSHIRE = f"""
@prefix pol: <https://w3id.org/policekg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <{ID}> .

<{NORTH_REPORT}> a pol:InspectionReport ; dcterms:title "Northshire Police PEEL" ;
    pol:reportKind "peel" ; pol:inspectedForce id:force\\/northshire-police .
id:force\\/northshire-police a pol:Force ; skos:prefLabel "Northshire Police" .
id:system\\/harbournet a pol:System ; skos:prefLabel "HARBOURNET" .
id:unit\\/fell-rescue a pol:Unit ; skos:prefLabel "fell rescue unit" .
<{NORTH_REPORT}/finding/0001> a pol:Finding ; pol:inReport <{NORTH_REPORT}> ; rdf:value "HARBOURNET helps." ;
    pol:start 10 ; pol:end 27 ; pol:cites id:system\\/harbournet, id:unit\\/fell-rescue .
"""


@pytest.fixture(scope="module")
def two_forces() -> nx.MultiDiGraph:
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX, format="turtle")
    ds.graph(URIRef(NORTH_REPORT)).parse(data=NORTHSHIRE, format="turtle")
    return to_networkx(ds)


def _page_meta(page: str) -> dict:
    return json.loads(re.search(r'<script id="policekg-meta" type="application/json">(.*?)</script>', page).group(1))


def _page_nodes(page: str) -> list[dict]:
    return json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))


def test_overview_aggregates_forces_and_most_cited_entities(two_forces):
    view = overview(two_forces, top=1)
    wessex, north = ID + "force/wessex-constabulary", ID + "force/northshire-police"
    # HARBOURNET: cited in both forces' findings (2 + 1); the unit is force-internal, so counted.
    assert set(view) == {wessex, north, HARBOURNET}
    assert view.nodes[HARBOURNET]["forces"] == 2
    assert view.edges[wessex, HARBOURNET, "cited"]["count"] == 2
    assert view.edges[north, HARBOURNET, "cited"]["count"] == 1
    assert view.nodes[north]["holds"] == {"Unit": 1} and view.nodes[north]["finding_count"] == 1


def _overview_facts(view: nx.MultiDiGraph) -> tuple:
    keys = ("type", "label", "aliases", "reports", "finding_count", "holds", "forces", "findings")
    return ([(n, {k: a.get(k) for k in keys}) for n, a in view.nodes(data=True)],
            sorted((u, v, k, a.get("count")) for u, v, k, a in view.edges(keys=True, data=True)), dict(view.graph))


def test_overview_from_the_store_matches_the_one_from_the_network(two_forces):
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX, format="turtle")
    ds.graph(URIRef(NORTH_REPORT)).parse(data=NORTHSHIRE, format="turtle")
    for top in (1, 5):
        assert _overview_facts(load_overview(ds, top)) == _overview_facts(overview(two_forces, top))


def test_bundled_overview_from_the_store_matches(built_store, bundled):
    from policekg.graph.store import open_store

    with open_store(built_store) as gs:
        from_store = load_overview(gs.dataset, 12)
    assert _overview_facts(from_store) == _overview_facts(overview(bundled, 12))
    assert len(from_store) == 13 and from_store.graph["reports"] == 2


def test_large_graph_opens_as_overview_and_narrows(two_forces, monkeypatch):
    monkeypatch.setattr(views, "OVERVIEW_NODES", 5)
    page = render_html(two_forces)
    assert _page_meta(page)["mode"] == "overview"
    assert {n["ntype"] for n in _page_nodes(page)} <= {"Force", "System", "Partner", "Initiative"}
    systems = render_html(two_forces, types=["Force", "System"])
    assert {n["ntype"] for n in _page_nodes(systems)} == {"Force", "System"}
    assert _page_meta(systems)["reportCount"] == 2
    narrowed = render_html(two_forces, force="Northshire Police")
    assert _page_meta(narrowed)["mode"] == "detail"
    ids = {n["id"] for n in _page_nodes(narrowed)}
    assert NORTH_REPORT in ids and REPORT not in ids and FINDING1 not in ids
    with pytest.raises(InputError, match="not an inspected force"):
        render_html(two_forces, force="HARBOURNET")


def test_store_converts_findings_only_when_drawn(built_store, monkeypatch):
    from policekg.visualise.html import store_network

    full = load_network(built_store)
    n_findings = sum(1 for _, t in full.nodes(data="type") if t == "Finding")
    monkeypatch.setattr(views, "OVERVIEW_NODES", 10)
    g, _ = store_network(built_store)
    assert not any(t == "Finding" for _, t in g.nodes(data="type"))
    # Counts come from the store all the same.
    storm = _node(full, "STORM")
    assert g.nodes[storm]["findings"] == full.nodes[storm]["findings"] > 0
    g, node = store_network(built_store, focus="STORM", depth=2)
    near = {n for n, t in g.nodes(data="type") if t == "Finding"}
    assert node == storm and 0 < len(near) < n_findings
    view, _ = select_view(full, focus=storm, depth=2)
    assert near == {n for n, t in view.nodes(data="type") if t == "Finding"}  # the same findings drawn


@pytest.mark.parametrize("args", [[], ["--focus", "STORM"], ["--top", "5"]])
def test_same_store_gives_byte_identical_html(built_store, tmp_path, args):
    pages = []
    for seed in ("1", "2"):  # set and dict orders differ between processes with different hash seeds
        out = tmp_path / f"g{seed}.html"
        subprocess.run([sys.executable, "-m", "policekg", "visualise", "--store", str(built_store), "--out", str(out),
                        *args], check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_new_entity_types_and_predicates_are_drawn_without_code_changes(monkeypatch):
    # A type and a predicate no code has heard of (as pol:RoleGroup and pol:usedBy once were).
    from policekg.extract import model

    monkeypatch.setattr(model, "ENTITY_TYPES", (*model.ENTITY_TYPES, "Vessel"))
    monkeypatch.setattr(model, "RELATION_PREDICATES", (*model.RELATION_PREDICATES, "crewedBy"))
    extra = f"""@prefix pol: <https://w3id.org/policekg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{ID}vessel/tern> a pol:Vessel ; skos:prefLabel "Tern" .
        <{HARBOURNET}> pol:crewedBy <{ID}vessel/tern> ."""
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX, format="turtle")
    ds.graph(URIRef(REPORT)).parse(data=extra, format="turtle")
    g = to_networkx(ds)
    vessel = ID + "vessel/tern"
    assert g.nodes[vessel]["type"] == "Vessel" and g.has_edge(HARBOURNET, vessel, key="crewedBy")
    page = render_html(g, focus="HARBOURNET", depth=1)
    drawn = {n["id"]: n for n in _page_nodes(page)}
    assert drawn[vessel]["color"] == type_style("Vessel")["color"] and drawn[vessel]["color"] in PALETTE
    assert "Vessel" in [t["name"] for t in _page_meta(page)["types"]]
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1))
    crewed = next(e for e in edges if e["relation"] == "crewedBy")
    assert crewed["trace"] and (crewed["from"], crewed["to"]) == (HARBOURNET, vessel)


def test_role_groups_and_usage_are_drawn_in_the_focus_view():
    extra = f"""@prefix pol: <https://w3id.org/policekg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{ID}force/wessex-constabulary/rolegroup/call-handlers> a pol:RoleGroup ; skos:prefLabel "call handlers" .
        <{HARBOURNET}> pol:usedBy <{ID}force/wessex-constabulary/rolegroup/call-handlers> ."""
    ds = Dataset(default_union=True)
    ds.graph(URIRef(REPORT)).parse(data=WESSEX, format="turtle")
    ds.graph(URIRef(REPORT)).parse(data=extra, format="turtle")
    page = render_html(to_networkx(ds), focus="HARBOURNET", depth=1)
    role = ID + "force/wessex-constabulary/rolegroup/call-handlers"
    assert {n["id"]: n["ntype"] for n in _page_nodes(page)}[role] == "RoleGroup"
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1))
    assert any(e["relation"] == "usedBy" and e["trace"] and e["to"] == role for e in edges)


def test_unknown_types_get_a_fixed_palette_colour():
    assert type_style("Vessel") == type_style("Vessel")
    assert type_style("Vessel")["color"] in PALETTE and type_style("System")["color"] not in PALETTE


def test_cli_visualise_force_and_top(built_store, tmp_path):
    out = tmp_path / "g.html"
    ok = CliRunner().invoke(main, ["visualise", "--store", str(built_store), "--out", str(out),
                                   "--force", "Staffordshire Police", "--top", "20"])
    assert ok.exit_code == 0, ok.output
    meta = _page_meta(out.read_text(encoding="utf-8"))
    assert meta["mode"] == "detail" and meta["folded"] > 0
    bad = CliRunner().invoke(main, ["visualise", "--store", str(built_store), "--out", str(tmp_path / "x.html"),
                                    "--force", "STORM"])
    assert bad.exit_code == 2 and "not an inspected force" in bad.output


def test_cli_visualise_open_says_when_no_browser_can_open(built_store, tmp_path, monkeypatch):
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    out = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["visualise", "--store", str(built_store), "--out", str(out), "--open"])
    assert result.exit_code == 0 and out.exists()
    assert "no browser to open here" in result.output


def test_force_view_reads_only_its_reports_and_loses_nothing(built_store, bundled):
    from policekg.visualise.html import store_network

    # The bundled store holds one force: its scoped copy must give the same network as the whole.
    g, _ = store_network(built_store, force="Staffordshire Police")
    keys = ("type", "label", "aliases", "reports", "findings", "kind_label", "grade", "mentions", "text")
    assert sorted(g) == sorted(bundled)
    assert all({k: g.nodes[n].get(k) for k in keys} == {k: bundled.nodes[n].get(k) for k in keys} for n in g)
    assert sorted(g.edges(keys=True)) == sorted(bundled.edges(keys=True))


def test_a_store_reads_the_same_network_as_a_plain_rdflib_dataset(built_store):
    """From a store, rows come straight from pyoxigraph and counts off its named graphs; from an
    rdflib Dataset of the same quads, through rdflib and joins: the same nodes, attributes and edges."""
    from policekg.graph.store import open_store

    with open_store(built_store) as gs:
        fast = to_networkx(gs.dataset)
        ds = Dataset(default_union=True)
        for s, p, o, g in gs.quads():
            ds.graph(g).add((s, p, o))
    plain = to_networkx(ds)
    assert sum(1 for _, t in fast.nodes(data="type") if t == "Finding") > 100
    assert dict(fast.nodes(data=True)) == dict(plain.nodes(data=True))
    assert sorted(fast.edges(keys=True, data=True)) == sorted(plain.edges(keys=True, data=True))
