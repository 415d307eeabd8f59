"""Helpers for tests that read invented sentences."""

from __future__ import annotations

from policekg.extract.model import Mention


def mentions(sentence: str, start: int, *items: tuple[str, str, str]) -> list[Mention]:
    """Mentions for (surface, type, label), found left to right in ``sentence``."""
    out, pos = [], 0
    for surface, kind, label in items:
        i = sentence.index(surface, pos)
        out.append(Mention((kind, label), surface, start + i, start + i + len(surface), "test"))
        pos = i + len(surface)
    return out
