"""The read side: one object that owns the opened store for every command that only reads.

``Reader`` opens the store read-only (no lock, nothing written; see ``policekg.graph.store``) and
offers what the read commands print: stats, entities, reports, query parameters, trace, entity
cards, the network, export and validation. The SPARQL it runs is in ``queries/*.rq``; the CLI
parses arguments, makes one call and prints.

    with Reader(store) as kg:
        kg.stats()["triples"]
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from policekg.errors import InputError, UnknownEntity
from policekg.extract.model import ENTITY_TYPES
from policekg.graph.build import bind_prefixes
from policekg.graph.store import GraphStore, open_store
from policekg.ontology import POL
from policekg.queries.library import NamedQuery, load
from policekg.queries.run import Values, run

EXPORT_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


class Reader:
    """A read-only view of the store. Use as a context manager, or call ``close()``.

    Raises:
        StoreError: (on opening) there is no store at the path, or it is not a store.
    """

    def __init__(self, store: str | Path | None = None):
        self._gs: GraphStore = open_store(store)

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._gs.close()

    @property
    def location(self) -> Path:
        return self._gs.location

    @property
    def dataset(self) -> Dataset:
        """The store as an rdflib ``Dataset`` (queries see the deduplicated default graph)."""
        return self._gs.dataset

    def _rows(self, name: str, bindings=None) -> list[dict]:
        return run(self.dataset, load(name).text, bindings).dicts()

    def _counts(self, name: str, column: str) -> dict[str, int]:
        return {str(r[column]): int(r["n"]) for r in self._rows(name)}

    def _distinct(self) -> int:
        """The default graph's distinct triples: recorded by the writer locally, counted remotely."""
        recorded = getattr(self._gs, "distinct_triples", None)
        if recorded is not None:
            return recorded()
        return int(self._rows("distinct-triples")[0]["triples"])

    def stats(self) -> dict:
        """Counts per named graph, and of entities by type, findings by kind and relations."""
        gs = self._gs
        graphs = graph_counts(gs)
        return {
            "store": str(gs.location), "triples": sum(graphs.values()), "graphs": graphs,
            "reports": [{k: r[k] for k in ("iri", "title", "kind", "year")} for r in self.reports(triples=False)],
            "entities": self._counts("entity-type-counts", "type"),
            "findings": self._counts("finding-kind-counts", "kind"),
            "relations": self._counts("relation-counts", "relation"),
            # "triples" counts per named graph; a triple two report graphs share counts once here.
            "distinct_triples": self._distinct(),
        }

    def entities(self, type_: str | None = None) -> list[dict]:
        """Every entity with its IRI, type, preferred label, aliases and number of mentions.

        Raises:
            UnknownEntity: ``type_`` is not an entity type.
        """
        if type_ is not None and type_ not in ENTITY_TYPES:
            raise UnknownEntity(f"unknown entity type {type_!r}; use one of: {', '.join(ENTITY_TYPES)}")
        bindings = Values(("type",), ((POL[type_],),)) if type_ else None
        out = []
        for r in self._rows("entities", bindings):
            label = str(r["label"])
            aliases = str(r["aliases"] or "").split("\u001f")
            out.append({"iri": str(r["entity"]), "type": str(r["type"]).rsplit("#", 1)[1], "label": label,
                        "aliases": sorted(a for a in aliases if a and a != label),
                        "mentions": int(r["mentions"])})
        return sorted(out, key=lambda d: (d["type"], d["label"].lower(), d["iri"]))

    def reports(self, *, triples: bool = True) -> list[dict]:
        """The reports: IRI, title, kind, year, source file, SHA-256 and (``triples``) graph size."""
        return list_reports(self._gs, triples=triples)

    def bind(self, query: NamedQuery, values: Mapping[str, str]) -> str:
        """A named query's text with ``name=value`` parameters bound as RDF terms.

        Raises:
            QueryError: a parameter is missing, not declared or malformed.
            UnknownEntity: an ``entity`` parameter names no entity.
        """
        from policekg.queries.run import bind, param_bindings

        return bind(query.text, param_bindings(self.dataset, query, values))

    def trace(self, name: str, **options):
        """``policekg.queries.trace.trace`` on this store."""
        from policekg.queries.trace import trace

        return trace(self.dataset, name, **options)

    def card(self, name: str):
        """``policekg.queries.show.card`` on this store."""
        from policekg.queries.show import card

        return card(self.dataset, name)

    def network(self):
        """The typed networkx graph the visualise command draws."""
        from policekg.visualise.network import to_networkx

        return to_networkx(self.dataset)

    def dataset_copy(self) -> Dataset:
        """The report and ontology graphs copied into rdflib's in-memory dataset."""
        ds = Dataset()
        bind_prefixes(ds)
        for s, p, o, g in self._gs.quads():
            ds.add((s, p, o, URIRef(g)))
        return ds

    def export(self, fmt: str) -> str:
        """The whole graph as Turtle (all graphs merged), TriG, N-Quads or JSON-LD, deterministically.

        Raises:
            InputError: ``fmt`` is not one of ``EXPORT_FORMATS``.
        """
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
        ds = self.dataset_copy()
        if fmt == "ttl":
            merged = bind_prefixes(Graph())
            for s, p, o, _ in ds.quads():
                merged.add((s, p, o))
            return merged.serialize(format="turtle")
        if fmt == "nq":
            lines = ds.serialize(format="nquads").splitlines()
            return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
        return ds.serialize(format=EXPORT_FORMATS[fmt])

    def validate(self) -> tuple[bool, str]:
        """Check the graph against the SHACL shapes in ``ontology/shapes.ttl`` (pySHACL), on an
        in-memory copy: pySHACL is much faster on rdflib's own store.

        Returns:
            Whether the graph conforms, and pySHACL's report text.
        """
        from pyshacl import validate as shacl

        from policekg.ontology import read_text

        data = Graph()
        for s, p, o, _ in self._gs.quads():
            data.add((s, p, o))
        shapes = Graph().parse(data=read_text("shapes.ttl"), format="turtle")
        # No inference needed: the ontology graph is in the data, and SHACL's class targets and
        # sh:class follow its rdfs:subClassOf triples.
        conforms, _, text = shacl(data, shacl_graph=shapes, inference="none")
        return bool(conforms), str(text)


