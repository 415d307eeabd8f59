"""Commands that read the graph: queries, query, trace, show."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import click
from rdflib import Graph, Literal, URIRef
from rich.text import Text

from policekg.cli import main, store_option
from policekg.cli.share import endpoint_option
from policekg.cli.tables import (
    NAME,
    NUMBER,
    SHORT,
    TEXT,
    Cell,
    Col,
    compact_iri,
    format_option,
    full_iris_option,
    full_option,
    humanise,
    make_console,
    print_table,
)
from policekg.errors import QueryError
from policekg.queries import library, run
from policekg.queries.limits import QueryLimits, run_limited
from policekg.queries.output import STREAMING_FORMATS, write_rows
from policekg.remote import open_reader

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "ttl")
TABLE_ROWS = 200  # rows a table shows unless --limit says otherwise (see trace)
LONG_LITERAL = 60  # a literal column with a value longer than this is prose: shown as an excerpt


def _say(message: str) -> None:
    """A message for the person (counts, notes): standard error, so standard output holds only data."""
    click.echo(message, err=True)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


@main.command()
@format_option(("table", "json"))
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
    rows = []
    for q in items:
        params = "; ".join(f"{p.name} ({p.type}{', optional' if p.optional else ''}): {p.description}"
                           for p in q.params)
        rows.append((q.name, Cell(q.summary), Cell(params)))
    print_table([Col("name", NAME), Col("answers", TEXT), Col("parameters", TEXT)], rows, full=True)


@main.command()
@click.argument("name", required=False)
@click.option("--sparql", "sparql", default=None, help="Run this query text instead of a named query.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); values are bound as RDF terms, never pasted in.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format: table for reading; the W3C SPARQL results formats csv/tsv/json, or jsonl "
                   "(one solution per line), all four streamed as rows come; ttl for CONSTRUCT/DESCRIBE.")
@full_option
@full_iris_option
@click.option("--timeout", type=click.FloatRange(min=0), default=QueryLimits.timeout, show_default=True,
              metavar="SECONDS", help="Stop the query after this long, with an error (0: no limit).")
@click.option("--limit", "max_rows", type=click.IntRange(min=0), default=QueryLimits.max_rows, show_default=True,
              metavar="ROWS", help="Stop with an error when the answer has more rows than this (0: no cap).")
@click.option("--allow-service", is_flag=True,
              help="Let SERVICE send the query to another server (refused by default: policekg runs offline).")
@store_option
@endpoint_option
def query(name: str | None, sparql: str | None, params: tuple[str, ...], fmt: str, full: bool, full_iris: bool,
          timeout: float, max_rows: int, allow_service: bool, store: str | None, endpoint: str | None = None) -> None:
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
      policekg query trace -p entity=STORM --endpoint http://localhost:7878/query
    """
    if (name is None) == (sparql is None):
        raise QueryError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    if sparql is not None:
        named = library.parse_header("--sparql", sparql)
    elif name.endswith(".rq"):
        if not Path(name).is_file():
            raise QueryError(f"{name}: no such file (named queries have no .rq: `policekg queries` lists them)")
        named = library.parse_header(Path(name).stem, Path(name).read_text(encoding="utf-8"))
    else:
        named = library.load(name)
    limits = QueryLimits(timeout=timeout or None, max_rows=max_rows or None, allow_service=allow_service)
    with open_reader(store, endpoint, limits.timeout) as kg:
        text = kg.bind(named, _params(params))
        where = kg.location
    if endpoint:  # the same answer, from a remote SPARQL endpoint (graph/remote.py)
        from policekg.graph.remote import remote_answer

        with remote_answer(endpoint, text, limits) as answer:
            _print_answer(answer, fmt, full, full_iris)
        return
    with run_limited(where, text, limits) as answer:
        _print_answer(answer, fmt, full, full_iris)


