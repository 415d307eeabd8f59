"""The RDF graph as a typed networkx graph: one function that the HTML view, the analytics and the
GraphML / GEXF export all use.

Nodes are the things a reader looks at: policing entities, frameworks, findings and reports. Each
node carries ``type`` (``Division``, ``System``..., ``Framework``, ``Finding``, ``Report``),
``label``, ``aliases`` and ``reports`` (the IRIs of the reports it appears in); findings add their
kind, framework, grade, report, verbatim text and the offsets of the entities they mention. Edges
are keyed by relation (``cites``, ``interfacesWith``, ``ofFramework``, ``broader``, ``judged``...):
several relations can join one pair, hence a ``MultiDiGraph``.

Provenance nodes (mentions, assertions, judgements) become attributes rather than nodes: a graph
of 700 findings is already at the limit of what a reader can take in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from policekg.extract import model
from policekg.extract.model import ENTITY_TYPES
from policekg.ontology import ONTOLOGY_IRI, PREFIXES
from policekg.queries.light import select

FRAMEWORK = "Framework"
FINDING = "Finding"
REPORT = "Report"
NODE_TYPES = (*ENTITY_TYPES, FRAMEWORK, FINDING, REPORT)


def entity_types() -> tuple[str, ...]:
    """The entity types of ``policekg.extract.model``, read when called: a type added there is drawn."""
    return model.ENTITY_TYPES


def node_types() -> tuple[str, ...]:
    return (*entity_types(), FRAMEWORK, FINDING, REPORT)


def _classes() -> dict[str, str]:
    return {**{t: t for t in entity_types()}, FRAMEWORK: FRAMEWORK, FINDING: FINDING, REPORT: "InspectionReport"}
EXPORT_FORMATS = ("graphml", "gexf")


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(graph: Graph, query: str) -> list[tuple]:
    # DISTINCT everywhere: a Dataset read with default_union=True repeats shared nodes (frameworks,
    # national entities) once per report graph; the store's own deduplicated default graph does not.
    # Plain strings (straight from pyoxigraph for a store): every use here takes str() or int() of a
    # value, and making rdflib terms of a national store's rows took longer than the queries (4.6 s
    # of a 9 s `visualise --focus` at 1,000 reports).
    return [tuple(row.values()) for row in select(graph, PREFIXES + query)[1]]


def to_networkx(graph: Graph, *, findings: bool = True, reports=None, anchors=None) -> nx.MultiDiGraph:
    """Turn the policekg RDF graph into a typed ``nx.MultiDiGraph``.

    Args:
        graph: the store's ``dataset`` (its default graph is the deduplicated union of the report
            graphs), an rdflib ``Dataset`` with ``default_union=True``, or a plain ``Graph``; with a
            plain graph, a node's reports come from ``pol:inReport`` and judgements only.
        findings: False leaves findings out (tens of thousands in a national store); the
            ``findings`` counts are computed either way.
        reports: convert only the findings of these report IRIs (None: of every report).
        anchors: convert only the findings that cite one of these IRIs or sit under one (framework)
            or in one (report); None: no such restriction.

    Returns:
        The graph, node ids being the RDF IRIs as strings. Node attributes: ``type``, ``label``,
        ``aliases`` (list), ``reports`` (list of report IRIs), ``findings`` (how many findings cite
        an entity or sit under a framework); findings add ``kind``, ``kind_label``, ``framework``,
        ``grade``, ``report``, ``text``, ``ordinal``, ``section``, ``start`` and ``mentions`` (list
        of ``[start, end, entity]`` offsets relative to the finding's text); frameworks add
        ``notation`` and ``level``; reports add ``year`` and ``report_kind``. Edge keys (and the
        ``relation`` attribute) are the relation's local name.
    """
    g = nx.MultiDiGraph()
    classes = _classes()
    # Findings are added by _findings, and only those in scope: most views draw few of them.
    types = " ".join(f"pol:{c}" for t, c in classes.items() if t != FINDING)
    by_class = {v: k for k, v in classes.items()}
    # GRAPH ?g tells which report graph declares each node; a plain Graph has no named graphs.
    named = isinstance(graph, Dataset)
    pattern = "GRAPH ?g { ?n a ?t }" if named else "?n a ?t"
    for n, t, gname in _rows(graph, f"SELECT DISTINCT ?n ?t ?g WHERE {{ VALUES ?t {{ {types} }} {pattern} }}"):
        node = str(n)
        if node not in g:
            g.add_node(node, type=by_class[_local(t)], label=_local(n), aliases=[], reports=[], findings=0)
        if gname is not None and URIRef(gname) != ONTOLOGY_IRI and str(gname) not in g.nodes[node]["reports"]:
            g.nodes[node]["reports"].append(str(gname))

    def has(node) -> bool:
        return str(node) in g

    for n, pref, alt in _rows(graph, """SELECT DISTINCT ?n ?l ?a WHERE {
            { ?n skos:prefLabel ?l } UNION { ?n skos:altLabel ?a } UNION { ?n dcterms:title ?l }
            FILTER NOT EXISTS { ?n a pol:Finding } }"""):
        if not has(n):
            continue
        attrs = g.nodes[str(n)]
        if pref is not None:
            attrs["label"] = str(pref)
        elif str(alt) not in attrs["aliases"]:
            attrs["aliases"].append(str(alt))
    _frameworks(graph, g)
    _reports(graph, g)
    _counts(graph, g, named)
    if findings:
        _findings(graph, g, _scope(reports, anchors))
    _relations(graph, g)
    for attrs in g.nodes.values():
        attrs["aliases"] = sorted(a for a in attrs["aliases"] if a != attrs["label"])
        attrs["reports"].sort()
    return g


def _frameworks(graph: Graph, g: nx.MultiDiGraph) -> None:
    # One predicate per query, no join on the type: with a default_union Dataset every report
    # graph of a regime repeats its frameworks, and a join would multiply those repeats.
    frameworks = {n for n, t in g.nodes(data="type") if t == FRAMEWORK}
    for f in frameworks:
        g.nodes[f].update(notation="", level="")
    for pred, attr in (("skos:notation", "notation"), ("pol:frameworkLevel", "level")):
        for f, value in _rows(graph, f"SELECT DISTINCT ?f ?x WHERE {{ ?f {pred} ?x }}"):
            if str(f) in frameworks:
                g.nodes[str(f)][attr] = str(value)
    for f, broader in _rows(graph, "SELECT DISTINCT ?f ?b WHERE { ?f skos:broader ?b }"):
        if str(f) in frameworks and str(broader) in frameworks:
            g.add_edge(str(f), str(broader), key="broader", relation="broader")


def _reports(graph: Graph, g: nx.MultiDiGraph) -> None:
    for r, kind, year, force in _rows(graph, """SELECT DISTINCT ?r ?k ?y ?f WHERE { ?r a pol:InspectionReport .
            OPTIONAL { ?r pol:reportKind ?k } OPTIONAL { ?r pol:assessmentYear ?y }
            OPTIONAL { ?r pol:inspectedForce ?f } }"""):
        attrs = g.nodes[str(r)]
        attrs.update(report_kind=str(kind or ""), year=str(year or ""), reports=[str(r)])
        if force is not None and str(force) in g:
            g.add_edge(str(r), str(force), key="inspectedForce", relation="inspectedForce")
    # A judgement is the report's grade for a framework: an edge report -> framework.
    for r, f, grade, direction in _rows(graph, """SELECT DISTINCT ?r ?f ?gr ?d WHERE { ?j a pol:Judgement ;
            pol:inReport ?r ; pol:ofFramework ?f . OPTIONAL { ?j pol:grade ?gr }
            OPTIONAL { ?j pol:directionOfTravel ?d } }"""):
        if str(r) in g and str(f) in g:
            g.add_edge(str(r), str(f), key="judged", relation="judged", grade=str(grade or ""),
                       direction=str(direction or ""))
            if str(r) not in g.nodes[str(f)]["reports"]:
                g.nodes[str(f)]["reports"].append(str(r))


def _counts(graph: Graph, g: nx.MultiDiGraph, named: bool) -> None:
    # Counted in the store, not from converted findings: a view that leaves findings out still
    # sizes each node by the findings that cite it (or sit under it, for a framework), and the
    # overview sums an entity's findings per force from ``by_report``. In a store, a finding's
    # report is the graph holding it: read off one index, these counts took a fifth of the time
    # that joining each citation to its finding's type and report did (0.6 s against 3.3 s at
    # 1,000 reports). pol:cites has the domain pol:Finding, and one finding cites an entity once.
    cited = ("SELECT ?n ?r (COUNT(?f) AS ?c) WHERE { GRAPH ?r { ?f pol:cites ?n } } GROUP BY ?n ?r" if named else
             "SELECT ?n ?r (COUNT(DISTINCT ?f) AS ?c) WHERE { ?f a pol:Finding ; pol:cites ?n ; pol:inReport ?r } "
             "GROUP BY ?n ?r")
    per_report = ("SELECT ?n (COUNT(?f) AS ?c) WHERE { GRAPH ?n { ?f a pol:Finding } } GROUP BY ?n" if named else
                  "SELECT ?n (COUNT(DISTINCT ?f) AS ?c) WHERE { ?f a pol:Finding ; pol:inReport ?n } GROUP BY ?n")
    for n, r, count in _rows(graph, cited):
        attrs = g.nodes.get(str(n))
        if attrs is not None:
            attrs.setdefault("by_report", {})[str(r)] = int(count)
    for n, count in _rows(graph, """SELECT ?n (COUNT(DISTINCT ?f) AS ?c) WHERE {
            ?f a pol:Finding ; pol:ofFramework ?n } GROUP BY ?n"""):
        if str(n) in g:
            g.nodes[str(n)]["findings"] = int(count)
    for n, count in _rows(graph, per_report):
        if str(n) in g:
            g.nodes[str(n)]["finding_count"] = int(count)
    for attrs in g.nodes.values():
        if "by_report" in attrs:
            attrs["by_report"] = dict(sorted(attrs["by_report"].items()))
            # A finding is in one report, so the per-report counts add up to the total.
            attrs["findings"] = sum(attrs["by_report"].values())


def add_findings(graph: Graph, g: nx.MultiDiGraph, *, reports=None, anchors=None) -> None:
    """Convert findings into ``g`` (a graph from ``to_networkx(..., findings=False)``), in place.

    Args:
        graph: the RDF graph ``g`` was made from.
        g: the typed network to add them to.
        reports, anchors: which findings, as for ``to_networkx``.
    """
    _findings(graph, g, _scope(reports, anchors))
    for attrs in g.nodes.values():
        attrs["reports"].sort()


def count_findings(graph: Graph, *, reports=None, anchors=None) -> int:
    """How many findings ``add_findings`` would convert with these arguments (one COUNT query)."""
    (n,), = _rows(graph, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {_scope(reports, anchors)} }}")
    return int(n)


def _scope(reports, anchors) -> str:
    """SPARQL that binds ?f to the findings to convert (and their report to ?r)."""
    # The most selective pattern first: Oxigraph joins in the order written (and one VALUES
    # outside the UNION: repeated inside each branch, it made the query 200 times slower).
    where = "?f a pol:Finding ; pol:inReport ?r ."
    if anchors is not None:
        values = f"VALUES ?a {{ {' '.join(URIRef(a).n3() for a in sorted(anchors))} }}"
        where = (f"{values} {{ ?f pol:cites ?a }} UNION {{ ?f pol:ofFramework ?a }} UNION {{ ?f pol:inReport ?a }} "
                 + where)
    if reports is not None:
        where += f" VALUES ?r {{ {' '.join(URIRef(r).n3() for r in sorted(reports))} }}"
    return where


def _findings(graph: Graph, g: nx.MultiDiGraph, scope: str) -> None:
    grades = {(r, f): d.get("grade", "") for r, f, k, d in g.edges(keys=True, data=True) if k == "judged"}
    for row in _rows(graph, f"""SELECT DISTINCT ?f ?v ?s ?k ?kl ?fw ?r ?o ?sec ?t WHERE {{ {scope} ?f
            rdf:value ?v ; pol:start ?s .
            OPTIONAL {{ ?f pol:findingKind ?k OPTIONAL {{ ?k rdfs:label ?kl }} }}
            OPTIONAL {{ ?f pol:ofFramework ?fw }} OPTIONAL {{ ?f pol:ordinal ?o }}
            OPTIONAL {{ ?f pol:section ?sec }} OPTIONAL {{ ?f dcterms:title ?t }} }}"""):
        f, value, start, kind, kind_label, fw, report, ordinal, section, title = row
        if str(f) not in g:
            g.add_node(str(f), type=FINDING, aliases=[], reports=[], findings=0)
        attrs = g.nodes[str(f)]
        kind = _local(kind) if kind is not None else ""
        label = str(title) if title is not None else f"{kind_label or kind} {ordinal or ''}".strip()
        attrs.update(
            label=label, kind=kind, kind_label=str(kind_label or kind), text=str(value),
            start=int(start), report=str(report), ordinal=int(ordinal or 0), section=str(section or ""),
            framework=str(fw or ""), grade=grades.get((str(report), str(fw)), ""), mentions=[],
        )
        if str(report) not in attrs["reports"]:
            attrs["reports"].append(str(report))
        if fw is not None and str(fw) in g:
            g.add_edge(str(f), str(fw), key="ofFramework", relation="ofFramework")
    for f, e in _rows(graph, f"SELECT DISTINCT ?f ?e WHERE {{ {scope} ?f pol:cites ?e }}"):
        if str(f) in g and str(e) in g:
            g.add_edge(str(f), str(e), key="cites", relation="cites")
    for f, e, s, end in _rows(graph, f"""SELECT DISTINCT ?f ?e ?s ?end WHERE {{ {scope} ?m a pol:Mention ;
            pol:inFinding ?f ; pol:mentions ?e ; pol:start ?s ; pol:end ?end }}"""):
        attrs = g.nodes.get(str(f))
        if attrs is None or "start" not in attrs:
            continue
        # Offsets in the store are into the report text; the card highlights the finding's text.
        attrs["mentions"].append([int(s) - attrs["start"], int(end) - attrs["start"], str(e)])
    for attrs in g.nodes.values():
        if "mentions" in attrs:
            attrs["mentions"].sort()


def _relations(graph: Graph, g: nx.MultiDiGraph) -> None:
    preds = " ".join(f"pol:{p}" for p in model.RELATION_PREDICATES)
    for s, p, o in _rows(graph, f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o }}"):
        if str(s) in g and str(o) in g:
            g.add_edge(str(s), str(o), key=_local(p), relation=_local(p))


def load_network(store: str | Path | None = None) -> nx.MultiDiGraph:
    """The store's graph (all reports) as a typed networkx graph; see ``to_networkx``.

    Raises:
        StoreError: the store cannot be opened.
    """
    from policekg.graph.store import open_store

    with open_store(store) as gs:
        return to_networkx(gs.dataset)


def _flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers: GraphML and GEXF hold no lists."""
    out = nx.MultiDiGraph()
    for n, attrs in g.nodes(data=True):
        out.add_node(n, **{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                           for k, v in attrs.items()})
    for u, v, k, attrs in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **attrs)
    return out


def export_network(g: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as GraphML (Cytoscape, yEd) or GEXF (Gephi) text; list attributes become JSON.

    Raises:
        InputError: ``fmt`` is not ``graphml`` or ``gexf``.
    """
    from policekg.errors import InputError

    flat = _flat(g)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat)) + "\n"
    if fmt == "gexf":
        # networkx stamps today's date into <meta>; drop it so the same graph gives the same file.
        text = "\n".join(nx.generate_gexf(flat)) + "\n"
        return re.sub(r' lastmodifieddate="[^"]*"', "", text)
    raise InputError(f"unknown network format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