def graph_counts(gs: GraphStore) -> dict[str, int]:
    """Triples in each report and ontology graph of an open store (local or remote), sorted by graph.

    Locally they are the counts the writer recorded in the bookkeeping graph, so ``stats`` and
    ``reports`` read one small graph instead of the whole store (counting a 1,000-report store
    took over a second of CPU); a graph without a recorded count is counted.
    """
    remote = getattr(gs, "_graph_counts", None)  # a remote store counts them all in one request
    if remote is not None:
        counts = remote()
        return {str(g): counts.get(str(g), 0) for g in gs.graph_names()}
    recorded = gs.recorded() if hasattr(gs, "recorded") else {}
    out = {}
    for g in gs.graph_names():
        known = recorded.get(str(g), {}).get("triples")
        out[str(g)] = known if known is not None else gs.count(g)
    return out


def list_reports(gs: GraphStore, *, triples: bool = True) -> list[dict]:
    """The reports in an open store (reader or writer), from ``reports.rq``."""
    out = []
    counts = graph_counts(gs) if triples else {}
    for r in run(gs.dataset, load("reports").text).dicts():
        row = {k: ("" if r[v] is None else str(r[v])) for k, v in (
            ("iri", "report"), ("title", "title"), ("kind", "kind"), ("year", "year"),
            ("source", "source"), ("sha256", "sha256"))}
        if triples:
            row["triples"] = counts.get(row["iri"], 0)
        out.append(row)
    return out
