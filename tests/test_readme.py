"""Every `policekg ...` example in the README runs (the sqlite-utils habit of testing its docs).

The commands come from the README's shell code blocks and from the example column of its command
table. They run in README order, through a shell (for globs such as ``data/reports/*.txt``), in a
scratch directory that holds links to the repository's ``examples/``, ``data/`` and ``tests/``,
so nothing they write can land in the repository: ``git status`` is the same afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
LINKED = ("examples", "data", "tests")
SHELLS = ("", "sh", "bash", "console", "shell")
# A command table row's last cell: | `policekg ...` | at the end of the row.
_TABLE_EXAMPLE = re.compile(r"\|\s*`(policekg [^`]+)`\s*\|\s*$")
# Examples that talk to a SPARQL server (serve runs until stopped; push and --endpoint need a server):
# tests/test_serve.py and tests/test_push.py run them against real servers they start themselves.
NEEDS_SERVER = re.compile(r"^policekg (?:serve|push)\b|--endpoint\b")


def readme_commands(text: str) -> list[str]:
    """The `policekg` commands of the README's shell blocks and command table, in README order;
    ``mkdir`` lines too, as the examples need them. Parts of a line joined by ``&&`` are split."""
    found, fence = [], None  # fence: the open block's language, None outside a block
    for line in text.splitlines():
        if line.startswith("```"):
            fence = line[3:].strip() if fence is None else None
            continue
        if fence is None:
            m = _TABLE_EXAMPLE.search(line)
            found += [m.group(1)] if m else []
            continue
        if fence not in SHELLS:
            continue
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith(("policekg ", "mkdir ")) or part == "policekg":
                found.append(part)
    return found


def test_server_examples_are_left_to_the_server_tests():
    server = [c for c in readme_commands(README.read_text(encoding="utf-8")) if NEEDS_SERVER.search(c)]
    assert any(c.startswith("policekg serve") for c in server) and any(c.startswith("policekg push") for c in server)
    tests = (ROOT / "tests" / "test_serve.py").read_text() + (ROOT / "tests" / "test_push.py").read_text()
    assert '"serve"' in tests and "push(" in tests and '"--endpoint"' in tests


def test_readme_commands_are_found():
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert "policekg build" in commands
    assert any(c.startswith("policekg trace") for c in commands)
    assert len([c for c in commands if c.startswith("policekg ")]) >= 25


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_every_readme_example_runs_in_a_scratch_directory_and_leaves_git_clean(tmp_path):
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICEKG_")}
    # `visualise --open` must not start a real browser: `true` stands in for one.
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", BROWSER="true", COLUMNS="100")
    before = _git_status()
    failures = []
    for command in readme_commands(README.read_text(encoding="utf-8")):
        if NEEDS_SERVER.search(command):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        if command.startswith("mkdir "):
            assert done.returncode == 0, done.stderr
            continue
        if done.returncode != 0 or not (done.stdout.strip() or done.stderr.strip()):
            failures.append(f"{command}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    assert not failures, "README examples that fail:\n" + "\n".join(failures)
    assert _git_status() == before
