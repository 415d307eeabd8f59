"""Run a user's SPARQL query under limits: a time limit, a row cap, a memory cap and no network.

Oxigraph evaluates a query in Rust: a Python timer cannot stop a query that yields no rows (a
``COUNT`` over a cartesian product), and a result set collected in memory can take the machine
down. So ``run_limited`` runs the query in a child process (``python -m policekg.queries.worker``)
that opens the store read-only, has its address space capped (``RLIMIT_AS``) and streams rows back
in batches; the parent stops it at the deadline or the row cap and kills it. A query that names a
remote endpoint (``SERVICE``) is refused before anything runs, unless allowed: Oxigraph would send
the query there.

``policekg query`` uses it, and a server can too::

    with run_limited(store, "SELECT * WHERE { ?s ?p ?o }", QueryLimits(timeout=5, max_rows=10)) as answer:
        for row in answer.rows:
            ...
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Identifier

from policekg.errors import QueryError


class QueryTimeout(QueryError):
    """The query ran longer than its time limit."""


class TooManyRows(QueryError):
    """The answer has more rows than the row cap."""


@dataclass(frozen=True)
class QueryLimits:
    """What a query may use. ``None`` (or 0) lifts a limit.

    Attributes:
        timeout: seconds from start to the last row.
        max_rows: rows (or triples) of the answer; one more is an error.
        memory_mb: address space the query process may add to what it starts with.
        allow_service: let ``SERVICE`` send (part of) the query to a remote endpoint.
    """

    timeout: float | None = 30.0
    max_rows: int | None = 100_000
    memory_mb: int | None = 2048
    allow_service: bool = False


@dataclass
class Answer:
    """A query's answer as it streams: ``type`` is ``SELECT``, ``ASK`` or ``CONSTRUCT``.

    ``rows`` yields one tuple per solution (``(s, p, o)`` for CONSTRUCT and DESCRIBE) of terms as
    light tuples, ``("u", iri)``, ``("b", id)`` or ``("l", value, datatype, language)``, or ``None``
    for unbound: cheap to write out (``policekg.queries.output``); ``terms()`` gives rdflib terms.
    ``boolean`` holds an ASK answer. Iterating may raise ``QueryTimeout``, ``TooManyRows`` or
    ``QueryError`` after some rows.
    """

    type: str
    sparql: str
    vars: list[str] = field(default_factory=list)
    boolean: bool | None = None
    rows: Iterator[tuple] = field(default_factory=lambda: iter(()))
    _close: object = None

    def terms(self) -> Iterator[tuple[Identifier | None, ...]]:
        """The rows as rdflib terms."""
        for row in self.rows:
            yield tuple(None if t is None else to_rdflib(t) for t in row)

    def close(self) -> None:
        """Stop the query process (idempotent)."""
        if callable(self._close):
            self._close()

    def __enter__(self) -> Answer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- SERVICE ----------------------------------------------------------------------------------------

# What can hide the word SERVICE without it being the keyword: strings, IRIs, comments, variables
# and prefixed names. Removed in one pass, left to right, so a '#' inside an IRI is not a comment.
_NOT_KEYWORDS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|[?$]\w+|[\w.-]*:[\w.:%-]*'
)
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


def uses_service(text: str) -> bool:
    """Whether a query text uses the ``SERVICE`` keyword (a federated query).

    >>> uses_service('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT ?service WHERE { ?service <http://x/#SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", text)))


# --- the parent -------------------------------------------------------------------------------------


def _generation(store: str | os.PathLike) -> Path:
    """The database directory a child opens: the store's current generation."""
    from policekg.graph import generations

    where = Path(store)
    return generations.current(where) if generations.is_store(where) else where


def run_limited(store: str | os.PathLike, text: str, limits: QueryLimits | None = None) -> Answer:
    """Start a query on a store directory under limits; the answer streams from a child process.

    Args:
        store: the store directory (its current generation is opened read-only by the child).
        text: the query, parameters already bound.
        limits: the limits (default: ``QueryLimits()``).

    Returns:
        The answer; close it (or use it as a context manager) to stop the query early.

    Raises:
        QueryError: the query uses SERVICE (and that is not allowed), is an update, has a syntax
            error, or fails; ``QueryTimeout`` if it yields nothing before the deadline.
    """
    limits = limits or QueryLimits()
    if not limits.allow_service and uses_service(text):
        raise QueryError("the query uses SERVICE, which sends it to another server; "
                         "policekg runs offline: pass --allow-service if you mean it")
    start = time.monotonic()
    deadline = start + limits.timeout if limits.timeout else None
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policekg.queries.worker", str(write_fd)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=(write_fd,),
    )
    os.close(write_fd)
    conn = Connection(read_fd, writable=False)

    def stop() -> None:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        conn.close()
        for stream in (proc.stdin, proc.stderr):
            if stream and not stream.closed:
                stream.close()

    try:
        proc.stdin.write(pickle.dumps((str(_generation(store)), text, limits.memory_mb)))
        proc.stdin.close()
        first = _receive(conn, proc, deadline, limits)
        if first[0] == "ask":
            stop()
            return Answer("ASK", text, boolean=first[1])
        kind, names = first
    except BaseException:
        stop()
        raise
    answer = Answer("SELECT" if kind == "select" else "CONSTRUCT", text, vars=names or [], _close=stop)
    answer.rows = _rows(conn, proc, deadline, limits, stop)
    return answer


def _rows(conn: Connection, proc, deadline: float | None, limits: QueryLimits, stop) -> Iterator[tuple]:
    count = 0
    try:
        while True:
            message = _receive(conn, proc, deadline, limits)
            if message[0] == "end":
                return
            for row in message[1]:
                count += 1
                if limits.max_rows and count > limits.max_rows:
                    raise TooManyRows(f"the answer has more than {limits.max_rows} rows; add a LIMIT "
                                      "to the query or pass a larger --limit (0: no cap)")
                yield row
    finally:
        stop()


def _receive(conn: Connection, proc, deadline: float | None, limits: QueryLimits) -> tuple:
    wait = None if deadline is None else max(0.0, deadline - time.monotonic())
    try:
        ready = conn.poll(wait)
    except OSError:
        ready = True  # the child is gone: recv() below says how
    if not ready:
        raise QueryTimeout(f"the query ran longer than {limits.timeout:g} s and was stopped; narrow it "
                           "(a LIMIT, more bound terms) or pass --timeout SECONDS (0: no limit)")
    try:
        message = conn.recv()
    except (EOFError, OSError):
        proc.wait()
        raise QueryError(_crash_message(proc, limits)) from None
    if message[0] == "error":
        raise QueryError(message[1])
    return message


def _crash_message(proc, limits: QueryLimits) -> str:
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if "memory allocation" in err or "MemoryError" in err or "Cannot allocate" in err:
        return (f"the query needed more than its {limits.memory_mb} MB of memory and was stopped; "
                "narrow it (a LIMIT, more bound terms)")
    last = err.strip().splitlines()[-1] if err.strip() else f"exit status {proc.returncode}"
    return f"the query process failed: {last}"


def to_rdflib(t: tuple) -> Identifier:
    """A term as the query process sends it, as an rdflib term."""
    kind, value, *rest = t
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    datatype, lang = rest
    if lang:
        return Literal(value, lang=lang)
    if datatype is None or datatype == str(XSD.string):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))
