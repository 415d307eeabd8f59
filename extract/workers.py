"""A very long report read by several processes at once: its docs, then its passages' relations.

``extract_entities`` reads a report as pieces (each finding, or each ``nlp.chunks`` piece of a long
one) and keeps, of each piece's doc, only its candidate spans, its links and its sentence bounds
(``PieceResult``); after resolution it reads each finding's sentences for relations. No spaCy
component and no relation rule keeps anything from one piece or passage to the next, so each reads
the same in any process. ``Processes`` splits the pieces (then the passages) into contiguous groups
of about equal length, does the first in this process while worker processes do the others, and
returns every result in order: the extraction is the same, character for character, as reading all
of it here (``tests/test_large_input.py`` checks it), only sooner on a machine with spare cores.

Workers are started (``spawn``: the caller may hold an open store and its threads) only for the
default pipeline, whose components they can build themselves, and only for a text long enough that
the start of a worker (importing spaCy, building the pipeline: about two seconds) is repaid. The
same workers serve both steps.
"""

from __future__ import annotations

import bisect
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract import relations
from policekg.extract.discover import SPANS_KEY, doc_text, make_doc
from policekg.extract.model import DIVISION, Entity, Mention, Relation
from policekg.extract.normalise import fold
from policekg.extract.resolve import Candidate, Link

BATCH = 64  # docs per nlp.pipe batch
# Characters of text below which the pieces are read in this process whatever ``jobs`` says: a
# worker's start costs about what reading half a megabyte does.
PARALLEL_CHARS = 2_000_000

Piece = tuple[int, int, str]  # (finding ordinal, start in Report.text, the piece's text)
PieceResult = tuple[list[Candidate], list[Link], list[tuple[int, int]]]
T = TypeVar("T")
R = TypeVar("R")


def piece_result(doc: Doc, ordinal: int, start: int, text: str) -> PieceResult:
    """A piece's candidates, links and sentence bounds, with offsets moved into ``Report.text``.

    Args:
        doc: the pipeline's doc of ``fold(text)``.
        ordinal: the finding the piece belongs to.
        start: where the piece starts in ``Report.text``.
        text: the piece as ``Report.text`` has it (surfaces are read from it, not from the folded text).
    """
    cands = [
        Candidate(span.label_, text[span.start_char:span.end_char], start + span.start_char,
                  start + span.end_char, span.id_, ordinal, span.kb_id_ or None)
        for span in doc.spans.get(SPANS_KEY, [])
    ]
    links = [
        Link(text[a:b], text[c:d], method, DIVISION if method == "pattern:division" else None)
        for a, b, c, d, method in (doc._.policekg_links or [])
    ]
    bounds = [(start + a, start + b) for a, b in sentence_bounds(doc)]
    return cands, links, bounds


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of a doc, its trailing whitespace left out: all that the
    relation reader needs of the doc, so the doc itself need not be kept. (The same bounds as
    ``doc.sents``, read from the token arrays: building a ``Span`` per sentence and joining its
    tokens' text cost a tenth of the extraction on a long text.)"""
    if not len(doc):
        return []
    text = doc_text(doc)
    cols = doc.to_array([SENT_START, IDX]).tolist()
    # As ``Doc.sents``: the first token opens a sentence, and so does every later one marked 1.
    starts = [cols[0][1], *(i for flag, i in cols[1:] if flag == 1)]
    ends = [*starts[1:], len(text)]
    return [(a, a + len(text[a:b].rstrip())) for a, b in zip(starts, ends, strict=True)]


def read_here(nlp: Language, pieces: Sequence[Piece]) -> Iterator[PieceResult]:
    """Each piece's result, read in this process. Docs stream through in small batches: a
    component with a ``pipe`` method (the sentencizer) holds a whole batch of docs."""
    pairs = ((make_doc(nlp, fold(text)), (ordinal, start, text)) for ordinal, start, text in pieces)
    for doc, (ordinal, start, text) in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH):
        yield piece_result(doc, ordinal, start, text)


