"""Try every bad input and fault the integrity issue lists against a real store, and print a table:
what was tried, the exit code, the first line of the message, and whether the store stayed intact
(its N-Quads export byte-identical before and after).

    python benchmarks/faults.py

Prints a Markdown table; never asserts (tests/test_integrity.py does).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from policekg.graph.store import open_store

TESTS = Path(__file__).resolve().parent.parent / "tests" / "data"
PEEL = TESTS / "wessex-2019-peel.md"
BASELINE = TESTS / "wessex-2006-baseline.txt"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def policekg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policekg", *map(str, args)], capture_output=True, text=True)


def export(store: Path) -> str:
    return policekg("export", "--format", "nq", "--store", store).stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "kg"
        policekg("build", PEEL, BASELINE, "--store", store)
        a_file = tmp / "a-file.txt"
        a_file.write_text("x")
        folder = tmp / "documents"
        folder.mkdir()
        (folder / "notes.txt").write_text("keep")
        fifo = tmp / "pipe"
        os.mkfifo(fifo)
        big = tmp / "big.txt"
        with open(big, "wb") as f:
            f.truncate(60_000_000)
        reissued = tmp / "wessex-2019-peel.md"
        reissued.write_text(PEEL.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
        twin = tmp / "twin.md"
        twin.write_text(PEEL.read_text(encoding="utf-8") + "\nAnother.\n", encoding="utf-8")
        old = tmp / "old-store"
        ox.Store(str(old)).flush()  # a bare Oxigraph database, as policekg wrote before generations
        cases = [
            ("build /dev/zero", ["build", "/dev/zero"]),
            ("build a FIFO", ["build", fifo]),
            ("build a 60 MB file", ["build", big]),
            ("build a directory", ["build", tmp]),
            ("build a missing file", ["build", tmp / "nope.txt"]),
            ("build a different doc onto a stored IRI", ["build", reissued]),
            ("build two docs claiming one IRI", ["build", PEEL, twin]),
            ("build --store a non-store dir", ["build", PEEL, "--store", folder]),
            ("stats --store a non-store dir", ["stats", "--store", folder]),
            ("stats --store a file", ["stats", "--store", a_file]),
            ("export --out missing dir", ["export", "--out", tmp / "no" / "x.ttl"]),
            ("export --out under a file", ["export", "--out", a_file / "x.ttl"]),
            ("visualise --out missing dir", ["visualise", "--out", tmp / "no" / "g.html"]),
            ("query COUNT(cartesian) --timeout 2", ["query", "--sparql", CARTESIAN.replace("*", "(COUNT(*) AS ?n)", 1),
                                                    "--timeout", "2"]),
            ("query cartesian --limit 1000 --format csv", ["query", "--sparql", CARTESIAN, "--limit", "1000",
                                                           "--format", "csv"]),
            ("query SERVICE <http://127.0.0.1:9/>", ["query", "--sparql",
                                                      "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"]),
            ("query DROP ALL", ["query", "--sparql", "DROP ALL"]),
            ("remove an unknown report", ["remove", "nope"]),
            ("build while another build is writing", ["build", BASELINE]),
            ("stats --store an older policekg's store", ["stats", "--store", old]),
        ]
        print("| tried | exit | message | store intact |")
        print("|---|---|---|---|")
        for name, args in cases:
            before = export(store)
            if "--store" not in args:
                args = [*args, "--store", store]
            if name.startswith("build while another"):
                with open_store(store, write=True):  # holds the writer lock, writes nothing
                    result = policekg(*args)
            else:
                result = policekg(*args)
            message = (result.stderr.strip().splitlines() or [""])[-1].replace("|", "\\|")
            message = message.replace(str(tmp), "TMP")
            intact = export(store) == before and [p.name for p in folder.iterdir()] == ["notes.txt"]
            print(f"| {name} | {result.returncode} | {message[:110]} | {'yes' if intact else 'NO'} |")


if __name__ == "__main__":
    main()
