"""One very large generic report: analysis and build seconds and peak memory against its size.

Writes an invented text of N MB for each size (``write_bigfile``: the minutes and board papers of
invented forces, each meeting's papers about another one, with numbered items, headings and prose
paragraphs citing its invented units, local systems, divisions and partners; national systems and
partners come from ``ontology/gazetteer.jsonl``; the output depends only on the seed and the size,
and no sentence comes from a real report). For each size, in a fresh child process, it prints:

* **analyse**: ``api.analyse_serialised`` (parse, extract, N-Triples: everything ``build`` does
  before it writes);
* **build**: ``policekg build FILE --report-kind generic --jobs N`` into a new store;

both with ``--jobs`` processes (default: every core; a long report's findings are then read by
several processes, see ``policekg.extract.workers``);

each as wall seconds, seconds per MB (flat when the time grows linearly with size), CPU seconds
(steadier than wall time on a shared machine) and the peak RSS of the whole process tree (sampled
from /proc every 0.1 s, as ``benchmarks/scale.py`` does); and the triples the report makes. A run
whose tree passes ``--cap-gb`` is killed, so a regression cannot take a shared machine down.

The table gives each text's triples per MB beside the bundled reports' (data/reports): the
invented minutes name entities and relations far more densely than real reports do (about 2.6 times
the triples per MB), so its rows are a stress case; the store's load grows with the triples.

The targets of issue 8 (a 20 MB generic file in well under a minute, in bounded memory) are
printed beside the figures, never asserted.

With ``--phases``, each size's build is instead timed step by step in one child process (wall and
CPU seconds, the CPU of this process and its threads; a worker process's is not counted): parse,
extract (the spaCy pass, resolution and relations, with ``--jobs`` processes), N-Triples, store
load (bulk loads, digest, bookkeeping) and settle (flush, compaction, publish).

    python benchmarks/bigfile.py [--sizes 1,2,5,10,20] [--seed 1] [--jobs N] [--cap-gb 8]
                                 [--analyse-only | --phases] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402  (a sibling script)
from scale import policekg, run_measured  # noqa: E402

from policekg.graph import batch  # noqa: E402

_MEETINGS = ("Force Executive Board", "Joint Audit Committee", "Strategic Performance Board",
             "Local Policing Board", "Change Programme Board", "Information Assurance Board")
_ITEMS = ("Minutes of the previous meeting", "Performance report", "Finance and budget monitoring",
          "Estates strategy", "Digital programme update", "Workforce plan", "Risk register",
          "Collaboration with partners", "Any other business")
_MINUTE = ("The board noted the report and agreed the recommendations.",
           "Members asked for a further update at the next meeting.",
           "The chair thanked officers for the quality of the paper.",
           "The action was closed as complete.",
           "A revised timetable will be brought back to the board in the next quarter.",
           "The risk was re-scored after the mitigation was put in place.")


def _item(force: corpus.Force, rng: random.Random, number: int) -> str:
    """One agenda item: a heading, then two to six paragraphs of minutes, sometimes a bulleted list."""
    lines = [f"{number}. {rng.choice(_ITEMS)}", ""]
    for _ in range(rng.randint(2, 6)):
        sentences = [rng.choice(_MINUTE) for _ in range(rng.randint(2, 6))]
        sentences += [corpus.sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(1, 3))]
        rng.shuffle(sentences)
        lines += [" ".join(sentences), ""]
    if rng.random() < 0.3:
        lines += ["The following actions were agreed:", ""]
        lines += [f"- {corpus.sentence(force, rng, True)}" for _ in range(rng.randint(2, 4))] + [""]
    return "\n".join(lines)


def write_bigfile(path: str | Path, megabytes: float, *, seed: int = 1) -> Path:
    """Write an invented generic text of about ``megabytes`` MB (1 MB = 1,000,000 bytes).

    Args:
        path: the file to write.
        megabytes: its size; the text stops at the first agenda item past it.
        seed: the invented force and every choice follow from it.

    Returns:
        The path written.
    """
    rng = random.Random(f"bigfile:{seed}")
    national, taken = corpus._national(), set()
    force = corpus.make_force(0, seed, national, taken)
    target = int(megabytes * 1_000_000)
    parts = [f"{force.name}", "", f"{rng.choice(_MEETINGS)}: minutes and papers, 2019", ""]
    size, meeting, number = 0, 0, 0
    while size < target:
        if number % 9 == 0:
            meeting += 1
            # Each meeting's papers are about a different command or collaboration partner: the
            # number of distinct units, places and systems grows with the text, as in a real archive.
            force = corpus.make_force(meeting, seed, national, taken)
            parts.append(f"Meeting {meeting} of the {rng.choice(_MEETINGS)}\n")
        number += 1
        part = _item(force, rng, number) + "\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
    out = Path(path)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


# The analysis alone (parse, extract, N-Triples): what ``policekg build`` does before it writes.
_ANALYSE = ("import sys; from policekg import api; a = api.analyse_serialised(sys.argv[1], kind='generic', "
            "max_size_mb=0, jobs=int(sys.argv[2])); print(a.summary.triples)")


# One build, step by step (``--phases``): what ``policekg build`` does for one file, with a clock
# between the steps. The worker processes are started before parsing, as ``read_and_extract`` does.
_PHASES = """
import os, sys, time
from policekg.extract import nlp, workers
from policekg.extract.structure import parse_report
from policekg.graph import build, iris, store, writer
path, jobs, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
clock = [(time.perf_counter(), time.process_time())]
def step(name):
    clock.append((time.perf_counter(), time.process_time()))
    (w0, c0), (w1, c1) = clock[-2:]
    print(f"{name:>10} {w1 - w0:>7.1f} {c1 - c0:>7.1f}", flush=True)
