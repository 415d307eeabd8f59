"""Time building the bundled Baseline Assessment from its text, and from a PDF and a web page of it.

The PDF and the page are rendered from the text by the test renderer (``tests/render.py``, needs
fpdf2 from the ``test`` extra). For each format, prints the median time of ``api.build`` of that
one file into a fresh store (read, normalise, parse, entities, graph, store; the spaCy pipeline is
built once beforehand), its ratio to the text's, and the time of reading the file alone. The
formats take turns in each round so that a busy machine slows them alike. Never asserts on time.

    python benchmarks/formats.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from render import to_html, to_pdf

    from policekg import api
    from policekg.extract.nlp import default_pipeline
    from policekg.extract.readers import read_source

    text_path = next(p for p in api.bundled_reports() if "baseline" in p.name)
    default_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = text_path.read_text(encoding="utf-8")
        pdf = folder / (text_path.stem + ".pdf")
        pdf.write_bytes(to_pdf(text))
        page = folder / (text_path.stem + ".html")
        page.write_text(to_html(text), encoding="utf-8")
        paths = {"text": text_path, "pdf": pdf, "html": page}
        builds: dict[str, list[float]] = {name: [] for name in paths}
        reads: dict[str, list[float]] = {name: [] for name in paths}
        for run in range(args.runs + 1):
            # Formats take turns in every round, so a busy machine slows them alike.
            for name, path in paths.items():
                start = time.perf_counter()
                read_source(path)
                middle = time.perf_counter()
                api.build([path], store=folder / f"kg-{name}-{run}")
                end = time.perf_counter()
                if run:  # round 0 warms imports and caches
                    reads[name].append(middle - start)
                    builds[name].append(end - middle)
        results = {name: (statistics.median(builds[name]), statistics.median(reads[name])) for name in paths}
    print(f"{text_path.name}: build of one file into a fresh store, median of {args.runs} runs")
    base = results["text"][0]
    for name, (secs, extract) in results.items():
        print(f"  {name:5s} build {secs:6.3f} s ({secs / base:4.2f} x text)  extraction alone {extract * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
