"""The ``visualise`` command: one self-contained, offline HTML page of the graph."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from policekg.cli import main, store_option
from policekg.extract.model import ENTITY_TYPES

# Spelled out here, not imported from visualise.network, so that start-up does not import networkx.
NODE_TYPES = (*ENTITY_TYPES, "Framework", "Finding", "Report")


def _split(values: tuple[str, ...]) -> list[str] | None:
    out = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return out or None


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser.")
@click.option("--focus", default=None, metavar="NAME",
              help="Draw only the neighbourhood of this entity (label, alias or IRI).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="How many hops the --focus neighbourhood reaches.")
@click.option("--types", multiple=True, metavar="TYPE[,TYPE]",
              help=f"Only these node types: {', '.join(NODE_TYPES)}.")
@click.option("--report", "reports", multiple=True, metavar="REPORT",
              help="Only nodes from this report: its IRI, its year, or words of its title or IRI (peel, 2019).")
@click.option("--force", default=None, metavar="NAME",
              help="Only the reports that inspect this force (its name, alias or IRI).")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Draw the overview with the N most-cited entities (in a --report/--force view: fold all "
                   "but N).  [default: overview only for a graph too large to draw whole]")
@store_option
def visualise(out: Path, open_: bool, focus: str | None, depth: int, types: tuple[str, ...],
              reports: tuple[str, ...], force: str | None, top: int | None, store: str | None) -> None:
    """Write an interactive graph of entities, frameworks and findings as one offline HTML file.

    The page needs no network: vis-network and its own script and style are inline. Findings
    are grouped under their frameworks until you ask for them; search finds a node by any label
    or alias; click a node for its card. A graph too large to draw whole (many forces) opens as
    an overview of forces and the most-cited entities; --force, --report or --focus narrow it.

    \b
    Example:
      policekg visualise --out graph.html --open
      policekg visualise --focus STORM --depth 2 --out storm.html
      policekg visualise --types System,Initiative,Division --report peel
      policekg visualise --force "Staffordshire Police" --top 40
    """
    from policekg.api import check_output
    from policekg.visualise.html import write_store_html

    check_output(out)  # before the work, which takes seconds on a national store
    path = write_store_html(store, out, focus=focus, depth=depth, types=_split(types), reports=_split(reports),
                            force=force, top=top)
    click.echo(f"Wrote {path} ({path.stat().st_size} bytes)", err=True)
    if open_ and not webbrowser.open(path.resolve().as_uri()):
        click.echo(f"policekg: no browser to open here; open {path} yourself", err=True)
