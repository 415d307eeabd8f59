"""The graph store: an embedded Oxigraph database, seen through rdflib's ``Dataset`` API (oxrdflib).

One named graph per report, plus one for the ontology. The default graph, which queries see, is
kept equal to the deduplicated union of those graphs. A bookkeeping graph records, for each graph,
the SHA-256 of its N-Triples (so rebuilding an unchanged report writes nothing), its triple count
and its build summary (so a build that skips unchanged reports, and ``stats``, need not count).

Writes go to a new generation of the store directory (see ``policekg.graph.generations``): a
checkpoint of the current one, written in bulk and published in one atomic step when the writer
closes. So a build killed at any moment leaves the store exactly as before or exactly as after, and
a build's memory does not grow with what it writes.

Reads: a store opened without ``write=True`` opens its current generation read-only
(``pyoxigraph.Store.read_only``), which takes no lock and creates nothing; no generation a reader
opens is ever written again, so any number of readers run beside each other and beside a build. A
directory that is not a policekg store is refused, never written into.

Oxigraph's on-disk format may change between versions; the durable artefact a user keeps is an
export (``policekg export --format trig``).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier

from policekg.errors import StoreError
from policekg.graph import generations

ENV_VAR = "POLICEKG_STORE"
DEFAULT_STORE = Path(".policekg") / "store"
MEMORY = ":memory:"
# Bookkeeping, kept apart from the report graphs and from what queries see.
DIGESTS = URIRef("https://w3id.org/policekg/store/digests")
DIGEST = URIRef("https://w3id.org/policekg/store/ntriplesSha256")
TRIPLES = URIRef("https://w3id.org/policekg/store/triples")
SUMMARY = URIRef("https://w3id.org/policekg/store/summaryJson")
# The default graph's distinct triples, kept on the bookkeeping graph itself: counting them is a
# scan of the whole store (1.5 s at 1,000 reports), too slow for the first command after a build.
DISTINCT = URIRef("https://w3id.org/policekg/store/distinctTriples")
# A writer keeps that count up to date by counting what each write adds or drops, a cost that
# grows with the write; past this many loaded triples it counts the whole store once on closing.
RECOUNT_AFTER = 250_000
BYTES_PER_TRIPLE = 150  # about what a report graph's triple takes as N-Triples
# A writer compacts the new generation when it changed at least this share of the store (in
# N-Triples bytes against bytes on disk): after a big load, compaction makes look-ups several
# times faster (benchmarks/store.py); after a small one it would cost more than it saves, and
# RocksDB's own background compaction keeps up.
COMPACT_SHARE = 0.25
LOADERS = 2  # bulk loads at once (see GraphStore._bulk_load)
PIECE_BYTES = 32 << 20  # N-Triples characters per bulk load: LOADERS pieces are held at once


def store_path(path: str | os.PathLike | None = None) -> Path:
    """The store to use: ``path`` if given, else ``$POLICEKG_STORE``, else ``./.policekg/store``."""
    if path:
        return Path(path)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return DEFAULT_STORE


def ntriples_digest(body: str) -> str:
    """SHA-256 of an N-Triples text, independent of the order of its lines."""
    return _digest_and_count(body)[0]


def _digest_and_count(body: str) -> tuple[str, int]:
    """An N-Triples text's digest (``ntriples_digest``) and its number of triple lines.

    A text already in canonical form, one triple per line in sorted order (as ``build_ntriples``
    writes it), is hashed as it stands: a sorted copy of the lines of a 20 MB report's graph (2.7
    million strings) took half a gigabyte while the store was loading it.
    """
    known = _canonical_digest(body)
    if known is None:
        lines = _triple_lines(body)
        return _digest(lines), len(lines)
    return known


def _canonical_digest(body: str) -> tuple[str, int] | None:
    """The digest and line count of ``body`` if each of its lines is a triple (no blank line,
    comment or line break but "\\n") and they are in sorted order, else None. One pass: each piece
    is checked and hashed as it is cut."""
    digest, count, last, held = hashlib.sha256(), 0, "", ""
    for piece in _pieces(body, _HASH_CHARS):
        lines = piece.split("\n")
        if lines[-1] == "":
            lines.pop()  # the piece ends with its last line's newline
        if not lines or lines[0] < last or piece[0] not in "<_" or _OTHER_START.search(piece) \
                or any(c in piece for c in _OTHER_BREAKS) or lines != sorted(lines):
            return None
        digest.update(held.encode())
        count, last, held = count + len(lines), lines[-1], piece
    # The lines are hashed joined by newlines, with none after the last.
    digest.update(held.removesuffix("\n").encode())
    return digest.hexdigest(), count


_HASH_CHARS = 1 << 24
# The line breaks that str.splitlines (and so _triple_lines) honours besides "\n", each looked for
# with ``in`` (a character class in a regex read a 20 MB report's text ten times slower); and a
# line that starts with neither an IRI nor a blank node (a blank line, a comment, indentation).
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_START = re.compile("\n[^<_]")


def _triple_lines(body: str) -> list[str]:
    """An N-Triples text's triple lines, sorted (comments and blank lines left out)."""
    return sorted(line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def _digest(lines: list[str]) -> str:
    """SHA-256 of sorted lines joined by newlines, hashed in pieces: a very large report's text is
    never copied whole."""
    digest = hashlib.sha256()
    for i in range(0, len(lines), _LINES_PER_PIECE):
        if i:
            digest.update(b"\n")
        digest.update("\n".join(lines[i:i + _LINES_PER_PIECE]).encode())
    return digest.hexdigest()


_LINES_PER_PIECE = 1 << 16


class GraphStore:
    """An open store: ``dataset`` for rdflib-style reading and querying, and atomic graph writes.

    Use as a context manager, or call ``close()``: a writer locks the directory while it is open.
    """

    def __init__(self, inner: ox.Store, location: Path | None, *, read_only: bool = False):
        self._inner = inner
        self.location = location
        self.read_only = read_only
        self.changed = False  # whether anything was written since opening
        self.written_bytes = 0  # N-Triples loaded or dropped since opening (see StagedStore.close)
        self.loaded_triples = 0  # triples bulk-loaded since opening (see RECOUNT_AFTER)
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
        self,
        graphs: Sequence[tuple[str | URIRef, str]],
        *,
        remove: Iterable[str | URIRef] = (),
        summaries: Mapping[str, str] | None = None,
    ) -> list[bool]:
        """Replace named graphs with N-Triples texts and remove others.

        The default graph stays the deduplicated union of the named graphs: what queries see.
        (Oxigraph's own union view returns a triple once per graph holding it, and every report
        graph describes the national entities it cites, so joins over the union multiply rows.)
        New triples are bulk-loaded; on disk they become visible to readers only when the writer
        closes (see ``open_store``), all together.

        Args:
            graphs: ``(graph IRI, N-Triples text)`` pairs; a graph already holding exactly these
                triples is left alone.
            remove: graph IRIs to drop (with their share of the default graph).
            summaries: graph IRI -> a JSON text to keep with the graph (a report's build summary).

        Returns:
            For each of ``graphs``, whether it was written (False: it was unchanged).

        Raises:
            StoreError: the store is read-only, or Oxigraph refused the write.
        """
        if self.read_only:
            raise StoreError("the store was opened read-only")
        summaries = summaries or {}
        written: list[bool] = []
        load: list[tuple[str, str, tuple[str, int] | None]] = []  # (graph, text, its digest and count if known)
        distinct = self.distinct_triples(count=False)
        try:
            for name, body in graphs:
                name = str(name)
                if self._inner.contains_named_graph(ox.NamedNode(name)):
                    # Replacing a graph: only a change is written, so the digest comes first.
                    known = _digest_and_count(body)
                    if self.digest(name) == known[0]:
                        written.append(False)
                        continue
                    distinct = self._drop(name, distinct)
                    load.append((name, body, known))
                else:
                    load.append((name, body, None))
                written.append(True)
            for name in remove:
                if self._inner.contains_named_graph(ox.NamedNode(str(name))):
                    distinct = self._drop(name, distinct)
                    self._record(name, None)
            facts = self._load_and_count(load)
            for (name, _, _), (digest, triples) in zip(load, facts, strict=True):
                self._record(name, digest, triples, summaries.get(name))
            self.loaded_triples += sum(triples for _, triples in facts)
            if distinct is not None and load:
                big = self.loaded_triples > RECOUNT_AFTER
                distinct = None if big else distinct + self._only_in([n for n, _, _ in load])
            if self.changed:
                self._record_distinct(distinct)
        except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
            raise StoreError(f"the store refused the write: {_first_line(exc)}") from None
        return written

    def _load_and_count(self, load: Sequence[tuple[str, str, tuple[str, int] | None]]) -> list[tuple[str, int]]:
        """Bulk-load graphs' N-Triples (in a thread) while this thread computes each new graph's
        digest and triple count: sorting a 20 MB report's 2.7 million lines for its digest took
        two seconds, which now pass while Oxigraph loads.

        Returns:
            Each graph's ``(digest, triples)``.

        Raises:
            OSError, SyntaxError, ValueError: as ``pyoxigraph.Store.bulk_load``.
        """
        if not load:
            return []
        with ThreadPoolExecutor(1, thread_name_prefix="policekg-feed") as feeder:
            loading = feeder.submit(self._bulk_load, [(name, body) for name, body, _ in load])
            try:
                facts = []
                for _, body, known in load:
                    facts.append(known or _digest_and_count(body))
            finally:
                loading.result()  # waits for the loads even if counting failed; a load error is raised here
        return facts

    def _bulk_load(self, graphs: Sequence[tuple[str, str]]) -> None:
        """Bulk-load graphs' N-Triples, each piece of text into its named graph and into the
        default graph (where the store keeps every triple once however many graphs hold it), up
        to ``LOADERS`` loads at a time in threads: Oxigraph releases the GIL while it loads, and
        each load of a piece under a million triples runs on one core. The pieces are slices of
        the text, so no line is handled in Python (building N-Quads line by line cost three
        seconds of a 20 MB report's build), and no more than ``LOADERS`` pieces are held at once.

        Raises:
            OSError, SyntaxError, ValueError: as ``pyoxigraph.Store.bulk_load``.
        """
        with ThreadPoolExecutor(LOADERS, thread_name_prefix="policekg-load") as loaders:
            loading: deque = deque()
            for name, body in graphs:
                for piece in _pieces(body):
                    for graph in (ox.NamedNode(name), ox.DefaultGraph()):
                        if len(loading) >= LOADERS:
                            loading.popleft().result()  # an error stops the build before the next piece
                        loading.append(loaders.submit(self._inner.bulk_load, piece, format=ox.RdfFormat.N_TRIPLES,
                                                      to_graph=graph))
                    self.changed = True
                    self.written_bytes += len(piece)
                    del piece  # the loaders hold it while this thread cuts the next
            while loading:
                loading.popleft().result()

    def _drop(self, name: str | URIRef, distinct: int | None = None) -> int | None:
        """Drop a graph and the default-graph triples no other graph holds.

        Returns:
            ``distinct`` (the default graph's count before) less what the drop removes from it.
        """
        if distinct is not None:
            distinct -= self._only_in([str(name)])
        g = f"<{name}>"
        self.written_bytes += BYTES_PER_TRIPLE * int(self._kept(name, TRIPLES) or 0)
        self._inner.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g} && ?h != <{DIGESTS}>) }} }} ;\n"
            f"DROP SILENT GRAPH {g}"
        )
        self.changed = True
        return distinct

    def _only_in(self, names: Sequence[str]) -> int:
        """Distinct triples of these graphs that no other graph holds: what they add to the default
        graph (counted after loading them) or take from it (counted before dropping them)."""
        graphs = [f"<{n}>" for n in names]
        return self._number(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {' '.join(graphs)} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} }} }}\n  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
            f"FILTER(?h NOT IN ({', '.join(graphs)}, <{DIGESTS}>)) }} }}")

    def _number(self, query: str) -> int:
        """The one number a ``SELECT (COUNT(*) AS ?n)`` query answers."""
        return int(next(iter(self._inner.query(query)))[0].value)

    def distinct_triples(self, *, count: bool = True) -> int | None:
        """Distinct triples in the default graph (what queries see), as recorded by the last write;
        counted if none was recorded (``count=False``: None then).

        An empty store has none, recorded or not.
        """
        kept = self._kept(DIGESTS, DISTINCT)
        if kept is not None:
            return int(kept)
        if not any(g.value != str(DIGESTS) for g in self._inner.named_graphs()):
            return 0
        if not count:
            return None
        return self._number("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

    def _record_distinct(self, distinct: int | None) -> None:
        """Keep (or, with None, forget until counted) the default graph's distinct triples."""
        book = ox.NamedNode(DIGESTS)
        for quad in list(self._inner.quads_for_pattern(book, ox.NamedNode(DISTINCT), None, book)):
            self._inner.remove(quad)
        if distinct is not None:
            n = ox.Literal(str(distinct), datatype=ox.NamedNode(XSD.integer))
            self._inner.add(ox.Quad(book, ox.NamedNode(DISTINCT), n, book))

    def _record(self, name: str | URIRef, digest: str | None, triples: int = 0, summary: str | None = None) -> None:
        """Keep (or, with no digest, forget) a graph's digest, triple count and summary."""
        subject, book = ox.NamedNode(str(name)), ox.NamedNode(DIGESTS)
        for quad in list(self._inner.quads_for_pattern(subject, None, None, book)):
            self._inner.remove(quad)
        if digest is None:
            return
        facts = [(DIGEST, ox.Literal(digest)), (TRIPLES, ox.Literal(str(triples), datatype=ox.NamedNode(XSD.integer)))]
        if summary is not None:
            facts.append((SUMMARY, ox.Literal(summary)))
        self._inner.extend([ox.Quad(subject, ox.NamedNode(p), o, book) for p, o in facts])

    def replace_graph(self, name: URIRef, graph: Graph) -> bool:
        """Replace the named graph ``name`` with the triples of an rdflib ``graph``.

        Returns:
            False if the graph already held exactly these triples (nothing written), else True.
        """
        return self.write_graphs([(name, graph.serialize(format="nt"))])[0]

    def remove_graphs(self, names: Iterable[str | URIRef]) -> None:
        """Drop named graphs and their share of the default graph."""
        self.write_graphs([], remove=names)

    def recorded(self) -> dict[str, dict]:
        """What the bookkeeping graph holds: graph IRI -> ``{"sha256", "triples", "summary"}``
        (the N-Triples digest, the triple count, and the summary JSON text or None)."""
        out: dict[str, dict] = {}
        keys = {str(DIGEST): "sha256", str(TRIPLES): "triples", str(SUMMARY): "summary"}
        for q in self._inner.quads_for_pattern(None, None, None, ox.NamedNode(DIGESTS)):
            row = out.setdefault(q.subject.value, {"sha256": None, "triples": None, "summary": None})
            key = keys.get(q.predicate.value)
            if key:
                row[key] = int(q.object.value) if key == "triples" else q.object.value
        return out

    def digest(self, name: str | URIRef) -> str | None:
        """The recorded digest of a graph's N-Triples, or None."""
        return self._kept(name, DIGEST)

    def _kept(self, name: str | URIRef, fact: URIRef) -> str | None:
        """One fact the bookkeeping graph keeps about a graph (``DIGEST``, ``TRIPLES``...), or None."""
        quads = self._inner.quads_for_pattern(
            ox.NamedNode(str(name)), ox.NamedNode(fact), None, ox.NamedNode(DIGESTS)
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
        return self._number(q)

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


def _pieces(body: str, piece_chars: int | None = None) -> Iterator[str]:
    """An N-Triples text in consecutive slices of about ``piece_chars`` characters (default
    ``PIECE_BYTES``), each ending at a line end: one very large report is never copied whole.

    >>> list(_pieces("<a> <b> <c> .\\n<d> <e> <f> .\\n", 5))
    ['<a> <b> <c> .\\n', '<d> <e> <f> .\\n']
    """
    piece_chars = piece_chars or PIECE_BYTES
    start = 0
    while start < len(body):
        end = body.find("\n", start + piece_chars)
        end = len(body) if end < 0 else end + 1
        yield body[start:end]
        start = end


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unfinished(where: Path) -> bool:
    """A directory holding only what a first build killed before it finished leaves behind."""
    names = {p.name for p in where.iterdir()}
    return all(n in (generations.LOCK, generations.HEAD + ".tmp") or generations.is_generation_name(n) for n in names)


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
    if generations.is_old_layout(where):
        raise StoreError(f"{where} was written by an older policekg (a bare Oxigraph database); "
                         "build again into a new directory (policekg build --store NEW_DIR)")
    if not where.exists() or (not generations.is_store(where) and _unfinished(where)):
        if not create:
            raise StoreError(f"no graph store at {where}; run `policekg build` first (or pass --store DIR)")
        return
    if generations.is_store(where):
        return
    if not create:
        raise StoreError(f"{where} is not a policekg store (no HEAD naming a database in it); "
                         "pass the directory `policekg build` wrote")
    raise StoreError(f"{where} is a directory that is not a policekg store; "
                     "give a new or empty directory to build into")


class StagedStore(GraphStore):
    """A writer: a new generation of the store, published when closed, discarded on error.

    ``close()`` (or leaving a ``with`` block normally) publishes what was written, in one atomic
    step; leaving a ``with`` block by an exception, or ``discard()``, throws it all away. A writer
    that wrote nothing publishes nothing.
    """

    def __init__(self, inner: ox.Store, location: Path, generation: Path, lock: generations.WriteLock):
        super().__init__(inner, location)
        self.generation = generation
        self._lock = lock
        self._base_bytes = sum(f.stat().st_size for f in generation.iterdir() if f.is_file())

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def close(self) -> None:
        """Settle and publish the new generation (if anything was written), then unlock."""
        if self._inner is None:
            return
        if not self.changed:
            self.discard()
            return
        try:
            if self.distinct_triples(count=False) is None:  # a big write: count once, here
                self._record_distinct(self.distinct_triples())
            self.optimize()
        except OSError as exc:
            self.discard()
            raise StoreError(f"the store refused the write, nothing was written: {_first_line(exc)}") from None
        super().close()
        try:
            generations.publish(self.location, self.generation)
        finally:
            self._lock.release()

    def optimize(self) -> None:
        """Settle the new generation before it is published (``close`` calls it).

        Flushing moves the write-ahead log (the bookkeeping and any dropped graphs; bulk loads
        bypass it) into sorted files, so no read-only open replays it. Compaction follows when the
        write changed at least ``COMPACT_SHARE`` of the store. ``benchmarks/store.py`` compares
        the choices.
        """
        self._inner.flush()
        if self.written_bytes >= COMPACT_SHARE * self._base_bytes:
            self._inner.optimize()

    def discard(self) -> None:
        """Throw away everything written since opening; the store stays as it was."""
        if self._inner is not None:
            super().close()
        generations.discard(self.generation)
        self._lock.release()


def _open_writer(where: Path) -> StagedStore:
    lock = generations.WriteLock(where)
    generation = None
    try:
        generation = generations.next_generation(where)
        if generations.is_store(where):
            # A checkpoint: hard links to the current generation's files, so it costs no copy.
            ox.Store.read_only(str(generations.current(where))).backup(str(generation))
        inner = ox.Store(str(generation))
    except (OSError, StoreError) as exc:
        if generation is not None:
            generations.discard(generation)
        lock.release()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"cannot open the graph store at {where} for writing ({_first_line(exc)})") from None
    return StagedStore(inner, where, generation, lock)


def _open_reader(where: Path) -> GraphStore:
    for attempt in (1, 2):
        generation = generations.current(where)
        try:
            return GraphStore(ox.Store.read_only(str(generation)), where, read_only=True)
        except OSError as exc:
            # A build published a new generation and deleted this one between the two steps.
            if attempt == 2 or generations.current(where) == generation:
                raise StoreError(f"cannot open the graph store at {where} ({_first_line(exc)}); "
                                 "is it a policekg store?") from None
    raise AssertionError("unreachable")


def open_store(path: str | os.PathLike | None = None, *, create: bool = False, write: bool | None = None) -> GraphStore:
    """Open the embedded store.

    Args:
        path: the store directory (see ``store_path``); ``":memory:"`` for a throw-away store.
        create: create the store if it does not exist; otherwise a missing store is an error.
        write: open a writer (a ``StagedStore``: one at a time, published when closed). Defaults
            to ``create``; a reader opens the current generation read-only, takes no lock and
            writes nothing.

    Raises:
        StoreError: the path is not a store (or, with ``create``, not a new or empty directory),
            another build is writing to it, or the store cannot be opened.
    """
    if str(path) == MEMORY:
        return GraphStore(ox.Store(), None)
    write = create if write is None else write
    where = store_path(path)
    check_store_path(where, create=create)
    return _open_writer(where) if write else _open_reader(where)
