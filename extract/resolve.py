"""Entity resolution: every candidate surface for one thing becomes one ``Entity``.

This is the only place candidates are merged. Surfaces are united when they normalise to the same
key (case, plural, determiner and quote differences: ``BEACON`` / ``Beacon``, ``PPUs`` /
``PPU``), when a definition links them (``public protection unit (PPU)``, the glossary,
``Beacon system (the force public protection IT system)``, ``NICHE RMS``), or when the gazetteer
lists them as names of one entity.

Preferred label, in order: the gazetteer label; the name the report's structure gives (a division
heading, a CDRP table row); the abbreviation or system name the report uses most, written in
capitals if the report ever writes it so (``BEACON``, though "Beacon" is commoner); else the
commonest surface. Type, when candidates disagree: gazetteer, then structure, then the glossary or
an abbreviation's head noun, then the pattern that matched most often. Scope is ``national`` for
gazetteer entities and the force, ``force`` for everything discovered.

Candidates dropped before merging: categories (``is_category``; a long form defined in the plural),
and a system pattern's candidate for an acronym the report defines as a process (``PDR`` for
"performance development review": "the PDR system" is the appraisal scheme; see ``systems.py``).

Mentions are then read afresh from every finding: every occurrence of any label or alias (and its
plural) is one mention, longest first, without overlaps; a surface that names two entities (a
division and a CDRP called after the same town) is left out rather than guessed.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from policekg.extract.abbreviations import glossary_abbreviations, is_short_form, singular_short
from policekg.extract.discover import head_type, is_category, is_inspectorate, singular
from policekg.extract.gazetteer import GazetteerEntry, is_case_sensitive, load_gazetteer
from policekg.extract.model import CDRP, DIVISION, FORCE, PARTNER, SYSTEM, UNIT, Entity, Mention, Report
from policekg.extract.normalise import fold
from policekg.extract.partners import force_label
from policekg.extract.systems import PROCESS_NOUNS

# Lower is stronger when candidates for one entity disagree on its type.
_RANK = {"gazetteer": 0, "structure": 1, "glossary": 2, "abbreviation": 2}
_PATTERN_RANK = 3
_LEADING = re.compile(r"^(?:(?:the|a|an|its|force's|force|hq)\s+)+")
_SEPARATE = (DIVISION, CDRP, FORCE)  # never merged with a different type by a shared name


@dataclass(frozen=True)
class Candidate:
    """One recognised surface: ``surface == report.text[start:end]`` (``start == end`` when the
    structure names it without a located span)."""

    type: str
    surface: str
    start: int
    end: int
    method: str
    finding: int | None = None
    gazetteer: str | None = None  # gazetteer label, for method "gazetteer"


@dataclass(frozen=True)
class Link:
    """Two surfaces that name the same thing, and how we know."""

    a: str
    b: str
    method: str
    type: str | None = None  # for division links: keeps them in the division namespace


@lru_cache(maxsize=65536)
def surface_key(surface: str) -> str:
    """The key under which case, plural, quote and determiner variants of a name meet.

    >>> surface_key("the Public Protection Units"), surface_key("PPUs"), surface_key("Offenders' Register")
    ('public protection unit', 'ppu', 'offender register')
    """
    text = " ".join(fold(singular_short(surface.strip())).replace('"', "").split()).lower()
    text = _LEADING.sub("", text.strip(" '.,;:()"))
    return " ".join(singular(w.strip("'")) for w in text.split())


def _node(type_: str | None, surface: str) -> tuple[str, str]:
    return (type_ if type_ in _SEPARATE else "*", surface_key(surface))


class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # deterministic root


def _locate(text: str, name: str, start: int, end: int) -> tuple[int, int]:
    i = text.find(name, start, end) if name else -1
    return (i, i + len(name)) if i >= 0 else (start, start)


def structure_candidates(report: Report) -> tuple[list[Candidate], list[Link]]:
    """Candidates and links from the report's structure: divisions, CDRPs and the glossary."""
    cands, links = [], []
    for d in report.divisions:
        s, e = _locate(report.text, d.name, d.start, d.end)
        cands.append(Candidate(DIVISION, d.name, s, e, "structure"))
    for c in report.cdrps:
        s, e = _locate(report.text, c.name, c.start, c.end)
        cands.append(Candidate(CDRP, c.name, s, e, "structure"))
    for abbr in glossary_abbreviations(report.glossary):
        links.append(Link(abbr.short, abbr.long, "glossary"))
        type_ = head_type(abbr.long)
        if type_ and not is_category(abbr.long):
            for surface, (s, e) in ((abbr.short, abbr.short_span), (abbr.long, abbr.long_span)):
                s, e = _locate(report.text, surface, s, max(e, s + len(surface)))
                cands.append(Candidate(type_, surface, s, e, "glossary"))
    return cands, links


