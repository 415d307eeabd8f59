"""Turn one parsed report and what the NLP pipeline found in it into an RDF graph.

The graph holds everything about the report, including a description of every entity it cites,
so that each report's graph stands alone: replacing one report's graph never strips another
report's entities of their labels.
"""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from policekg import __version__
from policekg.extract.model import BASELINE, DIVISION, FORCE, PEEL, UNIT, Extraction, Framework, Report
from policekg.graph import iris
from policekg.ontology import NAMESPACES, ONTOLOGY_IRI, POL

OGL = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
PUBLISHERS = {
    BASELINE: "Her Majesty's Inspectorate of Constabulary (HMIC)",
    PEEL: "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)",
}
PREFIXES = NAMESPACES  # defined once, in policekg.ontology


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def calendar_year(year: str) -> str | None:
    """The calendar year of a period as written: ``2005/06`` -> ``2006``, ``2019`` -> ``2019``."""
    m = re.search(r"((?:19|20)\d\d)(?:\s*[/\u2013-]\s*(\d{2,4}))?", year or "")
    if not m:
        return None
    if not m.group(2):
        return m.group(1)
    tail = m.group(2)
    return m.group(1)[: 4 - len(tail)] + tail


def _framework_index(report: Report) -> dict[str, URIRef]:
    """Framework code or title -> IRI, so findings and parents can name them either way."""
    index: dict[str, URIRef] = {}
    for fw in report.frameworks:
        iri = iris.framework_iri(report.kind, fw.code, fw.title)
        if iri is None:
            continue
        for key in (fw.code, fw.title):
            if key:
                index.setdefault(key, iri)
    return index


def _add_frameworks(g: Graph, report: Report, rep: URIRef, fw_index: dict[str, URIRef]) -> None:
    scheme = iris.scheme_iri(report.kind)
    if scheme is None:
        return
    g.add((rep, POL.regime, scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(iris.REGIMES[report.kind][1], lang="en")))
    for fw in report.frameworks:
        node = fw_index.get(fw.code or fw.title)
        if node is None:
            continue
        g.add((node, RDF.type, POL.Framework))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.prefLabel, Literal(fw.title, lang="en")))
        g.add((node, POL.frameworkLevel, Literal(fw.level)))
        if fw.code:
            g.add((node, SKOS.notation, Literal(fw.code)))
        parent = fw_index.get(fw.parent or "")
        if parent is not None:
            g.add((node, SKOS.broader, parent))
        else:
            g.add((scheme, SKOS.hasTopConcept, node))
        _add_judgement(g, rep, node, fw)


def _add_judgement(g: Graph, rep: URIRef, framework: URIRef, fw: Framework) -> None:
    if not (fw.grade or fw.direction or fw.last_inspected or fw.national_distribution):
        return
    node = URIRef(f"{rep}/judgement/{fw.code or iris.slug(fw.title)}")
    g.add((node, RDF.type, POL.Judgement))
    g.add((node, POL.inReport, rep))
    g.add((node, POL.ofFramework, framework))
    if fw.grade:
        g.add((node, POL.grade, Literal(fw.grade)))
    if fw.direction:
        g.add((node, POL.directionOfTravel, Literal(fw.direction)))
    if fw.last_inspected:
        g.add((node, POL.lastInspected, Literal(fw.last_inspected)))
    for grade, count in sorted(fw.national_distribution.items()):
        cell = URIRef(f"{node}/national/{iris.slug(grade)}")
        g.add((node, POL.nationalGrade, cell))
        g.add((cell, RDF.type, POL.GradeCount))
        g.add((cell, POL.grade, Literal(grade)))
        g.add((cell, POL.forceCount, Literal(count)))


def _add_findings(g: Graph, report: Report, rep: URIRef, fw_index: dict[str, URIRef]) -> None:
    for f in report.findings:
        node = iris.finding_iri(rep, f.ordinal)
        g.add((node, RDF.type, POL.Finding))
        g.add((node, POL.inReport, rep))
        g.add((node, PROV.wasDerivedFrom, rep))
        g.add((node, POL.findingKind, POL[f.kind]))
        g.add((node, POL.ordinal, Literal(f.ordinal)))
        g.add((node, RDF.value, Literal(f.text)))
        g.add((node, POL.start, Literal(f.start)))
        g.add((node, POL.end, Literal(f.end)))
        framework = fw_index.get(f.framework or "")
        if framework is not None:
            g.add((node, POL.ofFramework, framework))
        if f.section:
            g.add((node, POL.section, Literal(f.section)))
        if f.page is not None:
            g.add((node, POL.page, Literal(f.page)))
        for prop, value in (
            (DCTERMS.title, f.title), (POL.problem, f.problem),
            (POL.solution, f.solution), (POL.outcome, f.outcome),
        ):
            if value:
                g.add((node, prop, Literal(value)))


def _add_entities(g: Graph, report: Report, extraction: Extraction, force: URIRef) -> dict:
    figures = {("Division", d.name): d for d in report.divisions}
    figures.update({("CDRP", c.name): c for c in report.cdrps})
    nodes = {}
    for e in extraction.entities:
        node = iris.entity_iri(e.type, e.label, e.scope, report.force)
        nodes[e.key] = node
        g.add((node, RDF.type, POL[e.type]))
        g.add((node, SKOS.prefLabel, Literal(e.label)))
        for alias in sorted(e.aliases - {e.label}):
            g.add((node, SKOS.altLabel, Literal(alias)))
        g.add((node, POL.scope, Literal(e.scope)))
        g.add((node, POL.source, Literal(e.source)))
        if e.note:
            g.add((node, SKOS.note, Literal(e.note)))
        if e.type in (DIVISION, UNIT) and e.scope == "force":
            g.add((node, ORG.unitOf, force))
        info = figures.get(e.key) or next(
            (figures[(e.type, a)] for a in sorted(e.aliases) if (e.type, a) in figures), None
        )
        if info is not None:
            if info.population is not None:
                g.add((node, POL.population, Literal(info.population)))
            if info.households is not None:
                g.add((node, POL.households, Literal(info.households)))
            if getattr(info, "description", ""):
                g.add((node, DCTERMS.description, Literal(info.description)))
    return nodes


