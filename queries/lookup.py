"""One name look-up for every command that takes a name: ``trace``, ``show``, ``entity`` query
parameters and ``visualise --focus``.

One ranking rule, whatever is searched (the store, or the network ``visualise`` draws):

1. an IRI names itself;
2. otherwise names are compared case-, quote-, dash- and space-insensitively (``key``), and a
   match ranks by how it matched: a preferred label, then an alternative label (alias), then a
   glossary abbreviation spelled out, then, last, a name that holds the words given (a partial
   match);
3. policing entities come before frameworks, reports and findings, whatever the rank (the store
   holds only entities, and a finding titled like a unit must not hide the unit on the network);
4. several different nodes at the best rank is an error that lists them: a name never picks one
   of several silently.

In the store, exact spellings are looked up first (``entity-lookup.rq`` uses the index), so the
common case never scans every label.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Dataset, Literal, URIRef

from policekg.errors import UnknownEntity
from policekg.extract.normalise import fold
from policekg.graph.iris import of_force
from policekg.queries.library import load
from policekg.queries.run import Values, iri_term, run

HOW = ("label", "alias", "abbreviation", "partial")  # the ranks, best first


@dataclass
class EntityRef:
    """A resolved entity."""

    iri: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A node a name may refer to, and how it matched (one of ``HOW``)."""

    iri: str
    how: str
    entity: bool = True  # a policing entity (not a framework, report or finding)


def key(name: str) -> str:
    """Case-, quote-, dash- and space-insensitive form of a name, for matching.

    >>> key("  Harbour   NETWORK ") == key("harbour network")
    True
    """
    return " ".join(fold(name).casefold().split())


def choose(name: str, candidates: Iterable[Candidate], within: str | None = None) -> str | None:
    """The IRI the ranking rule picks among candidates, or None when there are none.

    Args:
        name: what the user typed (for the message).
        candidates: what it may refer to.
        within: a force's IRI: of several entities at the best rank, the one scoped to that force
            (each force has its own "GUARDIAN" or "public protection unit"; ``trace --force``).

    Raises:
        UnknownEntity: several different IRIs share the best rank (the message lists them).
    """
    ranked = [(not c.entity, c.how == "partial", HOW.index(c.how), c.iri) for c in candidates]
    if not ranked:
        return None
    best = min(rank[:3] for rank in ranked)
    iris = sorted({iri for *rank, iri in ranked if tuple(rank) == best})
    if len(iris) > 1 and within:
        scoped = [iri for iri in iris if of_force(iri, within)]
        iris = scoped if len(scoped) == 1 else iris
    if len(iris) > 1:
        more = f", and {len(iris) - 5} more" if len(iris) > 5 else ""
        raise UnknownEntity(f"{name!r} names {len(iris)} entities; pass one IRI instead: "
                            + ", ".join(iris[:5]) + more)
    return iris[0]


def _is_iri(name: str) -> bool:
    return re.match(r"^https?://", name) is not None


# --- the store --------------------------------------------------------------------------------------


def describe(dataset: Dataset, iri: URIRef) -> EntityRef | None:
    """An entity's label, type and aliases, or None when ``iri`` is no entity."""
    rows = run(dataset, load("entity").text, {"entity": iri}).dicts()
    if not rows:
        return None
    aliases = sorted({str(r["alias"]) for r in rows if r["alias"] is not None} - {str(rows[0]["label"])})
    return EntityRef(str(iri), str(rows[0]["label"]), str(rows[0]["type"]), aliases)


