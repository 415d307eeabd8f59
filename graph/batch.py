"""Analyse many reports in worker processes, yielding them in input order.

A build of a national corpus (thousands of reports) is dominated by parsing and spaCy. Each worker
process builds the spaCy pipeline once and returns what the store needs for a report:
``policekg.api.AnalysedReport``, its IRI, summary counts and graph already serialised as N-Triples
(a string pickles far faster than an rdflib ``Graph``).

At most ``2 * jobs`` reports are in flight, so results are consumed as a stream and the workers
never run far ahead of the caller. A file whose SHA-256 equals that of a report already in the
store is not parsed at all; it comes back as :class:`Unchanged`, and ``with_unchanged`` puts the
summary kept with the stored report in its place in the build summary.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import URIRef

from policekg.graph.store import GraphStore
from policekg.graph.writer import AnalysedReport, BuildSummary, ReportSummary
from policekg.queries.library import load
from policekg.queries.run import Values, run

REPORTS_PER_WORKER = 3  # the fewest reports to analyse that make starting one more worker worth it


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


def analyse_report(path: str | Path, kind: str | None = None, max_size_mb: float | None = None, jobs: int = 1):
    """``policekg.api.analyse_serialised`` of one file (what a worker process runs).

    Raises:
        InputError, UnknownReportKind: as ``analyse_serialised``.
    """
    from policekg import api

    return api.analyse_serialised(path, kind=kind, max_size_mb=max_size_mb, jobs=jobs)


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
    max_size_mb: float | None = None,
) -> Iterator[AnalysedReport | Unchanged]:
    """Analyse report files, in worker processes when ``jobs`` > 1, yielding them in input order.

    Args:
        paths: report files.
        kind: force a report kind for all files.
        jobs: at most this many worker processes (None: every core), and no more than one per
            ``REPORTS_PER_WORKER`` files to analyse; one analyses in this process.
        known: SHA-256 -> report IRI of the reports already in the store; a file with one of
            these digests is yielded as ``Unchanged`` without being read further.
        max_size_mb: refuse files larger than this (see ``policekg.api.check_input``).

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
        # Too few reports to share out: a very long one is read by several processes instead.
        for p, unchanged in items:
            yield unchanged or analyse_report(p, kind, max_size_mb, jobs or default_jobs())
        return
    # spawn, not fork: the parent may hold an open store and other threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker) as pool:
        pending: deque = deque()
        queue = iter(items)
        window = 2 * workers

        def submit_next() -> bool:
            for p, unchanged in queue:
                pending.append(unchanged or pool.submit(analyse_report, p, kind, max_size_mb))
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


def with_unchanged(summary: BuildSummary, unchanged: Mapping[int, str], gs: GraphStore) -> BuildSummary:
    """A build summary with the reports skipped as unchanged put back at their places in the input.

    Args:
        summary: what ``ReportWriter.finish`` returned for the analysed reports.
        unchanged: input position -> IRI of each report skipped as unchanged.
        gs: the open store: a skipped report's summary is the one kept when it was written
            (counted in its named graph if none was kept).
    """
    if not unchanged:
        return summary
    kept = gs.recorded()
    stored = {iri: ReportSummary.from_json(kept[iri]["summary"]) for iri in set(unchanged.values())
              if kept.get(iri, {}).get("summary")}
    missing = sorted(set(unchanged.values()) - set(stored))
    stored.update({s["iri"]: ReportSummary(**s, written=False) for s in stored_summaries(gs, missing)})
    written = iter(summary.reports)
    total = len(summary.reports) + len(unchanged)
    reports = [stored[unchanged[i]] if i in unchanged else next(written) for i in range(total)]
    return replace(summary, reports=reports)


def stored_summaries(gs: GraphStore, reports: list[str]) -> list[dict]:
    """What reports already in the store hold, counted in their named graphs, as the keyword
    arguments of ``ReportSummary`` (``written`` left out)."""
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
