"""Who uses a system: role groups and described user units, the ends of ``pol:usedBy`` relations.

A report often names the users of a system by their role rather than by a unit: "Frontline officers
are equipped with, and regularly use, BWV", "This system enables call handlers to ...". Such a
*role group* is read from ``ontology/role-groups.jsonl`` (a label, the other ways to say it, and a
note), so the names live in one data file. A role group is only ever a relation end: it becomes an
entity (``pol:RoleGroup``, an ``org:Role`` scoped to its force) only when a usage relation reaches
it, so "officers" in ordinary prose adds nothing to the graph.

A usage relation may also end at a plural that names units without naming one ("networked to all
divisional HR units"): ``described_user`` reads it, and ``described.py`` makes it a force-scoped
unit labelled with those words. An activity can use a system too ("Data from X is used within the
BCU performance accountability process"): ``described_activity`` reads it, and it becomes a
force-scoped ``pol:Initiative`` (a ``prov:Activity``) labelled with those words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from policekg.errors import InputError

ROLE_GROUPS_FILE = "role-groups.jsonl"


@dataclass(frozen=True)
class RoleGroup:
    """One role group: its label, the other ways reports say it, and why it is listed."""

    label: str
    aliases: tuple[str, ...]
    note: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


def parse_role_groups(lines: list[str], source: str = ROLE_GROUPS_FILE) -> tuple[RoleGroup, ...]:
    """Parse role-group JSONL lines, sorted by label.

    Raises:
        InputError: a line is not a JSON object with ``label`` and ``note``.
    """
    groups = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            groups.append(RoleGroup(obj["label"], tuple(obj.get("aliases", ())), obj["note"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{source} line {number}: not a role group ({exc})") from None
    return tuple(sorted(groups, key=lambda g: g.label))


@lru_cache(maxsize=1)
def load_role_groups() -> tuple[RoleGroup, ...]:
    """The packaged role groups (cached)."""
    text = resources.files("policekg.ontology").joinpath(ROLE_GROUPS_FILE).read_text(encoding="utf-8")
    return parse_role_groups(text.splitlines())


def _key(name: str) -> str:
    """Case-, space- and hyphen-insensitive form of a name: "Front-line  Officers" -> "front line officers"."""
    return " ".join(re.split(r"[\s-]+", name.casefold().strip()))


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over every name, the longest at a place winning ("frontline officers" beats
    "officers"), built as a trie (``trie_pattern``)."""
    by_name = {_key(n): g.label for g in load_role_groups() for n in g.names}
    return re.compile(rf"(?<![\w-])(?:{trie_pattern(by_name)})(?![\w-])", re.IGNORECASE), by_name


def trie_pattern(names: Iterable[str]) -> str:
    """A regex matching any of ``names`` (lower case; words joined by spaces, which match any run of
    spaces and hyphens), its branches sharing their prefixes. A plain alternation tries every name at
    every position of a text (a fifth of the relation reader's time on a long report); the trie reads
    each character once. Its greedy optional groups take the longest name, as longest-first would.

    >>> print(trie_pattern(["officers", "officers and staff", "pcsos"]))
    (?:officers(?:[\\s-]+and[\\s-]+staff)?|pcsos)
    """
    trie: dict = {}
    for name in names:
        node = trie
        for word in name.split():
            for unit in (" ", *word) if node is not trie else word:
                node = node.setdefault(unit, {})
        node[""] = {}  # a name ends here

    def emit(node: dict) -> str:
        branches = [(r"[\s-]+" if unit == " " else re.escape(unit)) + emit(child)
                    for unit, child in sorted(node.items()) if unit]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"

    return emit(trie)


def role_group_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of every role-group phrase in ``text``, left to right.

    >>> role_group_spans("Frontline officers are equipped with BWV; call takers use it.")
    [(0, 18, 'frontline officers'), (42, 53, 'call handlers')]
    >>> role_group_spans("The frontline-officers' forum")[0][2]
    'frontline officers'
    """
    pattern, by_name = _matcher()
    return [(m.start(), m.end(), by_name[_key(m.group())]) for m in pattern.finditer(text)]


_DESCRIBED_USER = re.compile(
    r"^(?:\s+(?:all|every|each|the|its|their|both|other|local|the\s+force's))*"
    r"\s+(?P<desc>(?:[A-Za-z][\w-]*\s+){0,3}?(?:units|teams|departments|hubs|desks|bureaux|sections))\b",
)


def described_user(after: str) -> str | None:
    """The plural of units a usage trigger ends on, when it names no single unit, else None.

    ``after`` is the text right after the trigger's last word.

    >>> described_user(" all divisional HR units.")
    'divisional HR units'
    >>> described_user(" the Harbour unit") is None  # one named unit is a mention, not a description
    True
    """
    m = _DESCRIBED_USER.match(after)
    if m is None:
        return None
    return " ".join(m.group("desc").split())


# The activity a system (or its data) is used within: "used within the BCU performance accountability
# process". An activity is a user the way a unit is: replacing the system changes how it is done.
_DESCRIBED_ACTIVITY = re.compile(
    r"^(?:\s+(?:the|its|their|each|every|all|both|the\s+force's|a|an))+"
    r"\s+(?P<desc>(?:[A-Za-z][\w-]*\s+){1,4}?(?:process|processes|programme|programmes|regime|meetings))\b",
)


def described_activity(after: str) -> str | None:
    """The activity a usage trigger ending in "in"/"within" names in words, else None.

    ``after`` is the text right after the trigger's last word. The phrase needs a determiner and a
    word before its head: "the process" alone says nothing about which one.

    >>> described_activity(" the BCU performance accountability process to drive up detections")
    'BCU performance accountability process'
    >>> described_activity(" the process") is None
    True
    >>> described_activity(" custody") is None
    True
    """
    m = _DESCRIBED_ACTIVITY.match(after)
    if m is None:
        return None
    return " ".join(m.group("desc").split())


_HELD = re.compile(r"\b(?:is|are|was|were|being|now)\s+(?:(?:now|also|all|securely)\s+)?"
                   r"(?:held|recorded|stored|kept|logged|maintained|managed|monitored|tracked)\s+"
                   r"(?:(?:with)?in|on|through|via|using)"
                   r"(?:\s+(?:the|a|an|its|their|force's|the\s+force's))*\s*$", re.IGNORECASE)


def held_in(before: str) -> bool:
    """Whether ``before`` (the text up to a system's mention) says records are kept in that system.

    >>> held_in("Case information from both areas of work is held within the ")
    True
    >>> held_in("registered sex offenders are managed through ")
    True
    >>> held_in("The unit uses the ")
    False
    """
    return bool(_HELD.search(before))
