"""One self-contained, offline HTML page of the graph, drawn with pyvis (vis-network).

The page is pyvis's ``generate_html()`` output, post-processed: pyvis's ``in_line`` mode inlines
vis-network but still links bootstrap from a CDN (pyvis issues #228, #229), so every remote
``<link>``/``<script>`` is dropped and our own script and style (``app.js``, ``app.css``, package
data) are inlined. ``remote_references`` checks the result; the browser test checks that the page
requests nothing.

Three kinds of page (``views.py`` chooses the part of the graph, ``drawing.py`` draws it):

- detail (the default for a graph a page can draw, and ``--report`` / ``--force``): entities,
  frameworks and reports; findings grouped under their frameworks (in the page, hidden; clicking
  a framework or the Finding checkbox shows them); the least-cited entities folded per type;
- focus (``--focus``): a node's neighbourhood, trace paths from it highlighted;
- overview (the default above ``views.OVERVIEW_NODES``): forces and the most-cited entities.
"""

from __future__ import annotations

import html
import json
import re
from contextlib import nullcontext
from importlib.resources import files
from pathlib import Path

import networkx as nx

from policekg.visualise import views
from policekg.visualise.drawing import build_network, options
from policekg.visualise.network import (
    FINDING,
    REPORT,
    add_findings,
    count_findings,
    entity_types,
    node_types,
    to_networkx,
)
from policekg.visualise.overview import catalogue, drawable_count, load_overview, overview, scoped_store
from policekg.visualise.resolve import find_node
from policekg.visualise.style import EDGE_STYLE, RELATION_COLOR, TRACE_COLOR, type_style
from policekg.visualise.views import (
    TOP,
    anchors_near,
    match_reports,
    needs_overview,
    reports_of_force,
    select_view,
)

__all__ = ["render_html", "write_html", "write_store_html", "store_network", "remote_references", "select_view"]

# Above this many findings the page leaves them out (still counted): tens of thousands of hidden
# nodes make the page slow to open for nothing a reader can take in.
MAX_FINDINGS = 3000
# A detail page draws at most this many entities; the least cited are folded into one node per type.
MAX_ENTITIES = 150
# Fewer findings than this, in a focus view, are drawn at once rather than grouped.
SHOW_FINDINGS = 300
# Labels the page draws at >= 12 px at its first zoom (app.js); the rest show on hover or zoom.
BIG_LABELS = 30
_REMOTE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.I | re.S,
)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.S)


def _json_for_script(data) -> str:
    # Inside <script>, "</script>" or "<!--" in a label would end the block: escape < > &.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def remote_references(page: str) -> list[str]:
    """Tags in the page that would fetch something over the network (should be none)."""
    return _REMOTE.findall(page)


