"""Shared fixtures (the bundled corpus is built once per test session) and the browser-test gate.

Browser tests (marker ``browser``) drive headless Chromium through Playwright. On a machine without
Chromium or Playwright they are skipped with a one-line reason, so the README's plain
``python -m pytest`` ends green on a laptop; CI exports ``POLICEKG_REQUIRE_BROWSER=1`` (see
``.ci/run``), which turns the missing browser into a failure instead. ``POLICEKG_CHROMIUM`` names
another Chromium executable (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REQUIRE_BROWSER = "POLICEKG_REQUIRE_BROWSER"


def chromium_path() -> Path:
    """The Chromium executable the browser tests launch."""
    return Path(os.environ.get("POLICEKG_CHROMIUM", "/usr/bin/chromium"))


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not chromium_path().is_file():
        return f"{chromium_path()} is missing (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = browser_missing()
    if reason is None or os.environ.get(REQUIRE_BROWSER) == "1":
        return  # with the variable set, the browser fixture fails and says why
    skip = pytest.mark.skip(reason=f"browser tests need Chromium: {reason}; {REQUIRE_BROWSER}=1 makes this an error")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store holding the graph of the bundled reports; returns its directory (read it, don't write)."""
    from policekg import api

    where = tmp_path_factory.mktemp("store") / "kg"
    api.build(store=where)
    return where


@pytest.fixture(scope="session")
def national_store(tmp_path_factory):
    """A store of nine invented reports: three forces, each with two Baselines and a PEEL report;
    returns its directory (read it, don't write)."""
    from scripts import benchmark_script  # tests/ is on sys.path

    from policekg import api

    corpus = benchmark_script("corpus")
    where = tmp_path_factory.mktemp("national")
    paths = corpus.write_corpus(where / "reports", 9, seed=3, length=0.5, layouts=corpus.BASELINES_AND_PEEL_2019)
    api.build(paths, store=where / "kg", jobs=1)
    return where / "kg"


@pytest.fixture()
def turtle_dataset():
    """A function that loads a Turtle text into an in-memory store as one report graph and returns the
    store's dataset (closed when the test ends): for queries over a small invented graph."""
    from rdflib import Graph, URIRef

    from policekg.graph.store import open_store

    stores = []

    def load(turtle: str, graph: str = "https://w3id.org/policekg/id/force/wessex-constabulary/report"):
        store = open_store(":memory:")
        stores.append(store)
        store.replace_graph(URIRef(graph), Graph().parse(data=turtle, format="turtle"))
        return store.dataset

    yield load
    for store in stores:
        store.close()
