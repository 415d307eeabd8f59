"""What settling the store after a write buys: build time, size on disk, and the time to open the
store read-only and count its triples, with no flush, with a flush, and with flush + compaction.

    python benchmarks/store.py [--opens 10]

Prints figures; never asserts on time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=10)
    args = parser.parse_args()

    import pyoxigraph as ox

    from policekg import api
    from policekg.graph import generations
    from policekg.graph import store as st

    settle = st.StagedStore.optimize
    modes = {
        "no flush": lambda self: None,
        "flush": lambda self: self.inner.flush(),
        "flush + compaction": lambda self: (self.inner.flush(), self.inner.optimize()),
        "as shipped": settle,
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, how in modes.items():
            st.StagedStore.optimize = how
            where = Path(tmp) / name.replace(" ", "-")
            start = time.perf_counter()
            api.build(store=where)
            built = time.perf_counter() - start
            generation = generations.current(where)
            size = sum(f.stat().st_size for f in generation.iterdir())
            start = time.perf_counter()
            for _ in range(args.opens):
                store = ox.Store.read_only(str(generation))
                next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
                del store
            opened = (time.perf_counter() - start) / args.opens
            print(f"{name:20} build {built:5.2f} s  size {size / 1e6:5.1f} MB  files {len(os.listdir(generation)):3}"
                  f"  read-only open + count {opened * 1000:7.1f} ms")
    st.StagedStore.optimize = settle


if __name__ == "__main__":
    main()
