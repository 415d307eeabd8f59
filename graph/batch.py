"""Analyse many reports in worker processes, yielding them in input order with bounded memory.

A build of a national corpus (thousands of reports) is dominated by parsing and spaCy. Each worker
process builds the spaCy pipeline once and returns what the store needs for a report: its IRI,
the counts the build summary prints, and its graph already serialised as sorted N-Triples text
(a string pickles far faster than an rdflib ``Graph``, and sorted lines make the text, and so the
store's digest, the same whichever process made it).

Memory stays bounded: at most ``2 * jobs`` reports are in flight, and the caller consumes the
results as a stream. A file whose SHA-256 equals that of a report already in the store is not
parsed at all; it comes back as :class:`Unchanged`.

``Spool`` keeps analysed graphs on disk (compressed) until every file of a build has been read,
so a bad file found late still leaves the store as it was, without holding the corpus in memory.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import tempfile
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from policekg.errors import InputError
from policekg.graph.store import MEMORY, GraphStore, open_store, store_path
from policekg.queries.library import load
from policekg.queries.run import Values, run

REPORTS_PER_WORKER = 3  # the fewest reports to analyse that make starting one more worker worth it


@dataclass
class Analysed:
    """One report, analysed: what the store and the build summary need."""

    path: str
    iri: str
    source: str
    kind: str
    force: str
    year: str
    sha256: str
    triples: int
    frameworks: int
    findings: int
    relations: int
    entities: dict[str, int] = field(default_factory=dict)
    ntriples: str = ""  # sorted N-Triples lines, one per triple


@dataclass
class Unchanged:
    """A file whose content the store already holds (same SHA-256): skipped before parsing."""

    path: str
    iri: str
    sha256: str


def default_jobs() -> int:
    """Worker processes by default: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def file_sha256(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes (as ``read_report`` computes it), or None if it cannot be read:
    the analysis then raises the error that says what is wrong with it."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def analyse_report(path: str | Path, kind: str | None = None) -> Analysed:
    """Parse one report, extract its entities and relations, and serialise its graph.

    Raises:
        InputError: the file cannot be read as text.
        UnknownReportKind: the report's kind is not recognised (pass ``kind="generic"``).
    """
    from policekg.extract.nlp import extract_entities
    from policekg.extract.structure import parse_report
    from policekg.graph import iris
    from policekg.graph.build import build_graph

    report = parse_report(path, kind=kind)
    extraction = extract_entities(report)
    graph = build_graph(report, extraction)
    lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
    return Analysed(
        path=str(path), iri=str(iris.report_iri(report.force, report.year, report.kind)),
        source=report.source_name, kind=report.kind, force=report.force, year=report.year,
        sha256=report.sha256 or "", triples=len(lines), frameworks=len(report.frameworks),
        findings=len(report.findings), relations=len(extraction.relations),
        entities=dict(sorted(Counter(e.type for e in extraction.entities).items())),
        ntriples="\n".join(lines) + "\n",
    )


def _start_worker() -> None:
    # Build the spaCy pipeline once per worker, before its first report.
    from policekg.extract.nlp import default_pipeline

    default_pipeline()


def analyse_many(
    paths: Iterable[str | Path],
    *,
    kind: str | None = None,
    jobs: int | None = None,
    known: Mapping[str, str] | None = None,
) -> Iterator[Analysed | Unchanged]:
    """Analyse report files, in worker processes when ``jobs`` > 1, yielding them in input order.

    Args:
        paths: report files.
        kind: force a report kind for all files.
        jobs: at most this many worker processes (None: every core), and no more than one per
            ``REPORTS_PER_WORKER`` files to analyse; one analyses in this process.
        known: SHA-256 -> report IRI of the reports already in the store; a file with one of
            these digests is yielded as ``Unchanged`` without being read further.

    Raises:
        InputError, UnknownReportKind: as ``analyse_report``, for the first bad file in order.
    """
    known = known or {}
    items: list[tuple[str, Unchanged | None]] = []
    for p in paths:
        digest = file_sha256(p)
        hit = known.get(digest) if digest else None
        items.append((str(p), Unchanged(str(p), hit, digest) if hit else None))
    todo = sum(1 for _, u in items if u is None)
    # A worker's start (importing spaCy, building the pipeline) costs about what analysing a report
    # or two does: below a few reports per worker, fewer workers finish sooner.
    workers = min(jobs or default_jobs(), todo // REPORTS_PER_WORKER)
    if workers <= 1:
        for p, unchanged in items:
            yield unchanged or analyse_report(p, kind)
        return
    # spawn, not fork: the parent may hold an open store and other threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        pending: deque = deque()
        queue = iter(items)
        window = 2 * workers

        def submit_next() -> bool:
            for p, unchanged in queue:
                pending.append(unchanged or pool.submit(analyse_report, p, kind))
                if unchanged is None:
                    return True
            return False

        in_flight = 0
        while in_flight < window and submit_next():
            in_flight += 1
        while pending:
            head = pending.popleft()
            if isinstance(head, Unchanged):
                yield head
                continue
            try:
                result = head.result()
            except BaseException:
                for f in pending:
                    if not isinstance(f, Unchanged):
                        f.cancel()
                raise
            in_flight -= 1
            if submit_next():
                in_flight += 1
            yield result


def stored_digests(store: str | os.PathLike | None) -> dict[str, str]:
    """SHA-256 of the source file -> report IRI, for every report in the store (one query);
    empty if there is no store yet (none is created)."""
    if str(store) == MEMORY or not store_path(store).exists():
        return {}
    with open_store(store) as gs:
        rows = run(gs.dataset, load("report-digests").text).dicts()
    return {str(r["sha256"]): str(r["report"]) for r in rows}


def stored_summaries(gs: GraphStore, reports: list[str]) -> list[dict]:
    """What reports already in the store hold, counted in their named graphs, as the keyword
    arguments of ``policekg.api.ReportSummary`` (``written`` left out)."""
    if not reports:
        return []
    bound = Values(("report",), tuple((URIRef(r),) for r in sorted(reports)))
    out = []
    for r in run(gs.dataset, load("report-summary").text, bound).dicts():
        pairs = (p.split("=", 1) for p in str(r["entities"] or "").split())
        out.append({
            "iri": str(r["report"]), "source": str(r["source"]), "kind": str(r["kind"]),
            "force": str(r["force"]), "year": str(r["year"]), "triples": int(r["triples"]),
            "frameworks": int(r["frameworks"]), "findings": int(r["findings"]),
            "relations": int(r["relations"]), "entities": {k: int(n) for k, n in sorted(pairs)},
        })
    return out


class Spool:
    """Analysed reports kept on disk, compressed, until a build has read every file.

    Use as a context manager; iterate to read them back in the order added. Refuses two files
    that make the same report.
    """

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="policekg-spool-")
        self._count = 0
        self._iris: dict[str, str] = {}

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()

    def add(self, item: Analysed | Unchanged) -> None:
        """Keep one report.

        Raises:
            InputError: another file of this build makes the same report.
        """
        if item.iri in self._iris:
            raise InputError(f"two files give the same report ({item.iri}): {self._iris[item.iri]} and "
                             f"{item.path}; build them one at a time")
        self._iris[item.iri] = item.path
        data = zlib.compress(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL), 1)
        (Path(self._dir.name) / f"{self._count:08d}").write_bytes(data)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Analysed | Unchanged]:
        for i in range(self._count):
            yield pickle.loads(zlib.decompress((Path(self._dir.name) / f"{i:08d}").read_bytes()))
