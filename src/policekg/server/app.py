"""The read-only SPARQL 1.1 Protocol endpoint behind ``policekg serve`` (a Starlette app).

Every query runs through ``policekg.queries.limits.run_limited``, the code path of ``policekg query``:
in its own process, on the store opened read-only, with the same time limit, row cap and memory cap,
and ``SERVICE`` refused. Updates are refused before anything runs (and the query process could not
write anyway). Routes:

* ``GET|POST /sparql``: the SPARQL 1.1 Protocol (``query=`` in the URL or a form, or an
  ``application/sparql-query`` body); the answer format by ``Accept`` (``formats.negotiate``);
* ``GET /queries``: the named queries and their parameters, as JSON;
* ``GET /queries/NAME?param=value``: a named query, parameters bound as by ``policekg query NAME -p``;
* ``GET /``: the query page (``page.html``, ``page.js``, ``page.css``, all served from here).

An answer that fails before its first ``BUFFER_ROWS`` rows (a syntax error, a timeout, the row cap on
a small cap) gets an error status and a one-line text body; a larger answer is streamed, and a failure
later cuts it short (a JSON answer is then left unclosed, so it cannot pass for a whole one) and is
logged.
"""

from __future__ import annotations

import itertools
import logging
import time
import urllib.parse
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from policekg.errors import PoliceKGError, QueryError, UnknownEntity
from policekg.queries import library, run
from policekg.queries.limits import QueryLimits, QueryTimeout, TooManyRows, run_limited, uses_service
from policekg.server.formats import ask_body, graph_chunks, media_type, negotiate, select_chunks

log = logging.getLogger("policekg.serve")
BUFFER_ROWS = 1000
STATIC = {"page.js": "text/javascript", "page.css": "text/css"}
# The page may load only what this server serves: a stray CDN link would be blocked, not fetched.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'"


class Refused(QueryError):
    """A request the endpoint will not run (an update, an unsupported protocol feature)."""

    status = 403


def _status(exc: Exception) -> int:
    if isinstance(exc, Refused):
        return exc.status
    if isinstance(exc, QueryTimeout):
        return 503
    if isinstance(exc, UnknownEntity):
        return 404
    return 400


def _error(exc: Exception) -> PlainTextResponse:
    return PlainTextResponse(" ".join(str(exc).split()) + "\n", status_code=_status(exc))  # one line


async def _query_text(request: Request) -> str:
    """The query of a protocol request, refusing updates and what this endpoint does not do."""
    params = dict(request.query_params)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if ctype == "application/sparql-update":
            raise Refused("this endpoint is read-only: SPARQL updates are refused")
        if ctype == "application/sparql-query":
            params["query"] = body
        elif ctype == "application/x-www-form-urlencoded":
            params.update({k: v[-1] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()})
        else:
            raise Refused(f"POST a query as application/sparql-query or a form, not {ctype or 'no type'}")
    if "update" in params:
        raise Refused("this endpoint is read-only: SPARQL updates are refused")
    if any(k in params for k in ("default-graph-uri", "named-graph-uri")):
        raise QueryError("default-graph-uri and named-graph-uri are not supported; use FROM / GRAPH in the query")
    text = params.get("query")
    if not text:
        raise QueryError("no query: pass query=... (GET or a form) or POST application/sparql-query")
    if run.is_update(text):
        raise Refused("this endpoint is read-only: SPARQL updates are refused")
    return text


def _answer(request: Request, text: str) -> Response:
    limits: QueryLimits = request.app.state.limits
    if uses_service(text):
        raise Refused("SERVICE is refused: this endpoint does not send queries to other servers")
    answer = run_limited(request.app.state.store, text, limits)
    try:
        fmt = negotiate(request.headers.get("accept"), answer.type)
        if answer.type == "ASK":
            return Response(ask_body(fmt, answer.boolean), media_type=media_type(fmt))
        head = list(itertools.islice(answer.rows, BUFFER_ROWS))  # errors here get a status
    except BaseException:
        answer.close()
        raise
    rows = _logged(itertools.chain(head, answer.rows), answer, request)
    chunks = graph_chunks(rows) if answer.type == "CONSTRUCT" else select_chunks(fmt, answer.vars, rows)
    return StreamingResponse(chunks, media_type=media_type(fmt))


def _logged(rows, answer, request: Request):
    try:
        yield from rows
    except (QueryError, TooManyRows) as exc:
        log.warning("%s %s: answer cut short: %s", request.method, request.url.path, exc)
    finally:
        answer.close()


async def sparql(request: Request) -> Response:
    try:
        text = await _query_text(request)
        return await _in_thread(_answer, request, text)
    except PoliceKGError as exc:
        return _error(exc)


async def _in_thread(fn, *args):
    # run_limited blocks (it waits on the query process): keep the event loop free for other requests.
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def _describe(q: library.NamedQuery) -> dict:
    return {"name": q.name, "summary": q.summary, "example": q.example,
            "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                       for p in q.params]}


async def queries(request: Request) -> Response:
    return JSONResponse([_describe(q) for q in library.all_queries()])


def _bound(store: Path, name: str, values: dict[str, str]) -> str:
    from policekg.reader import Reader

    with Reader(store) as kg:
        return kg.bind(library.load(name), values)


async def named_query(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in {q.name for q in library.all_queries()}:
        return PlainTextResponse(f"no named query {name!r}; GET /queries lists them\n", status_code=404)
    try:
        text = await _in_thread(_bound, request.app.state.store, name, dict(request.query_params))
        return await _in_thread(_answer, request, text)
    except PoliceKGError as exc:
        return _error(exc)


def _resource(name: str) -> str:
    return files("policekg.server").joinpath(name).read_text(encoding="utf-8")


async def page(request: Request) -> Response:
    return Response(_resource("page.html"), media_type="text/html",
                    headers={"Content-Security-Policy": PAGE_POLICY})


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return PlainTextResponse("not found\n", status_code=404)
    return Response(_resource(name), media_type=STATIC[name])


class RequestLog:
    """ASGI middleware: one log line per request (client, method, path, status, milliseconds)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), [0]

        async def send_logged(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            client = scope.get("client") or ("-", 0)
            path = scope["path"] + (f"?{scope['query_string'].decode()[:200]}" if scope.get("query_string") else "")
            log.info("%s %s %s %d %.0f ms", client[0], scope["method"], path, status[0],
                     (time.perf_counter() - start) * 1000)


def create_app(store: str | Path, limits: QueryLimits | None = None) -> Starlette:
    """The endpoint app over a store directory (checked now, opened read-only per query).

    Args:
        store: the store directory.
        limits: per-query limits (default: ``policekg query``'s); ``allow_service`` is ignored.

    Raises:
        StoreError: the directory is not a store.
    """
    from policekg.graph.store import open_store

    with open_store(store) as gs:  # fail now, with the one-line message, not on the first query
        location = gs.location
    routes = [
        Route("/", page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries),
        Route("/queries/{name}", named_query),
        Route("/static/{name}", static),
    ]
    app = Starlette(routes=routes)
    app.state.store = location
    base = limits or QueryLimits()
    app.state.limits = QueryLimits(timeout=base.timeout, max_rows=base.max_rows, memory_mb=base.memory_mb,
                                   allow_service=False)
    app.add_middleware(RequestLog)
    return app
