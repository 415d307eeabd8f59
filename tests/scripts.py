"""The benchmark scripts as modules, for tests that use their generators (benchmarks/ is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def benchmark_script(name: str):
    """``benchmarks/<name>.py`` as a module, loaded once: its dataclasses look their module up in
    ``sys.modules``, and it imports its siblings from its own folder."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