def _home_force(report: Report, cands: list[Candidate]) -> tuple[list[Candidate], list[Link]]:
    """Force candidates sorted out: the inspected force (``report.force``, else, in a fragment, the
    first force named) stays a Force; every other force is a Partner."""
    forces = sorted((c for c in cands if c.type == FORCE and c.method == "pattern:force"),
                    key=lambda c: c.start)
    if not forces:
        return cands, []
    home = force_label(report.force) or report.force if report.force else force_label(forces[0].surface)
    # Every way of naming a force meets at its full name ("Kent", "Kent police" -> "Kent Police").
    links = [Link(c.surface, force_label(c.surface) or c.surface, "force") for c in forces]
    out = []
    for c in cands:
        if c.type != FORCE or c.method != "pattern:force":
            out.append(c)
        elif force_label(c.surface) != home:
            out.append(replace(c, type=PARTNER))
        elif not report.force:
            out.append(c)  # a fragment's own force; a report's is added from its structure
    return out, links


def covered_dropped(cands: list[Candidate]) -> list[Candidate]:
    """The candidates less those that a longer candidate in the same place covers.

    One rule, whatever found them: a phrase of several words inside a longer candidate is part of
    that name ("Police Authority" in "British Transport Police Authority", "street triage" in "the
    harbour street triage team"). A one-word name inside a phrase is kept (``PNC`` in "the
    PNC bureau" is still cited), and so is a gazetteer name inside a pattern's phrase of the same
    type (resolution unites them). Sorted by start, so each candidate is compared with the longest
    one open at its start: O(n log n).
    """
    out, reach = [], None  # reach: the longest located candidate that starts at or before this one
    for c in sorted(cands, key=lambda c: (c.start, -c.end, c.method)):
        if c.end <= c.start or c.finding is None:
            out.append(c)
            continue
        inside = reach is not None and c.finding == reach.finding and reach.start <= c.start \
            and c.end <= reach.end and (reach.end - reach.start) > (c.end - c.start)
        same_name = inside and c.method == "gazetteer" and reach.method != "gazetteer" and reach.type == c.type
        if inside and len(c.surface.split()) > 1 and not same_name:
            continue
        out.append(c)
        if reach is None or c.finding != reach.finding or c.end > reach.end:
            reach = c
    return out


def _rank(method: str) -> int:
    return _RANK.get(method, _PATTERN_RANK)


def _choose_type(cands: list[Candidate], gaz: GazetteerEntry | None) -> str:
    if gaz:
        return gaz.type
    best = min(_rank(c.method) for c in cands)
    counts = Counter(c.type for c in cands if _rank(c.method) == best)
    return min(counts, key=lambda t: (-counts[t], t))


def _is_name(surface: str) -> bool:
    """An abbreviation or coined system name (PPU, ViSOR, BEACON, i2), as opposed to a phrase."""
    s = surface.strip()
    return " " not in s and (is_short_form(s) or s.isupper() or bool(re.fullmatch(r"[a-z]\d+", s)))


