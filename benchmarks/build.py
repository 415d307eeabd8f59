"""Time building the bundled corpus: the whole `policekg build` command, start-up included.

Prints the wall time of N runs of `policekg build` into a fresh store (the figure users see),
words per second, triples, and an in-process breakdown by phase. Never asserts on time.

    python benchmarks/build.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from policekg import api
    from policekg.extract.normalise import normalise, read_report

    reports = api.bundled_reports()
    words = sum(len(normalise(read_report(p)[0]).text.split()) for p in reports)

    walls = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "policekg", "build", "--store", str(Path(tmp) / "kg")],
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
    median = statistics.median(walls)
    print(f"corpus: {len(reports)} reports, {words} words")
    print(f"`policekg build` wall time over {args.runs} runs (fresh store, start-up included): "
          f"median {median:.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s")
    print(f"throughput: {words / median:,.0f} words/s (whole command)")

    # In-process breakdown (one run, imports already paid for by this process except spaCy's).
    phases: dict[str, float] = {}

    def timed(name, fn, *a, **k):
        t = time.perf_counter()
        out = fn(*a, **k)
        phases[name] = phases.get(name, 0.0) + time.perf_counter() - t
        return out

    t = time.perf_counter()
    from policekg.extract.nlp import default_pipeline, extract_entities
    from policekg.extract.structure import parse_report
    from policekg.graph.build import build_graph
    from policekg.graph.store import open_store
    phases["import spaCy + pipeline modules"] = time.perf_counter() - t
    timed("build spaCy pipeline", default_pipeline)
    graphs = []
    for p in reports:
        report = timed("read + normalise + parse structure", parse_report, p)
        extraction = timed("entities + relations (spaCy)", extract_entities, report)
        graphs.append((report, timed("build RDF graph", build_graph, report, extraction)))
    with tempfile.TemporaryDirectory() as tmp:
        from policekg.graph import iris
        with open_store(Path(tmp) / "kg", create=True) as gs:
            for report, g in graphs:
                timed("write to Oxigraph", gs.replace_graph, iris.report_iri(report.force, report.year, report.kind), g)
            triples = gs.count()
    print(f"triples (report graphs): {triples}")
    for name, secs in phases.items():
        print(f"  {name:40s} {secs:6.3f} s")


if __name__ == "__main__":
    main()
