"""One self-contained, offline HTML page of the graph, drawn with pyvis (vis-network).

The page is pyvis's ``generate_html()`` output, post-processed: pyvis's ``in_line`` mode inlines
vis-network but still links bootstrap from a CDN (pyvis issues #228, #229), so every remote
``<link>``/``<script>`` is dropped and our own script and style (``app.js``, ``app.css``, package
data) are inlined. ``remote_references`` checks the result; the browser test checks that the page
requests nothing.

By default findings are grouped under their frameworks: they are in the page but hidden, and each
framework is joined to the entities its findings cite by one "cited in N findings" edge. Clicking
a framework, or the Finding checkbox, shows them.
"""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from policekg.errors import InputError
from policekg.extract.model import ENTITY_TYPES
from policekg.extract.normalise import fold
from policekg.visualise.network import FINDING, FRAMEWORK, NODE_TYPES, REPORT, to_networkx
from policekg.visualise.resolve import find_node

# Colour-blind-safe-ish palette (Okabe-Ito plus greys); shapes differ too, for print and for
# readers who cannot tell the colours apart. Shapes with the label below scale with "value".
TYPE_STYLE = {
    "Force": {"color": "#0b3c8c", "shape": "star"},
    "Division": {"color": "#009e73", "shape": "hexagon"},
    "CDRP": {"color": "#56b4e9", "shape": "triangleDown"},
    "Unit": {"color": "#e69f00", "shape": "dot"},
    "System": {"color": "#d55e00", "shape": "square"},
    "Partner": {"color": "#cc79a7", "shape": "triangle"},
    "Initiative": {"color": "#c9b400", "shape": "diamond"},
    "RoleGroup": {"color": "#7b61ff", "shape": "ellipse"},
    FRAMEWORK: {"color": "#455a64", "shape": "dot"},
    FINDING: {"color": "#90a4ae", "shape": "dot"},
    REPORT: {"color": "#263238", "shape": "star"},
}
EDGE_STYLE = {
    "cites": {"color": "#b0bec5", "label": False},
    "grouped": {"color": "#cfd8dc", "label": False},
    "ofFramework": {"color": "#cfd8dc", "label": False},
    "broader": {"color": "#78909c", "label": False},
    "judged": {"color": "#607d8b", "label": True},
    "inspectedForce": {"color": "#607d8b", "label": True},
}
RELATION_COLOR = "#a11d33"  # entity-to-entity relations: the edges a reader came for
TRACE_COLOR = "#ff6f00"
# Above this many findings the page leaves them out (still counted in the legend): tens of
# thousands of hidden nodes make the page slow to open for nothing a reader can take in.
MAX_FINDINGS = 3000
# Up to this many drawn nodes networkx's dense (numpy) spring layout takes milliseconds; its sparse
# variant above is a Python loop, slower than letting vis lay the graph out alone.
SEED_LIMIT = 500
_REMOTE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.I | re.S,
)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.S)


def select_view(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    types: list[str] | None = None,
    reports: list[str] | None = None,
) -> tuple[nx.MultiDiGraph, dict]:
    """The part of the graph to draw, and what the page needs to know about it.

    Args:
        g: a typed network from ``to_networkx``.
        focus: a node's label, alias or IRI: draw only its neighbourhood.
        depth: how many hops (in either direction) the neighbourhood reaches.
        types: node types to keep (``System``, ``Finding``...); all when None.
        reports: reports to keep, each a report IRI or part of its label or IRI (``peel``, ``2019``).

    Returns:
        The view (a copy; ``g`` is not changed) and a dict with ``focus`` (node id or None) and
        ``trace`` (set of ``(u, v, key)`` edges on the shortest paths from the focus).

    Raises:
        UnknownEntity: ``focus`` matches no node.
        InputError: an unknown type, a report that matches nothing, or a negative depth.
    """
    keep = set(g)
    if reports:
        chosen = _match_reports(g, reports)
        keep = {n for n in keep if not g.nodes[n]["reports"] or chosen & set(g.nodes[n]["reports"])}
    if types:
        unknown = [t for t in types if t not in NODE_TYPES]
        if unknown:
            raise InputError(f"unknown type {unknown[0]!r}; use some of: {', '.join(NODE_TYPES)}")
        keep = {n for n in keep if g.nodes[n]["type"] in types}
    meta: dict = {"focus": None, "trace": set()}
    if focus is not None:
        if depth < 0:
            raise InputError("--depth must be 0 or more")
        node = find_node(g, focus)
        keep.add(node)
        sub = g.subgraph(keep)
        dist = nx.single_source_shortest_path_length(sub.to_undirected(as_view=True), node, cutoff=depth)
        keep = set(dist)
        # An edge is on a trace path when it goes one hop further from the focus.
        meta["trace"] = {(u, v, k) for u, v, k in sub.edges(keys=True)
                         if u in dist and v in dist and abs(dist[u] - dist[v]) == 1}
        meta["focus"] = node
    return nx.MultiDiGraph(g.subgraph(keep)), meta


