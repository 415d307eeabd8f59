"""Write analysed reports into an open store writer as they come, in bounded batches.

A build streams: each analysed report is checked against the reports already in the store and
those earlier in the same build (two different documents must never share a report IRI silently),
then held until about ``BATCH_BYTES`` of N-Triples are waiting, and bulk-loaded. The writer is a
new generation of the store (``policekg.graph.store.StagedStore``), so nothing is visible until the
build publishes it, and memory stays bounded by one batch however many reports a build holds.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from dataclasses import replace as replace_field

from policekg.errors import InputError
from policekg.graph.store import GraphStore
from policekg.ontology import ONTOLOGY_IRI, ontology_graph

BATCH_BYTES = 32 << 20  # N-Triples held before a bulk load; a store load is fastest in big pieces


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
    parser: str = ""  # the registered parser that read it (policekg.extract.parsers)

    def to_json(self) -> str:
        """The summary as kept in the store (without ``written``, which is about one build)."""
        data = asdict(self)
        del data["written"]
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReportSummary:
        return cls(**json.loads(text), written=False)


@dataclass
class AnalysedReport:
    """One report analysed and serialised, ready to write: small and picklable, so worker
    processes can produce it and the store bulk-loads the N-Triples."""

    iri: str
    sha256: str
    ntriples: str
    summary: ReportSummary


@dataclass
class BuildSummary:
    store: str
    reports: list[ReportSummary]
    total_triples: int


class ReportConflict(InputError):
    """A different document claims the IRI of a report already in the store (or in the same build)."""


class ReportWriter:
    """Checks and writes analysed reports into an open writer; ``finish`` returns the summary.

    Args:
        gs: an open writer (a new generation, or an in-memory store).
        stored: the reports already in the store, as ``policekg.reader.list_reports`` gives them.
        replace: let a different document replace a stored report with the same IRI.
    """

    def __init__(self, gs: GraphStore, stored: list[dict], *, replace: bool = False):
        self.gs = gs
        self.replace = replace
        self.stored = {r["iri"]: r for r in stored}
        self._seen: dict[str, tuple[str, str]] = {}  # report IRI -> (file SHA-256, source name)
        self._batch: list[AnalysedReport] = []
        self._size = 0
        self._flags: dict[str, bool] = {}
        self._order: list[ReportSummary] = []  # summaries only: a report's N-Triples go once written

    def add(self, item: AnalysedReport) -> None:
        """Take one analysed report (written with the next batch).

        Raises:
            ReportConflict: a different document already claims its IRI, here or in the store.
            StoreError: the store refused a batch.
        """
        self._order.append(item.summary)
        first = self._seen.get(item.iri)
        if first is not None:  # the same report given twice is written once
            if first[0] != item.sha256:
                raise ReportConflict(
                    f"{first[1]} and {item.summary.source} are different documents that both "
                    f"identify as <{item.iri}> (same force, year and kind); build one of them, or the "
                    "other with --replace to replace it")
            return
        self._seen[item.iri] = (item.sha256, item.summary.source)
        old = self.stored.get(item.iri)
        if old and not self.replace and old["sha256"] and item.sha256 and old["sha256"] != item.sha256:
            raise ReportConflict(
                f"the store already holds <{item.iri}> from {old['source']} (sha256 {old['sha256'][:12]}), "
                f"a different document from {item.summary.source} (sha256 {item.sha256[:12]}); "
                "pass --replace to replace it, or keep both by giving them different years or kinds")
        self._batch.append(item)
        self._size += len(item.ntriples)
        if self._size >= BATCH_BYTES:
            self._write()

    def _write(self) -> None:
        if not self._batch:
            return
        graphs = [(item.iri, item.ntriples) for item in self._batch]
        summaries = {item.iri: item.summary.to_json() for item in self._batch}
        for item, written in zip(self._batch, self.gs.write_graphs(graphs, summaries=summaries), strict=True):
            self._flags[item.iri] = written
        self._batch, self._size = [], 0

    def finish(self) -> BuildSummary:
        """Write what is waiting and the ontology, and summarise the build (in input order).

        Raises:
            StoreError: the store refused the write.
        """
        self._write()
        self.gs.write_graphs([(ONTOLOGY_IRI, ontology_graph().serialize(format="nt"))])
        reports = [replace_field(summary, written=self._flags[summary.iri]) for summary in self._order]
        total = sum(r["triples"] or 0 for r in self.gs.recorded().values())
        return BuildSummary(store=str(self.gs.location), reports=reports, total_triples=total)
