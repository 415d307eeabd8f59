"""Which part of the graph a page draws: a focus's neighbourhood, some reports or forces, or, for a
national store, an overview of forces and the entities most of them cite.

Everything here works on the typed network of ``network.py``. ``plan_store_view`` decides, from the
store, what to convert: findings only when they will be drawn (a national store holds hundreds of
thousands; the overview draws none).
"""

from __future__ import annotations

import networkx as nx

from policekg.errors import InputError, UnknownEntity
from policekg.queries.reports import report_matches
from policekg.visualise.network import FINDING, REPORT, node_types
from policekg.visualise.resolve import find_node

# Entities inside one force; the overview counts them per force instead of drawing them.
FORCE_INTERNAL = ("Division", "CDRP", "Unit", "RoleGroup")
FORCE = "Force"
# Above this many entities, frameworks and reports (findings aside) the default page is the
# overview. Measured with benchmarks/visualise.py on renamed copies of the bundled reports: one
# force's two reports hold ~190 such nodes, two forces ~310, five ~680, fifty ~6,070. Folding keeps
# any detail page's drawing to ~300 nodes, but past two forces what it keeps is the same units and
# systems repeated per force, and at 50 forces the page is 9 MB (6,175 nodes) and takes 3.7 s to
# settle, against 1.4 MB and 0.3 s for the overview.
OVERVIEW_NODES = 400
TOP = 25  # entities the overview draws, most cited first


def relation_predicates() -> tuple[str, ...]:
    from policekg.extract import model

    return model.RELATION_PREDICATES


def needs_overview(g: nx.MultiDiGraph) -> bool:
    """Whether the graph is too large to draw whole (findings aside)."""
    return sum(1 for _, t in g.nodes(data="type") if t != FINDING) > OVERVIEW_NODES


def reports_of_force(g: nx.MultiDiGraph, name: str) -> set[str]:
    """The IRIs of the reports that inspect the force called ``name`` (label, alias or IRI).

    Raises:
        InputError: no inspected force is called ``name`` (the message lists some).
    """
    try:
        force = find_node(g, name)
    except UnknownEntity:
        force = None
    chosen = {r for r, f, k in g.in_edges(force, keys=True) if k == "inspectedForce"} if force else set()
    if force is None or g.nodes[force]["type"] != FORCE or not chosen:
        forces = sorted({g.nodes[f]["label"] for _, f, k in g.edges(keys=True) if k == "inspectedForce"})
        raise InputError(f"{name!r} is not an inspected force; forces: {'; '.join(forces[:12]) or 'none'}")
    return chosen


def match_reports(g: nx.MultiDiGraph, wanted: list[str]) -> set[str]:
    """The report IRIs matching each of ``wanted`` (an IRI, a year, or words of a report's title or IRI).

    Raises:
        InputError: one of ``wanted`` matches no report.
    """
    all_reports = [n for n, t in g.nodes(data="type") if t == REPORT]
    chosen = set()
    for w in wanted:
        hits = {r for r in all_reports  # one rule for every --report: policekg.queries.reports
                if report_matches(w, r, year=g.nodes[r].get("year"), title=g.nodes[r]["label"])}
        if not hits:
            names = "; ".join(sorted(g.nodes[r]["label"] for r in all_reports)[:12]) or "none in the graph"
            raise InputError(f"no report matches {w!r}; reports: {names}")
        chosen |= hits
    return chosen


def anchors_near(g: nx.MultiDiGraph, node: str, depth: int, reports: set[str] | None) -> set[str]:
    """The nodes whose findings can lie within ``depth`` hops of ``node``: those ``depth - 1`` hops
    from it over the edges that do not go through a finding (relations, frameworks, reports)."""
    keep = set(g) if reports is None else {n for n in g if not g.nodes[n]["reports"]
                                           or reports & set(g.nodes[n]["reports"])}
    keep.add(node)
    sub = g.subgraph(keep).to_undirected(as_view=True)
    return set(nx.single_source_shortest_path_length(sub, node, cutoff=max(depth - 1, 0)))


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
        ``trace``: the ``(u, v, key)`` edges on trace paths from the focus, i.e. the relations on
        the shortest relation paths from it and the citations of the entities on those paths.

    Raises:
        UnknownEntity: ``focus`` matches no node.
        InputError: an unknown type, a report that matches nothing, or a negative depth.
    """
    keep = set(g)
    if reports:
        chosen = match_reports(g, reports)
        keep = {n for n in keep if not g.nodes[n]["reports"] or chosen & set(g.nodes[n]["reports"])}
    if types:
        unknown = [t for t in types if t not in node_types()]
        if unknown:
            raise InputError(f"unknown type {unknown[0]!r}; use some of: {', '.join(node_types())}")
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
        meta["trace"] = _trace_edges(g.subgraph(keep), node, depth)
        meta["focus"] = node
    return _copy(g, keep), meta


def _copy(g: nx.MultiDiGraph, keep: set[str]) -> nx.MultiDiGraph:
    # Nodes in sorted order, whatever the order of ``keep``: networkx's subgraph views iterate a
    # set, whose order changes from one process to the next, and the page must not.
    out = nx.MultiDiGraph(**g.graph)
    out.add_nodes_from((n, dict(g.nodes[n])) for n in sorted(keep))
    out.add_edges_from(sorted(((u, v, k, dict(a)) for u, v, k, a in g.edges(keys=True, data=True)
                               if u in keep and v in keep), key=lambda e: e[:3]))
    return out


def _trace_edges(view: nx.MultiDiGraph, node: str, depth: int) -> set[tuple[str, str, str]]:
    # What `policekg trace` follows: relations between entities outwards from the focus, then the
    # findings that cite an entity reached. An edge is on a path when it goes one hop further.
    rel = set(relation_predicates())
    relations = nx.Graph()
    relations.add_node(node)
    relations.add_edges_from((u, v) for u, v, k in view.edges(keys=True) if k in rel)
    dist = nx.single_source_shortest_path_length(relations, node, cutoff=depth)
    trace = {(u, v, k) for u, v, k in view.edges(keys=True)
             if k in rel and u in dist and v in dist and abs(dist[u] - dist[v]) == 1}
    trace |= {(u, v, k) for u, v, k in view.edges(keys=True) if k == "cites" and dist.get(v, depth) < depth}
    return trace
