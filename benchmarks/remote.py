"""Push time and query latency, local store against SPARQL servers, on the bundled corpus and a larger one.

Run:
    python benchmarks/remote.py                         # the bundled 2 reports, then 100
    python benchmarks/remote.py --reports 2 --repeat 5
    python benchmarks/remote.py --reports 100 --keep /tmp/remote-bench   # keep corpus and stores

The larger corpora are the bundled reports and renamed copies of them (``benchmarks/visualise.py``'s
``write_corpus``: every copy a distinct report graph, national entities shared as across real forces).

For each store:

* push: ``policekg push`` to a fresh Oxigraph server (``oxigraph serve`` from PyPI, on a free
  127.0.0.1 port): the first push (every graph), a re-push with nothing changed (digests only),
  and a re-push after one report graph changed;
* query latency (median of ``--repeat``, milliseconds) of a few queries, run
  - in-process on the store (pyoxigraph, no limits: the floor),
  - through ``run_limited`` (what ``policekg query`` does: a child process with limits),
  - over HTTP from ``policekg serve`` (Starlette + uvicorn over ``run_limited``),
  - over HTTP from ``oxigraph serve-read-only`` on the same store (the alternative stack for serve),
  - over HTTP from the Oxigraph server the store was pushed to (``query --endpoint``);
* ``trace STORM`` (several queries) locally and against the pushed server.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from policekg import api  # noqa: E402
from policekg.graph import generations  # noqa: E402
from policekg.graph.push import _ntriples, ox, push  # noqa: E402
from policekg.graph.store import open_store  # noqa: E402
from policekg.queries import library, run  # noqa: E402
from policekg.queries.limits import run_limited  # noqa: E402
from policekg.remote import open_reader  # noqa: E402
from visualise import build_store, write_corpus  # noqa: E402  (benchmarks/visualise.py)

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "reports": None,  # named queries: text from the library, bound below
    "trace STORM": ("trace", {"entity": "STORM"}),
    "findings-citing STORM": ("findings-citing", {"entity": "STORM"}),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {cmd}")


def http_query(url: str, text: str) -> int:
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": text}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req) as resp:
        return len(resp.read())


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up (page cache, connections)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def texts(store: Path) -> dict[str, str]:
    out = {}
    with open_store(store) as gs:
        for label, spec in QUERIES.items():
            if spec is None:
                out[label] = library.load(label).text
            elif isinstance(spec, tuple):
                named = library.load(spec[0])
                out[label] = run.bind(named.text, run.param_bindings(gs.dataset, named, spec[1]))
            else:
                out[label] = spec
    return out


def bench_push(store: Path, work: Path, server_url: str) -> None:
    first = push(store, endpoint=server_url)
    print(f"  push, first:            {first.seconds:7.2f} s  ({len(first.put)} graphs, {first.triples} triples"
          f"{'; default graph built on the server' if first.updated else ''})")
    again = push(store, endpoint=server_url)
    print(f"  push, nothing changed:  {again.seconds:7.2f} s  ({len(again.put)} graphs sent)")
    copy = work / "changed"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    with open_store(copy, write=True) as gs:
        name = next(str(g) for g in gs.graph_names() if "/report/" in str(g))
        body = _ntriples(gs, ox.NamedNode(name))
        gs.write_graphs([(name, body + f'<{name}> <http://purl.org/dc/terms/description> "changed" .\n')])
    one = push(copy, endpoint=server_url)
    how = "updated on the server" if one.updated else "sent"
    print(f"  push, one report changed: {one.seconds:5.2f} s  ({len(one.put)} graph(s) sent, {one.triples} "
          f"triples; default graph {how})")
    push(store, endpoint=server_url)  # back to the store's content for the query figures


def bench_queries(store: Path, serve_url: str, ox_ro_url: str, pushed_url: str, repeat: int) -> None:
    print(f"  {'query (median ms)':24} {'in-process':>10} {'run_limited':>11} {'policekg serve':>14} "
          f"{'oxigraph RO':>11} {'pushed server':>13}")
    db = ox.Store.read_only(str(generations.current(store)))
    for label, text in texts(store).items():
        figures = [
            median_ms(lambda t=text, d=db: list(d.query(t)), repeat),
            median_ms(lambda t=text: _drain(store, t), repeat),
            median_ms(lambda t=text: http_query(serve_url, t), repeat),
            median_ms(lambda t=text: http_query(ox_ro_url, t), repeat),
            median_ms(lambda t=text: http_query(pushed_url, t), repeat),
        ]
        print(f"  {label:24} " + " ".join(f"{f:{w}.1f}" for f, w in zip(figures, (10, 11, 14, 11, 13), strict=True)))
    del db
    with open_reader(store) as kg:
        local = median_ms(lambda: kg.trace("STORM"), repeat)
    with open_reader(endpoint=pushed_url) as kg:
        remote = median_ms(lambda: kg.trace("STORM"), repeat)
    print(f"  trace STORM (the API, all its queries): local {local:.1f} ms, pushed server {remote:.1f} ms")


def _drain(store: Path, text: str) -> None:
    with run_limited(store, text) as answer:
        for _ in answer.rows:
            pass


def bench(store: Path, work: Path, repeat: int) -> None:
    procs = []
    try:
        p_push, p_serve, p_ro = free_port(), free_port(), free_port()
        procs.append(start([OXIGRAPH, "serve", "--location", str(work / "pushed"), "--bind",
                            f"127.0.0.1:{p_push}"], p_push))
        procs.append(start([sys.executable, "-m", "policekg", "serve", "--store", str(store), "--port",
                            str(p_serve)], p_serve))
        procs.append(start([OXIGRAPH, "serve-read-only", "--location", str(generations.current(store)), "--bind",
                            f"127.0.0.1:{p_ro}"], p_ro))
        pushed = f"http://127.0.0.1:{p_push}/query"
        bench_push(store, work, pushed)
        bench_queries(store, f"http://127.0.0.1:{p_serve}/sparql", f"http://127.0.0.1:{p_ro}/query", pushed, repeat)
    finally:
        for p in procs:
            p.terminate()
            p.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="2,100", help="comma-separated store sizes, in reports")
    parser.add_argument("--repeat", type=int, default=7, help="runs per query (the median is printed)")
    parser.add_argument("--keep", type=Path, default=None, help="keep corpora and stores in this folder")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="policekg-remote-bench-") as tmp:
        root = args.keep or Path(tmp)
        for n in (int(x) for x in args.reports.split(",")):
            store = root / f"store-{n}"
            built = build_store(store, write_corpus(root / "corpus", n), log)
            stats = api.stats(store)
            print(f"{n} reports: {stats['triples']} triples in {len(stats['graphs'])} named graphs"
                  f"{f' (built in {built:.0f} s)' if built else ''}", flush=True)
            work = root / f"work-{n}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            bench(store, work, args.repeat)


if __name__ == "__main__":
    main()
