"""Commands that read the graph: queries, query, trace, show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
from rdflib import Graph
from rich.console import Console
from rich.table import Table

from policekg.cli import main, store_option
from policekg.errors import QueryError
from policekg.graph.store import open_store
from policekg.queries import library, run
from policekg.queries import show as show_mod
from policekg.queries import trace as trace_mod
from policekg.queries.limits import QueryLimits, run_limited
from policekg.queries.output import STREAMING_FORMATS, write_rows

console = Console()
FORMATS = ("table", "csv", "tsv", "json", "jsonl", "ttl")


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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              help="table; the W3C SPARQL results formats csv/tsv/json, or jsonl (one solution per line), "
                   "all four streamed as rows come; ttl for CONSTRUCT/DESCRIBE.")
@click.option("--timeout", type=click.FloatRange(min=0), default=QueryLimits.timeout, show_default=True,
              metavar="SECONDS", help="Stop the query after this long, with an error (0: no limit).")
@click.option("--limit", "max_rows", type=click.IntRange(min=0), default=QueryLimits.max_rows, show_default=True,
              metavar="ROWS", help="Stop with an error when the answer has more rows than this (0: no cap).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE send the query to another server (refused by default: policekg runs offline).")
@store_option
def query(name: str | None, sparql: str | None, params: tuple[str, ...], fmt: str, timeout: float,
          max_rows: int, allow_service: bool, store: str | None) -> None:
    """Run a named query, a .rq file or a SPARQL text (read-only: updates are refused).

    Parameters bind at the query's `#@values` line. A syntax error is reported with its
    line and column. The query runs in its own process, with a time limit, a row cap and a
    memory cap; a query that runs too long or answers too much ends with a one-line error.

    \b
    Example:
      policekg query findings-citing --param entity=PNC
      policekg query report-changes -p old=2006 -p new=2019 --format csv
      policekg query my-query.rq --format jsonl --timeout 120 --limit 0
      policekg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    if (name is None) == (sparql is None):
        raise QueryError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    if sparql is not None:
        named = library.parse_header("--sparql", sparql)
    elif name.endswith(".rq") and Path(name).exists():
        named = library.parse_header(Path(name).stem, Path(name).read_text(encoding="utf-8"))
    else:
        named = library.load(name)
    with open_store(store) as gs:
        text = run.bind(named.text, run.param_bindings(gs.dataset, named, _params(params)))
        where = gs.location
    limits = QueryLimits(timeout=timeout or None, max_rows=max_rows or None, allow_service=allow_service)
    with run_limited(where, text, limits) as answer:
        _print_answer(answer, fmt)


def _print_answer(answer, fmt: str) -> None:
    if answer.type == "ASK":
        result = run.QueryResult("ASK", answer.sparql, boolean=answer.boolean)
        if fmt == "table":
            console.print(run.to_table(result))
        elif fmt in ("json", "jsonl"):
            click.echo(run.to_json(result))
        else:
            raise QueryError(f"an ASK answer has no {fmt} form: use --format json or table")
        return
    if answer.type == "CONSTRUCT":
        if fmt not in ("ttl", "table"):
            raise QueryError(f"a CONSTRUCT or DESCRIBE answer is a graph: use --format ttl, not {fmt}")
        graph = Graph()
        for triple in answer.terms():
            graph.add(triple)
        click.echo(run.to_turtle(run.QueryResult("CONSTRUCT", answer.sparql, graph=graph)), nl=False)
        return
    if fmt == "ttl":
        raise QueryError("--format ttl is for CONSTRUCT and DESCRIBE queries; use table, csv, tsv, json or jsonl")
    if fmt in STREAMING_FORMATS:
        write_rows(fmt, answer.vars, answer.rows, lambda s: click.echo(s, nl=False))
        return
    result = run.QueryResult("SELECT", answer.sparql, vars=answer.vars, rows=list(answer.terms()))
    console.print(run.to_table(result))
    console.print(f"{len(result.rows)} row(s)")


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option("--direct-only", is_flag=True, help="Only findings that cite the entity itself.")
@click.option("--report", default=None, help="Only this report: its IRI, year or kind (baseline, peel).")
@click.option("--kind", default=None, help="Only findings of this kind (e.g. AreaForImprovement).")
@click.option("--show-sparql", is_flag=True, help="Print the SPARQL queries run (to stderr).")
@store_option
def trace(name: str, fmt: str, direct_only: bool, report: str | None, kind: str | None,
          show_sparql: bool, store: str | None) -> None:
    """Which findings depend on an entity: citing it directly, or citing a system that depends on it.

    If A feeds, interfaces with or is integrated with B, findings citing B depend on A; if N
    replaces X, findings citing X matter to N. `via` shows the path. NAME is a label, alias,
    abbreviation (any case) or IRI.

    \b
    Example:
      policekg trace PNC
      policekg trace ViSOR --kind AreaForImprovement --format json
      policekg trace pnc --direct-only --report peel --show-sparql
    """
    with open_store(store) as gs:
        result = trace_mod.trace(gs.dataset, name, direct_only=direct_only, report=report, kind=kind)
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
