"""The library API behind the command line: build, inspect, export and validate the graph.

Every function takes the store location (``None`` means ``$POLICEKG_STORE`` or the default, see
``policekg.graph.store.store_path``) and raises ``policekg.errors.PoliceKGError`` subclasses for
problems a user can fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from policekg.errors import InputError
from policekg.extract.model import ENTITY_TYPES, Extraction, Report
from policekg.graph.build import bind_prefixes, build_graph
from policekg.graph.store import GraphStore, open_store
from policekg.ontology import ONTOLOGY_IRI, ontology_graph

EXPORT_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


@dataclass
class ReportSummary:
    """What one report contributed to the graph."""

    iri: str
    source: str
    kind: str
    force: str
    year: str
    triples: int
    frameworks: int
    findings: int
    relations: int
    entities: dict[str, int] = field(default_factory=dict)  # type -> count
    written: bool = True  # False when the store already held exactly this graph


@dataclass
class BuildSummary:
    store: str
    reports: list[ReportSummary]
    total_triples: int


def bundled_reports() -> list[Path]:
    """The sample corpus shipped with the package: two Staffordshire Police reports."""
    folder = files("policekg.data").joinpath("reports")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def analyse(path: str | Path, kind: str | None = None) -> tuple[Report, Extraction, Graph]:
    """Parse one report, extract its entities and relations, and build its graph (in memory).

    Raises:
        InputError: the file cannot be read as text.
        UnknownReportKind: the report's kind is not recognised (pass ``kind="generic"``).
    """
    from policekg.extract.nlp import extract_entities
    from policekg.extract.structure import parse_report

    report = parse_report(path, kind=kind)
    extraction = extract_entities(report)
    return report, extraction, build_graph(report, extraction)


def build(
    paths: Iterable[str | Path] | None = None,
    *,
    store: str | Path | None = None,
    kind: str | None = None,
    progress: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> BuildSummary:
    """Build the graph of some reports into the store, one named graph per report.

    Every report is read and analysed before anything is written, so one bad file leaves the
    store exactly as it was; analysed graphs wait on disk, not in memory (``graph.batch``). A
    report already in the store has its graph replaced in one transaction.

    Args:
        paths: report files (.txt or .md); the bundled sample corpus when None or empty.
        store: the store directory.
        kind: force a report kind for all files (``generic`` reads any text).
        progress: called with each file name once it has been analysed (or skipped).
        jobs: worker processes for the analysis (None: every core; 1: in this process). A file
            whose SHA-256 matches a report already in the store is skipped before parsing.

    Raises:
        InputError, UnknownReportKind: a file cannot be read or its kind is not recognised.
        StoreError: the store cannot be opened.
    """
    from policekg.graph import batch

    paths = [Path(p) for p in (paths or [])] or bundled_reports()
    known = batch.stored_digests(store)
    summaries = []
    # Analysed graphs wait on disk until every file has been read: one bad file, even the last,
    # leaves the store as it was, and memory does not grow with the corpus.
    with batch.Spool() as spool:
        for item in batch.analyse_many(paths, kind=kind, jobs=jobs, known=known):
            spool.add(item)
            if progress:
                progress(Path(item.path).name)
        with open_store(store, create=True) as gs:
            gs.replace_graph(ONTOLOGY_IRI, ontology_graph())
            unchanged = {}
            for item in spool:
                if isinstance(item, batch.Unchanged):
                    unchanged[item.iri] = len(summaries)
                    summaries.append(None)
                    continue
                written = gs.replace_ntriples(item.iri, item.ntriples)
                summaries.append(ReportSummary(
                    iri=item.iri, source=item.source, kind=item.kind, force=item.force, year=item.year,
                    triples=item.triples, frameworks=item.frameworks, findings=item.findings,
                    relations=item.relations, entities=item.entities, written=written,
                ))
            for counts in batch.stored_summaries(gs, list(unchanged)):
                summaries[unchanged[counts["iri"]]] = ReportSummary(**counts, written=False)
            gs.flush()
            total = gs.count()
            where = str(gs.location)
    return BuildSummary(store=where, reports=summaries, total_triples=total)


def stats(store: str | Path | None = None) -> dict:
    """Counts per named graph and per entity type, finding kind and relation."""
    with open_store(store) as gs:
        graphs = {str(g): gs.count(g) for g in gs.graph_names()}
        ds = gs.dataset
        types = _count(ds, """SELECT ?k (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?e a ?t . ?t rdfs:subClassOf pol:PolicingEntity .
            BIND(STRAFTER(STR(?t), "#") AS ?k) } GROUP BY ?k""")
        kinds = _count(ds, """SELECT ?k (COUNT(?f) AS ?n) WHERE {
            ?f a pol:Finding ; pol:findingKind ?kind . BIND(STRAFTER(STR(?kind), "#") AS ?k) } GROUP BY ?k""")
        rels = _count(ds, """SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE {
            ?a a pol:Assertion ; rdf:predicate ?p . BIND(STRAFTER(STR(?p), "#") AS ?k) } GROUP BY ?k""")
        reports = [
            {"iri": str(r[0]), "title": str(r[1]), "kind": str(r[2]), "year": str(r[3])}
            for r in ds.query(PREFIXES + """SELECT ?r ?t ?k ?y WHERE { ?r a pol:InspectionReport ;
                dcterms:title ?t ; pol:reportKind ?k ; pol:assessmentYear ?y } ORDER BY ?r""")
        ]
        return {"store": str(gs.location), "triples": gs.count(), "graphs": graphs, "reports": reports,
                "entities": types, "findings": kinds, "relations": rels}


PREFIXES = """PREFIX pol: <https://w3id.org/policekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _count(ds: Dataset, query: str) -> dict[str, int]:
    return {str(k): int(n) for k, n in sorted(ds.query(PREFIXES + query))}


