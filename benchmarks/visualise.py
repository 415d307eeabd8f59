"""Size of the graph page, time to write it, and time until it is drawn and stable in headless Chromium,
for stores of 100 to 1,000 reports.

Run:
    python benchmarks/visualise.py                          # 100 and 1,000 reports (national corpus)
    python benchmarks/visualise.py --reports 100,1000 --keep /tmp/vis-bench
    python benchmarks/visualise.py --corpus bundled --reports 2,20,100 --detail

Two corpora:

- ``national`` (the default): ``benchmarks/national.py``: the reports of four invented forces in
  every layout (``corpus.py``) analysed for real, then copied under other invented forces' names,
  ten reports per force, all written through ``api.write_reports``; ``--thin`` copies them without
  mention provenance (what the browser test builds);
- ``bundled``: the bundled reports, then copies of them with the force's name replaced in the text
  by "Force 001 Police", ...: two reports per invented force, built through ``api.build``.

In both, report, finding and force-scoped entity IRIs depend on the force's name, so every copy is a
distinct report; national entities (PNC, STORM...) and the framework schemes are shared, as across
real forces.

For each store and each page (the default, which is the overview above ``views.OVERVIEW_NODES``;
``--top 10``; ``--force`` one force; ``--focus`` the most cited system; with ``--detail`` the whole
store drawn as a detail page):
the time to read what the page needs from the store (``store_network``: findings are converted only
when drawn), to render and write the page, its size, and in headless Chromium (Debian's
/usr/bin/chromium through Playwright) the time from navigation start until the layout is stable and
physics stops (the page sets ``policekg.stableAt``), with how many nodes it drew. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # its sibling modules

from policekg import api
from policekg.graph.store import open_store
from policekg.visualise import views
from policekg.visualise.html import store_network, write_html
from policekg.visualise.overview import drawable_count

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
BUNDLED_FORCE = "Staffordshire"
BATCH = 20


def write_corpus(folder: Path, n_reports: int) -> list[Path]:
    """The bundled reports, then renamed copies of them, ``n_reports`` files in all."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = api.bundled_reports()
    texts = [p.read_text(encoding="utf-8") for p in sources]
    paths = []
    for i in range(n_reports):
        copy, which = divmod(i, len(sources))
        name = BUNDLED_FORCE if copy == 0 else f"Force {copy:03d}"
        path = folder / f"{copy:03d}-{sources[which].name}"
        if not path.exists():
            path.write_text(texts[which].replace(BUNDLED_FORCE, name), encoding="utf-8")
        paths.append(path)
    return paths


def build_store(where: Path, paths: list[Path], log) -> float:
    """Build the reports into the store in batches; seconds taken (0 when the store was kept)."""
    done = where / ".complete"
    if done.exists():
        return 0.0
    t0 = time.perf_counter()
    for i in range(0, len(paths), BATCH):
        api.build(paths[i:i + BATCH], store=where)
        log(f"  built {min(i + BATCH, len(paths))}/{len(paths)} reports")
    done.write_text("")
    return time.perf_counter() - t0