def render_html(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    types: list[str] | None = None,
    reports: list[str] | None = None,
    force: str | None = None,
    top: int | None = None,
    title: str = "policekg graph",
) -> str:
    """The whole page as one self-contained HTML string; the same graph gives the same bytes.

    Without ``focus``, ``reports`` or ``force``, a graph too large to draw whole (``needs_overview``)
    or a ``top`` given draws the overview: forces and the ``top`` most-cited entities.

    Args:
        g: a typed network (``to_networkx``).
        focus, depth, types, reports: as ``select_view``.
        force: only the reports that inspect this force (label, alias or IRI).
        top: in the overview, how many entities to draw; in a detail view, how many to keep
            unfolded.
        title: the page's title.

    Raises:
        UnknownEntity, InputError: as ``select_view``; ``force`` is not an inspected force.
    """
    if force is not None:
        chosen = reports_of_force(g, force)
        if reports:
            chosen &= match_reports(g, reports)
        reports = sorted(chosen)
    if g.graph.get("overview") or focus is None and not reports and (top is not None or needs_overview(g)):
        view = g if g.graph.get("overview") else overview(g, TOP if top is None else top)
        meta = {"focus": None, "trace": set(), "mode": "overview"}
        if types:
            view = select_view(view, types=types)[0]
    else:
        view, meta = select_view(g, focus=focus, depth=depth, types=types, reports=reports)
        meta["mode"] = "focus" if focus is not None else "detail"
        _cited_by_report(view)
    net = build_network(view, meta, max_findings=MAX_FINDINGS, show_findings=SHOW_FINDINGS,
                        max_entities=MAX_ENTITIES if top is None else top)
    net.set_options(json.dumps(options(view.number_of_nodes() - meta["omitted"])))
    page = net.generate_html(notebook=False)
    page = _HEADING.sub("", _REMOTE.sub("", page))
    assets = files("policekg.visualise")
    # The overview counts what it draws; other pages count the whole graph (shown / all).
    counted = view if meta["mode"] == "overview" else g
    report_nodes = sorted((n for n, t in counted.nodes(data="type") if t == REPORT),
                          key=lambda r: (g.nodes[r]["label"], r))
    in_view = {r for _, a in view.nodes(data=True) for r in a["reports"]}
    force_of = {r: f for r, f, k in g.edges(keys=True) if k == "inspectedForce"}
    types_in_graph = [t for t in node_types() if any(x == t for _, x in counted.nodes(data="type"))]
    info = {
        "types": [{"name": t, **type_style(t), "count": sum(1 for _, x in counted.nodes(data="type") if x == t)}
                  for t in node_types() if t in types_in_graph or t == FINDING and meta["mode"] != "overview"],
        "entityTypes": list(entity_types()),
        "relationColor": RELATION_COLOR, "traceColor": TRACE_COLOR,
        "edges": {k: v["color"] for k, v in EDGE_STYLE.items()},
        "reports": [{"iri": r, "label": g.nodes[r]["label"], "year": g.nodes[r].get("year", ""),
                     "inView": r in in_view} for r in report_nodes if r in in_view or len(report_nodes) <= 50],
        "reportCount": view.graph["reports"] if meta["mode"] == "overview" else len(report_nodes),
        "findingCount": view.graph["findings"] if meta["mode"] == "overview"
        else sum(g.nodes[r].get("finding_count", 0) for r in report_nodes),
        "mode": meta["mode"], "focus": meta["focus"], "depth": depth if focus else None,
        "showFindings": meta["show_findings"], "omitted": meta["omitted"], "folded": meta["folded"],
        "forcesInView": len({force_of[r] for r in in_view if r in force_of}),
        "bigLabels": BIG_LABELS, "title": title,
    }
    head = (f"<title>{html.escape(title)}</title>\n<style>{assets.joinpath('app.css').read_text('utf-8')}</style>\n"
            f'<script id="policekg-meta" type="application/json">{_json_for_script(info)}</script>\n')
    page = page.replace("<head>", "<head>\n" + head, 1)
    body = assets.joinpath("app.html").read_text("utf-8")
    page = page.replace("<body>", "<body>\n" + body, 1)
    # Our script runs in pyvis's own block, straight after drawGraph(): stabilisation events are
    # emitted from timers, and a separate <script> might start after the first one fired.
    cut = page.rindex("drawGraph();")
    app_js = assets.joinpath("app.js").read_text("utf-8")
    page = page[:cut] + "drawGraph();\n" + app_js + page[cut + len("drawGraph();"):]
    left = remote_references(page)
    if left:  # pyvis changed its template: better to fail than to ship a page that phones home
        raise RuntimeError(f"the page still links remote assets: {left[:2]}")
    return page


def _cited_by_report(view: nx.MultiDiGraph) -> None:
    """Without findings in the view, join each report to the entities its findings cite (counted)."""
    if any(t == FINDING for _, t in view.nodes(data="type")):
        return
    for n, a in list(view.nodes(data=True)):
        for r, count in a.get("by_report", {}).items():
            if r in view and view.nodes[r]["type"] == REPORT:
                view.add_edge(r, n, key="cited", relation="cited", count=count)