def _print_answer(answer, fmt: str, full: bool = False, full_iris: bool = False) -> None:
    if answer.type == "ASK":
        result = run.QueryResult("ASK", answer.sparql, boolean=answer.boolean)
        if fmt == "table":
            print_table([Col("answer")], [("true" if answer.boolean else "false",)])
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
    rows = list(answer.terms())
    shown = rows[:TABLE_ROWS]  # a table is for reading (see trace); the formats for programs stream every row
    print_table(_columns(answer.vars, shown), [[_cell(t, full_iris) for t in row] for row in shown], full=full)
    _say(f"{len(rows)} row(s)")
    _say_shown(len(rows), TABLE_ROWS, "rows", "a LIMIT and OFFSET in the query page through them; "
               "--format csv, tsv, json or jsonl gives them all")


def _columns(names: list[str], rows: list[tuple]) -> list[Col]:
    """A column per variable: IRIs are names (never wrapped), numbers right-aligned, long literals prose."""
    cols = []
    for i, name in enumerate(names):
        terms = [row[i] for row in rows if row[i] is not None]
        if terms and all(isinstance(t, URIRef) for t in terms):
            kind = NAME
        elif terms and all(isinstance(t, Literal) and isinstance(t.toPython(), int | float) for t in terms):
            kind = NUMBER
        elif any(len(str(t)) > LONG_LITERAL for t in terms):
            kind = TEXT
        else:
            kind = SHORT
        cols.append(Col(name, kind))
    return cols


def _cell(term, full_iris: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term), full_iris)
    return str(term) if isinstance(term, Literal) else run.short(term)


@main.command()
@click.argument("name")
@format_option(("table", "json", "csv"), "a table for reading; json or csv (full text and IRIs) for programs")
@click.option("--direct-only", is_flag=True, help="Only findings that cite the entity itself.")
@click.option("--report", default=None, metavar="REPORT",
              help="Only findings of this report: its IRI, year, or words of its title or IRI (2019, peel).")
@click.option("--finding-kind", "kind", default=None, metavar="KIND",
              help="Only findings of this kind (AreaForImprovement, area-for-improvement, Strength...).")
