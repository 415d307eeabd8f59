"""Commands that build and inspect the graph: build, stats, entities, extract, export, validate."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.progress import Progress

from policekg import api
from policekg.cli import main, store_option
from policekg.cli.share import endpoint_option
from policekg.cli.tables import (
    NAME,
    NUMBER,
    SHORT,
    Col,
    compact_iri,
    format_option,
    full_iris_option,
    make_console,
    print_table,
)
from policekg.errors import InputError
from policekg.extract.model import ENTITY_TYPES, KINDS

max_size_option = click.option(
    "--max-size", "max_size", type=click.FloatRange(min=0), default=api.MAX_SIZE_MB, show_default=True,
    metavar="MB", help="Refuse input files larger than this many megabytes (0: no limit).")
NETWORK_FORMATS = ("graphml", "gexf")  # policekg.visualise.network.EXPORT_FORMATS, without importing networkx


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--report-kind", "--kind", "kind", type=click.Choice(KINDS), default=None,
              help="Report kind for every file  [default: detected; `generic` reads any text].")
@click.option("--replace", is_flag=True,
              help="Let a different document replace a report already stored under the same IRI.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes analysing reports [default: every core].")
@max_size_option
@store_option
def build(paths: tuple[Path, ...], kind: str | None, replace: bool, jobs: int | None, max_size: float,
          store: str | None) -> None:
    """Build the knowledge graph from inspection reports (default: the bundled sample corpus).

    Each report becomes one named graph, and the whole build is written in one transaction:
    a file that cannot be read, or a build stopped at any moment, leaves the store as it was.
    Rebuilding the same file replaces its graph; a different document that claims a stored
    report's IRI (same force, year and kind) is refused unless you pass --replace.

    \b
    Example:
      policekg build
      policekg build reports/wessex-2019-peel.md --store ./kg
      policekg build notes.txt --report-kind generic
      policekg build reissued-peel.md --replace
      policekg build corpus/*.txt --jobs 2
    """
    files = list(paths) or api.bundled_reports()
    err = make_console(stderr=True)  # progress is a message: stderr, and only on a terminal (no stray blank line)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("Reading reports", total=len(files))
        summary = api.build(files, store=store, kind=kind, replace=replace, max_size_mb=max_size, jobs=jobs,
                            progress=lambda _n: progress.advance(task))
    if len(summary.reports) > WIDE_BUILD:
        _print_long_build(summary)
        return
    rows = [("kind", "kind"), ("parser", "parser"), ("year", "year"), ("frameworks", "frameworks"),
            ("findings", "findings")]
    table = [(label, *(str(getattr(r, attr)) for r in summary.reports)) for label, attr in rows]
    table += [(t, *(str(r.entities.get(t, 0)) for r in summary.reports)) for t in ENTITY_TYPES]
    table.append(("relations", *(str(r.relations) for r in summary.reports)))
    table.append(("triples", *(f"{r.triples}{'' if r.written else ' (unchanged)'}" for r in summary.reports)))
    print_table([Col("type"), *(Col(r.source, NUMBER) for r in summary.reports)], table,
                title=f"Built into {summary.store}")
    click.echo(f"{summary.total_triples} triples in the store, counted per named graph (one per report, "
               "plus the ontology); a triple two graphs share counts twice. `policekg stats` gives the "
               "distinct count too.", err=True)


WIDE_BUILD = 8  # more reports than this: one row per report, not one column


def _print_long_build(summary: api.BuildSummary) -> None:
    print_table([Col("report", NAME), Col("kind"), Col("year"), Col("frameworks", NUMBER), Col("findings", NUMBER),
                 Col("entities", NUMBER), Col("relations", NUMBER), Col("triples", NUMBER)],
                [(r.source, r.kind, r.year, str(r.frameworks), str(r.findings), str(sum(r.entities.values())),
                  str(r.relations), f"{r.triples}{'' if r.written else ' (unchanged)'}") for r in summary.reports],
                title=f"Built into {summary.store}")
    unchanged = sum(1 for r in summary.reports if not r.written)
    click.echo(f"{len(summary.reports)} reports ({unchanged} unchanged); {summary.total_triples} triples in the "
               "store, counted per named graph (`policekg stats` gives the distinct count too).", err=True)


@main.command()
@format_option(("table", "json"))
@full_iris_option
@store_option
def reports(fmt: str, full_iris: bool, store: str | None) -> None:
    """List the reports in the store: IRI, title, source file, SHA-256 and triples.

    \b
    Example:
      policekg reports
      policekg reports --format json
    """
    rows = api.reports(store)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    print_table([Col("iri", NAME), Col("title"), Col("source", NAME), Col("sha256", NAME), Col("triples", NUMBER)],
                [(compact_iri(r["iri"], full_iris), r["title"], r["source"], r["sha256"][:12], str(r["triples"]))
                 for r in rows])


@main.command()
@click.argument("report")
@store_option
def remove(report: str, store: str | None) -> None:
    """Remove one report from the store, in one transaction (entities other reports cite stay).

    REPORT is the report's IRI, its source file name, or a part of its IRI only it has.

    \b
    Example:
      policekg remove staffordshire-2006-baseline-assessment.txt
      policekg remove https://w3id.org/policekg/id/report/wessex-constabulary/2018-19-peel
    """
    gone = api.remove(report, store)
    click.echo(f"Removed {gone['iri']} ({gone['source']}, {gone['triples']} triples)", err=True)


@main.command()
@format_option(("table", "json"))
@full_iris_option
@click.option("--central", is_flag=True,
              help="Rank entities by centrality (betweenness, then degree) across findings and frameworks.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="With --central: how many entities to list.")
@store_option
@endpoint_option
def stats(fmt: str, full_iris: bool, central: bool, limit: int, store: str | None,
          endpoint: str | None = None) -> None:
    """Counts of triples, reports, entities by type, findings by kind and relations.

    With --central, the entities ranked by how central they are in the network of entities,
    findings and frameworks (networkx degree and betweenness centrality).

    \b
    Example:
      policekg stats
      policekg stats --format json
      policekg stats --central --limit 10
      policekg stats --endpoint http://localhost:7878/query
    """
    if central and endpoint:
        raise InputError("--central reads the local store; drop --endpoint, or drop --central")
    if central:
        _central(fmt, limit, store)
        return
    data = api.stats(store, endpoint=endpoint)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    out = make_console()
    out.print(f"Store {data['store']}: {data['triples']} triples in {len(data['graphs'])} named graphs, "
              f"{data['distinct_triples']} distinct", soft_wrap=True)
    out.print("(each report graph describes the entities it cites, so a triple two graphs share counts in "
              "both; SPARQL's COUNT over the default graph gives the distinct number)", markup=False)
    for title, counts in (("Named graphs", data["graphs"]), ("Entities", data["entities"]),
                          ("Findings", data["findings"]), ("Relations", data["relations"])):
        names = {k: compact_iri(k, full_iris) for k in counts} if title == "Named graphs" else {k: k for k in counts}
        print_table([Col("name", NAME), Col("count", NUMBER)], [(names[k], str(v)) for k, v in counts.items()],
                    title=title, console=out)


def _central(fmt: str, limit: int, store: str | None) -> None:
    from policekg.visualise.analytics import centrality
    from policekg.visualise.network import load_network

    rows = centrality(load_network(store), limit=limit)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    print_table([Col("rank", NUMBER), Col("type"), Col("label", NAME), Col("findings", NUMBER),
                 Col("betweenness", NUMBER), Col("degree", NUMBER)],
                [(str(i), r.type, r.label, str(r.findings), f"{r.betweenness:.4f}", f"{r.degree:.4f}")
                 for i, r in enumerate(rows, 1)], title="Most central entities")


@main.command()
@click.option("--type", "type_", type=click.Choice(ENTITY_TYPES), default=None, help="Only this entity type.")
@format_option(("table", "json"))
@full_iris_option
@store_option
def entities(type_: str | None, fmt: str, full_iris: bool, store: str | None) -> None:
    """List entities with their labels, aliases and number of mentions.

    \b
    Example:
      policekg entities --type System
      policekg entities --format json
    """
    rows = api.entities(store, type_)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    print_table([Col("type"), Col("label", NAME), Col("aliases", SHORT), Col("mentions", NUMBER), Col("iri", NAME)],
                [(r["type"], r["label"], "; ".join(r["aliases"]), str(r["mentions"]), compact_iri(r["iri"], full_iris))
                 for r in rows])


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@format_option(("json",), "json (the only one: entities with their surfaces, relations with their sentences)")
@max_size_option
def extract(path: Path, fmt: str, max_size: float) -> None:
    """Show the entities and relations found in any text file (no store involved).

    Works on a fragment with no report structure too: for debugging and evaluation.

    \b
    Example:
      policekg extract paragraph.txt --format json
    """
    click.echo(json.dumps(api.extract_file(path, max_size_mb=max_size), indent=2, ensure_ascii=False))


@main.command()
@format_option((*api.EXPORT_FORMATS, *NETWORK_FORMATS),
               "RDF as ttl (merged), trig or nq (one graph per report) or jsonld; the network as graphml or gexf")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@store_option
def export(fmt: str, out: Path | None, store: str | None) -> None:
    """Export the whole graph: Turtle (merged), TriG or N-Quads (one graph per report), JSON-LD,
    or the typed network of entities, frameworks, findings and reports as GraphML or GEXF.

    The RDF output is deterministic: the same reports give byte-identical files. GraphML
    (Cytoscape, yEd) and GEXF (Gephi) hold the network the visualise command draws.

    \b
    Example:
      policekg export --format trig --out policekg.trig
      policekg export --format ttl > policekg.ttl
      policekg export --format gexf --out policekg.gexf
    """
    if out is not None:
        api.check_output(out)  # before the work, not after it
    if fmt in NETWORK_FORMATS:
        from policekg.visualise.network import export_network, load_network

        text = export_network(load_network(store), fmt)
    else:
        text = api.export(fmt, store)
    if out is None:
        click.echo(text, nl=False)
    else:
        size = api.write_output(out, text)
        click.echo(f"Wrote {out} ({size} bytes)", err=True)


@main.command()
@store_option
def validate(store: str | None) -> None:
    """Validate the graph against the SHACL shapes in ontology/shapes.ttl (pySHACL).

    Exits 1 if the graph does not conform, printing pySHACL's report.

    \b
    Example:
      policekg validate
    """
    conforms, text = api.validate(store)
    if conforms:
        click.echo("The graph conforms to the policekg SHACL shapes.")
        return
    click.echo(text)
    raise SystemExit(1)