def resolve(dataset: Dataset, name: str, within: str | None = None) -> EntityRef:
    """The entity a name refers to in the store: an IRI, a label, alias or glossary abbreviation in
    any case, or a part of one name that only one entity has; ``within`` a force's IRI, a name
    several forces' entities share picks that force's (see ``choose``).

    Raises:
        UnknownEntity: no entity has that name (the message suggests close names), or several
            share it at the best rank (the message lists their IRIs).
    """
    name = name.strip()
    if not name:
        raise UnknownEntity("give a name to look for")
    if _is_iri(name):
        ref = describe(dataset, iri_term(name))
        if ref is None:
            raise UnknownEntity(f"no entity with IRI <{name}>")
        return ref
    iri = choose(name, _exact(dataset, [name], None), within)
    if iri is None:
        # An abbreviation a report's glossary defines: look its expansions up as names.
        glossary = run(dataset, load("glossary-lookup").text, _variants([name])).dicts()
        iri = choose(name, _exact(dataset, [str(r["expansion"]) for r in glossary], "abbreviation"), within)
    if iri is None:
        labels = run(dataset, load("entity-labels").text).dicts()
        want = key(name)
        found = [Candidate(str(r["entity"]), str(r["how"])) for r in labels if key(str(r["name"])) == want]
        found += [Candidate(str(r["entity"]), "partial") for r in labels if want in key(str(r["name"]))]
        iri = choose(name, found, within)
        if iri is None:
            raise UnknownEntity(_unknown_message(name, {str(r["name"]): str(r["entity"]) for r in labels}))
    ref = describe(dataset, URIRef(iri))
    assert ref is not None  # it was found by its label just now
    return ref


def _variants(names: list[str]) -> Values:
    """The names as given and in upper, lower and title case, as rows of ``?name`` literals."""
    forms = dict.fromkeys(f for n in names for f in (n, n.upper(), n.lower(), n.title()))
    return Values(("name",), tuple((Literal(f),) for f in forms))


def _exact(dataset: Dataset, names: list[str], how: str | None) -> list[Candidate]:
    """Entities labelled exactly with one of the names' case variants: index look-ups."""
    if not names:
        return []
    rows = run(dataset, load("entity-lookup").text, _variants(names)).dicts()
    return [Candidate(str(r["entity"]), how or str(r["how"])) for r in rows]


def _unknown_message(name: str, names: Mapping[str, str]) -> str:
    """``names`` maps every label and alias to its entity; an entity is suggested once, by its
    closest name (not "GUARDIAN, Guardian system" for one system)."""
    by_key: dict[str, str] = {}
    for n in sorted(names):
        by_key.setdefault(key(n), n)
    close = difflib.get_close_matches(key(name), list(by_key), n=10, cutoff=0.6)
    suggested: dict[str, str] = {}  # entity -> its closest name
    for c in close:
        suggested.setdefault(names[by_key[c]], by_key[c])
    message = f"no entity named {name!r}"
    if suggested:
        message += "; did you mean: " + ", ".join(list(suggested.values())[:5]) + "?"
    return message + " (`policekg entities` lists them)"


# --- the network --------------------------------------------------------------------------------------


def find_node(g, name: str) -> str:
    """The node of a typed network (``policekg.visualise.network``) a name refers to, by the same
    rule: its IRI, label or alias (any case), or a part of one name only it has.

    Args:
        g: a networkx graph whose nodes have ``type``, ``label`` and ``aliases`` attributes.
        name: what the user typed.

    Raises:
        UnknownEntity: nothing matches, or several nodes share the best rank.
    """
    from policekg.extract.model import ENTITY_TYPES

    if name in g:
        return name
    want = key(name)
    if not want:
        raise UnknownEntity("give a name to look for")
    found = []
    for n, a in g.nodes(data=True):
        entity = a.get("type") in ENTITY_TYPES
        for how, text in (("label", a.get("label", "")), *(("alias", x) for x in a.get("aliases", ()))):
            if key(text) == want:
                found.append(Candidate(n, how, entity))
            elif a.get("type") != "Finding" and want in key(text):
                found.append(Candidate(n, "partial", entity))
    iri = choose(name, found)
    if iri is None:
        raise UnknownEntity(f"no entity, framework or report is called {name!r}")
    return iri