def entities(store: str | Path | None = None, type_: str | None = None) -> list[dict]:
    """Every entity with its IRI, type, preferred label, aliases and number of mentions.

    Raises:
        UnknownEntity: ``type_`` is not an entity type.
    """
    from policekg.errors import UnknownEntity

    if type_ is not None and type_ not in ENTITY_TYPES:
        raise UnknownEntity(f"unknown entity type {type_!r}; use one of: {', '.join(ENTITY_TYPES)}")
    types = [type_] if type_ else list(ENTITY_TYPES)
    values = " ".join(f"pol:{t}" for t in types)
    query = PREFIXES + f"""
    SELECT ?e ?t (MIN(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts)
           (COUNT(DISTINCT ?m) AS ?mentions)
    WHERE {{
        VALUES ?t {{ {values} }}
        ?e a ?t ; skos:prefLabel ?l .
        OPTIONAL {{ ?e skos:altLabel ?alt }}
        OPTIONAL {{ ?m pol:mentions ?e }}
    }} GROUP BY ?e ?t"""
    with open_store(store) as gs:
        rows = list(gs.dataset.query(query))
    out = [
        {
            "iri": str(e), "type": str(t).rsplit("#", 1)[1], "label": str(label),
            "aliases": sorted(a for a in str(alts or "").split("\u001f") if a and a != str(label)),
            "mentions": int(n),
        }
        for e, t, label, alts, n in rows
    ]
    return sorted(out, key=lambda d: (d["type"], d["label"].lower(), d["iri"]))


def extract_file(path: str | Path) -> dict:
    """Entities and relations found in any text file, with or without report structure."""
    from policekg.extract.nlp import extract_fragment
    from policekg.extract.normalise import read_report

    text, _ = read_report(path)
    return extract_fragment(text)


def dataset_copy(gs: GraphStore) -> Dataset:
    """The store's report and ontology graphs copied into rdflib's in-memory dataset."""
    ds = Dataset()
    bind_prefixes(ds)
    for s, p, o, g in gs.quads():
        ds.add((s, p, o, URIRef(g)))
    return ds


def export(fmt: str, store: str | Path | None = None) -> str:
    """The whole graph as Turtle (all graphs merged), TriG, N-Quads or JSON-LD, deterministically.

    Raises:
        InputError: ``fmt`` is not one of ``EXPORT_FORMATS``.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    with open_store(store) as gs:
        ds = dataset_copy(gs)
    if fmt == "ttl":
        merged = bind_prefixes(Graph())
        for s, p, o, _ in ds.quads():
            merged.add((s, p, o))
        return merged.serialize(format="turtle")
    if fmt == "nq":
        lines = ds.serialize(format="nquads").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
    return ds.serialize(format=EXPORT_FORMATS[fmt])


def validate(store: str | Path | None = None) -> tuple[bool, str]:
    """Check the graph against the SHACL shapes in ``ontology/shapes.ttl`` (with pySHACL).

    Validation runs on an in-memory copy: pySHACL is much faster on rdflib's own store.

    Returns:
        Whether the graph conforms, and pySHACL's report text.
    """
    from pyshacl import validate as shacl

    from policekg.ontology import read_text

    with open_store(store) as gs:
        data = Graph()
        for s, p, o, _ in gs.quads():
            data.add((s, p, o))
    shapes = Graph().parse(data=read_text("shapes.ttl"), format="turtle")
    # No inference needed: the ontology graph is in the data, and SHACL's class targets and
    # sh:class follow its rdfs:subClassOf triples.
    conforms, _, text = shacl(data, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)
