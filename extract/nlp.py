"""The spaCy pipeline and the two entry points that run it over a report or any text.

The pipeline is ``spacy.blank("en")`` (or a model the caller has installed and passes in; nothing is
ever downloaded) with a sentencizer and three components, each writing candidate spans to
``doc.spans["policekg_candidates"]``:

1. ``policekg_abbreviations`` — abbreviation definitions (``abbreviations.py``);
2. ``policekg_gazetteer`` — national entities from ``ontology/gazetteer.jsonl`` (``gazetteer.py``);
3. ``policekg_discovery`` — force-specific entities from phrasing (``discover.py``).

Findings are processed in one ``nlp.pipe`` pass over their ``fold()``-ed text (same length as the
original, so every offset is an offset in ``Report.text``). ``resolve.py`` then merges candidates
and the report's structure into entities and mentions, and ``relations.py`` reads
relations from each sentence.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
from dataclasses import replace

import spacy
from spacy.language import Language

from policekg.extract import abbreviations, discover, gazetteer, relations, workers  # noqa: F401  (registers the factories)
from policekg.extract.described import name_described
from policekg.extract.model import (
    GENERIC,
    OBSERVATION,
    Entity,
    Extraction,
    Finding,
    Mention,
    Relation,
    Report,
)
from policekg.extract.normalise import normalise
from policekg.extract.references import descriptors
from policekg.extract.resolve import resolve, structure_candidates

COMPONENTS = ("policekg_abbreviations", "policekg_gazetteer", "policekg_discovery")
# Findings longer than this are read in pieces: spaCy refuses texts over ``nlp.max_length`` (1M
# characters by default), and smaller docs keep memory flat on a very long paragraph.
CHUNK_CHARS = 100_000
_PIPELINE: Language | None = None


def build_pipeline(nlp: Language | None = None) -> Language:
    """Add a sentencizer (unless the pipeline already splits sentences) and our components.

    Args:
        nlp: an installed pipeline to extend; ``spacy.blank("en")`` when None. Its trained
            components are left as they are (only our gazetteer is initialised).

    Returns:
        The same pipeline object, extended.
    """
    nlp = spacy.blank("en") if nlp is None else nlp
    if not {"sentencizer", "senter", "parser"} & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    nlp.get_pipe("policekg_gazetteer").initialize(nlp=nlp)
    return nlp


def default_pipeline() -> Language:
    """The shared blank-English pipeline, built on first use (building it takes a moment)."""
    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = build_pipeline()
    return _PIPELINE


def chunks(finding: Finding, text: str, limit: int = CHUNK_CHARS) -> list[Finding]:
    """The finding itself, or, when it is longer than ``limit`` characters (spaCy refuses a text
    longer than its ``max_length``: error E088), consecutive pieces of it that end after a
    sentence end, else a line break or a space, each a ``Finding`` with the same ordinal and its
    own offsets. The space after a sentence stays with it, so the next piece starts where the
    sentencizer would start a sentence in the whole finding.

    >>> f = Finding(1, OBSERVATION, "One. Two. Three.", 0, 16)
    >>> [c.text for c in chunks(f, f.text, 10)]
    ['One. Two. ', 'Three.']
    """
    if finding.end - finding.start <= limit:
        return [finding]
    out, start = [], finding.start
    while start < finding.end:
        end = min(finding.end, start + limit)
        if end < finding.end:
            dot, line = text.rfind(". ", start, end), text.rfind("\n", start, end)
            cut = max(dot + 2 if dot >= 0 else -1, line + 1 if line >= 0 else -1)
            if cut <= start:
                cut = text.rfind(" ", start, end) + 1
            end = cut if cut > start else end
        out.append(replace(finding, start=start, end=end, text=text[start:end]))
        start = end
    return out


def _sentence_relations(report: Report, docs: list[tuple[Finding, list[tuple[int, int]]]],
                        mentions: list[Mention], entities: dict[tuple[str, str], Entity],
                        processes: workers.Processes) -> list[Relation]:
    """Relations from each finding's sentences (``passage_relations``: sentence by sentence,
    resolving an opening "This"/"It" to the previous sentence) and from the report's structure.
    ``docs`` holds each finding and its sentences' bounds in ``Report.text``, from
    all its chunks: a passage is read whole, so "This" after a chunk's end still has its antecedent.

    Described objects are accepted ("This replaces 12 existing systems"); ``extract_entities``
    turns them into entities with ``described.name_described``.
    """
    by_finding: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.finding is not None:
            by_finding.setdefault(m.finding, []).append(m)
    for found in by_finding.values():
        found.sort(key=lambda m: m.start)
    # A relation needs an entity named in its finding: only findings with mentions are read.
    passages = [(f.ordinal, bounds, by_finding[f.ordinal]) for f, bounds in docs if by_finding.get(f.ordinal)]
    described = descriptors(entities)  # once per report: it reads every entity's aliases
    out = processes.relate(passages, report.text, entities, described)
    out.extend(relations.structural_relations(report, entities))
    unique = {(r.subject, r.predicate, r.object, r.start, r.end, r.method): r for r in out}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[3], k[4], k[0], k[1], k[2], k[5]))]


def _described_mentions(rels: list[Relation], described: list[Entity], mentions: list[Mention],
                        text: str) -> list[Mention]:
    """A mention of each described object where its relation's sentence says it ("12 existing
    systems"), unless another mention already covers those characters."""
    keys = {e.key: e for e in described}
    out: list[Mention] = []
    # Only mentions inside the relation's span can cover the words: look those up, not every mention.
    taken = sorted((x.start, x.end) for x in mentions)
    starts = [a for a, _ in taken]
    added: dict[int | None, list[Mention]] = {}
    for r, end in ((rel, end) for rel in rels for end in (rel.subject, rel.object)):  # either end
        entity = keys.get(end)
        if entity is None or r.finding is None:
            continue
        for alias in sorted(entity.aliases):
            m = re.compile(r"\s+".join(map(re.escape, alias.split()))).search(text, r.start, r.end)
            if m is None:
                continue
            near = taken[bisect.bisect_left(starts, r.start):bisect.bisect_left(starts, m.end())]
            if not any(a < m.end() and m.start() < b for a, b in near) and not any(
                    x.start < m.end() and m.start() < x.end for x in added.get(r.finding, ())):
                mention = Mention(entity.key, m.group(), m.start(), m.end(), "pattern:described", r.finding)
                out.append(mention)
                added.setdefault(r.finding, []).append(mention)
    return out


