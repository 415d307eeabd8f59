"""Deterministic IRIs: the same report always gives the same IRIs.

* a report: ``id/report/<force>/<year>-<kind>`` when force, regime and year identify it (Baseline,
  PEEL); anything without that full identity (a generic text, an undated or force-less report)
  adds the first 12 hex digits of its content's SHA-256: ``id/report/<force>/<year>-generic-<sha>``.
  The IRI names the report's graph too. Two different files can still claim one IRI (a reissued
  PEEL report): the build refuses that unless told to replace (``policekg.api.build``);
* a finding: ``<report>/finding/<ordinal>`` (its position in the report);
* an entity: ``id/<type>/<label>`` when it is national (PNC, CPS, STORM: one node for every force)
  and ``id/force/<force>/<type>/<label>`` when it belongs to one force (divisions, units, CDRPs:
  "Central Division" exists in many forces);
* a framework: ``id/scheme/<regime>/<code or title>``, shared by every report of that regime.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from policekg.extract.model import BASELINE, PEEL
from policekg.extract.normalise import fold
from policekg.ontology import ID

UNKNOWN_FORCE = "Unknown force"  # what the generic parser calls a text that names no force
REGIMES = {
    BASELINE: ("hmic-baseline", "HMIC Baseline Assessment frameworks"),
    PEEL: ("peel", "HMICFRS PEEL pillars and questions"),
}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``slug("Harbour Division")`` is ``harbour-division``."""
    s = fold(text).lower().replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def force_iri(force: str) -> URIRef:
    return ID[f"force/{slug(force)}"]


def report_iri(force: str, year: str, kind: str, content: str = "", part: str = "") -> URIRef:
    """A report's IRI from its force, year and kind, plus a content digest when those are not enough.

    >>> str(report_iri("Wessex Constabulary", "2018/19", "peel"))
    'https://w3id.org/policekg/id/report/wessex-constabulary/2018-19-peel'
    >>> str(report_iri("Wessex Constabulary", "2019", "generic", "0123456789abcdef"))
    'https://w3id.org/policekg/id/report/wessex-constabulary/2019-generic-0123456789ab'
    """
    base = f"report/{slug(force)}/{slug(year) or 'undated'}-{kind}" + (f"-{slug(part)}" if part else "")
    if content and (kind not in REGIMES or not re.search(r"\d", year or "") or force == UNKNOWN_FORCE):
        base += f"-{content[:12]}"
    return ID[base]


def report_identity(report) -> URIRef:
    """The IRI of a parsed report (``policekg.extract.model.Report``); see ``report_iri``.

    A PEEL pillar report (2014-2017) is one of several a force gets in a year, one per pillar, so
    its pillar is part of its identity: ``.../2016-peel-legitimacy``.
    """
    content = report.sha256 or hashlib.sha256(report.text.encode()).hexdigest()
    part = ""
    if report.parser == "peel-pillar":
        from policekg.extract.parsers.peel import pillar_report

        part = pillar_report(report.text) or ""
    return report_iri(report.force, report.year, report.kind, content, part)


def scheme_iri(kind: str) -> URIRef | None:
    regime = REGIMES.get(kind)
    return ID[f"scheme/{regime[0]}"] if regime else None


def framework_iri(kind: str, code: str, title: str) -> URIRef | None:
    scheme = scheme_iri(kind)
    if scheme is None:
        return None
    return URIRef(f"{scheme}/{code if code else slug(title)}")


def finding_iri(report: URIRef, ordinal: int) -> URIRef:
    return URIRef(f"{report}/finding/{ordinal:04d}")


def entity_iri(type_: str, label: str, scope: str, force: str) -> URIRef:
    if type_ == "Force":
        return force_iri(label)
    if scope == "national":
        return ID[f"{slug(type_)}/{slug(label)}"]
    return ID[f"force/{slug(force)}/{slug(type_)}/{slug(label)}"]


def of_force(iri: str, force: str) -> bool:
    """Whether an entity is one of a force's own: ``entity_iri`` mints those under the force's IRI."""
    return str(iri).startswith(str(force).rstrip("/") + "/")


def national_or_of(iri: str, force: str) -> bool:
    """Whether an entity is national (minted outside every force's IRI) or one of ``force``'s own."""
    return not str(iri).startswith(str(ID) + "force/") or of_force(iri, force)


def digest(*parts: object) -> str:
    """A short stable hash, for nodes named by their content (assertions)."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:12]