def in_browser(page_path: Path, timeout_s: float) -> dict:
    """Open the page in headless Chromium; when it is stable, how long it took and what it drew."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        remote = []
        page.on("request", lambda r: r.url.startswith(("file://", "data:")) or remote.append(r.url))
        t0 = time.perf_counter()
        page.goto(page_path.resolve().as_uri(), timeout=timeout_s * 1000)
        page.wait_for_function("window.policekg && window.policekg.stable", timeout=timeout_s * 1000,
                               polling=50)
        wall = time.perf_counter() - t0
        out = page.evaluate("""() => ({stableAt: policekg.stableAt, inPage: nodes.length,
            drawn: policekg.drawnNodeIds().length, edges: edges.length, labelPx: policekg.labelPx})""")
        browser.close()
    out.update(wall=wall, remote=len(remote))
    return out


def build_national(where: Path, n_reports: int, length: float, thin: bool, log) -> float:
    """The national store (``national.py``); seconds taken (0 when the store was kept)."""
    import national

    done = where.parent / f"{where.name}.complete"
    if done.exists():
        return 0.0
    t0 = time.perf_counter()
    national.build_national_store(where, n_reports, length=length, thin=thin, log=log)
    done.write_text("")
    return time.perf_counter() - t0


def bench_page(label: str, store: Path, out: Path, timeout_s: float, **kwargs) -> None:
    t0 = time.perf_counter()
    g, focus = store_network(store, **kwargs)
    t_load = time.perf_counter() - t0
    if focus is not None:
        kwargs["focus"] = focus
    t0 = time.perf_counter()
    write_html(g, out, **kwargs)
    t_write = time.perf_counter() - t0
    first = hashlib.sha256(out.read_bytes()).hexdigest()
    g, _ = store_network(store, **kwargs)  # a second run, in this process: the same bytes?
    write_html(g, out, **kwargs)
    same = "byte-identical" if hashlib.sha256(out.read_bytes()).hexdigest() == first else "DIFFERENT"
    b = in_browser(out, timeout_s)
    print(f"  {label:<26} read {t_load:6.2f} s  write {t_write:6.2f} s  {out.stat().st_size / 1e6:6.2f} MB "
          f"({same} on a second run)  stable {b['stableAt'] / 1000:6.2f} s after navigation ({b['wall']:.2f} s "
          f"wall)  nodes in page/drawn {b['inPage']}/{b['drawn']}  edges {b['edges']}  "
          f"top labels {b['labelPx']:.0f} px  remote requests {b['remote']}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="100,1000", help="comma-separated store sizes, in reports")
    parser.add_argument("--corpus", choices=("national", "bundled"), default="national")
    parser.add_argument("--length", type=float, default=0.2, help="national: scale the analysed reports")
    parser.add_argument("--thin", action="store_true", help="national: copies without mention provenance")
    parser.add_argument("--detail", action="store_true", help="also draw each whole store as a detail page")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a page to settle")
    parser.add_argument("--keep", type=Path, default=None, help="keep corpora, stores and pages in this folder")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="policekg-vis-bench-") as tmp:
        root = args.keep or Path(tmp)
        corpus = root / "corpus"
        for n in (int(x) for x in args.reports.split(",")):
            store = root / f"{args.corpus}{'-thin' if args.thin else ''}-store-{n}"
            if args.corpus == "national":
                built = build_national(store, n, args.length, args.thin, log)
            else:
                built = build_store(store, write_corpus(corpus, n), log)
            t0 = time.perf_counter()
            with open_store(store) as gs:  # every "read" below opens the store too: this long
                drawable = drawable_count(gs.dataset)
            t_open = time.perf_counter() - t0
            g, _ = store_network(store, top=views.TOP)  # the overview: counts for the whole store
            forces = sorted((a["label"], f) for f, a in g.nodes(data=True) if a["type"] == "Force")
            systems = sorted((-a["forces"], -a["findings"], a["label"]) for _, a in g.nodes(data=True)
                             if a["type"] == "System")
            print(f"{g.graph['reports']} reports ({len(forces)} forces, {g.graph['findings']} findings, {drawable} "
                  f"entities, frameworks and reports; overview above {views.OVERVIEW_NODES})"
                  f"{f', built in {built:.0f} s' if built else ''}; opening the store takes {t_open:.2f} s",
                  flush=True)
            bench_page("default page (overview)", store, root / f"default-{n}.html", args.timeout)
            bench_page("--top 10", store, root / f"top10-{n}.html", args.timeout, top=10)
            bench_page("--force one force", store, root / f"force-{n}.html", args.timeout, force=forces[0][0])
            if systems:
                bench_page(f"--focus {systems[0][2]}", store, root / f"focus-{n}.html", args.timeout,
                           focus=systems[0][2])
            if args.detail:
                limit = views.OVERVIEW_NODES
                views.OVERVIEW_NODES = 10**9  # what the page would be without the overview
                try:
                    bench_page("whole store, detail", store, root / f"detail-{n}.html", args.timeout)
                finally:
                    views.OVERVIEW_NODES = limit


if __name__ == "__main__":
    main()
