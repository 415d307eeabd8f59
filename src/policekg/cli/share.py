"""Commands that share the graph: serve (a read-only SPARQL endpoint) and push (to a triple store)."""

from __future__ import annotations

import logging

import click

from policekg.cli import main, store_option
from policekg.queries.limits import QueryLimits


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 shares the endpoint with your network).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=7879, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=QueryLimits.timeout, show_default=True,
              metavar="SECONDS", help="Stop a query after this long (0: no limit).")
@click.option("--limit", "max_rows", type=click.IntRange(min=0), default=QueryLimits.max_rows, show_default=True,
              metavar="ROWS", help="Refuse an answer with more rows than this (0: no cap).")
@store_option
def serve(host: str, port: int, timeout: float, max_rows: int, store: str | None) -> None:
    """Serve the store as a read-only SPARQL 1.1 Protocol endpoint, with a query page.

    Queries run as `policekg query` runs them: in their own process, read-only, with a time
    limit, a row cap and a memory cap; updates and SERVICE are refused. Endpoint: /sparql;
    named queries: /queries/NAME?param=value; the query page: /. One log line per request.

    \b
    Example:
      policekg serve                          # http://127.0.0.1:7879/
      policekg serve --port 8080 --timeout 10 --limit 10000
      curl 'http://127.0.0.1:7879/queries/trace?entity=PNC' -H 'Accept: text/csv'
    """
    import uvicorn

    from policekg.server.app import create_app

    app = create_app(_store(store), QueryLimits(timeout=timeout or None, max_rows=max_rows or None))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    click.echo(f"policekg: serving {app.state.store} read-only at http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")


def _store(store: str | None):
    from policekg.graph.store import store_path

    return store_path(store)


@main.command()
@click.option("--endpoint", default=None, metavar="URL",
              help="The server's SPARQL query URL (for Oxigraph, .../query: the graph store is .../store).")
@click.option("--graph-store", default=None, metavar="URL",
              help="The server's Graph Store Protocol URL, where it is not derived from --endpoint "
                   "(Fuseki: http://HOST:3030/DATASET/data).")
@click.option("--update", default=None, metavar="URL",
              help="The server's SPARQL update URL, used to rebuild the default graph there instead of "
                   "sending it (derived from an --endpoint ending in /query).")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send nothing.")
@click.option("--force", is_flag=True, help="Send every graph, even those the server already holds.")
@store_option
def push(endpoint: str | None, graph_store: str | None, update: str | None, dry_run: bool, force: bool,
         store: str | None) -> None:
    """Publish the store to a triple store: one PUT per changed report graph (SPARQL Graph Store Protocol).

    Only graphs that changed since the last push are sent (their digests are kept on the server,
    in a bookkeeping graph), each replaced in one PUT; the ontology too. The default graph (the
    union queries read) is rebuilt on the server with one SPARQL update where there is an update
    URL (--update, or derived from an --endpoint ending in /query), else sent with a PUT.
    Credentials come from the environment only: POLICEKG_AUTH_TOKEN (bearer), or
    POLICEKG_AUTH_USER and POLICEKG_AUTH_PASSWORD (basic auth).

    \b
    Example:
      policekg push --endpoint http://localhost:7878/query --dry-run
      POLICEKG_AUTH_TOKEN=... policekg push --graph-store https://kg.example.org/ds/data
    """
    from policekg.graph.push import DEFAULT_GRAPH
    from policekg.graph.push import push as push_store

    summary = push_store(store, endpoint=endpoint, graph_store=graph_store, update=update, dry_run=dry_run,
                         force=force)

    def name(iri: str) -> str:
        return "(default graph)" if iri == str(DEFAULT_GRAPH) else iri

    verb = "would PUT" if dry_run else "PUT"
    for iri in summary.put:
        click.echo(f"{verb} {name(iri)}")
    for iri in summary.deleted:
        click.echo(f"{'would DELETE' if dry_run else 'DELETE'} {iri}")
    for iri in summary.updated:
        click.echo(f"{'would UPDATE' if dry_run else 'UPDATE'} {name(iri)}")
    if dry_run:
        click.echo(f"{len(summary.put)} graph(s) to send, {len(summary.deleted)} to delete, "
                   f"{len(summary.unchanged)} unchanged; nothing sent (dry run)")
    else:
        click.echo(f"{len(summary.put)} graph(s) sent ({summary.triples} triples), {len(summary.deleted)} deleted, "
                   f"{len(summary.unchanged)} unchanged, to {summary.graph_store} in {summary.seconds:.2f} s")


endpoint_option = click.option(
    "--endpoint", default=None, metavar="URL",
    help="Read this remote SPARQL endpoint instead of the local store (e.g. http://localhost:7878/query).",
)

