"""Median latency of every named query and of ``trace``, on the bundled graph and on a scaled one.

Run:
    python benchmarks/queries.py                      # bundled graph, then ~1 million triples
    python benchmarks/queries.py --triples 200000 --repeat 5 --rdflib-repeat 1

How the large graph is made (honest and cheap): the two bundled reports are parsed and analysed
once with ``policekg.api.analyse``; then, for each of N invented forces ("Force 001 Constabulary",
...), the parsed ``Report`` is copied with its ``force`` renamed and the extraction's Force entity
renamed to match, and ``policekg.graph.build.build_graph`` builds its graph. Report, finding and
force-scoped entity IRIs all depend on the force name, so every copy is a distinct report graph;
national entities (PNC, STORM, ViSOR, ...) and the framework schemes are shared, as they would be
across real forces. N is chosen so the store holds about ``--triples`` triples.

Each query runs against Oxigraph (the project's store, through oxrdflib, as the CLI does) and
against rdflib's in-memory ``Dataset`` holding the same quads. rdflib's own SPARQL engine is far
slower at a million triples, so its repetitions are capped (``--rdflib-repeat``, 1 by default at
scale) and ``--no-rdflib-scaled`` skips it there. Entity parameters come from each query's
``#+ example:`` line. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import resource
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, URIRef

from policekg import api
from policekg.extract.model import FORCE, Extraction, Report
from policekg.graph import iris
from policekg.graph.build import build_graph
from policekg.graph.store import open_store
from policekg.ontology import ONTOLOGY_IRI, ontology_graph
from policekg.queries.library import NamedQuery, all_queries
from policekg.queries.run import param_bindings, run
from policekg.queries.trace import trace


def example_params(query: NamedQuery) -> dict[str, str]:
    """The ``--param name=value`` pairs of a query's example line."""
    words = shlex.split(query.example)
    return dict(words[i + 1].split("=", 1) for i, w in enumerate(words[:-1]) if w in ("--param", "-p"))


def renamed(report: Report, extraction: Extraction, force: str) -> tuple[Report, Extraction]:
    """A copy of an analysed report as if it were about another force."""
    old = (FORCE, report.force)
    new = (FORCE, force)

    def key(k):
        return new if k == old else k

    entities = [
        dataclasses.replace(e, label=force, aliases=set()) if e.key == old else e for e in extraction.entities
    ]
    mentions = [dataclasses.replace(m, entity=key(m.entity)) for m in extraction.mentions]
    relations = [dataclasses.replace(r, subject=key(r.subject), object=key(r.object))
                 for r in extraction.relations]
    return (dataclasses.replace(report, force=force),
            Extraction(entities=entities, mentions=mentions,
                       relations=relations))


def fill_scaled(where: Path, target: int, log: Callable[[str], None]) -> int:
    """Build about ``target`` triples of bundled-report copies into the store at ``where``."""
    analysed = [api.analyse(p)[:2] for p in api.bundled_reports()]
    per_copy = sum(len(build_graph(r, x)) for r, x in analysed)
    copies = max(1, round(target / per_copy))
    log(f"building {copies} invented forces x {len(analysed)} reports (~{per_copy} triples each)")
    with open_store(where, create=True) as gs:
        gs.replace_graph(ONTOLOGY_IRI, ontology_graph())
        for i in range(copies):
            force = f"Force {i:03d} Constabulary"
            for report, extraction in analysed:
                r, x = renamed(report, extraction, force)
                gs.replace_graph(iris.report_iri(r.force, r.year, r.kind), build_graph(r, x))
        return gs.count()


def memory_copy(where: Path) -> Dataset:
    """The store's quads in rdflib's in-memory Dataset, queried as the union of its graphs."""
    ds = Dataset(default_union=True)
    with open_store(where) as gs:
        for s, p, o, g in gs.quads():
            ds.add((s, p, o, URIRef(g)))
    return ds


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    fn()  # warm up (first-query parsing and caches), not timed
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    size = len(out.rows) if hasattr(out, "rows") else len(out.findings)
    return statistics.median(times), size


def bench(dataset: Dataset, repeat: int, label: str, trace_names: list[str],
          skip: Callable[[str], str | None] = lambda name: None) -> dict[str, float]:
    """Median milliseconds per query; ``skip(name)`` returns a reason to leave one out."""
    results = {}
    for query in all_queries():
        if reason := skip(query.name):
            print(f"  {label:<22} {query.name:<34} {'skipped':>10}     ({reason})", flush=True)
            continue
        bindings = param_bindings(dataset, query, example_params(query))
        ms, rows = median_ms(lambda q=query, b=bindings: run(dataset, q.text, b), repeat)
        results[query.name] = ms
        print(f"  {label:<22} {query.name:<34} {ms:10.1f} ms  {rows:6d} rows", flush=True)
    for name in trace_names:
        if reason := skip(f"trace {name}"):
            print(f"  {label:<22} {'trace ' + name:<34} {'skipped':>10}     ({reason})", flush=True)
            continue
        ms, rows = median_ms(lambda n=name: trace(dataset, n), repeat)
        results[f"trace {name}"] = ms
        print(f"  {label:<22} {'trace ' + name:<34} {ms:10.1f} ms  {rows:6d} findings", flush=True)
    return results