@click.option("--force", default=None, help="Only reports inspecting this force (name or IRI).")
@click.option("--year", default=None, help="Only reports of this year (2019) or assessment year (2018/19).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many findings.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Leave out this many findings first.")
@full_option
@full_iris_option
@click.option("--show-sparql", is_flag=True, help="Print the SPARQL queries run (to stderr).")
@store_option
@endpoint_option
def trace(name: str, fmt: str, direct_only: bool, report: str | None, kind: str | None, force: str | None,
          year: str | None, limit: int | None, offset: int, full: bool, full_iris: bool, show_sparql: bool,
          store: str | None, endpoint: str | None = None) -> None:
    """Which findings depend on an entity: citing it directly, or citing a system that depends on it.

    If A feeds, interfaces with or is integrated with B, findings citing B depend on A; if N
    replaces X, findings citing X matter to N. `via` shows the path. NAME is a label, alias,
    abbreviation (any case) or IRI.

    \b
    Example:
      policekg trace PNC
      policekg trace ViSOR --finding-kind AreaForImprovement --format json
      policekg trace pnc --direct-only --report peel --show-sparql
      policekg trace STORM --force "Wessex Constabulary" --year 2019 --limit 20
    """
    with open_reader(store, endpoint) as kg:
        result = kg.trace(name, direct_only=direct_only, report=report, kind=kind,
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
    out = make_console()
    out.print(Text.assemble((e.label, "bold"), f" ({e.type}) {compact_iri(e.iri, full_iris)}"), soft_wrap=True)
    if e.aliases:
        out.print("also: " + "; ".join(e.aliases), markup=False)
    # A table is for reading: unless --limit says how many, a long answer shows its first
    # TABLE_ROWS rows and says how to see the rest (a national system's 11,000 findings took half
    # a minute to lay out, for 80,000 lines nobody reads in a terminal).
    cap = None if limit is not None else TABLE_ROWS
    print_table(
        [Col("via"), Col("year"), Col("framework"), Col("grade"), Col("kind"), Col("finding", TEXT)],
        [(" > ".join(f.via) if not f.direct else "direct", f.year or "",
          " ".join(x for x in (f.framework, f.framework_title) if x), f.grade or "", humanise(f.kind),
          Cell(f.text, f.spans)) for f in rows[:cap]],
        full=full, console=out)
    direct = sum(f.direct for f in rows)
    _say(f"{len(rows)} finding(s): {direct} direct, {len(rows) - direct} indirect"
         + ("" if full or not rows else "; long findings are excerpts around the match (--full for all)"))
    _say_shown(len(rows), cap, "findings", f"--limit N --offset {offset + (cap or 0)} pages through them; "
               "--format csv or json gives them all")
    if result.affected:  # systems linked to it and who uses them (queries/affected.py)
        print_table(
            [Col("via"), Col("kind"), Col("type"), Col("relation"), Col("sentence", TEXT)],
            [(" > ".join(a.via), a.kind, a.type, ("inverse of " if a.inverse else "") + a.relation,
              Cell(a.sentence or "", _spans(a.sentence or "", a.via[-1:]))) for a in result.affected[:TABLE_ROWS]],
            full=full, title="Affected if it is replaced", console=out)
        _say_shown(len(result.affected), TABLE_ROWS, "affected rows", "--format json gives them all")


def _say_shown(total: int, shown: int | None, noun: str, rest: str) -> None:
    """Say that a table shows only its first ``shown`` of ``total`` rows, and how to see the rest."""
    if shown is not None and total > shown:
        _say(f"the table shows the first {shown} of {total} {noun}: {rest}")


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the given words occur in a text (any case), the first found first: an excerpt centres on it."""
    low = text.lower()
    out = []
    for w in words:
        at = low.find(w.lower()) if w else -1
        if at >= 0:
            out.append((at, at + len(w)))
    return out


def _snippet(snippet: str, width: int) -> str:
    """The library's snippet (cut at characters, marked ``...``) as whole words, indented and wrapped."""
    words = snippet.split()
    if snippet.startswith("...") and words:
        words[0] = "…"
    if snippet.endswith("...") and words:
        words[-1] = "…"
    return textwrap.fill(" ".join(words), width, initial_indent="  ", subsequent_indent="  ",
                         break_long_words=False, break_on_hyphens=False)


@main.command()
@click.argument("name")
@format_option(("table", "json"))
@full_option
@full_iris_option
@store_option
@endpoint_option
def show(name: str, fmt: str, full: bool, full_iris: bool, store: str | None, endpoint: str | None = None) -> None:
    """An entity card: type, labels, where it is described, its relations and who cites it.

    \b
    Example:
      policekg show PNC
      policekg show "public protection unit" --format json
    """
    with open_reader(store, endpoint) as kg:
        c = kg.card(name)
    if fmt == "json":
        click.echo(json.dumps(c.as_json(), indent=2, ensure_ascii=False))
        return
    e = c.entity
    out = make_console()
    out.print(Text.assemble((e.label, "bold"), f" ({e.type}, {c.scope or 'scope unknown'}) "
                            f"{compact_iri(e.iri, full_iris)}"), soft_wrap=True)
    facts = [("aliases", "; ".join(e.aliases)), ("source", c.source), ("note", c.note),
             ("description", c.description), ("part of", c.unit_of and compact_iri(c.unit_of, full_iris)),
             ("population", c.population), ("households", c.households)]
    for label, value in facts:
        if value not in (None, ""):
            out.print(f"{label}: {value}", markup=False)
    if c.first_mention:
        m = c.first_mention
        out.print(f"first mentioned ({m['year'] or m['report']}, as {m['surface']!r}, {m['method']}):",
                  markup=False)
        out.print(_snippet(m["snippet"], out.width), markup=False, soft_wrap=True)
    if c.relations:
        print_table(
            [Col("relation"), Col("with", NAME), Col("sentence", TEXT)],
            [(r["relation"] if r["direction"] == "out" else f"(inverse) {r['relation']}", r["label"],
              Cell(r["sentence"] or "", _spans(r["sentence"] or "", [r["label"], *([e.label] + e.aliases)])))
             for r in c.relations],
            full=full, title="Relations", console=out)
    if c.citations:
        print_table(
            [Col("year"), Col("report", NAME), Col("kind"), Col("findings", NUMBER)],
            [(r["year"] or "", compact_iri(r["report"], full_iris), humanise(r["kind"]), str(r["findings"]))
             for r in c.citations],
            title="Citing findings", console=out)
