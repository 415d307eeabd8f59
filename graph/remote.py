"""Read a graph that lives on a SPARQL server: HTTP, credentials, and remote queries.

``policekg query --endpoint URL`` (and ``trace``, ``show``, ``stats``) read a remote SPARQL 1.1
Protocol endpoint instead of the local store. Two views of the endpoint, so the read commands keep
one code path each:

* ``remote_answer`` runs a user's query and gives the same streaming ``Answer`` that
  ``policekg.queries.limits.run_limited`` gives for the local store (same term tuples, same row cap,
  same SERVICE refusal; the time limit becomes the HTTP timeout), so the output is written by the
  same code;
* ``RemoteDataset`` has the one method the library queries use on a store's dataset, ``query(text)``,
  returning an rdflib ``Result``, so ``trace``, ``show`` and parameter binding run unchanged.

Credentials come from the environment only, never the command line (where ``ps`` and shell history
would show them): ``POLICEKG_AUTH_TOKEN`` (a bearer token) or ``POLICEKG_AUTH_USER`` and
``POLICEKG_AUTH_PASSWORD`` (basic auth). Plain ``urllib``: no HTTP dependency to install.
"""

from __future__ import annotations

import base64
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result

from policekg.errors import PoliceKGError, QueryError
from policekg.queries.limits import Answer, QueryLimits, QueryTimeout, TooManyRows, uses_service

TOKEN_VAR = "POLICEKG_AUTH_TOKEN"
USER_VAR = "POLICEKG_AUTH_USER"
PASSWORD_VAR = "POLICEKG_AUTH_PASSWORD"
SELECT_TYPES = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples"
ACCEPT = f"{SELECT_TYPES}, {GRAPH_TYPES};q=0.9, text/turtle;q=0.8"


class RemoteError(PoliceKGError):
    """The remote server could not be reached, refused the request or answered with an error."""


def auth_headers(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The ``Authorization`` header from the environment: a bearer token, else basic auth, else none.

    >>> auth_headers({"POLICEKG_AUTH_TOKEN": "t0k"})
    {'Authorization': 'Bearer t0k'}
    >>> auth_headers({"POLICEKG_AUTH_USER": "ann", "POLICEKG_AUTH_PASSWORD": "pw"})
    {'Authorization': 'Basic YW5uOnB3'}
    >>> auth_headers({})
    {}

    Raises:
        RemoteError: a user without a password (or a password without a user).
    """
    env = os.environ if environ is None else environ
    if env.get(TOKEN_VAR):
        return {"Authorization": f"Bearer {env[TOKEN_VAR]}"}
    user, password = env.get(USER_VAR), env.get(PASSWORD_VAR)
    if bool(user) != bool(password):
        raise RemoteError(f"set both {USER_VAR} and {PASSWORD_VAR} for basic auth (or {TOKEN_VAR})")
    if user:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
    return {}


def check_url(url: str) -> str:
    """An endpoint URL, checked to be http(s) with a host.

    Raises:
        RemoteError: anything else (a path, a typo'd scheme).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"not an http(s) URL: {url!r}; give the server's SPARQL endpoint, e.g. "
                          "http://localhost:7878/query")
    return url


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]


def request(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float | None = 60.0, ok: tuple[int, ...] = ()) -> Response:
    """One HTTP request with the environment's credentials.

    Args:
        method: GET, POST, PUT, DELETE, HEAD.
        url: where.
        body: the request body.
        headers: more headers.
        timeout: seconds (None: wait for ever).
        ok: error statuses that are answers rather than failures (e.g. 404 for a graph not there).

    Raises:
        RemoteError: the server cannot be reached, or answers with an error status not in ``ok``.
        QueryTimeout: no answer within ``timeout``.
    """
    req = urllib.request.Request(check_url(url), data=body, method=method,
                                 headers={**auth_headers(), **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) checked above)
            return Response(resp.status, resp.headers.get_content_type(), resp.read(), dict(resp.headers))
    except urllib.error.HTTPError as exc:
        body_text = exc.read()
        if exc.code in ok:
            return Response(exc.code, exc.headers.get_content_type(), body_text, dict(exc.headers))
        detail = " ".join(body_text.decode(errors="replace").split())[:200]
        raise RemoteError(f"{method} {url}: the server answered {exc.code} {exc.reason}"
                          + (f": {detail}" if detail else "")) from None
    except TimeoutError:
        raise QueryTimeout(f"{url} did not answer within {timeout:g} s; pass --timeout SECONDS "
                           "(0: no limit)") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryTimeout(f"{url} did not answer within {timeout:g} s; pass --timeout SECONDS "
                               "(0: no limit)") from None
        raise RemoteError(f"cannot reach {url}: {exc.reason}; is the server running?") from None
    except OSError as exc:
        raise RemoteError(f"cannot reach {url}: {exc}; is the server running?") from None


def sparql_query(endpoint: str, text: str, timeout: float | None = 60.0) -> Response:
    """POST a query to a SPARQL 1.1 Protocol endpoint (``application/sparql-query``), asking for
    SPARQL JSON results or N-Triples.

    Raises:
        RemoteError: the server refused the query (the message carries its reason).
    """
    return request("POST", endpoint, body=text.encode(), timeout=timeout,
                   headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT})


# --- terms ------------------------------------------------------------------------------------------