def _child(where: str, name: str, repeat: int, trace_names: list[str], mem_gb: float, out) -> None:
    """One query on the scaled store, in its own process with a memory cap (see ``isolated``)."""
    cap = int(mem_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    with open_store(where) as gs:
        if name.startswith("trace "):
            out.put(median_ms(lambda: trace(gs.dataset, name[6:]), repeat))
        else:
            q = next(q for q in all_queries() if q.name == name)
            b = param_bindings(gs.dataset, q, example_params(q))
            out.put(median_ms(lambda: run(gs.dataset, q.text, b), repeat))


def isolated(where: Path, repeat: int, trace_names: list[str], timeout: float, mem_gb: float) -> None:
    """Every query on the scaled Oxigraph store, each in a child process with a time limit and a
    memory cap: the union of report graphs repeats shared descriptions once per report, and a query
    joining several of them can grow without bound; it is reported, not allowed to stop the run."""
    ctx = multiprocessing.get_context("spawn")
    for name in [q.name for q in all_queries()] + [f"trace {n}" for n in trace_names]:
        out = ctx.Queue()
        proc = ctx.Process(target=_child, args=(str(where), name, repeat, trace_names, mem_gb, out))
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join()
            print(f"  {'oxigraph':<22} {name:<34} {'>' + str(int(timeout)) + ' s':>10}     (stopped)", flush=True)
        elif proc.exitcode != 0 or out.empty():
            print(f"  {'oxigraph':<22} {name:<34} {'failed':>10}     (exit {proc.exitcode}; "
                  f"memory cap {mem_gb:g} GB?)", flush=True)
        else:
            ms, rows = out.get()
            print(f"  {'oxigraph':<22} {name:<34} {ms:10.1f} ms  {rows:6d} rows", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the scaled graph")
    parser.add_argument("--repeat", type=int, default=11, help="timed runs per query on Oxigraph")
    parser.add_argument("--rdflib-repeat", type=int, default=1, help="timed runs per query, rdflib at scale")
    parser.add_argument("--no-rdflib-scaled", action="store_true", help="skip rdflib on the scaled graph")
    parser.add_argument("--rdflib-budget", type=float, default=60.0,
                        help="at scale, skip an rdflib query whose bundled time x scale factor exceeds this (s)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per query at scale (Oxigraph)")
    parser.add_argument("--mem-gb", type=float, default=8, help="memory cap per query at scale (Oxigraph)")
    parser.add_argument("--trace", nargs="*", default=["STORM", "ViSOR", "PNC"], help="names to trace")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="policekg-bench-") as tmp:
        small, large = Path(tmp) / "bundled", Path(tmp) / "scaled"
        api.build(store=small)
        with open_store(small) as gs:
            print(f"Bundled graph: {gs.count()} triples (median of {args.repeat} runs)")
            bench(gs.dataset, args.repeat, "oxigraph", args.trace)
            small_count = gs.count()
        print(f"Bundled graph, rdflib in-memory Dataset (median of {args.repeat} runs)")
        rdflib_small = bench(memory_copy(small), args.repeat, "rdflib-memory", args.trace)

        t0 = time.perf_counter()
        total = fill_scaled(large, args.triples, log)
        print(f"Scaled graph: {total} triples (built in {time.perf_counter() - t0:.0f} s; "
              f"median of {args.repeat} runs)")
        isolated(large, args.repeat, args.trace, args.timeout, args.mem_gb)
        if not args.no_rdflib_scaled:
            t0 = time.perf_counter()
            ds = memory_copy(large)
            print(f"Scaled graph, rdflib in-memory Dataset (loaded in {time.perf_counter() - t0:.0f} s; "
                  f"median of {args.rdflib_repeat} run(s) after one warm-up: capped, it is slow)")
            factor = total / small_count

            def too_slow(name: str) -> str | None:
                estimate = rdflib_small[name] * factor / 1000
                if estimate > args.rdflib_budget:
                    return f"estimated {estimate:.0f} s > --rdflib-budget {args.rdflib_budget:.0f} s"
                return None

            bench(ds, args.rdflib_repeat, "rdflib-memory", args.trace, skip=too_slow)


if __name__ == "__main__":
    main()
