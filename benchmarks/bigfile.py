"""One very large generic report: build seconds and peak memory against its size.

Writes an invented text of N MB for each size (``write_bigfile``: the minutes and board papers of
an invented force, with numbered items, headings and prose paragraphs citing its invented units,
local systems, divisions and partners; national systems and partners come from
``ontology/gazetteer.jsonl``; the output depends only on the seed and the size, and no sentence
comes from a real report) and builds it alone with ``policekg build FILE --report-kind generic
--jobs 1`` into a fresh store. For each size it prints:

* the build's wall seconds, and seconds per MB (flat when the time grows linearly with size);
* the peak RSS of the build's whole process tree (sampled from /proc every 0.1 s, as
  ``benchmarks/scale.py`` does);
* the number of triples the report contributed.

The targets of issue 8 (a 20 MB generic file in well under a minute, in bounded memory) are
printed beside the figures, never asserted.

    python benchmarks/bigfile.py [--sizes 1,2,5,10,20] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus  # noqa: E402  (a sibling script)
from scale import policekg, run_measured  # noqa: E402

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
        sentences += [corpus._sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(1, 3))]
        rng.shuffle(sentences)
        lines += [" ".join(sentences), ""]
    if rng.random() < 0.3:
        lines += ["The following actions were agreed:", ""]
        lines += [f"- {corpus._sentence(force, rng, True)}" for _ in range(rng.randint(2, 4))] + [""]
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,5,10,20", help="comma-separated sizes in MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="write the texts and stores here and keep them")
    args = parser.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix="policekg-bigfile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'MB':>6} {'build s':>9} {'s/MB':>7} {'peak RSS MB':>12} {'triples':>10}")
    try:
        for mb in (float(s) for s in args.sizes.split(",")):
            text = write_bigfile(work / f"big-{mb:g}.txt", mb, seed=args.seed)
            store = work / f"store-{mb:g}"
            shutil.rmtree(store, ignore_errors=True)
            wall, peak = run_measured(policekg("build", str(text), "--report-kind", "generic", "--jobs", "1",
                                               "--max-size", str(max(mb * 2, 50)), "--store", str(store)))
            stats = run_measured.stdout if hasattr(run_measured, "stdout") else ""
            triples = re.search(r"(\d+) triples", stats)
            print(f"{mb:>6g} {wall:>9.1f} {wall / mb:>7.2f} {peak / 2**20:>12.0f} "
                  f"{triples.group(1) if triples else '-':>10}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("target (issue 8): 20 MB well under a minute (< 40 s here), peak RSS < 2 GiB, s/MB flat")


if __name__ == "__main__":
    main()
