"""The store directory: immutable generations of an Oxigraph database, and a pointer to the current one.

A store directory holds::

    HEAD          the name of the current generation (one line), replaced atomically
    g000007/      the current generation: an Oxigraph (RocksDB) database, never written again
    g000006/      the previous one, kept so a reader that opened it just before a build still reads
    write.lock    held (``flock``) by the one build writing

A build copies the current generation as a RocksDB checkpoint (hard links: milliseconds, no extra
disk), writes into the copy in bulk, settles it, and then replaces ``HEAD`` with ``os.replace``: the
one atomic step. So a build killed at any moment leaves ``HEAD`` naming either the old generation or
the new, fully written one; readers only ever open a settled generation, never one being written
(pyoxigraph leaves reading a database that another process writes undefined); and a build's memory
does not grow with what it writes, since nothing has to be held back until a single commit.

A killed build leaves a half-written generation behind; the next build deletes it.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

from policekg.errors import StoreError

HEAD = "HEAD"
LOCK = "write.lock"
_GENERATION = re.compile(r"g(\d{6})")
# RocksDB writes CURRENT first when it creates a database: a store written before generations.
ROCKSDB_MARKER = "CURRENT"


def is_store(where: Path) -> bool:
    """Whether a directory is a policekg store (it has a ``HEAD`` naming a generation)."""
    return (where / HEAD).is_file()


def is_old_layout(where: Path) -> bool:
    """Whether a directory is an Oxigraph database written directly (policekg before generations)."""
    return (where / ROCKSDB_MARKER).is_file() and not is_store(where)


def current(where: Path) -> Path:
    """The directory of the current generation.

    Raises:
        StoreError: ``HEAD`` is missing or names no generation.
    """
    try:
        name = (where / HEAD).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read {where / HEAD} ({exc.__class__.__name__}); "
                         f"is {where} a policekg store?") from None
    if not _GENERATION.fullmatch(name) or not (where / name).is_dir():
        raise StoreError(f"{where / HEAD} names no generation of the store ({name!r}); rebuild the store")
    return where / name


def generations(where: Path) -> list[Path]:
    """Every generation directory in the store, oldest first (finished or not)."""
    if not where.is_dir():
        return []
    found = [p for p in where.iterdir() if p.is_dir() and _GENERATION.fullmatch(p.name)]
    return sorted(found, key=lambda p: p.name)


class WriteLock:
    """The store's writer lock: one build at a time. Released when the process ends, even by kill -9."""

    def __init__(self, where: Path):
        self.where = where
        self.created = not where.exists()  # so a first build that fails leaves no directory behind
        where.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(where / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise StoreError(f"another `policekg build` is writing to {where}; wait for it to finish") from None

    def release(self) -> None:
        if self._fd is None:
            return
        if not is_store(self.where):  # nothing was ever published: leave no trace
            (self.where / LOCK).unlink(missing_ok=True)
            if self.created:
                try:
                    self.where.rmdir()
                except OSError:
                    pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def next_generation(where: Path) -> Path:
    """A new generation directory name, after every existing one (under the writer lock), after
    deleting generations that a killed build left unfinished (newer than the current one)."""
    head = current(where).name if is_store(where) else None
    for gen in generations(where):
        if head is not None and gen.name > head:
            shutil.rmtree(gen, ignore_errors=True)
    numbers = [int(_GENERATION.fullmatch(g.name).group(1)) for g in generations(where)]
    return where / f"g{max(numbers, default=0) + 1:06d}"


def publish(where: Path, generation: Path) -> None:
    """Make ``generation`` the current one (atomic), then delete all but it and the one before."""
    previous = current(where).name if is_store(where) else None
    _fsync_dir(generation)
    tmp = where / (HEAD + ".tmp")
    with open(tmp, "w", encoding="ascii") as f:
        f.write(generation.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, where / HEAD)
    _fsync_dir(where)
    for gen in generations(where):
        if gen.name not in (generation.name, previous):
            shutil.rmtree(gen, ignore_errors=True)


def discard(generation: Path) -> None:
    """Delete a generation that was never published."""
    shutil.rmtree(generation, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_generation_name(name: str) -> bool:
    """Whether a directory entry's name is that of a generation."""
    return bool(_GENERATION.fullmatch(name))
