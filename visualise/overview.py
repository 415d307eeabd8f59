"""The overview page of a national store: each force, and the entities cited in most forces' findings.

Two ways to the same graph: ``overview`` from a typed network already in memory, and
``load_overview`` straight from the store with aggregate queries, which never converts the
hundreds of thousands of findings (or the tens of thousands of force-internal entities) of a
national store. A test checks that they agree.

Force-internal entities (divisions, CDRPs, units) are counted per force, not drawn. Any other
entity type, including one added to ``extract/model.py`` later, competes for the ``top`` places:
ranked by how many forces' findings cite it, then by how many findings, then by label.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef

from policekg.ontology import PREFIXES
from policekg.visualise.network import entity_types, node_types
from policekg.visualise.views import FORCE, FORCE_INTERNAL, TOP, relation_predicates


def _rank(per_force: dict[str, int], label: str, node: str) -> tuple:
    return -len(per_force), -sum(per_force.values()), label.lower(), node


def _entity(attrs: dict) -> dict:
    # A national entity appears in most reports: its list of them would outweigh the page.
    return {**attrs, "reports": [], "aliases": sorted(attrs.get("aliases", []))}


def overview(g: nx.MultiDiGraph, top: int = TOP) -> nx.MultiDiGraph:
    """Forces and the ``top`` entities cited in most forces' findings, with aggregated counts.

    Args:
        g: a typed network (findings need not be converted: the counts come from ``by_report``).
        top: how many entities besides forces to draw.

    Returns:
        A typed network of Force nodes (``reports``, ``finding_count`` and ``holds``: how many
        divisions, units... of each type the force has) and entity nodes (``forces``: how many
        forces cite them; ``findings``: how many findings of those forces), joined by ``cited``
        edges (``count``: findings of that force's reports citing the entity) and by the
        relations between the entities drawn. ``graph["reports"]`` and ``graph["findings"]``
        count the whole store.
    """
    force_of = {r: f for r, f, k in g.edges(keys=True) if k == "inspectedForce"}
    out = nx.MultiDiGraph(overview=True, reports=len(force_of),
                          findings=sum(g.nodes[r].get("finding_count", 0) for r in force_of))
    for f in sorted(set(force_of.values())):
        reports = sorted(r for r, x in force_of.items() if x == f)
        out.add_node(f, type=FORCE, label=g.nodes[f]["label"], aliases=list(g.nodes[f]["aliases"]), reports=reports,
                     holds={}, findings=0, finding_count=sum(g.nodes[r].get("finding_count", 0) for r in reports))
    candidates = []
    for n, a in g.nodes(data=True):
        if a["type"] in FORCE_INTERNAL:
            for f in sorted({force_of[r] for r in a["reports"] if r in force_of}):
                holds = out.nodes[f]["holds"]
                holds[a["type"]] = holds.get(a["type"], 0) + 1
        elif a["type"] in entity_types() and a["type"] != FORCE:
            per_force: dict[str, int] = {}
            for r, c in a.get("by_report", {}).items():
                if r in force_of:
                    per_force[force_of[r]] = per_force.get(force_of[r], 0) + c
            if per_force:
                candidates.append((_rank(per_force, a["label"], n), n, per_force))
    for f in out:
        out.nodes[f]["holds"] = dict(sorted(out.nodes[f]["holds"].items()))
    for _, n, per_force in sorted(candidates)[:top]:
        a = g.nodes[n]
        out.add_node(n, **_entity({"type": a["type"], "label": a["label"], "aliases": a["aliases"]}),
                     forces=len(per_force), findings=sum(per_force.values()))
        for f, count in sorted(per_force.items()):
            out.add_edge(f, n, key="cited", relation="cited", count=count)
    rel = set(relation_predicates())
    for u, v, k in sorted(g.edges(keys=True)):
        if k in rel and u in out and v in out:
            out.add_edge(u, v, key=k, relation=k)
    return out


def _values(var: str, iris) -> str:
    return f"VALUES ?{var} {{ {' '.join(URIRef(i).n3() for i in sorted(iris))} }}"


def load_overview(graph: Graph, top: int = TOP) -> nx.MultiDiGraph:
    """The same graph as ``overview(to_networkx(graph))``, from aggregate queries on the store.

    Args:
        graph: the store's dataset (or an rdflib ``Dataset`` with ``default_union=True``): the
            per-report counts read the report graphs.
        top: how many entities besides forces to draw.
    """
    def rows(query: str):
        return graph.query(PREFIXES + query)

    force_of = {str(r): str(f) for r, f in rows("SELECT DISTINCT ?r ?f WHERE { ?r pol:inspectedForce ?f }")}
    in_report = dict.fromkeys(force_of, 0)
    # A report's findings are in its own graph: counting there is 8 times faster than pol:inReport.
    for r, n in rows("SELECT ?r (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?r { ?x a pol:Finding } } GROUP BY ?r"):
        if str(r) in in_report:
            in_report[str(r)] = int(n)
    out = nx.MultiDiGraph(overview=True, reports=len(force_of), findings=sum(in_report.values()))
    for f in sorted(set(force_of.values())):
        reports = sorted(r for r, x in force_of.items() if x == f)
        out.add_node(f, type=FORCE, label=f.rsplit("/", 1)[-1], aliases=[], reports=reports, holds={}, findings=0,
                     finding_count=sum(in_report[r] for r in reports))
    types = " ".join(f"pol:{t}" for t in FORCE_INTERNAL)
    for f, t, n in rows(f"""SELECT ?f ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?t {{ {types} }}
            GRAPH ?r {{ ?e a ?t }} ?r pol:inspectedForce ?f }} GROUP BY ?f ?t"""):
        if str(f) in out:
            out.nodes[str(f)]["holds"][str(t).rsplit("#", 1)[-1]] = int(n)
    for f in out:
        out.nodes[f]["holds"] = dict(sorted(out.nodes[f]["holds"].items()))
    national = " ".join(f"pol:{t}" for t in entity_types() if t not in (*FORCE_INTERNAL, FORCE))
    per_force: dict[str, dict[str, int]] = {}
    # pol:cites has domain pol:Finding, and a finding is in its report's graph: reading the link
    # there halves the time of joining pol:inReport and the type (the costliest query here).
    for e, r, n in rows(f"""SELECT ?e ?r (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?t {{ {national} }}
            ?e a ?t . GRAPH ?r {{ ?x pol:cites ?e }} }} GROUP BY ?e ?r"""):
        if str(r) in force_of:
            counts = per_force.setdefault(str(e), {})
            counts[force_of[str(r)]] = counts.get(force_of[str(r)], 0) + int(n)
    # Labels (the last tie-break) only for the entities that can make the cut: those ranked
    # within ``top`` by counts alone, and any tied with the last of them.
    by_counts = sorted(per_force, key=lambda e: _rank(per_force[e], "", "")[:2])
    if len(by_counts) > top > 0:
        last = _rank(per_force[by_counts[top - 1]], "", "")[:2]
        by_counts = [e for e in by_counts if _rank(per_force[e], "", "")[:2] <= last]
    attrs = _labels(rows, set(by_counts[:top] if top <= 0 else by_counts) | set(out))
    for f in list(out):
        out.nodes[f].update(label=attrs[f]["label"], aliases=attrs[f]["aliases"])
    ranked = sorted((_rank(per_force[e], attrs[e]["label"], e), e) for e in by_counts)
    for _, e in ranked[:top]:
        out.add_node(e, **_entity(attrs[e]), forces=len(per_force[e]), findings=sum(per_force[e].values()))
        for f, count in sorted(per_force[e].items()):
            out.add_edge(f, e, key="cited", relation="cited", count=count)
    drawn = [n for n in out if out.nodes[n]["type"] != FORCE] + [n for n in out if out.nodes[n]["type"] == FORCE]
    if drawn:
        preds = " ".join(f"pol:{p}" for p in relation_predicates())
        found = {(str(s), str(o), str(p).rsplit("#", 1)[-1]) for s, p, o in rows(
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_values('s', drawn)} {_values('o', drawn)} VALUES ?p {{ {preds} }} "
            "?s ?p ?o }")}
        for s, o, p in sorted(found):
            out.add_edge(s, o, key=p, relation=p)
    return out


def _labels(rows, nodes: set[str]) -> dict[str, dict]:
    """Type, label and aliases of each node, as ``to_networkx`` reads them."""
    out = {n: {"type": "", "label": n.rsplit("/", 1)[-1], "aliases": set()} for n in nodes}
    if not nodes:
        return {}
    types = " ".join(f"pol:{t}" for t in entity_types())
    for n, t in rows(f"SELECT DISTINCT ?n ?t WHERE {{ {_values('n', nodes)} VALUES ?t {{ {types} }} ?n a ?t }}"):
        out[str(n)]["type"] = str(t).rsplit("#", 1)[-1]
    for n, pref, alt in rows(f"""SELECT DISTINCT ?n ?l ?a WHERE {{ {_values('n', nodes)}
            {{ ?n skos:prefLabel ?l }} UNION {{ ?n skos:altLabel ?a }} }}"""):
        if pref is not None:
            out[str(n)]["label"] = str(pref)
        else:
            out[str(n)]["aliases"].add(str(alt))
    for attrs in out.values():
        attrs["aliases"] = sorted(a for a in attrs["aliases"] if a != attrs["label"])
    return out


def drawable_count(graph: Graph) -> int:
    """How many entities, frameworks and reports the store holds (what a detail page would draw)."""
    classes = " ".join(f"pol:{t}" for t in node_types() if t not in ("Finding", "Report")) + " pol:InspectionReport"
    (n,), = graph.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ VALUES ?t {{ {classes} }} ?n a ?t }}")
    return int(n)


def catalogue(graph: Graph) -> nx.MultiDiGraph:
    """Reports and forces only (labels, aliases, ``inspectedForce`` edges): enough to name them.

    ``views.match_reports`` and ``views.reports_of_force`` read it as they read a full network.
    """
    out = nx.MultiDiGraph()
    for r, title, year, force in graph.query(PREFIXES + """SELECT DISTINCT ?r ?t ?y ?f WHERE {
            ?r a pol:InspectionReport . OPTIONAL { ?r dcterms:title ?t } OPTIONAL { ?r pol:assessmentYear ?y }
            OPTIONAL { ?r pol:inspectedForce ?f } }"""):
        out.add_node(str(r), type="Report", label=str(title or str(r).rsplit("/", 1)[-1]), aliases=[],
                     reports=[str(r)], year=str(year or ""))
        if force is not None:
            out.add_edge(str(r), str(force), key="inspectedForce", relation="inspectedForce")
    forces = [n for n in out if "type" not in out.nodes[n]]
    for f, attrs in _labels(lambda q: graph.query(PREFIXES + q), set(forces)).items():
        out.nodes[f].update(attrs, reports=[])
    return out


def scoped_store(gs, reports: set[str]):
    """An in-memory store holding only these report graphs and the ontology (and their union as the
    default graph), copied quad by quad inside pyoxigraph: no rdflib term conversion.

    Returns:
        A ``GraphStore`` to use as a context manager.
    """
    import pyoxigraph as ox

    from policekg.graph.store import GraphStore
    from policekg.ontology import ONTOLOGY_IRI

    memory = ox.Store()
    # The ontology graph too: finding kinds take their labels from it.
    for name in [*sorted(reports), str(ONTOLOGY_IRI)]:
        quads = list(gs.inner.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        memory.extend(quads)
        memory.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return GraphStore(memory, None)
