"""The policekg vocabulary as an rdflib namespace, and the package's data files.

``POL`` is a ``DefinedNamespace`` with ``_fail = True``: a typo such as ``POL.Forse`` raises
instead of minting a bad IRI. ``tests/test_ontology.py`` checks that the terms declared here and
those defined in ``policekg.ttl`` are the same.
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, DefinedNamespace, Namespace

ONTOLOGY_IRI = URIRef("https://w3id.org/policekg/ontology")
ID = Namespace("https://w3id.org/policekg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")


class POL(DefinedNamespace):
    """Terms of https://w3id.org/policekg/ontology#."""

    _NS = Namespace("https://w3id.org/policekg/ontology#")
    _fail = True

    # Reports and regimes
    InspectionReport: URIRef
    reportKind: URIRef
    assessmentYear: URIRef
    year: URIRef
    inspectedForce: URIRef
    regime: URIRef
    sourceFile: URIRef
    sha256: URIRef
    sourceFormat: URIRef
    normalisedText: URIRef
    Framework: URIRef
    frameworkLevel: URIRef
    # Judgements
    Judgement: URIRef
    ofFramework: URIRef
    inReport: URIRef
    grade: URIRef
    directionOfTravel: URIRef
    lastInspected: URIRef
    nationalGrade: URIRef
    GradeCount: URIRef
    forceCount: URIRef
    # Findings
    Finding: URIRef
    FindingKind: URIRef
    findingKind: URIRef
    section: URIRef
    ordinal: URIRef
    start: URIRef
    end: URIRef
    problem: URIRef
    solution: URIRef
    outcome: URIRef
    page: URIRef
    Strength: URIRef
    AreaForImprovement: URIRef
    WorkInProgress: URIRef
    GoodPractice: URIRef
    Context: URIRef
    CauseOfConcern: URIRef
    Recommendation: URIRef
    InnovativePractice: URIRef
    PromisingPractice: URIRef
    Summary: URIRef
    Observation: URIRef
    # Entities
    PolicingEntity: URIRef
    Force: URIRef
    Division: URIRef
    Unit: URIRef
    CDRP: URIRef
    Partner: URIRef
    System: URIRef
    Initiative: URIRef
    Partnership: URIRef
    RoleGroup: URIRef
    scope: URIRef
    source: URIRef
    cites: URIRef
    Mention: URIRef
    inFinding: URIRef
    mentions: URIRef
    surface: URIRef
    method: URIRef
    # Relations
    interfacesWith: URIRef
    feeds: URIRef
    replaces: URIRef
    integratedWith: URIRef
    liesWithin: URIRef
    partOf: URIRef
    pilotedIn: URIRef
    usedIn: URIRef
    usedBy: URIRef
    dependsOn: URIRef
    population: URIRef
    households: URIRef
    Assertion: URIRef
    sentence: URIRef
    # Glossary
    GlossaryEntry: URIRef
    glossary: URIRef


# The project's prefixes, defined once: bound on every graph written (``graph.build``) and
# declared in SPARQL (``PREFIXES``) for queries written in Python.
NAMESPACES = {
    "pol": POL._NS, "skos": SKOS, "org": ORG, "prov": PROV, "dcterms": DCTERMS,
    "rdfs": RDFS, "xsd": XSD, "id": ID,
}
PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {**NAMESPACES, "rdf": RDF}.items())


def read_text(name: str) -> str:
    """Read a data file shipped in this package (``policekg.ttl``, ``shapes.ttl``, ``gazetteer.jsonl``)."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    """The vocabulary as an rdflib graph."""
    g = Graph()
    g.parse(data=read_text("policekg.ttl"), format="turtle")
    return g