def _choose_label(cands: list[Candidate], gaz: GazetteerEntry | None, type_: str) -> str:
    if gaz:
        return gaz.label
    forces = {force_label(c.surface) for c in cands if c.method == "pattern:force"}
    if len(forces) == 1 and None not in forces:
        return forces.pop()  # another force (a Partner) or a fragment's own: its full name
    structural = sorted(c.surface for c in cands if c.method == "structure" and c.type == type_)
    if structural:
        return structural[0]
    counts = Counter(c.surface.strip() for c in cands)
    names: dict[str, Counter] = defaultdict(Counter)
    for surface, n in counts.items():
        if _is_name(surface):
            names[singular_short(surface).lower()][singular_short(surface)] += n
    if names:
        group = min(names.values(), key=lambda g: (-sum(g.values()), min(g)))
        upper = sorted(s for s in group if s.isupper())
        return upper[0] if upper else min(group, key=lambda s: (-group[s], s))
    # A common noun phrase capitalised only because it opens a sentence ("Neighbourhood teams
    # ...") is labelled in lower case, so every report gives it the same label (and IRI).
    common = Counter()
    for s, n in counts.items():
        first, _, rest = s.partition(" ")
        lowered = first[:1].lower() + first[1:] if first[1:].islower() and rest and rest == rest.lower() else first
        common[" ".join(filter(None, (lowered, rest)))] += n
    for s in list(common):
        one = " ".join([*s.split()[:-1], singular(s.split()[-1])])
        if one != s and one in common:
            common[one] += common.pop(s)  # "harm reduction hubs" counts for "harm reduction hub"
    return min(common if type_ == UNIT else counts,
               key=lambda s: (-(common if type_ == UNIT else counts)[s], len(s), s))


def _plurals(name: str) -> list[str]:
    """Plural forms worth matching: an abbreviation's ``s`` and a common noun phrase's plural."""
    if _is_name(name):
        return [name + "s"]
    if " " not in name or name.split()[-1][:1].isupper():
        return []
    stem = name
    if re.search(r"[^aeiou]y$", stem):
        return [stem[:-1] + "ies"]
    return [stem + ("es" if stem.endswith(("s", "x", "ch", "sh")) else "s")]