def _match_reports(g: nx.MultiDiGraph, wanted: list[str]) -> set[str]:
    all_reports = [n for n, t in g.nodes(data="type") if t == REPORT]
    chosen = set()
    for w in wanted:
        hits = {r for r in all_reports
                if w == r or fold(w).lower() in fold(f"{r} {g.nodes[r]['label']}").lower()}
        if not hits:
            names = "; ".join(g.nodes[r]["label"] for r in all_reports) or "none in the graph"
            raise InputError(f"no report matches {w!r}; reports: {names}")
        chosen |= hits
    return chosen


def _title(attrs: dict, labels: dict) -> str:
    """The hover text: escaped here, turned into markup by app.js (vis shows strings as plain text)."""
    lines = [f"<b>{html.escape(attrs['label'])}</b>", html.escape(attrs["type"])]
    if attrs["type"] == FINDING:
        fw = labels.get(attrs.get("framework"), "")
        lines.append(html.escape(" · ".join(x for x in (attrs.get("kind_label"), fw, attrs.get("grade")) if x)))
        text = attrs.get("text", "")
        lines.append(html.escape(text if len(text) <= 240 else text[:240] + "…"))
    elif attrs.get("aliases"):
        lines.append("also: " + html.escape("; ".join(attrs["aliases"][:6])))
    if attrs.get("findings"):
        lines.append(f"{attrs['findings']} findings")
    return "<br>".join(lines)


def build_network(view: nx.MultiDiGraph, meta: dict, full: nx.MultiDiGraph | None = None) -> Network:
    """A pyvis ``Network`` for the view, with explicit ``add_node``/``add_edge`` calls.

    Args:
        view: the graph to draw (from ``select_view``).
        meta: its ``focus`` and ``trace``; this function adds ``counts``, ``omitted`` and
            ``show_findings``.
        full: the graph the view came from, for the legend's counts.
    """
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    net.node_ids = _IdList()  # pyvis checks every add_node/add_edge against this list
    labels = {n: a["label"] for n, a in view.nodes(data=True)}
    findings = [n for n, t in view.nodes(data="type") if t == FINDING]
    omit = meta["focus"] is None and len(findings) > MAX_FINDINGS
    meta["omitted"] = len(findings) if omit else 0
    meta["show_findings"] = meta["focus"] is not None and len(findings) <= 300
    for n, a in view.nodes(data=True):
        if omit and a["type"] == FINDING:
            continue
        style = TYPE_STYLE[a["type"]]
        hidden = a["type"] == FINDING and not meta["show_findings"]
        extra = {k: a[k] for k in ("kind", "kind_label", "framework", "grade", "report", "text",
                                   "section", "mentions", "notation", "level", "year") if k in a}
        # Entities grow with the findings that cite them; frameworks (dozens of findings each)
        # grow more slowly, so they do not bury the entities around them.
        size = 3 + a.get("findings", 0) if a["type"] != FRAMEWORK else 3 + a.get("findings", 0) ** 0.5
        net.add_node(
            n, label=_short(a["label"]), title=_title(a, labels), color=style["color"], shape=style["shape"],
            value=size if a["type"] not in (FINDING, REPORT) else 1, ntype=a["type"], fullLabel=a["label"],
            aliases=a["aliases"], reports=a["reports"], findings=a.get("findings", 0), hidden=hidden,
            # Hidden findings stay out of the physics: app.js places them around their framework.
            physics=not hidden, borderWidth=4 if n == meta["focus"] else 1, **extra,
        )
    for u, v, k, a in view.edges(keys=True, data=True):
        if omit and FINDING in (view.nodes[u]["type"], view.nodes[v]["type"]):
            continue
        on_trace = (u, v, k) in meta["trace"]
        style = EDGE_STYLE.get(k, {"color": RELATION_COLOR, "label": True})
        text = f"{k} {a['grade']}" if k == "judged" and a.get("grade") else k
        net.add_edge(
            u, v, id=f"{u}|{k}|{v}", relation=k, title=html.escape(text), label=text if style["label"] else None,
            color=TRACE_COLOR if on_trace else style["color"], width=4 if on_trace else 1,
            trace=on_trace, arrows="to",
        )
    # Findings grouped under frameworks: one edge per (framework, cited entity) pair.
    grouped: dict[tuple[str, str], int] = {}
    for f in findings:
        fw = view.nodes[f].get("framework")
        if fw not in view:
            continue
        for _, e, k in view.out_edges(f, keys=True):
            if k == "cites":
                grouped[(fw, e)] = grouped.get((fw, e), 0) + 1
    for (fw, e), n in sorted(grouped.items()):
        net.add_edge(fw, e, id=f"{fw}|grouped|{e}", relation="grouped", framework=fw,
                     title=html.escape(f"cited in {n} findings under {labels[fw]}"),
                     color=EDGE_STYLE["grouped"]["color"], width=min(1 + n / 2, 6), arrows="to",
                     hidden=meta["show_findings"])
    seeded = _seed_layout(net, view, drawn={n["id"] for n in net.nodes if not n.get("hidden")})
    source = full if full is not None else view
    meta["counts"] = {t: sum(1 for _, x in source.nodes(data="type") if x == t) for t in NODE_TYPES}
    net.set_options(json.dumps(_options(view.number_of_nodes() - meta["omitted"], seeded)))
    return net