def extract_entities(report: Report, nlp: Language | None = None, *, jobs: int = 1,
                     processes: workers.Processes | None = None) -> Extraction:
    """Find, resolve and relate the entities that a report's findings cite.

    Args:
        report: a parsed report (``Report.text`` is the normalised text the offsets refer to).
        nlp: a pipeline from ``build_pipeline``; the shared default when None.
        jobs: processes that may read a very long report's findings through the default pipeline
            and relate its passages at the same time (``workers.Processes``); the result does not
            depend on it.
        processes: worker processes already started (``read_and_extract``), used instead of new
            ones when the report is long enough to share out; the caller ends them.

    Returns:
        Entities sorted by key, mentions sorted by position, relations sorted by position.
    """
    default = nlp is None or nlp is _PIPELINE
    nlp = default_pipeline() if nlp is None else nlp
    findings = sorted(report.findings, key=lambda f: f.ordinal)
    limit = min(nlp.max_length, CHUNK_CHARS)
    owners = [(i, c) for i, f in enumerate(findings) for c in chunks(f, report.text, limit)]
    pieces = [(c.ordinal, c.start, report.text[c.start:c.end]) for _, c in owners]
    cands, links = structure_candidates(report)
    # Of each doc only its candidates and sentence bounds are kept. (Keeping the docs themselves
    # cost about a gigabyte per 20 MB of text.)
    docs = [(f, []) for f in findings]
    # Worker processes pay only for a long text, and only the default pipeline can be rebuilt in one.
    jobs = jobs if default and len(report.text) >= workers.PARALLEL_CHARS else 1
    given = processes is not None and jobs > 1
    with contextlib.nullcontext(processes) if given else workers.Processes(jobs) as processes:
        for (i, _), (c, ln, bounds) in zip(owners, processes.read(nlp, pieces), strict=True):
            cands.extend(c)
            links.extend(ln)
            docs[i][1].extend(bounds)
        entities, mentions = resolve(report, cands, links)
        rels = _sentence_relations(report, docs, mentions, entities, processes)
    rels, described = name_described(rels, entities)
    if described:
        mentions = sorted([*mentions, *_described_mentions(rels, described, mentions, report.text)],
                          key=lambda m: (m.start, m.end, m.entity))
        entities = dict(sorted({**entities, **{e.key: e for e in described}}.items()))
    return Extraction(entities=list(entities.values()), mentions=mentions, relations=rels)


