"""HMICFRS PEEL pillar reports, 2014-2017: one report per pillar.

Each report covers one pillar (Effectiveness, Efficiency, Legitimacy or Leadership), named in its
title ("PEEL: Police effectiveness 2016"). Its first question is the pillar's and carries the
pillar's grade; every later question ("How effective is the force at ...?", "How well does the
force ...?", "To what extent does the force ...?") is an area, followed by its own grade. The text
between them is read exactly as in the integrated assessment, so this parser is the PEEL parser
told which pillar the report is about.
"""

from __future__ import annotations

from policekg.extract.model import PEEL, Report
from policekg.extract.normalise import Normalised
from policekg.extract.parsers.peel import parse_peel, pillar_report


class PeelPillarParser:
    """A PEEL report about one pillar; see :func:`policekg.extract.parsers.peel.parse_peel`."""

    name = "peel-pillar"
    kind = PEEL
    description = "HMICFRS PEEL 2014-2017 pillar report: one pillar's question, then its areas' questions"

    def looks_like(self, text: str) -> float:
        """1.0 when the title names PEEL and one pillar ("PEEL: Police legitimacy 2017"), else 0."""
        return 1.0 if pillar_report(text) else 0.0

    def parse(self, norm: Normalised, *, source_name: str, sha256: str = "") -> Report:
        return parse_peel(norm, source_name=source_name, sha256=sha256, pillar=pillar_report(norm.text))


PARSER = PeelPillarParser()
