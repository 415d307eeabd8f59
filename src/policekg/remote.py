"""The read side over a remote SPARQL endpoint: ``RemoteReader`` is ``policekg.reader.Reader`` with the
store swapped for a server that ``policekg push`` published it to.

``stats``, ``entities``, ``reports``, query parameters, ``trace`` and ``card`` run the same named
queries, through ``policekg.graph.remote.RemoteDataset``, so the read commands print the same with
``--endpoint URL`` as they do on the local store. Export, validation and the network need the whole
graph and read the local store only.
"""

from __future__ import annotations

from pathlib import Path

from policekg.graph.remote import RemoteError, RemoteGraphs
from policekg.reader import Reader


class RemoteReader(Reader):
    """A ``Reader`` over a SPARQL endpoint. Use as a context manager, or call ``close()``.

    Raises:
        RemoteError: (on opening) the URL is not http(s); (on reading) the server cannot be reached
            or refuses a query.
    """

    def __init__(self, endpoint: str, timeout: float | None = 60.0):  # no store to open: a server to ask
        self._gs = RemoteGraphs(endpoint, timeout)

    def dataset_copy(self):
        raise RemoteError("this command reads the local store only; drop --endpoint")


def open_reader(store: str | Path | None = None, endpoint: str | None = None,
                timeout: float | None = 60.0) -> Reader:
    """A ``RemoteReader`` over ``endpoint`` if given, else a ``Reader`` over the local store (read-only).

    Raises:
        StoreError: no endpoint, and the store cannot be opened.
        RemoteError: the endpoint URL is not http(s).
    """
    if endpoint:
        return RemoteReader(endpoint, timeout)
    return Reader(store)