def groups(items: Sequence[T], n: int, size: Callable[[T], int]) -> list[list[T]]:
    """At most ``n`` runs of consecutive items, of about equal total ``size``.

    >>> groups(["ab", "cd", "e", "fgh"], 2, len)
    [['ab', 'cd'], ['e', 'fgh']]
    """
    total = sum(size(item) for item in items)
    out: list[list[T]] = [[]]
    done = 0
    for item in items:
        # Start the next group once this one holds its share.
        if out[-1] and len(out) < n and done >= total * len(out) / n:
            out.append([])
        out[-1].append(item)
        done += size(item)
    return [g for g in out if g]


Passage = tuple[int, list[tuple[int, int]], list[Mention]]  # (finding ordinal, sentence bounds, its mentions)


def passage_sentences(text: str, bounds: Iterable[tuple[int, int]],
                      found: list[Mention]) -> list[tuple[str, int, list[Mention]]]:
    """A passage's sentences as ``relations.passage_relations`` reads them: ``(sentence, start,
    mentions inside it)``; ``found`` is sorted by start."""
    starts = [m.start for m in found]
    # The mentions in each sentence by binary search: a long paragraph has many of both.
    return [(text[a:b], a, found[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]) for a, b in bounds]


def relate_here(passages: Sequence[Passage], text: str, entities: dict[tuple[str, str], Entity],
                described: dict[str, tuple[str, str]]) -> list[Relation]:
    """The relations of each passage (``relations.passage_relations``), read in this process."""
    out: list[Relation] = []
    for ordinal, bounds, found in passages:
        out.extend(relations.passage_relations(passage_sentences(text, bounds, found), entities, ordinal,
                                               text=text, allow_described=True, described=described))
    return out


def _read_group(group: list[Piece]) -> list[PieceResult]:
    """What a worker runs to read pieces: their results, with the default pipeline."""
    from policekg.extract.nlp import default_pipeline

    return list(read_here(default_pipeline(), group))


def _start_worker() -> None:
    from policekg.extract.nlp import default_pipeline

    default_pipeline()


class Processes:
    """This process and up to ``jobs - 1`` worker processes, started on first use.

    Use as a context manager: the workers end with the block.
    """

    def __init__(self, jobs: int = 1):
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def start(self) -> None:
        """Start the worker processes now rather than on first use, so they import spaCy and build
        the pipeline while this process does something else (parses the report)."""
        if self.jobs > 1 and self._pool is None:
            pool = self._workers()
            for _ in range(self.jobs - 1):
                pool.submit(_start_worker)  # a pool starts a process for a task no idle one takes

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.jobs - 1, mp_context=context, initializer=_start_worker)
        return self._pool

    def read(self, nlp: Language, pieces: Sequence[Piece]) -> Iterator[PieceResult]:
        """Each piece's result, in the pieces' order (workers only when ``jobs`` > 1)."""
        parts = groups(pieces, self.jobs, lambda p: len(p[2]))
        return self._run(parts, lambda part: read_here(nlp, part), _read_group)

    def relate(self, passages: Sequence[Passage], text: str, entities: dict[tuple[str, str], Entity],
               described: dict[str, tuple[str, str]]) -> list[Relation]:
        """Every passage's relations, in the passages' order (workers only when ``jobs`` > 1)."""
        parts = groups(passages, self.jobs, lambda p: sum(b - a for a, b in p[1]))
        return list(self._run(parts, lambda part: relate_here(part, text, entities, described), relate_here,
                              text, entities, described))

    def _run(self, parts: list[list], here: Callable[[list], Iterable[R]], there: Callable[..., list[R]],
             *args) -> Iterator[R]:
        """``here(part)`` of the first part in this process, ``there(part, *args)`` of the others in
        workers; results in order. A part whose worker died is done here."""
        if len(parts) <= 1:
            yield from (here(parts[0]) if parts else ())
            return
        pool = self._workers()
        futures = [pool.submit(there, part, *args) for part in parts[1:]]
        try:
            yield from here(parts[0])
            for future, part in zip(futures, parts[1:], strict=True):
                try:
                    result = future.result()
                except BrokenProcessPool:  # killed (out of memory?): the result must not depend on it
                    result = list(here(part))
                yield from result
        finally:
            for future in futures:
                future.cancel()
