"""The graph store: an embedded Oxigraph database, seen through rdflib's ``Dataset`` API (oxrdflib).

One named graph per report, plus one for the ontology. The default graph, which queries see, is
kept equal to the deduplicated union of those graphs.
Replacing a report's graph is one SPARQL update (``DROP`` + ``INSERT DATA``), which Oxigraph runs
in one transaction: a failed build leaves the previous graph as it was.

Oxigraph's on-disk format may change between versions; the durable artefact a user keeps is an
export (``policekg export --format trig``).
"""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from policekg.errors import StoreError

ENV_VAR = "POLICEKG_STORE"
DEFAULT_STORE = Path(".policekg") / "store"
MEMORY = ":memory:"
# Bookkeeping, kept apart from the report graphs: the SHA-256 of each graph's N-Triples, so that
# rebuilding an unchanged report writes nothing.
DIGESTS = URIRef("https://w3id.org/policekg/store/digests")
DIGEST = URIRef("https://w3id.org/policekg/store/ntriplesSha256")


def store_path(path: str | os.PathLike | None = None) -> Path:
    """The store to use: ``path`` if given, else ``$POLICEKG_STORE``, else ``./.policekg/store``."""
    if path:
        return Path(path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_STORE


class GraphStore:
    """An open store: ``dataset`` for rdflib-style reading and querying, and atomic graph writes.

    Use as a context manager, or call ``close()``: Oxigraph locks the directory while it is open.
    """

    def __init__(self, inner: ox.Store, location: Path | None):
        self._inner = inner
        self.location = location
        self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=False)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (and Oxigraph's directory lock)."""
        if self._inner is not None:
            self.dataset.store.close()  # drops oxrdflib's reference, even if a caller kept the Dataset
            self.dataset = None
            self._inner = None
            # rdflib's Dataset keeps reference cycles; the lock goes only when the store is freed.
            gc.collect()

    def replace_graph(self, name: URIRef, graph: Graph) -> bool:
        """Replace the named graph ``name`` with the triples of ``graph``, and sync the default graph.

        The default graph is the deduplicated union of the named graphs: what queries see.
        (Oxigraph's own union view returns a triple once per graph holding it, and every report
        graph describes the national entities it cites, so joins over the union multiply rows.)

        Returns:
            False if the graph already held exactly these triples (nothing written), else True.
        """
        return self.replace_ntriples(name, graph.serialize(format="nt"))

    def replace_ntriples(self, name: URIRef | str, body: str) -> bool:
        """``replace_graph`` for a graph already serialised as N-Triples text (as worker processes
        return it, see ``policekg.graph.batch``): no rdflib terms are made on the way in.

        Returns:
            False if the graph already held exactly this text's triples (nothing written), else True.
        """
        name = URIRef(str(name))
        digest = hashlib.sha256(body.encode()).hexdigest()
        g = f"<{name}>"
        record = (
            f"DELETE WHERE {{ GRAPH <{DIGESTS}> {{ {g} <{DIGEST}> ?d }} }} ;\n"
            f'INSERT DATA {{ GRAPH <{DIGESTS}> {{ {g} <{DIGEST}> "{digest}" }} }}'
        )
        add_to_union = f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}"
        if self._inner.contains_named_graph(ox.NamedNode(name)):
            if self._digest(name) == digest:
                return False
            # One update, so one transaction: the graph, the union and the digest change together.
            # (Straight to pyoxigraph: rdflib's Dataset.update is very slow on a long update text.)
            self._inner.update(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}\n"
                f"  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g} && ?h != <{DIGESTS}>) }} }} ;\n"
                f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }} ;\n"
                f"{add_to_union} ;\n{record}"
            )
        else:
            # A new graph: load() is one transaction and several times faster than INSERT DATA.
            # The union and digest follow in a second one; should that fail, the missing digest
            # makes the next build take the one-transaction path above, which repairs the union.
            self._inner.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
            self._inner.update(f"{add_to_union} ;\n{record}")
        return True

    def flush(self) -> None:
        """Write Oxigraph's log into its tables and compact them, so the next open is fast
        (otherwise the first command after a large build replays the whole log)."""
        if self.location is None:  # in memory: nothing to write
            return
        self._inner.flush()
        self._inner.optimize()

    def _digest(self, name: URIRef) -> str | None:
        quads = self._inner.quads_for_pattern(
            ox.NamedNode(name), ox.NamedNode(DIGEST), None, ox.NamedNode(DIGESTS)
        )
        return next((q.object.value for q in quads), None)

    def graph_names(self) -> list[URIRef]:
        """The named graphs in the store (reports and ontology), sorted."""
        return sorted(URIRef(g.value) for g in self._inner.named_graphs() if g.value != str(DIGESTS))

    def count(self, name: URIRef | None = None) -> int:
        """Triples in one named graph, or in all of them."""
        if name is not None:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        else:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{DIGESTS}>) }}"
        return int(next(iter(self._inner.query(q)))[0].value)

    def quads(self) -> list[tuple]:
        """Every quad of the report and ontology graphs as rdflib terms ``(s, p, o, graph)``."""
        out = []
        for name in self.graph_names():
            for q in self._inner.quads_for_pattern(None, None, None, ox.NamedNode(name)):
                out.append((_term(q.subject), _term(q.predicate), _term(q.object), name))
        return out


def memory_copy(path: str | os.PathLike | None = None) -> GraphStore:
    """An in-memory copy of a store: for reading while leaving the directory free (Oxigraph locks a
    store directory while a handle has it open)."""
    graphs: dict[URIRef, Graph] = {}
    with open_store(path) as disk:
        for s, p, o, g in disk.quads():
            graphs.setdefault(g, Graph()).add((s, p, o))
    copy = open_store(MEMORY)
    for name, graph in sorted(graphs.items()):
        copy.replace_graph(name, graph)
    return copy


def _term(t) -> Identifier:
    """A pyoxigraph term as an rdflib term. A plain string literal stays plain: RDF 1.1 makes
    ``"x"`` and ``"x"^^xsd:string`` the same, but rdflib (and SHACL's ``sh:in``) tell them apart."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == str(XSD.string):
        return Literal(t.value)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def open_store(path: str | os.PathLike | None = None, *, create: bool = False) -> GraphStore:
    """Open the embedded store.

    Args:
        path: the store directory (see ``store_path``); ``":memory:"`` for a throw-away store.
        create: create the store if it does not exist; otherwise a missing store is an error.

    Raises:
        StoreError: the store does not exist (and ``create`` is false) or cannot be opened.
    """
    if str(path) == MEMORY:
        return GraphStore(ox.Store(), None)
    where = store_path(path)
    if not create and not where.exists():
        raise StoreError(f"no graph store at {where}; run `policekg build` first (or pass --store DIR)")
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        inner = ox.Store(str(where))
    except OSError as exc:
        raise StoreError(
            f"cannot open the graph store at {where} ({str(exc).splitlines()[0]}); "
            "is another policekg command using it?"
        ) from None
    return GraphStore(inner, where)