long = jobs > 1 and os.stat(path).st_size >= workers.PARALLEL_CHARS
with workers.Processes(jobs if long else 1) as processes:
    processes.start()
    report = parse_report(path, kind="generic")
    step("parse")
    extraction = nlp.extract_entities(report, jobs=jobs, processes=processes)
step("extract")
text, triples = build.build_ntriples(report, extraction)
step("N-Triples")
summary = writer.ReportSummary(str(iris.report_identity(report)), report.source_name, report.kind,
                               report.force, report.year, triples, 0, 0, 0)
sha256 = report.sha256
del report, extraction  # as in a build, only the N-Triples are held while they are written
gs = store.open_store(where, create=True)
out = writer.ReportWriter(gs, [])
out.add(writer.AnalysedReport(summary.iri, sha256, text, summary))
del text
out.finish()
step("load")
gs.close()
step("settle")
(w0, c0), (w1, c1) = clock[0], clock[-1]
print(f"{'total':>10} {w1 - w0:>7.1f} {c1 - c0:>7.1f}", flush=True)
"""


def phases(text: Path, store: Path, jobs: int, cap: int) -> None:
    """Print one build of ``text`` step by step (see ``_PHASES``), and its peak memory."""
    shutil.rmtree(store, ignore_errors=True)
    wall, peak = run_measured([sys.executable, "-c", _PHASES, str(text), str(jobs), str(store)], cap)
    shutil.rmtree(store, ignore_errors=True)
    print(f"{'step':>10} {'wall s':>7} {'cpu s':>7}\n{run_measured.out.rstrip()}" if wall is not None else "killed")
    print(f"{'peak MB':>10} {peak / 2**20:>7.0f}   (CPU of this process; the worker's is not counted)", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,5,10,20", help="comma-separated sizes in MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="write the texts and stores here and keep them")
    parser.add_argument("--cap-gb", type=float, default=8.0,
                        help="kill a run whose process tree passes this many GiB (default 8)")
    parser.add_argument("--analyse-only", action="store_true", help="time the analysis, not the build")
    parser.add_argument("--phases", action="store_true", help="time each step of one build instead")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes for the analysis and the build (default: every core)")
    args = parser.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix="policekg-bigfile-"))
    work.mkdir(parents=True, exist_ok=True)
    cap = int(args.cap_gb * 2**30)
    jobs = args.jobs or batch.default_jobs()
    if args.phases:
        try:
            for mb in (float(s) for s in args.sizes.split(",")):
                print(f"{mb:g} MB, --jobs {jobs}:", flush=True)
                phases(write_bigfile(work / f"big-{mb:g}.txt", mb, seed=args.seed), work / f"store-{mb:g}", jobs, cap)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        return
    print(f"{'MB':>6} {'analyse s':>10} {'s/MB':>6} {'cpu s':>6} {'peak MB':>8} "
          f"{'build s':>9} {'s/MB':>6} {'cpu s':>6} {'peak MB':>8} {'triples':>9} {'per MB':>7}", flush=True)
    try:
        for mb in (float(s) for s in args.sizes.split(",")):
            text = write_bigfile(work / f"big-{mb:g}.txt", mb, seed=args.seed)
            a_wall, a_peak = run_measured([sys.executable, "-c", _ANALYSE, str(text), str(jobs)], cap)
            triples = run_measured.out.strip() or "-"
            row = f"{mb:>6g} {_secs(a_wall, mb)} {run_measured.cpu:>6.1f} {a_peak / 2**20:>8.0f}"
            if args.analyse_only:
                print(f"{row} {'':>9} {'':>6} {'':>6} {'':>8} {triples:>9} {_per_mb(triples, text):>7}", flush=True)
                continue
            store = work / f"store-{mb:g}"
            shutil.rmtree(store, ignore_errors=True)
            wall, peak = run_measured(policekg("build", str(text), "--report-kind", "generic", "--jobs", str(jobs),
                                               "--max-size", "0", "--store", str(store)), cap)
            shutil.rmtree(store, ignore_errors=True)
            print(f"{row} {_secs(wall, mb, 9)} {run_measured.cpu:>6.1f} {peak / 2**20:>8.0f} {triples:>9} "
                  f"{_per_mb(triples, text):>7}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"per MB: triples per MB of text; the bundled reports (data/reports, each read as its kind) give "
          f"{reference_density():,.0f} (the store's load grows with the triples, not the bytes).")
    print(f"analyse: parse, extract and N-Triples (api.analyse_serialised); build: policekg build --jobs {jobs} "
          f"into a new store; 'killed': stopped over the {args.cap_gb:g} GiB cap.\nTarget (issue 8): 20 MB "
          "built in well under a minute (< 40 s here), peak RSS < 2 GiB, s/MB flat as the size grows")


# The bundled reports' triples per MB of text, for comparison with the invented text's.
_REFERENCE = ("import sys; from policekg import api; "
              "print(sum(api.analyse_serialised(p, max_size_mb=0).summary.triples for p in sys.argv[1:]))")


def reference_density() -> float:
    """Triples per MB (of file) that the bundled reports give, analysed in a child process."""
    paths = sorted((Path(__file__).resolve().parent.parent / "data" / "reports").glob("*.txt"))
    out = subprocess.run([sys.executable, "-c", _REFERENCE, *map(str, paths)], capture_output=True, text=True,
                         check=True).stdout
    return int(out) / (sum(p.stat().st_size for p in paths) / 1e6)


def _per_mb(triples: str, text: Path) -> str:
    return f"{int(triples) / (text.stat().st_size / 1e6):,.0f}" if triples.isdigit() else "-"


def _secs(wall: float | None, mb: float, width: int = 10) -> str:
    if wall is None:
        return f"{'killed':>{width}} {'-':>6}"
    return f"{wall:>{width}.1f} {wall / mb:>6.2f}"


if __name__ == "__main__":
    main()
