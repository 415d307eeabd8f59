"""The graph store: an embedded Oxigraph database, seen through rdflib's ``Dataset`` API (oxrdflib).

One named graph per report, plus one for the ontology. The default graph, which queries see, is
kept equal to the deduplicated union of those graphs.

Writes: ``write_graphs`` takes already-serialised N-Triples per named graph (so a parallel build can
serialise in worker processes) and applies everything, the named graphs, the default-graph view
and the bookkeeping, as ONE SPARQL update. Oxigraph runs an update in one transaction, so a build
killed at any moment leaves the store exactly as before or exactly as after.

Reads: a store opened without ``write=True`` is opened read-only (``pyoxigraph.Store.read_only``),
which takes no lock and creates nothing, so any number of readers run beside each other and
beside a build. A directory that is not an Oxigraph store is refused, never written into.

Oxigraph's on-disk format may change between versions; the durable artefact a user keeps is an
export (``policekg export --format trig``).
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Sequence
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
# RocksDB writes this file first when it creates a database: a directory without it is no store.
MARKER = "CURRENT"


def store_path(path: str | os.PathLike | None = None) -> Path:
    """The store to use: ``path`` if given, else ``$POLICEKG_STORE``, else ``./.policekg/store``."""
    if path:
        return Path(path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_STORE


def ntriples_digest(body: str) -> str:
    """SHA-256 of an N-Triples text, independent of the order of its lines."""
    lines = sorted(line for line in body.splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


class GraphStore:
    """An open store: ``dataset`` for rdflib-style reading and querying, and atomic graph writes.

    Use as a context manager, or call ``close()``: a writer locks the directory while it is open.
    """

    def __init__(self, inner: ox.Store, location: Path | None, *, read_only: bool = False):
        self._inner = inner
        self.location = location
        self.read_only = read_only
        self._dropped = False  # whether a write since opening dropped old data (see optimize)
        self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=False)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store itself (for streaming queries and bulk reads)."""
        return self._inner

    def close(self) -> None:
        """Release the store (and a writer's directory lock)."""
        if self._inner is not None:
            self.dataset.store.close()  # drops oxrdflib's reference, even if a caller kept the Dataset
            self.dataset = None
            self._inner = None
            # rdflib's Dataset keeps reference cycles; the lock goes only when the store is freed.
            gc.collect()

    def write_graphs(
        self, graphs: Sequence[tuple[str | URIRef, str]], *, remove: Iterable[str | URIRef] = ()
    ) -> list[bool]:
        """Replace named graphs with N-Triples texts and remove others, all in one transaction.

        The default graph stays the deduplicated union of the named graphs: what queries see.
        (Oxigraph's own union view returns a triple once per graph holding it, and every report
        graph describes the national entities it cites, so joins over the union multiply rows.)

        Args:
            graphs: ``(graph IRI, N-Triples text)`` pairs; a graph already holding exactly these
                triples is left alone.
            remove: graph IRIs to drop (with their share of the default graph).

        Returns:
            For each of ``graphs``, whether it was written (False: it was unchanged).

        Raises:
            StoreError: the store is read-only, or Oxigraph refused the write (nothing is written).
        """
        if self.read_only:
            raise StoreError("the store was opened read-only")
        written, ops, inserts, records = [], [], [], []
        for name, body in graphs:
            digest = ntriples_digest(body)
            if self._inner.contains_named_graph(ox.NamedNode(str(name))) and self.digest(name) == digest:
                written.append(False)
                continue
            written.append(True)
            if self._inner.contains_named_graph(ox.NamedNode(str(name))):
                self._dropped = True
            ops.append(self._drop(name))
            inserts.append(f"GRAPH <{name}> {{\n{body}\n}}")
            records.append((name, digest))
        for name in remove:
            if self._inner.contains_named_graph(ox.NamedNode(str(name))):
                self._dropped = True
                ops.append(self._drop(name))
                records.append((name, None))
        if not ops:
            return written
        if inserts:
            ops.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
            values = " ".join(f"<{n}>" for n, d in records if d is not None)
            ops.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        for name, digest in records:
            ops.append(f"DELETE WHERE {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST}> ?d }} }}")
            if digest is not None:
                ops.append(f'INSERT DATA {{ GRAPH <{DIGESTS}> {{ <{name}> <{DIGEST}> "{digest}" }} }}')
        try:
            # One update, so one transaction. (Straight to pyoxigraph: rdflib's Dataset.update is
            # very slow on a long update text.)
            self._inner.update(" ;\n".join(ops))
        except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
            raise StoreError(f"the store refused the write, nothing was written: {_first_line(exc)}") from None
        return written

    @staticmethod
    def _drop(name: str | URIRef) -> str:
        """Drop a graph and the default-graph triples no other graph holds (as SPARQL)."""
        g = f"<{name}>"
        return (
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g} && ?h != <{DIGESTS}>) }} }} ;\n"
            f"DROP SILENT GRAPH {g}"
        )

    def replace_graph(self, name: URIRef, graph: Graph) -> bool:
        """Replace the named graph ``name`` with the triples of an rdflib ``graph`` (one transaction).

        Returns:
            False if the graph already held exactly these triples (nothing written), else True.
        """
        return self.write_graphs([(name, graph.serialize(format="nt"))])[0]

    def remove_graphs(self, names: Iterable[str | URIRef]) -> None:
        """Drop named graphs and their share of the default graph, in one transaction."""
        self.write_graphs([], remove=names)

    def optimize(self) -> None:
        """Settle the store after a write, so the next open is fast and dropped data is reclaimed.

        Flushing moves the write-ahead log into sorted files: without it every read-only open
        replays the log (measured on the bundled corpus: 0.32 s per open instead of 0.011 s; see
        ``benchmarks/store.py``). Compaction (``optimize``) only pays after old data was dropped.
        """
        if self.read_only or self.location is None:
            return
        self._inner.flush()
        if self._dropped:
            self._inner.optimize()
            self._dropped = False

    def digest(self, name: str | URIRef) -> str | None:
        """The recorded digest of a graph's N-Triples, or None."""
        quads = self._inner.quads_for_pattern(
            ox.NamedNode(str(name)), ox.NamedNode(DIGEST), None, ox.NamedNode(DIGESTS)
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
    """An in-memory, writable copy of a store (tests write into it without touching the directory)."""
    graphs: dict[URIRef, Graph] = {}
    with open_store(path) as disk:
        for s, p, o, g in disk.quads():
            graphs.setdefault(g, Graph()).add((s, p, o))
    copy = open_store(MEMORY)
    copy.write_graphs([(name, graph.serialize(format="nt")) for name, graph in sorted(graphs.items())])
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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_store(where: Path) -> bool:
    """Whether a directory holds an Oxigraph (RocksDB) database."""
    return where.is_dir() and (where / MARKER).is_file()


def check_store_path(where: Path, *, create: bool) -> None:
    """Refuse a store path that is a file, lies under a file, or is a directory holding something else.

    Raises:
        StoreError: what is wrong with the path, and what to give instead.
    """
    if where.exists() and not where.is_dir():
        raise StoreError(f"{where} is a file, not a store directory; pass --store DIR")
    for parent in where.parents:
        if parent.exists() and not parent.is_dir():
            raise StoreError(f"{parent} is a file, so {where} cannot be a store directory; pass --store DIR")
    if not where.exists():
        if not create:
            raise StoreError(f"no graph store at {where}; run `policekg build` first (or pass --store DIR)")
        return
    if is_store(where):
        return
    if not create:
        raise StoreError(f"{where} is not a policekg store (no Oxigraph database in it); "
                         "pass the directory `policekg build` wrote")
    if any(where.iterdir()):
        raise StoreError(f"{where} is a directory that is not a policekg store; "
                         "give a new or empty directory to build into")


def open_store(path: str | os.PathLike | None = None, *, create: bool = False, write: bool | None = None) -> GraphStore:
    """Open the embedded store.

    Args:
        path: the store directory (see ``store_path``); ``":memory:"`` for a throw-away store.
        create: create the store if it does not exist; otherwise a missing store is an error.
        write: open read-write (one writer at a time: Oxigraph locks the directory). Defaults to
            ``create``; a reader opens read-only, takes no lock and writes nothing.

    Raises:
        StoreError: the path is not a store (or, with ``create``, not a new or empty directory),
            or the store cannot be opened.
    """
    if str(path) == MEMORY:
        return GraphStore(ox.Store(), None)
    write = create if write is None else write
    where = store_path(path)
    check_store_path(where, create=create)
    try:
        if write:
            where.parent.mkdir(parents=True, exist_ok=True)
            inner = ox.Store(str(where))
        else:
            inner = ox.Store.read_only(str(where))
    except OSError as exc:
        hint = "is another `policekg build` writing to it?" if write else "is it a policekg store?"
        raise StoreError(f"cannot open the graph store at {where} ({_first_line(exc)}); {hint}") from None
    return GraphStore(inner, where, read_only=not write)
