"""Shared fixtures: the bundled corpus is built once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """A store holding the graph of the bundled reports; returns its directory (read it, don't write)."""
    from policekg import api

    where = tmp_path_factory.mktemp("store") / "kg"
    api.build(store=where)
    return where
