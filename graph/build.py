"""Turn one parsed report and what the NLP pipeline found in it into RDF: N-Triples text or a graph.

The graph holds everything about the report, including a description of every entity it cites,
so that each report's graph stands alone: replacing one report's graph never strips another
report's entities of their labels.

One set of functions says which triples a report makes, through an ``add(subject, predicate,
object)`` callable: IRIs are strings (``URIRef`` is one), literals are ``lit(...)`` values.
``build_ntriples`` writes them straight to N-Triples, which is what the store loads: a 20 MB report
has millions of triples, and an rdflib ``Graph`` of them (with an rdflib term per IRI and literal)
cost gigabytes and most of the build's time. ``build_graph`` adds the same triples to an rdflib
``Graph`` for callers that want one; a test checks that both hold the same triples.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.plugins.serializers.nt import _quoteLiteral

from policekg import __version__
from policekg import ontology as _ontology
from policekg.extract.model import BASELINE, DIVISION, FORCE, PEEL, UNIT, Extraction, Framework, Report
from policekg.graph import iris
from policekg.ontology import NAMESPACES, ONTOLOGY_IRI

OGL = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
PUBLISHERS = {
    BASELINE: "Her Majesty's Inspectorate of Constabulary (HMIC)",
    PEEL: "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)",
}
PREFIXES = NAMESPACES  # defined once, in policekg.ontology

Lit = tuple  # (value, datatype IRI or None, language or None): see ``lit``
Add = Callable[[str, str, "str | Lit"], None]


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> Lit:
    """A literal for ``add``: what ``rdflib.Literal(value, datatype=..., lang=...)`` would be,
    without building one (an rdflib literal costs about ten microseconds).

    >>> lit(12), lit("Good", lang="en")
    ((12, None, None), ('Good', None, 'en'))
    """
    return (value, datatype, lang)


class _Terms:
    """A namespace's terms as plain strings, each looked up once: reading a ``DefinedNamespace``
    attribute costs microseconds, and a long report makes millions of triples. A name the
    namespace does not define still raises, as the namespace does."""

    def __init__(self, namespace):
        self._namespace = namespace
        self._items: dict[str, str] = {}

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)  # an instance attribute: the next lookup does not get here
        return value

    def __getitem__(self, name: str) -> str:
        value = self._items.get(name)
        if value is None:
            value = self._items[name] = str(self._namespace[name])
        return value


POL, RDF, XSD = _Terms(_ontology.POL), _Terms(rdfns.RDF), _Terms(rdfns.XSD)
DCTERMS, ORG, PROV, SKOS = (_Terms(ns) for ns in (rdfns.DCTERMS, rdfns.ORG, rdfns.PROV, rdfns.SKOS))
VOID = _Terms(rdfns.VOID)


def nt_term(term: str | Lit) -> str:
    """One term as N-Triples writes it, exactly as rdflib's serialiser does.

    >>> nt_term("https://example.org/a"), nt_term(lit(3)), nt_term(lit("Good"))
    ('<https://example.org/a>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"Good"')
    """
    if type(term) is not tuple:
        return f"<{term}>"
    value, datatype, lang = term
    if datatype is None and lang is None:
        if type(value) is str:
            return '"' + value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
        if type(value) is int:
            return f'"{value}"^^<{_INTEGER}>'
    # Anything else (a language tag, a datatype, another Python type) is rare: rdflib writes it.
    return _quoteLiteral(Literal(value, datatype=datatype, lang=lang))


_INTEGER = str(rdfns.XSD.integer)


class NTriples:
    """Triples as N-Triples lines, each kept once (as in a graph); ``text`` writes them sorted."""

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}  # an ordered set: a triple added twice is written once

    def add(self, s: str, p: str, o: str | Lit) -> None:
        self._lines[f"<{s}> <{p}> {nt_term(o)} .\n"] = None

    def __len__(self) -> int:
        return len(self._lines)

    def text(self) -> str:
        """The lines in sorted order: the same text for the same triples, in the canonical form the
        store hashes as it stands (``policekg.graph.store.ntriples_digest``)."""
        return "".join(sorted(self._lines))


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


def _add_frameworks(add: Add, report: Report, rep: URIRef, fw_index: dict[str, URIRef]) -> None:
    scheme = iris.scheme_iri(report.kind)
    if scheme is None:
        return
    add(rep, POL.regime, scheme)
    add(scheme, RDF.type, SKOS.ConceptScheme)
    add(scheme, SKOS.prefLabel, lit(iris.REGIMES[report.kind][1], lang="en"))
    for fw in report.frameworks:
        node = fw_index.get(fw.code or fw.title)
        if node is None:
            continue
        add(node, RDF.type, POL.Framework)
        add(node, RDF.type, SKOS.Concept)
        add(node, SKOS.inScheme, scheme)
        add(node, SKOS.prefLabel, lit(fw.title, lang="en"))
        add(node, POL.frameworkLevel, lit(fw.level))
        if fw.code:
            add(node, SKOS.notation, lit(fw.code))
        parent = fw_index.get(fw.parent or "")
        if parent is not None:
            add(node, SKOS.broader, parent)
        else:
            add(scheme, SKOS.hasTopConcept, node)
        _add_judgement(add, rep, node, fw)


def _add_judgement(add: Add, rep: URIRef, framework: URIRef, fw: Framework) -> None:
    if not (fw.grade or fw.direction or fw.last_inspected or fw.national_distribution):
        return
    node = URIRef(f"{rep}/judgement/{fw.code or iris.slug(fw.title)}")
    add(node, RDF.type, POL.Judgement)
    add(node, POL.inReport, rep)
    add(node, POL.ofFramework, framework)
    if fw.grade:
        add(node, POL.grade, lit(fw.grade))
    if fw.direction:
        add(node, POL.directionOfTravel, lit(fw.direction))
    if fw.last_inspected:
        add(node, POL.lastInspected, lit(fw.last_inspected))
    for grade, count in sorted(fw.national_distribution.items()):
        cell = URIRef(f"{node}/national/{iris.slug(grade)}")
        add(node, POL.nationalGrade, cell)
        add(cell, RDF.type, POL.GradeCount)
        add(cell, POL.grade, lit(grade))
        add(cell, POL.forceCount, lit(count))


def _add_findings(add: Add, report: Report, rep: URIRef, fw_index: dict[str, URIRef]) -> None:
    for f in report.findings:
        node = iris.finding_iri(rep, f.ordinal)
        add(node, RDF.type, POL.Finding)
        add(node, POL.inReport, rep)
        add(node, PROV.wasDerivedFrom, rep)
        add(node, POL.findingKind, POL[f.kind])
        add(node, POL.ordinal, lit(f.ordinal))
        add(node, RDF.value, lit(f.text))
        add(node, POL.start, lit(f.start))
        add(node, POL.end, lit(f.end))
        framework = fw_index.get(f.framework or "")
        if framework is not None:
            add(node, POL.ofFramework, framework)
        if f.section:
            add(node, POL.section, lit(f.section))
        if f.page is not None:
            add(node, POL.page, lit(f.page))
        for prop, value in (
            (DCTERMS.title, f.title), (POL.problem, f.problem),
            (POL.solution, f.solution), (POL.outcome, f.outcome),
        ):
            if value:
                add(node, prop, lit(value))


def _add_entities(add: Add, report: Report, extraction: Extraction, force: URIRef) -> dict:
    figures = {("Division", d.name): d for d in report.divisions}
    figures.update({("CDRP", c.name): c for c in report.cdrps})
    nodes = {}
    for e in extraction.entities:
        node = iris.entity_iri(e.type, e.label, e.scope, report.force)
        nodes[e.key] = node
        add(node, RDF.type, POL[e.type])
        add(node, SKOS.prefLabel, lit(e.label))
        for alias in sorted(e.aliases - {e.label}):
            add(node, SKOS.altLabel, lit(alias))
        add(node, POL.scope, lit(e.scope))
        add(node, POL.source, lit(e.source))
        if e.note:
            add(node, SKOS.note, lit(e.note))
        if e.type in (DIVISION, UNIT) and e.scope == "force":
            add(node, ORG.unitOf, force)
        info = figures.get(e.key) or next(
            (figures[(e.type, a)] for a in sorted(e.aliases) if (e.type, a) in figures), None
        )
        if info is not None:
            if info.population is not None:
                add(node, POL.population, lit(info.population))
            if info.households is not None:
                add(node, POL.households, lit(info.households))
            if getattr(info, "description", ""):
                add(node, DCTERMS.description, lit(info.description))
    return nodes


def _add_mentions(add: Add, rep: URIRef, extraction: Extraction, nodes: dict) -> None:
    per_finding: dict[int, int] = {}
    findings: dict[int, str] = {}
    for m in sorted(extraction.mentions, key=lambda m: (m.finding or 0, m.start, m.end)):
        if m.finding is None or m.entity not in nodes:
            continue
        finding = findings.get(m.finding) or findings.setdefault(m.finding, iris.finding_iri(rep, m.finding))
        per_finding[m.finding] = per_finding.get(m.finding, 0) + 1
        node = f"{finding}/mention/{per_finding[m.finding]}"
        entity = nodes[m.entity]
        add(finding, POL.cites, entity)
        add(node, RDF.type, POL.Mention)
        add(node, POL.inFinding, finding)
        add(node, POL.mentions, entity)
        add(node, POL.surface, lit(m.surface))
        add(node, POL.start, lit(m.start))
        add(node, POL.end, lit(m.end))
        add(node, POL.method, lit(m.method))


def _add_relations(add: Add, rep: URIRef, extraction: Extraction, nodes: dict) -> None:
    for r in extraction.relations:
        if r.subject not in nodes or r.object not in nodes:
            continue
        s, p, o = nodes[r.subject], POL[r.predicate], nodes[r.object]
        add(s, p, o)
        node = URIRef(f"{rep}/assertion/{iris.digest(s, p, o, r.start)}")
        add(node, RDF.type, POL.Assertion)
        add(node, RDF.subject, s)
        add(node, RDF.predicate, p)
        add(node, RDF.object, o)
        add(node, POL.sentence, lit(r.sentence))
        add(node, POL.start, lit(r.start))
        add(node, POL.end, lit(r.end))
        add(node, POL.method, lit(r.method))
        add(node, POL.inReport, rep)
        source = iris.finding_iri(rep, r.finding) if r.finding is not None else rep
        add(node, PROV.wasDerivedFrom, source)


def _add_glossary(add: Add, report: Report, rep: URIRef) -> None:
    if not report.glossary:
        return
    scheme = URIRef(f"{rep}/glossary")
    add(rep, POL.glossary, scheme)
    add(scheme, RDF.type, SKOS.ConceptScheme)
    add(scheme, SKOS.prefLabel, lit(f"Glossary of {report.title}", lang="en"))
    for entry in report.glossary:
        node = URIRef(f"{scheme}/{iris.slug(entry.abbreviation)}")
        add(node, RDF.type, POL.GlossaryEntry)
        add(node, SKOS.inScheme, scheme)
        add(node, SKOS.notation, lit(entry.abbreviation))
        add(node, SKOS.prefLabel, lit(entry.expansion))
        add(node, POL.inReport, rep)
        add(node, POL.start, lit(entry.start))
        add(node, POL.end, lit(entry.end))


def add_report(add: Add, report: Report, extraction: Extraction) -> None:
    """Make every triple of one report's graph, through ``add(subject, predicate, object)``.

    Args:
        add: called once per triple (possibly more than once with the same triple); IRIs are
            strings, literals ``lit`` values.
        report: the parsed report.
        extraction: entities, mentions and relations found in it.
    """
    rep = iris.report_identity(report)
    force = iris.force_iri(report.force)
    add(rep, RDF.type, POL.InspectionReport)
    add(rep, DCTERMS.title, lit(report.title, lang="en"))
    add(rep, POL.reportKind, lit(report.kind))
    add(rep, POL.assessmentYear, lit(report.year))
    year = calendar_year(report.year) or calendar_year(report.published or "")
    if year:
        add(rep, POL.year, lit(year, datatype=XSD.gYear))
    if report.published:
        add(rep, DCTERMS.issued, lit(report.published))
    if report.identifier:
        add(rep, DCTERMS.identifier, lit(report.identifier))
    if report.kind in PUBLISHERS:
        add(rep, DCTERMS.publisher, lit(PUBLISHERS[report.kind]))
    add(rep, DCTERMS.license, OGL)
    add(rep, POL.inspectedForce, force)
    add(rep, POL.sourceFile, lit(report.source_name))
    add(rep, POL.sourceFormat, lit(report.source_format))
    if report.sha256:
        add(rep, POL.sha256, lit(report.sha256))
    add(rep, POL.normalisedText, lit(report.text))
    add(rep, PROV.wasAttributedTo, URIRef(f"https://w3id.org/policekg/software/{__version__}"))
    add(rep, DCTERMS.conformsTo, ONTOLOGY_IRI)
    add(force, RDF.type, POL.Force)
    add(force, SKOS.prefLabel, lit(report.force))
    add(force, POL.scope, lit("national"))

    fw_index = _framework_index(report)
    _add_frameworks(add, report, rep, fw_index)
    _add_findings(add, report, rep, fw_index)
    nodes = _add_entities(add, report, extraction, force)
    nodes.setdefault((FORCE, report.force), force)
    _add_mentions(add, rep, extraction, nodes)
    _add_relations(add, rep, extraction, nodes)
    _add_glossary(add, report, rep)


def add_size(add: Add, report: Report, triples: int) -> None:
    """State the size of the report's graph in the graph: ``<report> void:triples n`` (VoID).

    Counting a graph reads every triple of it; summed over a national store that is seconds, so
    ``report-summary`` reads this statement instead.

    Args:
        add: as for ``add_report``.
        report: the parsed report (its IRI names its graph).
        triples: the number of distinct triples ``add_report`` made; the statement counts itself too.
    """
    add(iris.report_identity(report), VOID.triples, lit(triples + 1))


def build_ntriples(report: Report, extraction: Extraction) -> tuple[str, int]:
    """The N-Triples text of one report's graph, without building the graph.

    Returns:
        The text (one line per distinct triple) and its number of triples: the same triples as
        ``build_graph(report, extraction)``, each written as rdflib writes it.
    """
    out = NTriples()
    add_report(out.add, report, extraction)
    add_size(out.add, report, len(out))
    return out.text(), len(out)


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

    def add(s: str, p: str, o: str | Lit) -> None:
        g.add((URIRef(s), URIRef(p), Literal(o[0], datatype=o[1], lang=o[2]) if type(o) is tuple else URIRef(o)))

    add_report(add, report, extraction)
    add_size(add, report, len(g))
    return g