def _add_mentions(g: Graph, rep: URIRef, extraction: Extraction, nodes: dict) -> None:
    per_finding: dict[int, int] = {}
    for m in sorted(extraction.mentions, key=lambda m: (m.finding or 0, m.start, m.end)):
        if m.finding is None or m.entity not in nodes:
            continue
        finding = iris.finding_iri(rep, m.finding)
        per_finding[m.finding] = per_finding.get(m.finding, 0) + 1
        node = URIRef(f"{finding}/mention/{per_finding[m.finding]}")
        entity = nodes[m.entity]
        g.add((finding, POL.cites, entity))
        g.add((node, RDF.type, POL.Mention))
        g.add((node, POL.inFinding, finding))
        g.add((node, POL.mentions, entity))
        g.add((node, POL.surface, Literal(m.surface)))
        g.add((node, POL.start, Literal(m.start)))
        g.add((node, POL.end, Literal(m.end)))
        g.add((node, POL.method, Literal(m.method)))


def _add_relations(g: Graph, rep: URIRef, extraction: Extraction, nodes: dict) -> None:
    for r in extraction.relations:
        if r.subject not in nodes or r.object not in nodes:
            continue
        s, p, o = nodes[r.subject], POL[r.predicate], nodes[r.object]
        g.add((s, p, o))
        node = URIRef(f"{rep}/assertion/{iris.digest(s, p, o, r.start)}")
        g.add((node, RDF.type, POL.Assertion))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, POL.sentence, Literal(r.sentence)))
        g.add((node, POL.start, Literal(r.start)))
        g.add((node, POL.end, Literal(r.end)))
        g.add((node, POL.method, Literal(r.method)))
        g.add((node, POL.inReport, rep))
        source = iris.finding_iri(rep, r.finding) if r.finding is not None else rep
        g.add((node, PROV.wasDerivedFrom, source))


def _add_glossary(g: Graph, report: Report, rep: URIRef) -> None:
    if not report.glossary:
        return
    scheme = URIRef(f"{rep}/glossary")
    g.add((rep, POL.glossary, scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(f"Glossary of {report.title}", lang="en")))
    for entry in report.glossary:
        node = URIRef(f"{scheme}/{iris.slug(entry.abbreviation)}")
        g.add((node, RDF.type, POL.GlossaryEntry))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.notation, Literal(entry.abbreviation)))
        g.add((node, SKOS.prefLabel, Literal(entry.expansion)))
        g.add((node, POL.inReport, rep))
        g.add((node, POL.start, Literal(entry.start)))
        g.add((node, POL.end, Literal(entry.end)))


def build_graph(report: Report, extraction: Extraction) -> Graph:
    """Build the RDF graph of one report.

    Args:
        report: the parsed report.
        extraction: entities, mentions and relations found in it.

    Returns:
        A new in-memory graph; its IRIs depend only on the report's content.
    """
    # SimpleMemory: a single graph needs no context bookkeeping, and adds are twice as fast.
    g = bind_prefixes(Graph(store="SimpleMemory"))
    rep = iris.report_identity(report)
    force = iris.force_iri(report.force)
    g.add((rep, RDF.type, POL.InspectionReport))
    g.add((rep, DCTERMS.title, Literal(report.title, lang="en")))
    g.add((rep, POL.reportKind, Literal(report.kind)))
    g.add((rep, POL.assessmentYear, Literal(report.year)))
    year = calendar_year(report.year) or calendar_year(report.published or "")
    if year:
        g.add((rep, POL.year, Literal(year, datatype=XSD.gYear)))
    if report.published:
        g.add((rep, DCTERMS.issued, Literal(report.published)))
    if report.identifier:
        g.add((rep, DCTERMS.identifier, Literal(report.identifier)))
    if report.kind in PUBLISHERS:
        g.add((rep, DCTERMS.publisher, Literal(PUBLISHERS[report.kind])))
    g.add((rep, DCTERMS.license, OGL))
    g.add((rep, POL.inspectedForce, force))
    g.add((rep, POL.sourceFile, Literal(report.source_name)))
    g.add((rep, POL.sourceFormat, Literal(report.source_format)))
    if report.sha256:
        g.add((rep, POL.sha256, Literal(report.sha256)))
    g.add((rep, POL.normalisedText, Literal(report.text)))
    g.add((rep, PROV.wasAttributedTo, URIRef(f"https://w3id.org/policekg/software/{__version__}")))
    g.add((rep, DCTERMS.conformsTo, ONTOLOGY_IRI))
    g.add((force, RDF.type, POL.Force))
    g.add((force, SKOS.prefLabel, Literal(report.force)))
    g.add((force, POL.scope, Literal("national")))

    fw_index = _framework_index(report)
    _add_frameworks(g, report, rep, fw_index)
    _add_findings(g, report, rep, fw_index)
    nodes = _add_entities(g, report, extraction, force)
    nodes.setdefault((FORCE, report.force), force)
    _add_mentions(g, rep, extraction, nodes)
    _add_relations(g, rep, extraction, nodes)
    _add_glossary(g, report, rep)
    return g
