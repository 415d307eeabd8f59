"""The graph page in a real browser: headless Debian Chromium driven by Playwright for Python.

The page is opened over file:// with every request watched: an offline page asks for nothing
but itself (and data: URIs). Counts are checked against the networkx graph the page was drawn
from, read independently with ``load_network``.

Without Chromium (or Playwright) these tests are skipped with a one-line reason (tests/conftest.py);
CI sets POLICEKG_REQUIRE_BROWSER=1, and then a missing browser fails them and says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import browser_missing, chromium_path
from scripts import benchmark_script  # tests/ is on sys.path, as for render

from policekg.extract.model import ENTITY_TYPES, RELATION_PREDICATES
from policekg.visualise.html import write_store_html
from policekg.visualise.network import load_network
from policekg.visualise.views import TOP

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    reason = browser_missing()
    if reason:
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path()), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def graph(built_store):
    return load_network(built_store)


def _label(g, label):
    return next(n for n, a in g.nodes(data=True) if a["label"] == label)


class Opened:
    """A page opened over file://, with the requests it made and the errors it logged."""

    def __init__(self, browser, path: Path):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.policekg && window.policekg.stable", timeout=60_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def drawn(self) -> set[str]:
        return set(self.js("policekg.drawnNodeIds()"))


@pytest.fixture(scope="module")
def default_page(browser, built_store, tmp_path_factory):
    out = write_store_html(built_store, tmp_path_factory.mktemp("page") / "graph.html")
    opened = Opened(browser, out)
    yield opened
    opened.page.close()


def test_page_requests_nothing_but_itself(default_page):
    assert default_page.requests, "the listener saw no request at all"
    remote = [u for u in default_page.requests if not u.startswith(("file://", "data:"))]
    assert remote == []


def test_no_console_error(default_page):
    assert default_page.errors == []


def test_drawn_nodes_match_the_graph(default_page, graph):
    assert default_page.js("nodes.get({filter: n => !n.fold}).length") == graph.number_of_nodes()
    # By default findings are grouped under their frameworks and the least-cited entities folded
    # into one "+N" node per type: everything else is drawn.
    folded = set(default_page.js("nodes.get({filter: n => n.folded}).map(n => n.id)"))
    folds = set(default_page.js("nodes.get({filter: n => n.fold}).map(n => n.id)"))
    assert folded and all(graph.nodes[n]["findings"] <= 1 for n in folded)
    expected = {n for n, t in graph.nodes(data="type") if t != "Finding"} - folded
    assert default_page.drawn() == expected | folds


def test_most_cited_labels_are_legible_at_first_zoom(default_page, graph):
    assert default_page.js("policekg.labelPx") >= 12
    big = default_page.js("policekg.bigLabels")
    entities = sorted((n for n, a in graph.nodes(data=True) if a["type"] in ENTITY_TYPES),
                      key=lambda n: -graph.nodes[n]["findings"])
    assert entities[0] in big and len(big) >= 10
    sizes = default_page.js("ids => ids.map(id => nodes.get(id).font.size * network.getScale())", big)
    assert min(sizes) >= 12


def test_a_fold_node_shows_what_it_folds(default_page):
    fold = default_page.js("nodes.get({filter: n => n.fold && n.ntype === 'Unit'})[0].id")
    members = set(default_page.js("f => nodes.get({filter: n => n.folded === f}).map(n => n.id)", fold))
    assert members and not members & default_page.drawn()
    default_page.js("id => policekg.unfold(id)", fold)
    assert members <= default_page.drawn() and fold not in default_page.drawn()


def test_card_is_docked_beside_the_graph(default_page, graph):
    default_page.js("id => policekg.select(id)", _label(graph, "STORM"))
    card = default_page.page.locator("#pkg-card").bounding_box()
    canvas = default_page.page.locator("#mynetwork canvas").bounding_box()
    assert card["width"] > 200
    assert canvas["x"] + canvas["width"] <= card["x"] + 1  # side by side, not over the graph


def test_default_view_screenshot(default_page, tmp_path):
    default_page.page.wait_for_timeout(700)  # the progress bar fades out over 0.5 s
    shot = tmp_path / "default-view.png"
    default_page.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    legend = default_page.page.inner_text("#pkg-types")
    for t in ("Unit", "System", "Framework", "Finding"):
        assert t in legend


def test_search_storm_selects_storm(default_page, graph):
    storm = _label(graph, "STORM")
    default_page.page.fill("#pkg-search", "storm")
    default_page.page.press("#pkg-search", "Enter")
    assert default_page.js("network.getSelectedNodes()") == [storm]
    assert default_page.page.inner_text("#pkg-card h2") == "STORM"


