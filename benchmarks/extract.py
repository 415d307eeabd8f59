"""Time entity extraction against a bare spaCy ``entity_ruler`` with 200 patterns on the same text.

The text is every finding of the bundled reports, folded as the pipeline reads it. Two timings:

* **policekg spaCy pass**: our pipeline (sentencizer and the three components) with ``nlp.pipe``
  over the findings: the like-for-like comparison with the ruler;
* **policekg extract_entities**: each parsed report end to end (the spaCy pass, merging, mentions
  and relations): everything ``policekg build`` spends on entities;
* **entity_ruler**: ``spacy.blank("en")`` with a sentencizer and an ``entity_ruler`` holding 200
  phrase patterns (the gazetteer's names first, then invented names to make up 200), run with
  ``nlp.pipe`` over the same findings. It finds only fixed strings: the floor a rule-based
  extractor is measured against.

Prints the medians and the ratios ``entity_ruler / policekg`` (above 1: policekg is faster). Never
asserts on time.

    python benchmarks/extract.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import spacy

    from policekg import api
    from policekg.extract.gazetteer import load_gazetteer
    from policekg.extract.nlp import default_pipeline, extract_entities
    from policekg.extract.normalise import fold
    from policekg.extract.structure import parse_report

    reports = [parse_report(p) for p in api.bundled_reports()]
    texts = [fold(r.text[f.start:f.end]) for r in reports for f in r.findings]
    words = sum(len(t.split()) for t in texts)

    names = sorted({n for g in load_gazetteer() for n in g.names})[:200]
    names += [f"Invented Name {i}" for i in range(200 - len(names))]
    ruler_nlp = spacy.blank("en")
    ruler_nlp.add_pipe("sentencizer")
    ruler = ruler_nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "ENTITY", "pattern": n} for n in names])

    nlp = default_pipeline()  # built once, as a long-running process would
    ours, spacy_pass, bare = [], [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for r in reports:
            extract_entities(r)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        spacy_pass.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _doc in ruler_nlp.pipe(texts):
            pass
        bare.append(time.perf_counter() - start)
    ours_s, pass_s, bare_s = statistics.median(ours), statistics.median(spacy_pass), statistics.median(bare)
    print(f"text: {len(texts)} findings of {len(reports)} reports, {words} words; {len(names)} ruler patterns")
    print(f"policekg extract_entities: median {ours_s:.3f} s over {args.runs} runs ({words / ours_s:,.0f} words/s)")
    print(f"policekg spaCy pass only:  median {pass_s:.3f} s over {args.runs} runs ({words / pass_s:,.0f} words/s)")
    print(f"bare spaCy entity_ruler:   median {bare_s:.3f} s over {args.runs} runs ({words / bare_s:,.0f} words/s)")
    print(f"ratio entity_ruler / policekg spaCy pass: {bare_s / pass_s:.2f}x (above 1: policekg is faster)")
    print(f"ratio entity_ruler / policekg extract_entities: {bare_s / ours_s:.2f}x")


if __name__ == "__main__":
    main()
