"""policekg at national scale: build, re-build, store, first command, named queries and trace.

For each corpus size N, writes N invented reports (``benchmarks/corpus.py``) and prints:

* build seconds per report with every core (``policekg build``) and with ``--jobs 1``;
* peak RSS of the build: the whole process tree (parent + workers, sampled from /proc every
  0.1 s) and the largest single process (``getrusage(RUSAGE_CHILDREN)``);
* adding one report to the built store, and rebuilding the unchanged corpus;
* the store's size on disk, and the latency of the first and second command after the build;
* every named query's median time (in-process, each in a child with a time limit), and
  ``trace``'s median time against the same SPARQL texts run directly in pyoxigraph.

The machine is shared, so times are medians and ratios; a single build per size is timed.
Figures are printed against the targets of issue 9, never asserted.

    python benchmarks/scale.py --reports 100,1000 [--serial-up-to 100] [--repeat 5]
    python benchmarks/scale.py --store ./kg [--force NAME] [--repeat 3]   # queries and read calls only
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402  (a sibling script)

TRACE_NAME = "STORM"


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run_measured(cmd: list[str], cap: int | None = None) -> tuple[float | None, int]:
    """Run a command; its wall seconds and the peak resident bytes of its process tree. A tree over
    ``cap`` bytes is killed (the machine is shared): its time is then None. ``run_measured.cpu`` is
    left holding its CPU seconds (all processes of the tree), ``run_measured.out`` its stdout."""
    cpu = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, killed = 0, False
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, killed
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            if cap is not None and peak > cap and not killed:
                killed = True
                proc.kill()
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    run_measured.cpu = _cpu() - cpu
    run_measured.out = "" if killed else out
    if killed:
        return None, peak
    if proc.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, peak


def policekg(*args: str) -> list[str]:
    return [sys.executable, "-m", "policekg", *args]


def du(path: Path) -> int:
    """Bytes on disk under ``path``, a file hard-linked into two store generations counted once."""
    sizes = {}
    for f in path.rglob("*"):
        if f.is_file():
            st = f.stat()
            sizes[st.st_ino] = st.st_size
    return sum(sizes.values())


# The library calls behind the read commands (``policekg stats``, ``reports``, ...), timed in-process.
READ_CALLS = ["api.stats", "api.reports", "api.entities", f"api.show {TRACE_NAME}"]


def _api_figures(store: str, name: str, repeat: int):
    from policekg import api

    call, *arg = name.split()
    fn = getattr(api, call.split(".")[1])
    times, size = [], 0
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        answer = fn(*arg, store=store)
        times.append(time.perf_counter() - t0)
        size = len(answer) if isinstance(answer, list | dict) else len(answer.citations)
    return statistics.median(times[1:]) * 1000, size, None


def _query_child(store: str, name: str, repeat: int, out) -> None:
    """Median ms of one named query (or ``trace ...``, or an ``api.`` call) on the store, in a child process."""
    from policekg.graph.store import open_store
    from policekg.queries.library import all_queries
    from policekg.queries.run import param_bindings, run

    if name.startswith("api."):
        out.put(_api_figures(store, name, repeat))
        return
    with open_store(store) as gs:
        if name.startswith("trace "):
            out.put(_trace_figures(gs, name, repeat))
            return
        query = next(q for q in all_queries() if q.name == name)
        words = shlex.split(query.example)
        params = dict(words[i + 1].split("=", 1) for i, w in enumerate(words[:-1]) if w in ("--param", "-p"))
        bindings = param_bindings(gs.dataset, query, params)
        times, rows = [], 0
        for _ in range(repeat + 1):  # the first run warms caches and is not counted
            t0 = time.perf_counter()
            rows = len(run(gs.dataset, query.text, bindings).rows)
            times.append(time.perf_counter() - t0)
        out.put((statistics.median(times[1:]) * 1000, rows, None))


def _trace_figures(gs, name: str, repeat: int):
    """trace end to end (in-process) against the same SPARQL texts run straight in pyoxigraph."""
    import inspect

    from policekg.queries.trace import trace

    words = name.split()
    kwargs = {}
    if "--force" in words and "force" in inspect.signature(trace).parameters:
        kwargs["force"] = words[words.index("--force") + 1].replace("_", " ")
    ends, engines, rows = [], [], 0
    inner = gs._inner  # the pyoxigraph store under the rdflib Dataset
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        result = trace(gs.dataset, words[1], **kwargs)
        ends.append(time.perf_counter() - t0)
        rows = len(result.findings)
        t0 = time.perf_counter()
        for text in result.sparql:
            for _row in inner.query(text):
                pass
        engines.append(time.perf_counter() - t0)
    end, engine = statistics.median(ends[1:]) * 1000, statistics.median(engines[1:]) * 1000
    return end, rows, engine


def _first_force(store: Path) -> str:
    """The preferred label of the first force (by IRI) whose reports cite the traced system: trace
    follows chains report by report, so a force that does not use it has nothing to trace."""
    from policekg.graph.store import open_store
    from policekg.queries.lookup import resolve

    with open_store(store) as gs:
        system = resolve(gs.dataset, TRACE_NAME).iri
        rows = gs.inner.query(f"""PREFIX pol: <https://w3id.org/policekg/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?label WHERE {{ ?r pol:inspectedForce ?f . ?f skos:prefLabel ?label .
                                  FILTER EXISTS {{ GRAPH ?r {{ ?x pol:cites <{system}> }} }} }}
            ORDER BY ?f LIMIT 1""")
        return next(iter(rows))[0].value


def query_times(store: Path, names: list[str], repeat: int, timeout: float) -> dict[str, tuple]:
    ctx = multiprocessing.get_context("spawn")
    out = {}
    for name in names:
        queue = ctx.Queue()
        proc = ctx.Process(target=_query_child, args=(str(store), name, repeat, queue))
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.kill()
            proc.join()
            out[name] = None
        elif proc.exitcode != 0 or queue.empty():
            out[name] = ("failed", proc.exitcode)
        else:
            out[name] = queue.get()
    return out


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def scale(n: int, args, tmp: Path) -> None:
    print(f"\n=== {n} invented reports (seed {args.seed}, length {args.length}) ===", flush=True)
    src = tmp / f"corpus-{n}"
    paths = corpus.write_corpus(src, n + 1, seed=args.seed, length=args.length)
    extra, paths = paths[-1], paths[:-1]
    size = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} files, {size / 1e6:.1f} MB ({size / len(paths) / 1e3:.0f} kB per report)")
    files = [str(p) for p in paths]
    store = tmp / f"kg-{n}"
    cores = os.cpu_count()
    wall, peak = run_measured(policekg("build", "--store", str(store), *files))
    child_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"build, every core ({cores}): {wall:7.1f} s wall, {wall / n:.3f} s/report "
          f"({run_measured.cpu / n:.2f} CPU s/report); peak RSS of the process "
          f"tree {_gib(peak)} (largest single process so far {_gib(child_max)})   "
          f"[target: 1,000 in < 300 s, < 2 GiB]", flush=True)
    firsts = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run(policekg("stats", "--store", str(store)), check=True, capture_output=True)
        firsts.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import policekg.cli"], check=True)
    start = time.perf_counter() - t0
    print(f"first command after the build (policekg stats): {firsts[0]:.2f} s, second {firsts[1]:.2f} s "
          f"(of which Python + CLI import {start:.2f} s)   [target < 2 s]", flush=True)
    light = []
    for _ in range(2):
        t0 = time.perf_counter()
        subprocess.run(policekg("query", "framework-labels", "--store", str(store)), check=True, capture_output=True)
        light.append(time.perf_counter() - t0)
    print(f"a light command after it (policekg query framework-labels): {light[0]:.2f} s, then {light[1]:.2f} s")
    if n <= args.serial_up_to:
        wall1, peak1 = run_measured(policekg("build", "--jobs", "1", "--store", str(tmp / f"kg-{n}-serial"), *files))
        print(f"build, --jobs 1:      {wall1:7.1f} s wall, {wall1 / n:.3f} s/report "
              f"({run_measured.cpu / n:.2f} CPU s/report); peak RSS {_gib(peak1)}; "
              f"parallel speed-up x{wall1 / wall:.2f}", flush=True)
    else:
        print(f"build, --jobs 1: not run above {args.serial_up_to} reports (--serial-up-to)")
    wall_add, _ = run_measured(policekg("build", "--store", str(store), *files, str(extra)))
    print(f"add one report (whole corpus given again, one new file): {wall_add:.1f} s   [target < 3 s]")
    wall_same, _ = run_measured(policekg("build", "--store", str(store), *files, str(extra)))
    print(f"rebuild the unchanged corpus: {wall_same:.1f} s   [target < 30 s]")
    print(f"store on disk: {du(store) / 1e6:.0f} MB")

    print_query_times(store, _first_force(store), args)


def print_query_times(store: Path, force: str, args) -> None:
    """Every named query, ``trace`` and the read commands on a built store, in child processes."""
    from policekg.queries.library import all_queries

    names = [q.name for q in all_queries()]
    forced = force.replace(" ", "_")
    traces = [f"trace {TRACE_NAME}", f"trace {TRACE_NAME} --force {forced}"]
    print(f"named queries, median of {args.repeat} after a warm-up, {args.timeout:.0f} s limit each "
          "[target < 2000 ms]:")
    for name, figure in query_times(store, names + traces + READ_CALLS, args.repeat, args.timeout).items():
        if figure is None:
            print(f"  {name:<52} > {args.timeout:.0f} s (stopped)")
        elif figure[0] == "failed":
            print(f"  {name:<52} failed (exit {figure[1]})")
        elif figure[2] is None:
            print(f"  {name:<52} {figure[0]:9.1f} ms {figure[1]:7d} rows")
        else:
            end, rows, engine = figure
            print(f"  {name:<52} {end:9.1f} ms {rows:7d} findings; same SPARQL in pyoxigraph {engine:.1f} ms, "
                  f"ratio x{end / engine:.2f}   [target: engine < 100 ms, ratio < 2]")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="100", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--length", type=float, default=1.0, help="section length factor of the corpus")
    parser.add_argument("--serial-up-to", type=int, default=100, help="largest corpus also built with --jobs 1")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per query")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the corpora and stores")
    parser.add_argument("--store", type=Path, default=None,
                        help="only time the queries and read calls on this built store (no corpus, no build)")
    parser.add_argument("--force", default=None, help="with --store: the force trace --force scopes to "
                        "(default: the first force whose reports cite it)")
    args = parser.parse_args(argv)
    if args.store:
        print(f"policekg read benchmark on {args.store}; load average {os.getloadavg()[0]:.1f}")
        print_query_times(args.store, args.force or _first_force(args.store), args)
        return
    print(f"policekg scale benchmark on {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} "
          "(the machine is shared: compare ratios, not single figures)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for n in (int(x) for x in args.reports.split(",")):
            scale(n, args, args.keep)
        return
    with tempfile.TemporaryDirectory(prefix="policekg-scale-") as tmp:
        for n in (int(x) for x in args.reports.split(",")):
            scale(n, args, Path(tmp))


if __name__ == "__main__":
    main()
