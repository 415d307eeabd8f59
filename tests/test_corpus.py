"""The benchmark corpus generator (benchmarks/corpus.py): one layout per parser, read by that parser."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from scripts import benchmark_script  # tests/ is on sys.path, as for render

from policekg.extract.nlp import extract_entities
from policekg.extract.parsers import PARSERS
from policekg.extract.structure import parse_text

ROOT = Path(__file__).resolve().parent.parent


corpus = benchmark_script("corpus")


@pytest.fixture(scope="module")
def force():
    return corpus.make_force(0, 5, corpus._national(), set())


def test_every_parser_has_a_layout():
    assert {layout.parser for layout in corpus.LAYOUTS.values()} == set(PARSERS)


@pytest.mark.parametrize("name", list(corpus.LAYOUTS))
def test_each_layout_is_read_by_its_parser(force, name):
    layout = corpus.LAYOUTS[name]
    text = layout.write(force, random.Random(name), 0.3)
    report = parse_text(text, source_name=f"x-{layout.stem}.txt",
                        kind="generic" if layout.parser == "generic" else None)
    assert report.parser == layout.parser
    assert report.force == force.name
    assert len(report.findings) > 5
    if layout.parser == "generic":
        assert report.frameworks == []  # generic reading: headings and paragraphs, no grades
    else:
        graded = [fw for fw in report.frameworks if fw.level != "domain"]  # a Baseline domain has no grade
        assert len(graded) >= 4 and all(fw.grade for fw in graded)
        assert report.year and report.year[:4] in name


def test_corpus_is_deterministic_from_the_seed(tmp_path):
    first = corpus.write_corpus(tmp_path / "a", 12, seed=4, length=0.2)
    again = corpus.write_corpus(tmp_path / "b", 12, seed=4, length=0.2)
    assert [p.name for p in first] == [p.name for p in again]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    other = corpus.write_corpus(tmp_path / "c", 12, seed=5, length=0.2)
    assert {p.name for p in other}.isdisjoint({p.name for p in first})


def test_first_reports_of_a_force_cover_every_regime_parser(tmp_path):
    paths = corpus.write_corpus(tmp_path, 5, seed=2, length=0.2)
    parsers = [parse_text(p.read_text(encoding="utf-8"), source_name=p.name).parser for p in paths]
    assert set(parsers) == set(PARSERS) - {"generic"}


def test_length_scales_reports(tmp_path):
    short = corpus.write_corpus(tmp_path / "short", 2, seed=1, length=0.2)
    full = corpus.write_corpus(tmp_path / "full", 2, seed=1)
    assert all(s.stat().st_size * 2 < f.stat().st_size for s, f in zip(short, full, strict=True))
    # At the default length a Baseline Assessment is about as long as a real one (~180 kB).
    assert full[0].stat().st_size > 60_000


def test_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown layout 'peel-2030'"):
        corpus.write_corpus(tmp_path, 1, layouts=("peel-2030",))


def test_sentences_state_usage_and_feeds_relations(force):
    text = corpus.LAYOUTS["peel-2018/19-print"].write(force, random.Random(1), 0.5)
    extraction = extract_entities(parse_text(text, source_name="x.txt"))
    predicates = {r.predicate for r in extraction.relations}
    assert {"usedBy", "feeds", "interfacesWith", "partOf"} <= predicates
    users = {r.object[0] for r in extraction.relations if r.predicate == "usedBy"}
    assert {"Unit", "RoleGroup"} <= users
