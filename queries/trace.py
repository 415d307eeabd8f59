"""Tracing: which findings depend on an entity, directly or through other systems.

Tracing runs two named queries, so what it does can be read and reused as SPARQL:

* ``trace.rq``: findings citing the entity or anything reachable from it along the system relations
  (``(pol:feeds|pol:interfacesWith|pol:integratedWith|pol:replaces)*``). The rule: if A feeds,
  interfaces with or is integrated with B, findings citing B depend on A; if N replaces X, findings
  citing X matter to N. Chains are followed within one report's graph: a system many forces use is
  one node, and chains through it across reports made one force's findings depend on another
  force's systems (at 1,000 reports, STORM reached 70% of all findings; 15 forces use it).
* ``trace-affected.rq``: what replacing the entity affects (``policekg.queries.affected``); its
  rows include the relation edges reachable from the entity, report by report (``trace-paths.rq``'s
  rows), from which ``via`` (the labels on the shortest path from the traced entity to the cited
  one, in the finding's report) is rebuilt here.

Framework codes, titles and grades are looked up in ``trace.rq`` itself. With ``force`` or ``year``,
the same rows (``trace-scoped.rq`` defines them) are read from the scoped reports rather than from
every finding that cites a national system, in three small queries (see ``_scoped_rows``). Rows
are read as plain strings (``policekg.queries.light``), straight from pyoxigraph on the embedded
store, and without the queries' ``ORDER BY``: the findings are sorted here, and the engine read
every IRI's text from the store again at each comparison.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import asdict, dataclass, field

from rdflib import Dataset, Literal, URIRef

from policekg.errors import UnknownEntity
from policekg.queries.affected import Affected, read_edges, walk
from policekg.queries.library import load
from policekg.queries.light import iri_values, select, unordered
from policekg.queries.lookup import EntityRef, resolve
from policekg.queries.reports import report_matches

__all__ = ["EntityRef", "Trace", "TraceFinding", "highlighted", "resolve", "trace"]  # resolve: the shared look-up

@dataclass
class TraceFinding:
    """One finding that depends on the traced entity.

    ``spans`` are the mentions of the cited entities as offsets into ``text``.
    """

    iri: str
    report: str
    year: str | None
    framework: str | None  # the framework's code (Baseline "4B"); None where the regime has none
    framework_title: str | None
    grade: str | None
    kind: str
    text: str
    direct: bool
    via: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)

    def as_json(self) -> dict:
        out = asdict(self)
        del out["spans"]
        return out


@dataclass
class Trace:
    """The answer to ``policekg trace``: the entity, its dependent findings and the SPARQL run."""

    query: str
    entity: EntityRef
    findings: list[TraceFinding]
    sparql: list[str]
    affected: list[Affected] = field(default_factory=list)  # systems and users (queries/affected.py)

    def as_json(self) -> dict:
        return {"query": self.query, "entity": asdict(self.entity),
                "findings": [f.as_json() for f in self.findings],
                "affected": [a.as_json() for a in self.affected]}


DEPENDS = ("feeds", "interfacesWith", "integratedWith", "replaces")  # trace.rq's rule


def _paths(entity: EntityRef, edges: list[dict], names: dict[str, tuple[str, str]]) -> dict[str, dict[str, list[str]]]:
    """Per report, the shortest path (as entity labels) from the entity to everything that depends
    on it by that report's statements (trace.rq's rule), from ``trace-affected.rq``'s rows: its
    edges reachable from the entity are those of ``trace-paths.rq``, with their sentences."""
    out: dict[str, dict[str, set[tuple[str, str]]]] = {}
    for r in edges:
        if r["relation"] in DEPENDS and r["inverse"] == "false":
            label = names.get(r["to"], (r["to"], ""))[0]
            out.setdefault(r["report"], {}).setdefault(r["from"], set()).add((r["to"], label))
    return {report: _shortest(entity, reached) for report, reached in out.items()}


def _shortest(entity: EntityRef, edges: dict[str, set[tuple[str, str]]]) -> dict[str, list[str]]:
    via = {entity.iri: [entity.label]}
    queue = deque([entity.iri])
    while queue:  # breadth first, in a fixed order, so every path is a shortest one
        node = queue.popleft()
        for target, label in sorted(edges.get(node, [])):
            if target not in via:
                via[target] = [*via[node], label]
                queue.append(target)
    return via


def trace(
    dataset: Dataset,
    name: str,
    *,
    direct_only: bool = False,
    report: str | None = None,
    kind: str | None = None,
    force: str | None = None,
    year: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Trace:
    """Findings that depend on an entity, directly (citing it) or through the system relations.

    Args:
        dataset: the store's dataset.
        name: the entity's label, alias, abbreviation or IRI (see ``policekg.queries.lookup``).
        direct_only: only findings that cite the entity itself.
        report: only findings of this report: its IRI, its year ("2006") or words of its title
            or IRI ("baseline", "2018-19-peel"); the rule of ``policekg.queries.reports``.
        kind: only findings of this kind ("AreaForImprovement", "area-for-improvement", ...).
        force: only reports inspecting this force (its name or IRI): scopes a national system
            in the query itself.
        year: only reports of this calendar year ("2019") or assessment year ("2018/19").
        limit: at most this many findings (after ``offset``), for paging through a long answer.
        offset: leave out this many findings first.

    Returns:
        One entry per finding, direct ones first; a finding citing several dependent entities
        keeps the shortest path.

    Raises:
        UnknownEntity: the name matches no entity, or several; or ``force`` names no force.
    """
    inspected = resolve(dataset, force) if force else None
    if inspected is not None and inspected.type != "Force":
        raise UnknownEntity(f"{force!r} is a {inspected.type}, not a force")
    # With a force, a name its own entity shares with other forces' (GUARDIAN) means its own.
    entity = resolve(dataset, name, within=inspected.iri if inspected else None)
    scope: dict = {"entity": URIRef(entity.iri)}
    if inspected is not None:
        scope["force"] = URIRef(inspected.iri)
    if year:
        scope["in_year"] = Literal(year)
    # What replacing it affects (trace-affected.rq) first: its rows hold the dependency edges too.
    sparql, edges, names = read_edges(dataset, entity.iri, force=scope.get("force"), in_year=year)
    via = _paths(entity, edges, names)
    if force or year:
        rows, first = _scoped_rows(dataset, scope)
    else:
        ran, rows = select(dataset, unordered(load("trace").text), scope)
        first = [ran]
    found: dict[str, TraceFinding] = {}
    for r in rows:
        cited = r["cited"]
        path = via.get(r["report"], {}).get(cited) or ([entity.label] if cited == entity.iri else [entity.label, cited])
        spans = [tuple(int(x) for x in s.split("-")) for s in (r["spans"] or "").split()]
        item = TraceFinding(
            iri=r["finding"], report=r["report"], year=_str(r["year"]),
            framework=_str(r["code"]) if r["framework"] is not None else None,
            framework_title=_str(r["title"]) if r["framework"] is not None else None,
            grade=_str(r["grade"]),
            kind=r["kind"], text=r["text"], direct=cited == entity.iri, via=path,
            spans=sorted(spans),
        )
        old = found.get(item.iri)
        if old is not None:  # cited twice (say the entity and one depending on it): keep the nearer
            spans = sorted(set(old.spans) | set(item.spans))
            # Of two shortest paths, the first in order: the same whatever order the rows came in.
            if (not old.direct, len(old.via), old.via) <= (not item.direct, len(item.via), item.via):
                item = old
            item.spans = spans
        found[item.iri] = item
    titles = {r["report"]: r["title"] or "" for r in select(dataset, load("reports").text)[1]} if report else {}
    findings = [f for f in found.values() if _keep(f, direct_only, report, kind, titles)]
    findings.sort(key=lambda f: (not f.direct, len(f.via), f.year or "", f.iri))
    findings = findings[offset:None if limit is None else offset + limit]
    users = walk(entity.iri, entity.label, edges, names)
    return Trace(query=name, entity=entity, findings=findings, sparql=first + sparql, affected=users)


def _scoped_rows(dataset: Dataset, scope: dict) -> tuple[list[dict], list[str]]:
    """The rows of ``trace-scoped.rq``, read as four small queries: the mentions, in the scoped
    reports, of the entity and what depends on it (``trace-citations.rq``), then their findings'
    text, start and framework (``trace-details.rq``), the frameworks' codes and titles
    (``framework-labels.rq``) and the reports' grades (``report-grades.rq``), each bound to just
    those findings, frameworks or reports. One query for all of it
    looked each finding up once per entity it cites, and read a year's grades by framework.
    """
    cites, mentions = select(dataset, unordered(load("trace-citations").text), scope)
    if not mentions:
        return [], [cites]
    findings = sorted({m["finding"] for m in mentions})
    details, read = select(dataset, load("trace-details").text, iri_values(("finding",), [(f,) for f in findings]))
    frameworks = sorted({d["framework"] for d in read if d["framework"] is not None})
    named, labels = select(dataset, load("framework-labels").text,
                           iri_values(("framework",), [(f,) for f in frameworks]))
    code: dict[str, str] = {}
    title: dict[str, str] = {}
    for lab in labels:  # MAX, as trace.rq takes them
        code[lab["framework"]] = max(code.get(lab["framework"], ""), lab["code"] or "")
        title[lab["framework"]] = max(title.get(lab["framework"], ""), lab["title"] or "")
    reports = sorted({m["report"] for m in mentions})
    grades, judged = select(dataset, load("report-grades").text, iri_values(("report",), [(r,) for r in reports]))
    best: dict[tuple[str, str], str] = {}
    for g in judged:  # MAX, as trace.rq takes it
        key = (g["report"], g["framework"])
        best[key] = max(best.get(key, ""), g["grade"])
    about = {d["finding"]: d for d in read}
    rows: dict[tuple[str, str], dict] = {}
    for m in mentions:
        d = about[m["finding"]]
        row = rows.get((m["finding"], m["cited"]))
        if row is None:
            row = rows[(m["finding"], m["cited"])] = {
                **{k: d[k] for k in ("finding", "framework", "kind", "text")},
                "code": code.get(d["framework"]), "title": title.get(d["framework"]),
                "cited": m["cited"], "report": m["report"], "year": m["year"], "spans": [],
                "grade": best.get((m["report"], d["framework"])) if d["framework"] is not None else None}
        start = int(d["start"])
        row["spans"].append(f"{int(m['ms']) - start}-{int(m['me']) - start}")
    out = list(rows.values())
    for row in out:  # as trace.rq's GROUP_CONCAT(DISTINCT ...) gives them
        row["spans"] = " ".join(dict.fromkeys(row["spans"]))
    out.sort(key=lambda r: (r["cited"] != str(scope["entity"]), r["year"] or "", r["finding"], r["cited"]))
    return out, [cites, details, *([named] if frameworks else []), grades]


def _str(term) -> str | None:
    return None if term is None or str(term) == "" else str(term)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _keep(f: TraceFinding, direct_only: bool, report: str | None, kind: str | None,
          titles: dict[str, str] | None = None) -> bool:
    if direct_only and not f.direct:
        return False
    if kind and _squash(kind) != _squash(f.kind):
        return False
    if report and not report_matches(report, f.report, year=f.year, title=(titles or {}).get(f.report)):
        return False
    return True


def highlighted(finding: TraceFinding, style: str = "bold yellow"):
    """The finding's text as a rich ``Text`` with the cited words styled."""
    from rich.text import Text

    text = Text(finding.text)
    for start, end in finding.spans:
        if 0 <= start < end <= len(finding.text):
            text.stylize(style, start, end)
    return text