def write_html(g: nx.MultiDiGraph, out: str | Path, **kwargs) -> Path:
    """Write ``render_html(g, **kwargs)`` to ``out``; returns the path written."""
    out = Path(out)
    out.write_text(render_html(g, **kwargs), encoding="utf-8")
    return out


def store_network(store: str | Path | None, *, focus: str | None = None, depth: int = 2,
                  reports: list[str] | None = None, force: str | None = None,
                  top: int | None = None) -> tuple[nx.MultiDiGraph, str | None]:
    """The typed network a page needs, with findings converted only where the page will draw them.

    Returns:
        The network and the focus resolved to a node id (None without ``focus``).

    Raises:
        StoreError: the store cannot be opened.
        UnknownEntity, InputError: ``focus``, ``reports`` or ``force`` match nothing.
    """
    from policekg.graph.store import open_store

    with open_store(store) as gs:
        if focus is None and not reports and force is None and (
                top is not None or drawable_count(gs.dataset) > views.OVERVIEW_NODES):
            # Straight from aggregate queries: nothing per finding or per force-internal entity.
            return load_overview(gs.dataset, TOP if top is None else top), None
        chosen = None
        if reports or force is not None:
            # Name the reports from a small catalogue, then read only their graphs: a national
            # store's whole network takes a minute to convert for one force's page.
            known = catalogue(gs.dataset)
            chosen = match_reports(known, reports) if reports else None
            if force is not None:
                chosen = reports_of_force(known, force) & (chosen if chosen is not None else set(known))
            scoped = scoped_store(gs, chosen)
        with scoped if chosen is not None else nullcontext(gs) as source:
            g, node = _network(source.dataset, focus, depth, chosen, top)
    return g, node


def _network(dataset, focus: str | None, depth: int, chosen: set[str] | None,
             top: int | None) -> tuple[nx.MultiDiGraph, str | None]:
    g = to_networkx(dataset, findings=False)
    node = _resolve_focus(dataset, g, focus) if focus is not None else None
    if node is not None:
        anchors = anchors_near(g, node, depth, chosen)
        # A national entity's neighbourhood reaches the findings of every force: more than a page
        # can carry (at 1,000 reports, 27 MB and 5.4 s to settle). Count them, and convert them
        # only when the page will hold them.
        n = count_findings(dataset, reports=chosen, anchors=anchors)
        if n <= MAX_FINDINGS:
            add_findings(dataset, g, reports=chosen, anchors=anchors)
        else:
            g.graph["omitted_findings"] = n
    elif chosen is not None or not (top is not None or needs_overview(g)):
        wanted = chosen if chosen is not None else {r for r, t in g.nodes(data="type") if t == REPORT}
        if sum(g.nodes[r].get("finding_count", 0) for r in wanted) <= MAX_FINDINGS:
            add_findings(dataset, g, reports=chosen)
    return g, node


def write_store_html(store: str | Path | None, out: str | Path, *, focus: str | None = None, depth: int = 2,
                     reports: list[str] | None = None, force: str | None = None, top: int | None = None,
                     **kwargs) -> Path:
    """Write the page for the graph in a store (see ``render_html`` for the keyword arguments).

    ``focus`` is resolved like ``policekg trace`` resolves a name (labels, aliases, glossary
    abbreviations); a framework or report title works too.

    Raises:
        StoreError: the store cannot be opened.
        UnknownEntity, InputError: as ``render_html``.
    """
    g, node = store_network(store, focus=focus, depth=depth, reports=reports, force=force, top=top)
    return write_html(g, out, focus=node, depth=depth, reports=reports, force=force, top=top, **kwargs)


def _resolve_focus(dataset, g: nx.MultiDiGraph, name: str) -> str:
    from policekg.errors import UnknownEntity
    from policekg.queries.lookup import resolve

    if name in g:
        return name
    try:
        return resolve(dataset, name).iri
    except UnknownEntity as exc:
        try:  # not an entity: perhaps a framework or a report
            return find_node(g, name)
        except UnknownEntity:
            raise exc from None