class _IdList(list):
    """pyvis's list of node ids with a set beside it: its membership tests are then O(1), not O(n)."""

    def __init__(self):
        super().__init__()
        self._set: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item) -> bool:
        return item in self._set


def _seed_layout(net: Network, view: nx.MultiDiGraph, drawn: set[str]) -> bool:
    """Start vis from a networkx spring layout of the drawn nodes, so its physics only polishes.

    The browser then needs a few dozen iterations instead of hundreds (the bundled graph settles
    in about a second less); a framework stands in for its hidden findings.
    """
    simple = nx.Graph()
    simple.add_nodes_from(drawn)
    for u, v in view.edges():
        a = u if u in drawn else view.nodes[u].get("framework")
        b = v if v in drawn else view.nodes[v].get("framework")
        if a in drawn and b in drawn and a != b:
            simple.add_edge(a, b)
    if not 2 <= simple.number_of_nodes() < SEED_LIMIT:  # networkx goes sparse (scipy) at 500
        return False
    scale = 30 * simple.number_of_nodes() ** 0.5
    pos = nx.spring_layout(simple, seed=7, iterations=60, method="force", scale=scale)
    for node in net.nodes:
        if node["id"] in pos:
            node["x"], node["y"] = (round(float(c), 1) for c in pos[node["id"]])
    return True


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _options(n_nodes: int, seeded: bool) -> dict:
    big = n_nodes > 1500
    return {
        "nodes": {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": 40, "label": {"enabled": True, "min": 12, "max": 26,
                                                             "drawThreshold": 6}}},
        "edges": {"smooth": False, "font": {"size": 10, "align": "middle", "color": "#37474f"},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "navigationButtons": False},
        # improvedLayout (Kamada-Kawai on clusters) gives up on graphs this shape and costs seconds.
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -110, "centralGravity": 0.015, "springLength": 110,
                                 "springConstant": 0.06, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 80 if seeded else 150 if big else 250,
                              "updateInterval": 25, "fit": True},
            "minVelocity": 1.0,
        },
    }


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
    title: str = "policekg graph",
) -> str:
    """The whole page as one self-contained HTML string (see ``select_view`` for the arguments).

    Raises:
        UnknownEntity, InputError: as ``select_view``.
    """
    view, meta = select_view(g, focus=focus, depth=depth, types=types, reports=reports)
    net = build_network(view, meta, full=None if focus else g)
    page = net.generate_html(notebook=False)
    page = _HEADING.sub("", _REMOTE.sub("", page))
    assets = files("policekg.visualise")
    report_nodes = sorted((n for n, t in g.nodes(data="type") if t == REPORT), key=lambda r: g.nodes[r]["label"])
    in_view = {r for _, a in view.nodes(data=True) for r in a["reports"]}
    info = {
        "types": [{"name": t, **TYPE_STYLE[t], "count": meta["counts"][t]} for t in NODE_TYPES],
        "entityTypes": list(ENTITY_TYPES),
        "relationColor": RELATION_COLOR, "traceColor": TRACE_COLOR,
        "edges": {**{k: v["color"] for k, v in EDGE_STYLE.items()}},
        "reports": [{"iri": r, "label": g.nodes[r]["label"], "year": g.nodes[r].get("year", ""),
                     "inView": r in in_view} for r in report_nodes],
        "focus": meta["focus"], "depth": depth if focus else None, "showFindings": meta["show_findings"],
        "omitted": meta["omitted"], "title": title,
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


def write_html(g: nx.MultiDiGraph, out: str | Path, **kwargs) -> Path:
    """Write ``render_html(g, **kwargs)`` to ``out``; returns the path written."""
    out = Path(out)
    out.write_text(render_html(g, **kwargs), encoding="utf-8")
    return out


def write_store_html(store: str | Path | None, out: str | Path, *, focus: str | None = None, **kwargs) -> Path:
    """Write the page for the graph in a store (see ``render_html`` for the keyword arguments).

    ``focus`` is resolved like ``policekg trace`` resolves a name (labels, aliases, glossary
    abbreviations); a framework or report title works too.

    Raises:
        StoreError: the store cannot be opened.
        UnknownEntity, InputError: as ``select_view``.
    """
    from policekg.graph.store import open_store

    with open_store(store) as gs:
        g = to_networkx(gs.dataset)
        if focus is not None and focus not in g:
            focus = _resolve_focus(gs.dataset, g, focus)
    return write_html(g, out, focus=focus, **kwargs)


def _resolve_focus(dataset, g: nx.MultiDiGraph, name: str) -> str:
    from policekg.errors import UnknownEntity
    from policekg.queries.trace import resolve

    try:
        return resolve(dataset, name).iri
    except UnknownEntity as exc:
        try:  # not an entity: perhaps a framework or a report
            return find_node(g, name)
        except UnknownEntity:
            raise exc from None