def test_search_by_alias(default_page, graph):
    storm = _label(graph, "STORM")
    alias = graph.nodes[storm]["aliases"][0]
    assert default_page.js("q => policekg.search(q)", alias.upper()) == storm


def test_toggling_a_type_hides_its_nodes(default_page, graph):
    units = {n for n, t in graph.nodes(data="type") if t == "Unit"} & default_page.drawn()
    assert units
    before = len(default_page.drawn())
    default_page.page.uncheck('#pkg-types input[data-type="Unit"]')
    after = default_page.drawn()
    assert not units & after
    assert len(after) == before - len(units)
    default_page.page.check('#pkg-types input[data-type="Unit"]')
    assert units <= default_page.drawn()


def test_framework_shows_its_findings_on_demand(default_page, graph):
    fw = max((n for n, t in graph.nodes(data="type") if t == "Framework"),
             key=lambda n: graph.nodes[n]["findings"])
    under = {u for u, _, k in graph.in_edges(fw, keys=True) if k == "ofFramework"}
    assert not under & default_page.drawn()
    default_page.js("id => policekg.toggleFramework(id)", fw)
    assert under <= default_page.drawn()
    default_page.js("id => policekg.toggleFramework(id)", fw)
    assert not under & default_page.drawn()


def test_finding_card_highlights_cited_entities(default_page, graph):
    finding = next(n for n, a in graph.nodes(data="text")
                   if a and "STORM command and control system identifies a domestic violence incident" in a)
    default_page.js("id => policekg.select(id)", finding)
    assert finding in default_page.drawn()
    card = default_page.page.locator("#pkg-card")
    marks = card.locator("blockquote mark").all_inner_texts()
    assert any(m.upper().startswith("STORM") for m in marks)
    text = card.inner_text()
    assert graph.nodes[finding]["grade"] in text and graph.nodes[finding]["kind_label"] in text
    assert "identifies a domestic violence incident" in text


def test_focus_storm_shows_guardian(browser, built_store, graph, tmp_path):
    out = write_store_html(built_store, tmp_path / "storm.html", focus="STORM", depth=2)
    opened = Opened(browser, out)
    try:
        drawn = opened.drawn()
        storm, guardian = _label(graph, "STORM"), _label(graph, "GUARDIAN")
        assert {storm, guardian} <= drawn
        assert len(drawn) < graph.number_of_nodes() / 4  # a neighbourhood, not the whole graph
        trace = opened.js("edges.get({filter: e => e.trace}).map(e => [e.from, e.to])")
        assert [storm, guardian] in trace or [guardian, storm] in trace
        assert opened.js("network.getSelectedNodes()") == [storm]
        # Only trace paths are highlighted: relations outwards from STORM and what cites them.
        on = opened.js("edges.get({filter: e => e.trace}).map(e => e.relation)")
        assert on and set(on) <= {*RELATION_PREDICATES, "cites"}
        assert len(on) < opened.js("edges.length") / 2
        assert [u for u in opened.requests if not u.startswith(("file://", "data:"))] == []
        assert opened.errors == []
        opened.page.screenshot(path=str(tmp_path / "focus-storm.png"))
    finally:
        opened.page.close()


def test_overview_page_opens_with_forces_and_most_cited_entities(browser, built_store, graph, tmp_path):
    # The page a national store opens with (here forced with --top on the bundled store).
    out = write_store_html(built_store, tmp_path / "overview.html", top=10)
    opened = Opened(browser, out)
    try:
        assert opened.js("policekg.meta.mode") == "overview"
        drawn = opened.drawn()
        forces = {n for n, t in graph.nodes(data="type") if t == "Force"}
        assert forces <= drawn and len(drawn) == len(forces) + 10
        counts = opened.js("edges.get({filter: e => e.relation === 'cited'}).map(e => e.count)")
        assert len(counts) == 10 and all(c > 0 for c in counts)
        assert opened.js("policekg.labelPx") >= 12
        assert [u for u in opened.requests if not u.startswith(("file://", "data:"))] == []
        assert opened.errors == []
    finally:
        opened.page.close()


# --- A national store: 1,000 reports of 100 invented forces -------------------------------------------




@pytest.fixture(scope="module")
def national_store(tmp_path_factory):
    """1,000 reports: 20 invented reports (two forces, every layout) analysed for real, then copied under
    98 other invented forces through ``api.write_reports``, without mention provenance (benchmarks/national.py)."""
    where = tmp_path_factory.mktemp("national") / "kg"
    figures = benchmark_script("national").build_national_store(where, 1000, sources=2, length=0.05, jobs=1, thin=True)
    assert figures["reports"] == 1000 and figures["forces"] == 100
    return where