def read_and_extract(path: str | os.PathLike, kind: str | None = None, *, jobs: int = 1) -> tuple[Report, Extraction]:
    """Parse a report file and extract from it: ``parse_report``, then ``extract_entities``.

    A file long enough to be read by several processes has its worker processes started first, so
    they import spaCy and build the pipeline (about two seconds) while this process parses it.

    Raises:
        InputError, UnknownReportKind: as ``parse_report``.
    """
    from policekg.extract.structure import parse_report

    try:
        long = jobs > 1 and os.stat(path).st_size >= workers.PARALLEL_CHARS
    except OSError:
        long = False  # parse_report says what is wrong with the file
    with workers.Processes(jobs if long else 1) as processes:
        processes.start()
        report = parse_report(path, kind=kind)
        return report, extract_entities(report, jobs=jobs, processes=processes)


def fragment_report(text: str) -> Report:
    """Any text as a generic report whose findings are its paragraphs (blank-line separated)."""
    norm = normalise(text).text
    findings = []
    # A paragraph ending in a colon and the bulleted list after it are one finding: the list's
    # items are what the colon introduces ("the following organisations: - A; - B").
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*(?:(?<=:)\n\s*\n(?=[ \t]*[-*\u2022])[^\n]+(?:\n[^\n]+)*)*", norm):
        body = m.group().strip()
        if body:
            start = m.start() + m.group().index(body)
            findings.append(Finding(len(findings) + 1, OBSERVATION, body, start, start + len(body)))
    return Report(kind=GENERIC, force="", title="", year="", published=None, source_name="", text=norm,
                  findings=findings)


def extract_fragment(text: str) -> dict:
    """Entities and relations in any text, for ``policekg extract PATH --format json``.

    Returns:
        ``{"entities": [{"label", "type", "surfaces"}], "relations": [{"subject", "predicate",
        "object", "sentence"}]}``, sorted; ``surfaces`` are the distinct texts that mention it.
    """
    report = fragment_report(text)
    ex = extract_entities(report)
    surfaces: dict[tuple[str, str], set[str]] = {e.key: set() for e in ex.entities}
    for m in ex.mentions:
        surfaces.setdefault(m.entity, set()).add(m.surface)
    entities = [
        {"label": e.label, "type": e.type, "surfaces": sorted(surfaces[e.key] or {e.label})}
        for e in sorted(ex.entities, key=lambda e: (e.type, e.label))
    ]
    relations = sorted(
        ({"subject": r.subject[1], "predicate": r.predicate, "object": r.object[1], "sentence": r.sentence}
         for r in ex.relations),
        key=lambda r: (r["subject"], r["predicate"], r["object"], r["sentence"]),
    )
    return {"entities": entities, "relations": relations}
