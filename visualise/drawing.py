"""The pyvis ``Network`` for a view: nodes and edges added one by one, in a fixed order, at
positions computed here, so that the same graph gives the same page byte for byte.

A detail view folds its clutter: entities cited by at most one finding and in no relation (and, on
a large view, all but the ``MAX_ENTITIES`` most cited) are hidden behind one "+N more" node per
type, which shows them when clicked. Findings are grouped under their frameworks (hidden, one
"cited in N findings" edge per framework and entity) unless the view is a small focus.
"""

from __future__ import annotations

import html

import networkx as nx
from pyvis.network import Network

from policekg.visualise.network import FINDING, FRAMEWORK, REPORT, entity_types
from policekg.visualise.style import FADED_COLOR, TRACE_COLOR, edge_style, type_style
from policekg.visualise.views import relation_predicates

# networkx's dense (numpy) spring layout takes well under a second up to here; a view never draws
# more nodes than this (the rest are folded or grouped), and hidden nodes are placed by app.js.
LAYOUT_LIMIT = 500


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
    if attrs.get("finding_count") and attrs["type"] != FINDING:
        lines.append(f"{attrs['finding_count']} findings in {len(attrs['reports'])} report(s)")
    if attrs.get("holds"):
        lines.append(html.escape(", ".join(f"{n} {t}" for t, n in sorted(attrs["holds"].items()))))
    if attrs.get("forces"):
        lines.append(f"cited in findings of {attrs['forces']} force(s)")
    if attrs.get("findings"):
        lines.append(f"{attrs['findings']} findings cite it" if attrs["type"] != FRAMEWORK
                     else f"{attrs['findings']} findings")
    return "<br>".join(lines)


def fold_entities(view: nx.MultiDiGraph, keep: int, *, clutter: bool = True,
                  protect: set[str] = frozenset()) -> dict[str, str]:
    """Which entities to fold, each mapped to its fold node's id (``fold:<Type>``).

    Folded: with ``clutter``, entities cited by at most one finding and in no relation; then all
    but the ``keep`` entities with the most findings (those in a relation first). Never a node in
    ``protect`` (the focus and the trace paths from it).
    """
    rel = set(relation_predicates())
    related = {n for u, v, k in view.edges(keys=True) if k in rel for n in (u, v)}
    ents = [n for n, t in view.nodes(data="type") if t in entity_types() and n not in protect]
    ranked = sorted(ents, key=lambda n: (n not in related, -view.nodes[n].get("findings", 0),
                                         view.nodes[n]["label"].lower(), n))
    kept = {n for n in ranked[:keep] if not clutter or n in related or view.nodes[n].get("findings", 0) > 1}
    return {n: f"fold:{view.nodes[n]['type']}" for n in ranked if n not in kept}


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


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def build_network(view: nx.MultiDiGraph, meta: dict, *, max_findings: int, max_entities: int,
                  show_findings: int) -> Network:
    """A pyvis ``Network`` for the view, with explicit ``add_node``/``add_edge`` calls.

    Args:
        view: the graph to draw (from ``select_view`` or ``overview``), in a fixed node order.
        meta: ``focus``, ``trace`` and ``mode`` (``overview``, ``detail`` or ``focus``); this
            function adds ``omitted``, ``folded`` and ``show_findings``.
        max_findings: above this many findings in a view without focus, they are left out.
        max_entities: a detail view folds all but this many entities.
        show_findings: a focus view with at most this many findings draws them at once.
    """
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    net.node_ids = _IdList()  # pyvis checks every add_node/add_edge against this list
    labels = {n: a["label"] for n, a in view.nodes(data=True)}
    findings = [n for n, t in view.nodes(data="type") if t == FINDING]
    omit = meta["focus"] is None and len(findings) > max_findings
    in_reports = sum(view.nodes[r].get("finding_count", 0) for r, t in view.nodes(data="type") if t == REPORT)
    meta["omitted"] = len(findings) if omit else max(0, in_reports - len(findings)) if meta["focus"] is None \
        else view.graph.get("omitted_findings", 0)  # a focus whose findings were too many to convert
    meta["show_findings"] = meta["focus"] is not None and len(findings) <= show_findings
    if meta["mode"] == "detail":
        folded = fold_entities(view, max_entities)
    elif meta["mode"] == "focus":  # a national entity's neighbourhood spans every force: bound it
        folded = fold_entities(view, max_entities, clutter=False,
                               protect={meta["focus"]} | {n for e in meta["trace"] for n in e[:2]})
    else:
        folded = {}
    meta["folded"] = len(folded)
    trace = meta["trace"]
    hidden = {n for n in findings if not meta["show_findings"]} | set(folded)
    for fold_id, kind in sorted({(f, view.nodes[n]["type"]) for n, f in folded.items()}):
        members = sorted((n for n, f in folded.items() if f == fold_id), key=lambda n: labels[n].lower())
        style = type_style(kind)
        title = (f"<b>{len(members)} more {html.escape(kind)}</b><br>the least cited here; click to show them"
                 f"<br>{html.escape('; '.join(labels[n] for n in members[:20]))}{'…' if len(members) > 20 else ''}")
        net.add_node(fold_id, label=f"+{len(members)} {kind}", title=title, color=style["color"], shape=style["shape"],
                     value=1 + round(len(members) ** 0.5, 2), ntype=kind, fold=True,
                     fullLabel=f"{len(members)} more {kind}", aliases=[],
                     reports=[], findings=0, members=len(members), borderWidth=1)
    for n, a in sorted(view.nodes(data=True), key=lambda x: x[0]):
        if omit and a["type"] == FINDING:
            continue
        style = type_style(a["type"])
        extra = {k: a[k] for k in ("kind", "kind_label", "framework", "grade", "report", "text", "section",
                                   "mentions", "notation", "level", "year", "holds", "forces", "finding_count")
                 if k in a}
        if n in folded:
            extra["folded"] = folded[n]
        # Size: findings citing an entity (or, for a force in the overview, in its reports); square
        # roots so that one entity cited hundreds of times does not dwarf all the others.
        weight = a.get("finding_count", 0) if a["type"] == "Force" and meta["mode"] == "overview" \
            else a.get("findings", 0) / 4 if a["type"] == FRAMEWORK else a.get("findings", 0)
        net.add_node(
            n, label=_short(a["label"]), title=_title(a, labels), color=style["color"], shape=style["shape"],
            value=1 if a["type"] in (FINDING, REPORT) else 1 + round(weight ** 0.5, 2), ntype=a["type"],
            fullLabel=a["label"], aliases=a["aliases"], reports=a["reports"], findings=a.get("findings", 0),
            hidden=n in hidden, physics=n not in hidden, borderWidth=4 if n == meta["focus"] else 1, **extra,
        )
    _edges(net, view, meta, omit, labels, trace)
    _layout(net, view, folded)
    return net