def _visualise(store: Path, out: Path, *args: str) -> Path:
    """The page as `policekg visualise` writes it."""
    from click.testing import CliRunner

    from policekg.cli import main

    result = CliRunner().invoke(main, ["visualise", "--store", str(store), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def national_page(browser, national_store, tmp_path_factory):
    out = _visualise(national_store, tmp_path_factory.mktemp("national-page") / "graph.html")
    opened = Opened(browser, out)
    yield out, opened
    opened.page.close()


def test_national_page_is_byte_identical_across_runs(national_store, national_page, tmp_path):
    again = _visualise(national_store, tmp_path / "again.html")
    assert again.read_bytes() == national_page[0].read_bytes()


def test_national_page_draws_every_force_and_the_most_cited_entities(national_page):
    _, opened = national_page
    meta = opened.js("policekg.meta")
    assert meta["mode"] == "overview" and meta["reportCount"] == 1000
    drawn = opened.drawn()
    forces = set(opened.js("nodes.get({filter: n => n.ntype === 'Force'}).map(n => n.id)"))
    assert len(forces) == 100 and forces <= drawn
    assert len(drawn - forces) == TOP  # the default --top
    # A person reads the counts: in the panel, and on each entity's edges and hover text.
    note = opened.page.inner_text("#pkg-note")
    assert "Overview of 1,000 reports" in note and f"{meta['findingCount']:,} findings" in note
    counts = opened.js("edges.get({filter: e => e.relation === 'cited'}).map(e => e.count)")
    assert counts and min(counts) > 0
    titles = opened.js("nodes.get({filter: n => n.ntype !== 'Force'}).map(n => n.title)")
    assert all("cited in findings of" in t and "findings cite it" in t for t in titles)
    assert opened.js("policekg.labelPx") >= 12
    assert [u for u in opened.requests if not u.startswith(("file://", "data:"))] == []
    assert opened.errors == []
    opened.page.screenshot(path=str(national_page[0].with_suffix(".png")))


def test_national_page_top_and_force_narrow_it(browser, national_store, tmp_path):
    top = Opened(browser, _visualise(national_store, tmp_path / "top.html", "--top", "10"))
    try:
        forces = set(top.js("nodes.get({filter: n => n.ntype === 'Force'}).map(n => n.id)"))
        assert len(top.drawn() - forces) == 10
    finally:
        top.page.close()
    from policekg.graph.store import open_store
    from policekg.visualise.overview import catalogue

    with open_store(national_store) as gs:
        known = catalogue(gs.dataset)
    force = sorted(known.nodes[f]["label"] for _, f, k in known.edges(keys=True) if k == "inspectedForce")[0]
    one = Opened(browser, _visualise(national_store, tmp_path / "force.html", "--force", force))
    try:
        meta = one.js("policekg.meta")
        assert meta["mode"] == "detail" and meta["forcesInView"] == 1
        in_view = [r for r in meta["reports"] if r["inView"]]
        assert len(in_view) == 10  # every report of that force, and no other force's
        assert one.errors == []
    finally:
        one.page.close()


def test_only_drawn_findings_are_converted(national_store, monkeypatch):
    from policekg.visualise import html as page

    converted: list = []
    real = page.add_findings
    monkeypatch.setattr(page, "add_findings", lambda ds, g, **kw: converted.append(kw) or real(ds, g, **kw))
    g, _ = page.store_network(national_store)
    assert converted == [] and not any(t == "Finding" for _, t in g.nodes(data="type"))
    force = sorted(n for n, t in g.nodes(data="type") if t == "Force")[0]
    g, _ = page.store_network(national_store, force=g.nodes[force]["label"])
    assert len(converted) == 1
    chosen = converted[0]["reports"]
    assert chosen == {r for r, f, k in g.edges(keys=True) if k == "inspectedForce" and f == force}
    assert len(chosen) == 10
    findings = [n for n, t in g.nodes(data="type") if t == "Finding"]
    assert findings and all(g.nodes[n]["report"] in chosen for n in findings)


def test_national_focus_leaves_out_findings_it_cannot_carry(browser, national_store, tmp_path):
    from policekg.visualise.html import MAX_FINDINGS, store_network

    overview, _ = store_network(national_store)
    system = min((-a["forces"], a["label"]) for _, a in overview.nodes(data=True) if a["type"] == "System")[1]
    opened = Opened(browser, _visualise(national_store, tmp_path / "focus.html", "--focus", system))
    try:
        meta = opened.js("policekg.meta")
        assert meta["mode"] == "focus" and meta["omitted"] > MAX_FINDINGS
        assert opened.js("nodes.get({filter: n => n.ntype === 'Finding'}).length") == 0
        assert opened.js("id => policekg.drawnNodeIds().includes(id)", meta["focus"])
        assert f"{meta['omitted']:,} findings are not drawn" in opened.page.inner_text("#pkg-note")
        assert opened.errors == []
    finally:
        opened.page.close()
