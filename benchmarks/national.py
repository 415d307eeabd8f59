"""A store of a national corpus's shape, made in seconds: a few invented forces' reports analysed for
real, then their graphs copied under other invented forces' names.

Building 1,000 reports through extraction takes minutes; a test of the page drawn from such a store
cannot wait that long. So: ``write_corpus`` writes every report of ``sources`` invented forces (every
layout, see ``corpus.py``), the real pipeline analyses them (``policekg.graph.batch.analyse_many``,
as ``policekg build`` does), and each analysed graph is written again under a new invented force:
the force's name and IRI slug are replaced in its N-Triples, so the report, its findings and its
force-internal entities (divisions, units, CDRPs) get the new force's IRIs, while national entities
(PNC, GUARDIAN...) and the framework schemes stay shared, as across real forces. Everything goes
into the store through ``policekg.api.write_reports``, in batches, as a build's analysed reports do.

    python benchmarks/national.py STORE --reports 1000 [--sources 4] [--length 0.2] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # its sibling modules
import corpus  # noqa: E402  (a sibling script)

from policekg import api  # noqa: E402
from policekg.graph import batch  # noqa: E402
from policekg.graph.iris import slug  # noqa: E402

BATCH = 0  # reports per write transaction (0: all in one)
_THIN_SUBJECTS = ("/mention/", "/assertion/")
_NORMALISED_TEXT = "<https://w3id.org/policekg/ontology#normalisedText>"


def thinned(ntriples: str) -> str:
    """A report graph without its provenance detail: mention nodes (surface text and offsets of each
    citation), reified relation statements and the normalised text. Findings, their citations,
    entities, relations and frameworks stay: what the overview and the detail pages draw."""
    keep = []
    for line in ntriples.splitlines():
        subject, _, rest = line.partition(" ")
        if any(t in subject for t in _THIN_SUBJECTS) or rest.startswith(_NORMALISED_TEXT):
            continue
        keep.append(line)
    return "\n".join(keep) + "\n"


def renamed(item: api.AnalysedReport, old: str, new: str, *, thin: bool = False) -> api.AnalysedReport:
    """``item`` as if the report had been about the force ``new`` instead of ``old``.

    The force's name is replaced in every literal (titles, finding text, labels) and its slug in
    every IRI; the source file's SHA-256 becomes a digest of the old one and the new name, so each
    copy is a distinct document. With ``thin``, see ``thinned``.
    """
    sha = hashlib.sha256(f"{item.sha256}:{new}".encode()).hexdigest()
    text = item.ntriples.replace(slug(old), slug(new)).replace(old, new)
    if item.sha256:
        text = text.replace(item.sha256, sha)
    if thin:
        text = thinned(text)
    iri = item.iri.replace(slug(old), slug(new))
    summary = replace(item.summary, iri=iri, source=item.summary.source.replace(slug(old), slug(new)), force=new)
    return api.AnalysedReport(iri, sha, text, summary)


def build_national_store(store: str | Path, reports: int = 1000, *, sources: int = 4, seed: int = 1,
                         length: float = 0.2, jobs: int | None = None, batch_size: int = BATCH,
                         thin: bool = False, log=None) -> dict:
    """Fill ``store`` (created) with ``reports`` reports: ``sources`` forces analysed, then copied.

    Args:
        store: the store directory.
        reports: how many reports in all (copies of the source forces' reports, in their order).
        sources: invented forces whose reports (every layout) are analysed.
        seed, length: as ``corpus.write_corpus``.
        jobs: worker processes for the analysis (None: every core).
        batch_size: reports per ``write_reports`` call (one transaction each; 0: one call).
        thin: copy the graphs without their provenance detail (``thinned``): half the triples, for
            a store a test can build in seconds.
        log: called with a progress line.

    Returns:
        Figures: ``analysed`` (source reports), ``forces``, ``reports``, ``analyse_s``, ``write_s``.
    """
    per_force = len(corpus.SERIES)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="policekg-national-") as tmp:
        paths = corpus.write_corpus(tmp, sources * per_force, seed=seed, length=length)
        analysed = [a for a in batch.analyse_many(paths, jobs=jobs) if isinstance(a, api.AnalysedReport)]
    t_analyse = time.perf_counter() - t0
    gazetteer = corpus._national()
    taken = {a.summary.force for a in analysed}
    copies: list[api.AnalysedReport] = []
    index = sources
    while len(copies) < reports:
        for old in sorted({a.summary.force for a in analysed}):
            new = corpus.make_force(index, seed, gazetteer, taken).name
            index += 1
            copies += [renamed(a, old, new, thin=thin) for a in analysed if a.summary.force == old]
    copies = copies[:reports]
    t0 = time.perf_counter()
    step = batch_size or len(copies)
    for i in range(0, len(copies), step):
        api.write_reports(copies[i:i + step], store=store)
        if log:
            log(f"  wrote {min(i + step, len(copies))}/{len(copies)} reports")
    return {"analysed": len(analysed), "reports": len(copies), "forces": len({c.summary.force for c in copies}),
            "analyse_s": t_analyse, "write_s": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--sources", type=int, default=4, help="invented forces analysed for real")
    parser.add_argument("--length", type=float, default=0.2, help="scale the source reports' lengths")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--batch", type=int, default=BATCH, help="reports per write transaction (0: one)")
    parser.add_argument("--thin", action="store_true", help="copies without mention/assertion provenance")
    args = parser.parse_args(argv)
    f = build_national_store(args.store, args.reports, sources=args.sources, seed=args.seed, length=args.length,
                             jobs=args.jobs, batch_size=args.batch, thin=args.thin,
                             log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"{f['reports']} reports of {f['forces']} forces in {args.store}: {f['analysed']} analysed in "
          f"{f['analyse_s']:.1f} s, all written in {f['write_s']:.1f} s")


if __name__ == "__main__":
    main()
