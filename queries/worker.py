"""The query process behind ``policekg.queries.limits.run_limited``: ``python -m policekg.queries.worker FD``.

It reads ``(store, query text, memory_mb)`` (pickled) from stdin, opens the store read-only, caps its
own address space, runs the query and sends the answer to the pipe ``FD`` as messages:
``("select"|"construct", names)`` then ``("rows", [row, ...])``... then ``("end",)``; or ``("ask", bool)``;
or ``("error", message)``. Terms travel as plain tuples; only pyoxigraph is imported, so it starts fast.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from multiprocessing.connection import Connection

import pyoxigraph as ox

from policekg.queries.order import select_sorted

BATCH = 500  # rows per message
BATCH_SECONDS = 0.05  # or fewer rows, once this long has passed: output keeps flowing


def _encode(t) -> tuple | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("u", t.value)
    if isinstance(t, ox.BlankNode):
        return ("b", t.value)
    if isinstance(t, ox.Literal):
        return ("l", t.value, t.datatype.value, t.language)
    return ("l", str(t), None, None)  # an RDF-star triple term: shown as its text


def _cap_memory(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    import resource

    with open("/proc/self/statm") as f:
        current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _error(text: str, exc: Exception) -> str:
    from policekg.queries.run import query_error  # only on the error path: it imports rdflib

    return str(query_error(text, exc))


def _child(conn: Connection, store: str, text: str, memory_mb: int | None) -> None:
    try:
        db = ox.Store.read_only(store)
        _cap_memory(memory_mb)
        ordered = select_sorted(db, text)  # a final ORDER BY of variables, done here (queries/order.py)
        result = db.query(text) if ordered is None else None
    except MemoryError:
        raise  # past the memory cap while sorting: the parent reports it as the engine's own crash
    except Exception as exc:  # a syntax error, an update, a store that will not open
        conn.send(("error", _error(text, exc)))
        return
    if isinstance(result, ox.QueryBoolean):
        conn.send(("ask", bool(result)))
        return
    if ordered is not None:
        names, result = ordered
        conn.send(("select", names))

        def encode(solution):
            return tuple(map(_encode, solution))
    elif isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        conn.send(("select", names))

        def encode(solution):
            return tuple(_encode(solution[i]) for i in range(len(names)))
    else:
        conn.send(("construct", ["subject", "predicate", "object"]))

        def encode(triple):
            return (_encode(triple.subject), _encode(triple.predicate), _encode(triple.object))
    batch, sent = [], time.monotonic()
    try:
        for item in result:
            batch.append(encode(item))
            if len(batch) >= BATCH or time.monotonic() - sent > BATCH_SECONDS:
                conn.send(("rows", batch))
                batch, sent = [], time.monotonic()
    except Exception as exc:
        conn.send(("rows", batch))
        conn.send(("error", _error(text, exc)))
        return
    conn.send(("rows", batch))
    conn.send(("end",))


def main() -> None:
    """The child: read ``(store, text, memory_mb)`` from stdin, stream messages to the fd in argv."""
    conn = Connection(int(sys.argv[1]), readable=False)
    store, text, memory_mb = pickle.loads(sys.stdin.buffer.read())
    try:
        _child(conn, store, text, memory_mb)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped listening (row cap reached, or closed early)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
