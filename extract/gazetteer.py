"""The gazetteer of national entities and the spaCy component that finds them.

``ontology/gazetteer.jsonl`` lists systems, partners and initiatives that exist across forces
(the Police National Computer, the Crown Prosecution Service, MAPPA, ...), one JSON object a line::

    {"label": "PNC", "type": "System", "aliases": ["Police National Computer"], "note": "..."}

Force-specific things (divisions, units, a force's own IT systems) are never listed here; they are
discovered from the report's own text (see ``discover.py``).

The component builds its phrase patterns from that file when the pipeline is initialised, so the
data file is the only place a name lives. Matching runs on ``fold()``-ed text, so a typographic
apostrophe in the report still matches an ASCII one in the data. A one-word name or an ALL-CAPS
name (``STORM``, ``IMPACT``, ``NICHE RMS``) matches case-sensitively, so ordinary words such as
"storm" or "impact" in prose do not; longer names match whatever their case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from policekg.errors import InputError
from policekg.extract.discover import doc_text
from policekg.extract.model import CDRP, ENTITY_TYPES, FORCE, INITIATIVE, PARTNER, PARTNERSHIP, SYSTEM
from policekg.extract.normalise import fold

SPANS_KEY = "policekg_candidates"
GAZETTEER_FILE = "gazetteer.jsonl"
# National things and kinds of thing every force has (a community safety partnership is a kind).
GAZETTEER_TYPES = (SYSTEM, PARTNER, INITIATIVE, PARTNERSHIP, CDRP)


@dataclass(frozen=True)
class GazetteerEntry:
    """One national entity: its preferred label, type, alternative names and why it is listed."""

    label: str
    type: str
    aliases: tuple[str, ...]
    note: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


def parse_gazetteer(lines: list[str], source: str = GAZETTEER_FILE) -> tuple[GazetteerEntry, ...]:
    """Parse gazetteer JSONL lines into entries, sorted by label.

    Raises:
        InputError: a line is not a JSON object with ``label``, ``type`` and ``note``, or its type
            is not one that a national entity may have.
    """
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            entry = GazetteerEntry(
                label=obj["label"], type=obj["type"], aliases=tuple(obj.get("aliases", ())), note=obj["note"]
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{source} line {number}: not a gazetteer entry ({exc})") from None
        if entry.type not in GAZETTEER_TYPES:
            raise InputError(
                f"{source} line {number}: type {entry.type!r} is force-specific or unknown; "
                f"use one of {', '.join(GAZETTEER_TYPES)}"
            )
        entries.append(entry)
    return tuple(sorted(entries, key=lambda e: e.label))


@lru_cache(maxsize=1)
def load_gazetteer() -> tuple[GazetteerEntry, ...]:
    """Read the packaged gazetteer (cached; entries are immutable)."""
    text = resources.files("policekg.ontology").joinpath(GAZETTEER_FILE).read_text(encoding="utf-8")
    return parse_gazetteer(text.splitlines())


def is_case_sensitive(name: str) -> bool:
    """Whether ``name`` must match with its case: one word, or all capitals (``STORM``, ``NICHE RMS``)."""
    return len(name.split()) == 1 or name.isupper()


def phrase_patterns(entries: tuple[GazetteerEntry, ...]) -> list[tuple[str, str, str]]:
    """``(match key, type, folded name)`` for every label and alias, sorted.

    The match key is ``"<type>|<label>"`` so that a match names its entity directly.
    """
    out = set()
    for entry in entries:
        for name in entry.names:
            out.add((f"{entry.type}|{entry.label}", entry.type, fold(name)))
    return sorted(out)


@Language.factory(
    "policekg_gazetteer",
    assigns=["doc.spans"],
    default_config={"spans_key": SPANS_KEY},
)
def make_gazetteer(nlp: Language, name: str, spans_key: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp, name, spans_key=spans_key)


class GazetteerMatcher:
    """Adds a candidate span (method ``gazetteer``) for every gazetteer name in a doc.

    The span's label is the entity type; its ``id_`` is the method (as EntityRuler uses ``id_``
    for a pattern id) and ``kb_id_`` the gazetteer label it matched.
    """

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY):
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.exact: PhraseMatcher | None = None
        self.lower: PhraseMatcher | None = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None,
                   entries: tuple[GazetteerEntry, ...] | None = None) -> None:
        """Build the phrase matchers from the gazetteer data (the packaged file by default)."""
        entries = load_gazetteer() if entries is None else entries
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, _type, name in phrase_patterns(entries):
            matcher = self.exact if is_case_sensitive(name) else self.lower
            matcher.add(key, [self.nlp.make_doc(name)])

    def __call__(self, doc: Doc) -> Doc:
        if self.exact is None:
            self.initialize()
        # Match on folded text (same length, so offsets carry over); extract_entities folds
        # before the pipeline, so the second tokenisation only happens for unfolded input.
        text = doc_text(doc)
        folded = fold(text)
        target = doc if folded == text else self.nlp.make_doc(folded)
        group = doc.spans.setdefault(self.spans_key, [])
        found = []
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(target):
                type_, label = self.nlp.vocab.strings[match_id].split("|", 1)
                span = target[start:end]
                if target is not doc:
                    span = doc.char_span(span.start_char, span.end_char, alignment_mode="contract")
                if span is not None and type_ in ENTITY_TYPES and type_ != FORCE:
                    found.append(Span(doc, span.start, span.end, label=type_, kb_id=label,
                                      span_id="gazetteer"))
        for span in sorted(found, key=lambda s: (s.start, s.end, s.label_)):
            group.append(span)
        return doc