def json_term(t: dict | None) -> tuple | None:
    """A SPARQL JSON results term as the light tuple ``policekg.queries.output`` writes.

    >>> json_term({"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
    ('l', '3', 'http://www.w3.org/2001/XMLSchema#integer', None)
    >>> json_term({"type": "literal", "value": "x"})
    ('l', 'x', 'http://www.w3.org/2001/XMLSchema#string', None)
    """
    if t is None:
        return None
    if t["type"] == "uri":
        return ("u", t["value"])
    if t["type"] == "bnode":
        return ("b", t["value"])
    lang = t.get("xml:lang")
    if lang:
        return ("l", t["value"], "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", lang)
    return ("l", t["value"], t.get("datatype", "http://www.w3.org/2001/XMLSchema#string"), None)


def _ox_term(t) -> tuple:
    if isinstance(t, ox.NamedNode):
        return ("u", t.value)
    if isinstance(t, ox.BlankNode):
        return ("b", t.value)
    return ("l", t.value, t.datatype.value, t.language)


def _graph_rows(resp: Response) -> list[tuple]:
    fmt = ox.RdfFormat.TURTLE if resp.content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
    try:
        return [(_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object))
                for t in ox.parse(resp.body, format=fmt)]
    except SyntaxError as exc:
        raise RemoteError(f"the server sent a graph that does not parse: {exc}") from None


def _capped(rows: list[tuple], limits: QueryLimits) -> Iterator[tuple]:
    for count, row in enumerate(rows, 1):
        if limits.max_rows and count > limits.max_rows:
            raise TooManyRows(f"the answer has more than {limits.max_rows} rows; add a LIMIT "
                              "to the query or pass a larger --limit (0: no cap)")
        yield row


def remote_answer(endpoint: str, text: str, limits: QueryLimits | None = None) -> Answer:
    """Run a query on a remote endpoint; the answer has the shape ``run_limited`` gives locally.

    Raises:
        QueryError: the query uses SERVICE (and that is not allowed), or the server refused it.
        QueryTimeout: no answer within the time limit.
        RemoteError: the server cannot be reached or sent something that is not an answer.
    """
    limits = limits or QueryLimits()
    if not limits.allow_service and uses_service(text):
        raise QueryError("the query uses SERVICE, which sends it to another server; "
                         "pass --allow-service if you mean it")
    from policekg.queries.run import is_update

    if is_update(text):
        raise QueryError("updates (INSERT, DELETE, DROP, CLEAR, LOAD, ...) are not allowed: "
                         "`policekg query` only reads the graph")
    resp = sparql_query(endpoint, text, timeout=limits.timeout)
    if resp.content_type in (GRAPH_TYPES, "text/turtle"):
        return Answer("CONSTRUCT", text, vars=["subject", "predicate", "object"],
                      rows=_capped(_graph_rows(resp), limits))
    try:
        doc = json.loads(resp.body)
    except ValueError:
        raise RemoteError(f"{endpoint} answered {resp.content_type}, not SPARQL JSON results") from None
    if "boolean" in doc:
        return Answer("ASK", text, boolean=bool(doc["boolean"]))
    names = doc.get("head", {}).get("vars", [])
    rows = [tuple(json_term(b.get(n)) for n in names) for b in doc.get("results", {}).get("bindings", [])]
    return Answer("SELECT", text, vars=names, rows=_capped(rows, limits))


class RemoteDataset:
    """What the library's query helpers use of a store's dataset (``query``), over an endpoint.

    ``policekg.queries.run.run(RemoteDataset(url), text)`` answers as it does on the local store.
    """

    def __init__(self, endpoint: str, timeout: float | None = 60.0):
        self.endpoint = check_url(endpoint)
        self.timeout = timeout

    def query(self, text: str) -> Result:
        """Run a query remotely; an rdflib ``Result`` (SELECT, ASK or CONSTRUCT).

        Raises:
            RemoteError: the server cannot be reached or refused the query.
        """
        resp = sparql_query(self.endpoint, text, timeout=self.timeout)
        if resp.content_type in (GRAPH_TYPES, "text/turtle"):
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=resp.body.decode(),
                                         format="nt" if resp.content_type == GRAPH_TYPES else "turtle")
            return result
        return Result.parse(io.BytesIO(resp.body), format="json")



class RemoteGraphs:
    """The read side of a ``GraphStore`` (``dataset``, ``location``, ``graph_names``, ``count``) over an
    endpoint that ``policekg push`` published a store to; the push bookkeeping graph is left out, as
    the local store leaves out its own."""

    def __init__(self, endpoint: str, timeout: float | None = 60.0):
        self.dataset = RemoteDataset(endpoint, timeout)
        self.location = endpoint
        self._counts: dict[str, int] | None = None

    def graph_names(self) -> list[URIRef]:
        """The named graphs on the server (reports and ontology), sorted."""
        return sorted(URIRef(g) for g in self._graph_counts())

    def count(self, name: URIRef | None = None) -> int:
        """Triples in one named graph, or in all of them."""
        counts = self._graph_counts()
        return sum(counts.values()) if name is None else counts.get(str(name), 0)

    def _graph_counts(self) -> dict[str, int]:
        if self._counts is None:  # one query for all the counts a command asks for
            from policekg.graph.store import DIGESTS

            result = self.dataset.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                        f"FILTER(?g != <{DIGESTS}>) }} GROUP BY ?g")
            self._counts = {str(g): int(n) for g, n in result}
        return self._counts

    def quads(self):
        raise RemoteError("this command reads the local store only; drop --endpoint")

    def close(self) -> None:
        """Nothing to release (each query is its own HTTP request)."""