def resolve(
    report: Report,
    candidates: list[Candidate],
    links: list[Link],
    gazetteer: tuple[GazetteerEntry, ...] | None = None,
) -> tuple[dict[tuple[str, str], Entity], list[Mention]]:
    """Merge candidates into entities and read every mention of them from the findings.

    Args:
        report: the parsed report (findings, structure, force).
        candidates: from the pipeline and from ``structure_candidates``.
        links: surfaces known to name the same thing.
        gazetteer: the national entities (the packaged gazetteer by default).

    Returns:
        The entities by key, and the mentions sorted by position.
    """
    gazetteer = load_gazetteer() if gazetteer is None else gazetteer
    by_label = {g.label: g for g in gazetteer}
    uf = _Union()
    for g in gazetteer:
        for name in g.aliases:
            uf.union(_node(g.type, g.label), _node(g.type, name))
    # A definition whose long form is a category ("basic command units (BCUs)") names a category:
    # the short form is dropped too, whichever candidate found it (one rule, ``is_category``).
    category = {surface_key(x) for ln in links if ln.method in ("abbreviation", "glossary")
                and (is_category(ln.a) or is_category(ln.b)) for x in (ln.a, ln.b)}
    # An acronym defined as a process ("performance development review (PDR)") names no system,
    # even where the report writes "the PDR system": the system pattern's candidates are dropped.
    process = {surface_key(ln.a) for ln in links if ln.method in ("abbreviation", "glossary")
               and singular((ln.b.split() or [''])[-1].lower()) in PROCESS_NOUNS}
    candidates, force_links = _home_force(report, candidates)
    links = [*links, *force_links]
    # A name the gazetteer lists under a type kept apart (a kind of CDRP) keeps that type, however
    # it was found ("CDRP" in a glossary, "crime and disorder reduction partnership (CDRP)").
    separate = {surface_key(n): g.type for g in gazetteer for n in g.names if g.type in _SEPARATE}
    candidates = [replace(c, type=separate[surface_key(c.surface)]) if surface_key(c.surface) in separate
                  and c.method != "gazetteer" else c for c in candidates]
    links = [replace(ln, type=separate.get(surface_key(ln.a)) or separate.get(surface_key(ln.b)))
             if surface_key(ln.a) in separate or surface_key(ln.b) in separate else ln for ln in links]
    cands = [c for c in covered_dropped(candidates)
             if not (is_category(c.surface) or surface_key(c.surface) in category or is_inspectorate(c.surface))
             and surface_key(c.surface) and not (c.type == SYSTEM and c.method.startswith("pattern:")
                                                 and surface_key(c.surface) in process)]
    links = [ln for ln in links if not (is_inspectorate(ln.a) or is_inspectorate(ln.b))]
    for ln in links:
        if surface_key(ln.a) in category or not surface_key(ln.a) or not surface_key(ln.b):
            continue
        uf.union(_node(ln.type, ln.a), _node(ln.type, ln.b))
    groups: dict = defaultdict(list)
    for c in cands:
        groups[uf.find(_node(c.type, c.surface))].append(c)
    # Linked surfaces and how each was first recognised (the report's glossary comes last).
    surfaces_of: dict = defaultdict(dict)
    for ln in sorted(links, key=lambda ln: ln.method == "glossary"):
        for s in (ln.a, ln.b):
            surfaces_of[uf.find(_node(ln.type, s))].setdefault(s.strip(), ln.method)

    gaz_by_root: dict = defaultdict(list)
    for g in gazetteer:
        gaz_by_root[uf.find(_node(g.type, g.label))].append(g)

    entities: dict[tuple[str, str], Entity] = {}
    names: dict[tuple[str, str], dict[str, str]] = {}  # entity -> surface -> first method
    for root in sorted(groups, key=str):
        group = sorted(groups[root], key=lambda c: (c.start, c.end, c.method))
        # A group that reaches a gazetteer name is that national entity, even when only a
        # discovery pattern saw it ("the Violent and Sex Offenders Register system").
        gaz_counts = Counter(c.gazetteer for c in group if c.gazetteer)
        gaz_counts.update({g.label: 0 for g in gaz_by_root.get(root, ())})
        gaz = by_label[min(gaz_counts, key=lambda k: (-gaz_counts[k], k))] if gaz_counts else None
        type_ = _choose_type(group, gaz)
        label = _choose_label(group, gaz, type_)
        key = (type_, label)
        methods = {c.method for c in group}
        ent = entities.get(key) or Entity(
            # A kind of local partnership ("community safety partnerships") is the force's own.
            type=type_, label=label, scope="national" if gaz and type_ not in _SEPARATE else "force",
            source="gazetteer" if gaz else "structure" if "structure" in methods
            else "glossary" if methods == {"glossary"} else "discovered",
            note=gaz.note if gaz else "discovered by " + ", ".join(sorted(methods)),
        )
        entities[key] = ent
        known = names.setdefault(key, {})
        for c in group:
            known.setdefault(c.surface.strip(), c.method)
        for s, how in sorted(surfaces_of[root].items()):
            known.setdefault(s, how)
        for s in (gaz.names if gaz else ()):
            known.setdefault(s, "gazetteer")
        known.setdefault(label, "alias")
    if report.force:
        key = (FORCE, report.force)
        entities[key] = Entity(FORCE, report.force, scope="national", source="structure",
                               note="the inspected force")
        names[key] = {report.force: "structure"}

    mentions = _mentions(report, names, cands)
    said: dict[tuple[str, str], set[str]] = defaultdict(set)  # one pass, not one per entity
    for m in mentions:
        said[m.entity].add(m.surface)
    for key, ent in entities.items():
        seen = set(names[key]) | said.get(key, set())
        ent.aliases = {s for s in seen if s != ent.label and s}
    return dict(sorted(entities.items())), mentions


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _scan(text: str, exact: dict[tuple, tuple], loose: dict[tuple, tuple],
          lengths: tuple[dict[str, list[int]], dict[str, list[int]]]) -> list[tuple[int, int, tuple]]:
    """Every ``(start, end, key)`` where a name occurs in ``text`` on token boundaries, spaced as
    in the name; ``exact`` names match case-sensitively, ``loose`` ones in any case."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    lower = [t[2].lower() for t in tokens]
    exact_words = [t[2] for t in tokens]
    out = []
    for table, words, firsts in ((exact, exact_words, lengths[0]), (loose, lower, lengths[1])):
        for i, word in enumerate(words):
            for n in firsts.get(word, ()):
                entry = table.get(tuple(words[i:i + n]))
                if entry is None or i + n > len(tokens):
                    continue
                start, end = tokens[i][0], tokens[i + n - 1][1]
                if (text[start:end].lower() if table is loose else text[start:end]) in entry[1]:
                    out.append((start, end, entry[0]))
    return out


def _first_token_lengths(table: dict[tuple, tuple]) -> dict[str, list[int]]:
    lengths: dict[str, set[int]] = defaultdict(set)
    for words in table:
        lengths[words[0]].add(len(words))
    return {w: sorted(ns) for w, ns in lengths.items()}


class _Intervals:
    """Disjoint ``[start, end)`` intervals kept sorted, so that testing a new one for overlap is a
    binary search rather than a comparison with every accepted one. They are held in blocks of at
    most ``2 * BLOCK`` (as ``sortedcontainers`` does): inserting into one flat list moves half the
    list each time, which grew quadratic on a report with a few hundred thousand mentions.

    >>> taken = _Intervals()
    >>> [taken.add(a, b) for a, b in ((5, 9), (0, 5), (8, 12), (9, 10), (3, 4))]
    [True, True, False, True, False]
    """

    BLOCK = 256

    def __init__(self) -> None:
        self._blocks: list[list[tuple[int, int]]] = []
        self._firsts: list[int] = []  # the first start of each block

    def add(self, start: int, end: int) -> bool:
        """Add ``[start, end)`` unless it overlaps one already held; whether it was added."""
        blocks = self._blocks
        if not blocks:
            blocks.append([(start, end)])
            self._firsts.append(start)
            return True
        b = max(bisect.bisect_right(self._firsts, start) - 1, 0)
        block = blocks[b]
        i = bisect.bisect_right(block, (start, math.inf))
        before = block[i - 1] if i else blocks[b - 1][-1] if b else None
        after = block[i] if i < len(block) else blocks[b + 1][0] if b + 1 < len(blocks) else None
        if before is not None and before[1] > start or after is not None and after[0] < end:
            return False
        block.insert(i, (start, end))
        self._firsts[b] = block[0][0]
        if len(block) > 2 * self.BLOCK:
            blocks[b:b + 1] = [block[:self.BLOCK], block[self.BLOCK:]]
            self._firsts[b:b + 1] = [block[0][0], block[self.BLOCK][0]]
        return True


def _mentions(report: Report, names: dict[tuple[str, str], dict[str, str]],
              cands: list[Candidate]) -> list[Mention]:
    """Every occurrence of every name in every finding, plus located structure candidates."""
    targets: dict[tuple[bool, str], set] = defaultdict(set)
    method: dict[tuple, str] = {}
    for key, known in names.items():
        for surface, how in known.items():
            for form in (surface, *_plurals(surface)):
                f = fold(form).strip()
                sensitive = is_case_sensitive(f)
                targets[(sensitive, f if sensitive else f.lower())].add(key)
                method.setdefault((key, f.lower()), how if form == surface else "alias")
    exact: dict[tuple, tuple] = {}
    loose: dict[tuple, tuple] = {}
    for (sensitive, form), keys in targets.items():
        if len(keys) != 1:
            continue  # one surface, two entities: ambiguous, so no mention
        words = tuple(_TOKEN.findall(form))
        table = exact if sensitive else loose
        if not words:
            continue
        key = next(iter(keys))
        if words in table and table[words][0] != key:
            table[words] = (None, set())
        else:
            table.setdefault(words, (key, set()))[1].add(form)
    exact = {w: e for w, e in exact.items() if e[0]}
    loose = {w: e for w, e in loose.items() if e[0]}
    found = []
    lengths = (_first_token_lengths(exact), _first_token_lengths(loose))
    for f in report.findings:
        for start, end, key in _scan(fold(report.text[f.start:f.end]), exact, loose, lengths):
            found.append((f.start + start, f.start + end, key, f.ordinal))
    chosen, taken = [], _Intervals()
    for start, end, key, ordinal in sorted(found, key=lambda x: (x[0] - x[1], x[0], x[2])):
        if not taken.add(start, end):
            continue
        surface = report.text[start:end]
        how = method.get((key, fold(surface).lower()), "alias")
        chosen.append(Mention(key, surface, start, end, how, ordinal))
    keys = {m.entity for m in chosen} | set(names)
    for c in cands:  # structure outside findings: provenance for divisions, CDRPs, glossary terms
        if c.finding is None and c.end > c.start and report.text[c.start:c.end] == c.surface:
            key = next((k for k in keys if c.surface.strip() in names.get(k, {}) and k[0] == c.type), None)
            if key and taken.add(c.start, c.end):
                chosen.append(Mention(key, c.surface, c.start, c.end, c.method, None))
    return sorted(chosen, key=lambda m: (m.start, m.end, m.entity))
