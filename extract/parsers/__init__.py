"""Report parsers: one module per inspection regime, behind one contract and a plain registry.

The contract
------------
A parser module defines one object, ``PARSER``, that satisfies :class:`ReportParser`:

``name``
    the registry key, shown by ``policekg build -v`` and stored on ``Report.parser``
    (``"peel"``, ``"peel-2021"``, ``"baseline"``).
``kind``
    the report kind (regime) its reports have: ``model.BASELINE``, ``model.PEEL`` or
    ``model.GENERIC``. ``--kind peel`` chooses among the parsers of that kind.
``description``
    one line for the README and ``-v`` output.
``looks_like(text) -> float``
    how sure the parser is that ``text`` (normalised) is its layout: 0 means "not mine", 1 means
    certain. It must be cheap (it runs for every parser on every report) and must not raise on
    any text.
``parse(norm, *, source_name, sha256="") -> Report``
    the whole report from its :class:`~policekg.extract.normalise.Normalised` text. Every offset
    it stores is into ``norm.text``; every finding's text is ``norm.text[start:end]``.

Shared reading helpers (the :class:`~policekg.extract.parsers.blocks.Line` and
:class:`~policekg.extract.parsers.blocks.Block` model, the heading rule, front-matter helpers) are
in :mod:`policekg.extract.parsers.blocks`; a parser imports them from there, never from another
parser.

Adding a parser: write ``extract/parsers/<regime>.py`` with its ``PARSER``, add the module to
``_MODULES`` below, and add an invented fixture in ``tests/data`` with a test pinning its
frameworks, grades and finding counts. The registry imports every module eagerly, so a parser that
fails to import fails loudly here rather than turning into "kind not recognised".
"""

from __future__ import annotations

from importlib import import_module
from typing import Protocol, runtime_checkable

from policekg.extract.model import Report
from policekg.extract.normalise import Normalised


@runtime_checkable
class ReportParser(Protocol):
    """What every parser module's ``PARSER`` provides; see the module docstring."""

    name: str
    kind: str
    description: str

    def looks_like(self, text: str) -> float: ...

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report: ...


# Registry order breaks ties between equal scores: more specific layouts first.
_MODULES = (
    "policekg.extract.parsers.peel2021",
    "policekg.extract.parsers.peel_pillar",
    "policekg.extract.parsers.peel",
    "policekg.extract.parsers.baseline",
    "policekg.extract.parsers.generic",
)


def _load() -> dict[str, ReportParser]:
    out: dict[str, ReportParser] = {}
    for module in _MODULES:
        parser = import_module(module).PARSER
        if not isinstance(parser, ReportParser):
            raise TypeError(f"{module}.PARSER does not satisfy the ReportParser contract")
        out[parser.name] = parser
    return out


PARSERS: dict[str, ReportParser] = _load()


def best_parser(text: str, *, kind: str | None = None) -> tuple[ReportParser | None, float]:
    """The parser that scores ``text`` highest, and its score.

    Args:
        text: normalised report text.
        kind: consider only parsers of this report kind (or with this name); None: all.

    Returns:
        The best parser (registry order on a tie) and its score; ``(None, 0.0)`` when every
        candidate scores 0 and ``kind`` is None. With a ``kind``, the parser named after it
        (``peel``) is returned even if it scores 0, since the caller asked for it.
    """
    candidates = [p for p in PARSERS.values() if kind is None or kind in (p.kind, p.name)]
    best, best_score = None, 0.0
    for p in candidates:
        score = p.looks_like(text)
        if score > best_score:
            best, best_score = p, score
    if best is None and kind is not None and candidates:
        # Asked for a kind none of whose parsers recognises the text: its general parser (the
        # one named after the kind) reads it.
        return next((p for p in candidates if p.name == kind), candidates[0]), 0.0
    return best, best_score
