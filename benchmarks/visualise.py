"""Size of the graph page, time to write it, and time until it is drawn and stable in headless Chromium.

Run:
    python benchmarks/visualise.py                    # bundled graph, then ~1 million triples
    python benchmarks/visualise.py --triples 200000   # a smaller scaled graph
    python benchmarks/visualise.py --no-scaled        # bundled graph only

Two graphs: the bundled reports, and the scaled graph of the query benchmark (``fill_scaled`` in
benchmarks/queries.py: the bundled reports analysed once with ``policekg.api.analyse``, then
rebuilt with ``build_graph`` under many invented force names, "Force 000 Constabulary"...; force-
scoped entities, reports and findings are distinct per force, national entities and frameworks
are shared).

For each: the time to read the store into networkx (``load_network``), the time to render and
write the page (``write_html``), its size, and in headless Chromium (Debian's /usr/bin/chromium
through Playwright) the time from navigation start until vis-network's stabilisation is done and
physics stops (the page's ``stabilizationIterationsDone`` handler sets ``policekg.stableAt``).

What the scaled page draws: above ``MAX_FINDINGS`` findings (policekg/visualise/html.py) the page
leaves findings out and draws entities, frameworks and reports, each framework joined to the
entities its findings cite; ``--focus`` or ``--report`` draw findings at any scale. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from policekg import api
from policekg.visualise.html import MAX_FINDINGS, write_html
from policekg.visualise.network import load_network

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _fill_scaled():
    spec = importlib.util.spec_from_file_location("bench_queries", Path(__file__).with_name("queries.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fill_scaled


def in_browser(page_path: Path, timeout_s: float) -> dict:
    """Open the page in headless Chromium; when it is stable, how long it took and what it drew."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        remote = []
        page.on("request", lambda r: r.url.startswith(("file://", "data:")) or remote.append(r.url))
        t0 = time.perf_counter()
        page.goto(page_path.resolve().as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("window.policekg && window.policekg.stable", timeout=timeout_s * 1000,
                               polling=50)
        wall = time.perf_counter() - t0
        out = page.evaluate("""() => ({stableAt: policekg.stableAt, scriptAt: policekg.startedAt,
            inPage: nodes.length, drawn: policekg.drawnNodeIds().length, edges: edges.length})""")
        browser.close()
    out.update(wall=wall, remote=len(remote))
    return out


def bench(label: str, store: Path, out: Path, timeout_s: float) -> None:
    t0 = time.perf_counter()
    g = load_network(store)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_html(g, out)
    t_write = time.perf_counter() - t0
    size = out.stat().st_size
    findings = sum(1 for _, t in g.nodes(data="type") if t == "Finding")
    print(f"{label}: {g.number_of_nodes()} nodes ({findings} findings), {g.number_of_edges()} edges", flush=True)
    print(f"  load_network          {t_load:8.2f} s")
    print(f"  write_html            {t_write:8.2f} s")
    print(f"  HTML size             {size / 1e6:8.2f} MB")
    b = in_browser(out, timeout_s)
    print(f"  script starts         {b['scriptAt'] / 1000:8.2f} s after navigation start (page parsed)")
    print(f"  drawn and stable      {b['stableAt'] / 1000:8.2f} s after navigation start "
          f"({b['wall']:.2f} s wall, incl. opening the tab)")
    print(f"  in page / drawn nodes {b['inPage']} / {b['drawn']}; edges {b['edges']}; "
          f"remote requests {b['remote']}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the scaled graph")
    parser.add_argument("--no-scaled", action="store_true", help="only the bundled graph")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the page to settle")
    parser.add_argument("--keep", type=Path, default=None, help="copy the pages into this folder")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="policekg-vis-bench-") as tmp:
        tmp = Path(tmp)
        pages = args.keep or tmp
        pages.mkdir(parents=True, exist_ok=True)
        api.build(store=tmp / "bundled")
        bench("Bundled graph", tmp / "bundled", pages / "bundled.html", args.timeout)
        if args.no_scaled:
            return
        t0 = time.perf_counter()
        total = _fill_scaled()(tmp / "scaled", args.triples, log)
        print(f"Scaled graph: {total} triples (built in {time.perf_counter() - t0:.0f} s); "
              f"findings are left out above {MAX_FINDINGS}", flush=True)
        bench("Scaled graph", tmp / "scaled", pages / "scaled.html", args.timeout)


if __name__ == "__main__":
    main()
