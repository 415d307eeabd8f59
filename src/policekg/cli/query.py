"""Commands that read the graph: queries, query, trace, show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from policekg.cli import main, store_option
from policekg.errors import QueryError
from policekg.graph.store import open_store
from policekg.queries import library, run
from policekg.queries import show as show_mod
from policekg.queries import trace as trace_mod

console = Console()


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def queries(fmt: str) -> None:
    """List the named queries with what they answer and their parameters.

    \b
    Example:
      policekg queries
      policekg query system-relations
    """
    items = library.all_queries()
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "summary": q.summary, "example": q.example,
             "params": [{"name": p.name, "type": p.type, "optional": p.optional,
                         "description": p.description} for p in q.params]}
            for q in items], indent=2))
        return
    table = Table()
    for col in ("name", "answers", "parameters"):
        table.add_column(col, overflow="fold")
    for q in items:
        params = "\n".join(f"{p.name} ({p.type}{', optional' if p.optional else ''}): {p.description}"
                           for p in q.params)
        table.add_row(q.name, q.summary, params)
    console.print(table)


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", "sparql", default=None, help="Run this query text instead of a named query.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); values are bound as RDF terms, never pasted in.")
@click.option("--format", "fmt", type=click.Choice(run.FORMATS), default="table",
              help="table, or the W3C SPARQL results formats csv/tsv/json; ttl for CONSTRUCT/DESCRIBE.")
@store_option
def query(name: str | None, sparql: str | None, params: tuple[str, ...], fmt: str, store: str | None) -> None:
    """Run a named query, a .rq file or a SPARQL text (read-only: updates are refused).

    Parameters bind at the query's `#@values` line. A syntax error is reported with its
    line and column.

    \b
    Example:
      policekg query findings-citing --param entity=PNC
      policekg query report-changes -p old=2006 -p new=2019 --format csv
      policekg query my-query.rq --format json
      policekg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    if (name is None) == (sparql is None):
        raise QueryError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    if sparql is not None:
        named = library.parse_header("--sparql", sparql)
    elif name.endswith(".rq") and Path(name).is_file():
        named = library.parse_header(Path(name).stem, Path(name).read_text(encoding="utf-8"))
    else:
        named = library.load(name)
    with open_store(store) as gs:
        bindings = run.param_bindings(gs.dataset, named, _params(params))
        result = run.run(gs.dataset, named.text, bindings)
    if fmt == "ttl" or (fmt == "table" and result.type == "CONSTRUCT"):
        click.echo(run.to_turtle(result), nl=False)
    elif fmt == "table":
        console.print(run.to_table(result))
        if result.type == "SELECT":
            console.print(f"{len(result.rows)} row(s)")
    else:
        writer = {"csv": run.to_csv, "tsv": run.to_tsv, "json": run.to_json}[fmt]
        click.echo(writer(result), nl=fmt == "json")


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--direct-only", is_flag=True, help="Only findings that cite the entity itself.")
@click.option("--report", default=None, help="Only this report: its IRI, year or kind (baseline, peel).")
@click.option("--kind", default=None, help="Only findings of this kind (e.g. AreaForImprovement).")
@click.option("--force", default=None, help="Only reports inspecting this force (name or IRI).")
@click.option("--year", default=None, help="Only reports of this year (2019) or assessment year (2018/19).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many findings.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Leave out this many findings first.")
@click.option("--show-sparql", is_flag=True, help="Print the SPARQL queries run (to stderr).")
@store_option
def trace(name: str, fmt: str, direct_only: bool, report: str | None, kind: str | None, force: str | None,
          year: str | None, limit: int | None, offset: int, show_sparql: bool, store: str | None) -> None:
    """Which findings depend on an entity: citing it directly, or citing a system that depends on it.

    If A feeds, interfaces with or is integrated with B, findings citing B depend on A; if N
    replaces X, findings citing X matter to N. `via` shows the path. NAME is a label, alias,
    abbreviation (any case) or IRI.

    \b
    Example:
      policekg trace PNC
      policekg trace ViSOR --kind AreaForImprovement --format json
      policekg trace pnc --direct-only --report peel --show-sparql
      policekg trace STORM --force "Wessex Constabulary" --year 2019 --limit 20
    """
    with open_store(store) as gs:
        result = trace_mod.trace(gs.dataset, name, direct_only=direct_only, report=report, kind=kind,
                                 force=force, year=year, limit=limit, offset=offset)
    if show_sparql:
        for text in result.sparql:
            click.echo(text.rstrip() + "\n", err=True)
    rows = result.findings
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        cols = ["iri", "report", "year", "framework", "framework_title", "grade", "kind", "direct", "via", "text"]
        writer.writerow(cols)
        for f in rows:
            d = f.as_json()
            d["via"] = " > ".join(f.via)
            writer.writerow(["" if d[c] is None else d[c] for c in cols])
        click.echo(out.getvalue(), nl=False)
        return
    e = result.entity
    console.print(f"[bold]{e.label}[/] ({e.type}) {e.iri}")
    if e.aliases:
        console.print("also: " + "; ".join(e.aliases), markup=False)
    table = Table(show_lines=True)
    for col in ("via", "year", "framework", "grade", "kind", "finding"):
        table.add_column(col, overflow="fold", ratio=4 if col == "finding" else None)
    for f in rows:
        framework = " ".join(x for x in (f.framework, f.framework_title) if x)
        via = "direct" if f.direct else " > ".join(f.via)
        table.add_row(via, f.year or "", framework, f.grade or "", f.kind, trace_mod.highlighted(f))
    console.print(table)
    direct = sum(f.direct for f in rows)
    console.print(f"{len(rows)} finding(s): {direct} direct, {len(rows) - direct} indirect")
    if result.affected:  # systems linked to it and who uses them (queries/affected.py)
        table = Table(title="Affected if it is replaced", show_lines=True)
        for col in ("via", "kind", "type", "relation", "sentence"):
            table.add_column(col, overflow="fold", ratio=4 if col == "sentence" else None)
        for a in result.affected:
            table.add_row(" > ".join(a.via), a.kind, a.type, ("inverse of " if a.inverse else "") + a.relation,
                          " ".join((a.sentence or "").split()))
        console.print(table)


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@store_option
def show(name: str, fmt: str, store: str | None) -> None:
    """An entity card: type, labels, where it is described, its relations and who cites it.

    \b
    Example:
      policekg show PNC
      policekg show "public protection unit" --format json
    """
    with open_store(store) as gs:
        c = show_mod.card(gs.dataset, name)
    if fmt == "json":
        click.echo(json.dumps(c.as_json(), indent=2, ensure_ascii=False))
        return
    e = c.entity
    console.print(f"[bold]{e.label}[/] ({e.type}, {c.scope or 'scope unknown'}) {e.iri}")
    facts = [("aliases", "; ".join(e.aliases)), ("source", c.source), ("note", c.note),
             ("description", c.description), ("part of", c.unit_of),
             ("population", c.population), ("households", c.households)]
    for label, value in facts:
        if value not in (None, ""):
            console.print(f"{label}: {value}", markup=False)
    if c.first_mention:
        m = c.first_mention
        console.print(f"first mentioned ({m['year'] or m['report']}, as {m['surface']!r}, {m['method']}):",
                      markup=False)
        console.print(f"  {m['snippet']}", markup=False)
    if c.relations:
        table = Table(title="Relations")
        for col in ("relation", "with", "sentence"):
            table.add_column(col, overflow="fold")
        for r in c.relations:
            arrow = r["relation"] if r["direction"] == "out" else f"(inverse) {r['relation']}"
            table.add_row(arrow, r["label"], r["sentence"] or "")
        console.print(table)
    if c.citations:
        table = Table(title="Citing findings")
        for col in ("year", "report", "kind", "findings"):
            table.add_column(col, justify="right" if col == "findings" else "left")
        for r in c.citations:
            table.add_row(r["year"] or "", r["report"], r["kind"], str(r["findings"]))
        console.print(table)