def _edges(net: Network, view: nx.MultiDiGraph, meta: dict, omit: bool, labels: dict, trace: set) -> None:
    focus_mode = meta["focus"] is not None
    findings = [n for n, t in view.nodes(data="type") if t == FINDING]
    top = max([a.get("count", 1) for _, _, k, a in view.edges(keys=True, data=True) if k == "cited"] or [1])
    for u, v, k, a in sorted(view.edges(keys=True, data=True), key=lambda e: e[:3]):
        if omit and FINDING in (view.nodes[u]["type"], view.nodes[v]["type"]):
            continue
        on_trace = (u, v, k) in trace
        style = edge_style(k)
        if k == "cited":  # overview / reports without findings: aggregated citations
            text = f"cited in {a['count']} findings of {labels[u]}"
            net.add_edge(u, v, id=f"{u}|{k}|{v}", relation=k, title=html.escape(text), count=a["count"],
                         color=style["color"], width=round(0.5 + 3 * a["count"] / top, 2), arrows="")
            continue
        text = f"{k} {a['grade']}" if k == "judged" and a.get("grade") else k
        color = TRACE_COLOR if on_trace else FADED_COLOR if focus_mode else style["color"]
        relation = k not in ("cites", "ofFramework", "judged", "broader", "inspectedForce")
        net.add_edge(
            u, v, id=f"{u}|{k}|{v}", relation=k, title=html.escape(text),
            label=text if style["label"] and (on_trace or not focus_mode) else None, color=color,
            width=(5 if relation else 2) if on_trace else 2 if relation else 1, trace=on_trace, arrows="to",
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
                     color=FADED_COLOR if focus_mode else edge_style("grouped")["color"],
                     width=min(1 + n / 2, 6), arrows="to", hidden=meta["show_findings"])


def _layout(net: Network, view: nx.MultiDiGraph, folded: dict[str, str]) -> None:
    """Fixed start positions: a seeded networkx spring layout of the drawn nodes.

    A hidden finding stands in for its framework and a folded entity for its fold node, so what is
    drawn is laid out around what it connects to. vis then only polishes (a few dozen iterations).
    """
    drawn = sorted(n["id"] for n in net.nodes if not n.get("hidden"))
    stand_in = {n: view.nodes[n].get("framework") for n, t in view.nodes(data="type") if t == FINDING}
    stand_in.update(folded)
    simple = nx.Graph()
    simple.add_nodes_from(drawn)
    keep = set(drawn)
    for u, v in sorted(view.edges()):
        a, b = (u if u in keep else stand_in.get(u)), (v if v in keep else stand_in.get(v))
        if a in keep and b in keep and a != b:
            simple.add_edge(a, b)
    if not 2 <= simple.number_of_nodes() < LAYOUT_LIMIT:
        return
    scale = 40 * simple.number_of_nodes() ** 0.5
    # k above networkx's default (1/sqrt(n)) spreads the dense middle, where frameworks join everything.
    k = 2.0 / simple.number_of_nodes() ** 0.5
    pos = nx.spring_layout(simple, seed=7, iterations=100, method="force", scale=scale, k=k)
    for node in net.nodes:
        if node["id"] in pos:
            node["x"], node["y"] = (round(float(c), 1) for c in pos[node["id"]])


def options(n_nodes: int) -> dict:
    """vis-network options; labels are sized by app.js once the first zoom is known."""
    big = n_nodes > 1500
    return {
        "nodes": {"font": {"size": 14, "strokeWidth": 4, "strokeColor": "#ffffff", "color": "#1c2b33"},
                  "scaling": {"min": 8, "max": 40, "label": {"enabled": False, "drawThreshold": 9, "maxVisible": 30}}},
        # Edge labels only once zoomed in to where they can be read.
        "edges": {"smooth": False, "font": {"size": 10, "align": "middle", "color": "#37474f"},
                  "scaling": {"label": {"drawThreshold": 9}},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "navigationButtons": False},
        # improvedLayout (Kamada-Kawai on clusters) gives up on graphs this shape and costs seconds.
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -110, "centralGravity": 0.015, "springLength": 110,
                                 "springConstant": 0.06, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 60, "updateInterval": 25, "fit": True},
            "minVelocity": 1.0,
        },
    }
