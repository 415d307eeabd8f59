"""Publish the store to a triple store a team already runs, with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the store (one per report, and the ontology) is sent with ONE ``PUT``, which the
protocol defines as "replace this graph": a server applies it as one operation, so a report is never
seen half-replaced. The default graph, which the local store keeps as the deduplicated union of the
named graphs (see ``graph/store.py``) and which queries read, is kept the same on the server, so a
query gives the same answer there as locally, whatever the server's own default-graph setting:
where the server has a SPARQL update endpoint, one update rebuilds it there from the graphs that
changed (``default_graph_update``); otherwise it is sent whole with a PUT (as large as all the
report graphs together: at 100 reports a re-push of one report then costs minutes, not seconds).

Only what changed is sent. The server keeps, in a bookkeeping graph (the same IRI the local store
uses, ``DIGESTS``), the SHA-256 of each graph's N-Triples as of the last push; ``push`` reads it,
compares it with the local digests, PUTs the graphs that differ, DELETEs graphs the store no longer
has, and writes the bookkeeping graph LAST: a push cut short is redone by the next one. A graph
changed on the server by other means is not noticed (``force=True`` sends everything).
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from policekg.graph.remote import GRAPH_TYPES, RemoteError, request
from policekg.graph.store import DIGEST, DIGESTS, GraphStore, ntriples_digest, open_store

# Stands for the default graph in the bookkeeping graph (a graph name it cannot clash with).
DEFAULT_GRAPH = URIRef("https://w3id.org/policekg/store/default-graph")


@dataclass
class PushSummary:
    """What a push did (or, for a dry run, would do).

    Attributes:
        graph_store: the Graph Store Protocol URL.
        put: graph IRIs replaced (``DEFAULT_GRAPH`` for the default graph), in the order sent.
        updated: ``[DEFAULT_GRAPH]`` when the default graph was brought up to date on the server
            with a SPARQL update instead of being sent.
        deleted: graph IRIs removed from the server.
        unchanged: graph IRIs the server already held.
        triples: triples sent.
        seconds: wall time.
        dry_run: nothing was sent.
    """

    graph_store: str
    put: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    dry_run: bool = False


def graph_store_url(endpoint: str | None, graph_store: str | None) -> str:
    """The Graph Store Protocol URL: ``graph_store`` if given; else derived from an Oxigraph-style
    query endpoint (``.../query`` -> ``.../store``).

    >>> graph_store_url("http://localhost:7878/query", None)
    'http://localhost:7878/store'
    >>> graph_store_url(None, "http://localhost:3030/kg/data")
    'http://localhost:3030/kg/data'

    Raises:
        RemoteError: neither is given, or the store URL cannot be derived.
    """
    if graph_store:
        return graph_store
    if endpoint and endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("/query")] + "/store"
    if endpoint:
        raise RemoteError(f"cannot tell the Graph Store Protocol URL from {endpoint}; pass --graph-store URL "
                          "(Fuseki: http://HOST:3030/DATASET/data; Oxigraph: http://HOST:7878/store)")
    raise RemoteError("pass --endpoint URL (the server's SPARQL query URL) or --graph-store URL")


def update_url(endpoint: str | None, update: str | None) -> str | None:
    """The SPARQL update URL: ``update`` if given, else derived from an Oxigraph- or Fuseki-style query
    endpoint (``.../query`` -> ``.../update``), else None (the default graph is then sent whole).

    >>> update_url("http://localhost:7878/query", None)
    'http://localhost:7878/update'
    >>> update_url("http://localhost:7878/sparql", None) is None
    True
    """
    if update:
        return update
    if endpoint and endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("/query")] + "/update"
    return None


def default_graph_update(changed: list[str]) -> str:
    """A SPARQL update that makes the server's default graph the deduplicated union of its named graphs
    again, after the graphs ``changed`` were replaced or deleted: drop the triples no graph holds any
    more, copy in those of the replaced graphs. Done on the server: no need to send the whole union."""
    values = " ".join(f"<{g}>" for g in changed)
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
            f"FILTER(?h != <{DIGESTS}>) }} }} ;\n"
            f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def _graph_url(store_url: str, name: str) -> str:
    sep = "&" if "?" in store_url else "?"
    if name == str(DEFAULT_GRAPH):
        return f"{store_url}{sep}default"
    return f"{store_url}{sep}graph={urllib.parse.quote(name, safe='')}"


def _ntriples(gs: GraphStore, graph) -> str:
    quads = gs.inner.quads_for_pattern(None, None, None, graph)
    return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES).decode()


def local_graphs(gs: GraphStore) -> dict[str, tuple[str, callable]]:
    """Graph IRI -> (digest, a function giving its N-Triples), the default graph included (its digest is
    that of the named graphs' digests)."""
    out = {}
    for name in gs.graph_names():
        iri = ox.NamedNode(str(name))
        body = None
        digest = gs.digest(name)
        if digest is None:  # a store written before digests were kept
            body = _ntriples(gs, iri)
            digest = ntriples_digest(body)
        out[str(name)] = (digest, (lambda b=body, g=iri: b if b is not None else _ntriples(gs, g)))
    # The default graph is the union of the named graphs, so their digests fingerprint it: no need
    # to serialise the whole union (0.7 million triples at 100 reports) to see that nothing changed.
    union = hashlib.sha256("".join(f"{n} {d}\n" for n, (d, _) in sorted(out.items())).encode()).hexdigest()
    out[str(DEFAULT_GRAPH)] = (union, lambda: _ntriples(gs, ox.DefaultGraph()))
    return out


def remote_digests(store_url: str) -> dict[str, str]:
    """The digests recorded on the server by the last push (empty if none).

    Raises:
        RemoteError: the server cannot be reached or refused the read.
    """
    resp = request("GET", _graph_url(store_url, str(DIGESTS)), headers={"Accept": GRAPH_TYPES}, ok=(404,))
    if resp.status == 404 or not resp.body.strip():
        return {}
    fmt = ox.RdfFormat.TURTLE if resp.content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
    try:
        triples = list(ox.parse(resp.body, format=fmt))
    except SyntaxError as exc:
        raise RemoteError(f"the bookkeeping graph on the server does not parse: {exc}") from None
    return {t.subject.value: t.object.value for t in triples if t.predicate.value == str(DIGEST)}


def _bookkeeping(digests: dict[str, str]) -> bytes:
    lines = [f'<{name}> <{DIGEST}> "{digest}" .' for name, digest in sorted(digests.items())]
    return ("\n".join(lines) + "\n").encode()


def push(store: str | os.PathLike | None, *, endpoint: str | None = None, graph_store: str | None = None,
         update: str | None = None, dry_run: bool = False, force: bool = False,
         timeout: float | None = 300.0) -> PushSummary:
    """Make the server's graphs equal to the store's, sending only the graphs that changed.

    Args:
        store: the local store directory (None: the default store).
        endpoint: the server's SPARQL query URL (the graph store URL is derived from it when it
            ends in ``/query``, as Oxigraph's does).
        graph_store: the server's Graph Store Protocol URL.
        update: the server's SPARQL update URL (derived from ``endpoint`` when it ends in
            ``/query``): with one, the default graph is updated on the server from the named graphs
            that changed; without, it is sent whole with a PUT.
        dry_run: only say what would be sent.
        force: send every graph, whatever the server's digests say.
        timeout: seconds per request.

    Returns:
        What was (or would be) sent.

    Raises:
        RemoteError: the server cannot be reached or refused a request (graphs PUT before the
            failure stay replaced; the next push sends the rest).
        StoreError: the local store cannot be opened.
    """
    start = time.perf_counter()
    url = graph_store_url(endpoint, graph_store)
    patch_url = update_url(endpoint, update)
    summary = PushSummary(url, dry_run=dry_run)
    with open_store(store) as gs:
        local = local_graphs(gs)
        remote = remote_digests(url)
        # Report and ontology graphs first, the default graph after them, bookkeeping last.
        names = sorted(n for n in local if n != str(DEFAULT_GRAPH)) + [str(DEFAULT_GRAPH)]
        for name in names:
            digest, body = local[name]
            if not force and remote.get(name) == digest:
                summary.unchanged.append(name)
                continue
            if name == str(DEFAULT_GRAPH) and patch_url:
                break  # brought up to date below, once the deletions are done
            summary.put.append(name)
            if dry_run:
                continue
            text = body()
            summary.triples += text.count("\n")
            request("PUT", _graph_url(url, name), body=text.encode(), timeout=timeout,
                    headers={"Content-Type": GRAPH_TYPES})
    for name in sorted(set(remote) - set(local)):
        summary.deleted.append(name)
        if not dry_run:
            request("DELETE", _graph_url(url, name), timeout=timeout, ok=(404,))
    if patch_url and str(DEFAULT_GRAPH) not in summary.unchanged:
        summary.updated.append(str(DEFAULT_GRAPH))
        if not dry_run:
            request("POST", patch_url, timeout=timeout, headers={"Content-Type": "application/sparql-update"},
                    body=default_graph_update(summary.put + summary.deleted).encode())
    if not dry_run and (summary.put or summary.deleted or summary.updated):
        request("PUT", _graph_url(url, str(DIGESTS)), timeout=timeout, headers={"Content-Type": GRAPH_TYPES},
                body=_bookkeeping({n: d for n, (d, _) in local.items()}))
    summary.seconds = time.perf_counter() - start
    return summary
