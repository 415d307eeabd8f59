"""Integrity: report identity never collides silently, every build is one transaction, readers never
lock or write, and bad input leaves the store exactly as it was."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policekg import api
from policekg.cli import main
from policekg.graph.store import DIGESTS, open_store

DATA = Path(__file__).parent / "data"
PEEL = DATA / "wessex-2019-peel.md"
BASELINE = DATA / "wessex-2006-baseline.txt"


def report_iris(store: Path) -> set[str]:
    return {r["iri"] for r in api.reports(store)}


def assert_union_consistent(store: Path) -> None:
    """Every named graph is wholly visible in the default graph queries read, and the default
    graph holds nothing no named graph holds."""
    with open_store(store) as gs:
        inner = gs.inner
        hidden = inner.query(f"""ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{DIGESTS}>)
                                     FILTER NOT EXISTS {{ ?s ?p ?o }} }}""")
        orphan = inner.query(f"""ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }}
                                     FILTER(?g != <{DIGESTS}>) }} }}""")
        assert not bool(hidden), "a named graph has triples that queries do not see"
        assert not bool(orphan), "the default graph has triples that no report graph holds"


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def minutes(tmp_path: Path, month: str, body: str) -> Path:
    path = tmp_path / f"minutes-{month.lower()}.txt"
    path.write_text(f"Northshire Police board minutes\n\nMinutes of {month} 2019\n\n{body}\n", encoding="utf-8")
    return path


# --- 1. report identity -------------------------------------------------------------------------


def test_two_generic_files_of_one_force_and_year_are_two_reports(tmp_path):
    """Board minutes of March and June 2019 once shared an IRI: the second silently replaced the first."""
    store = tmp_path / "kg"
    march = minutes(tmp_path, "March", "The board agreed the custody plan.")
    june = minutes(tmp_path, "June", "The board reviewed the custody plan.")
    assert invoke("build", march, "--kind", "generic", "--store", store).exit_code == 0
    assert invoke("build", june, "--kind", "generic", "--store", store).exit_code == 0
    rows = api.reports(store)
    assert sorted(r["source"] for r in rows) == ["minutes-june.txt", "minutes-march.txt"]
    assert len({r["iri"] for r in rows}) == 2
    assert_union_consistent(store)


def test_two_pillar_reports_of_one_force_and_year_are_two_reports(tmp_path):
    """PEEL 2014-17 published one report per pillar: a force's 2016 legitimacy and efficiency
    reports once shared one IRI, so building the second needed --replace and lost the first."""
    legitimacy = DATA / "northshire-2016-peel-legitimacy.txt"
    efficiency = tmp_path / "northshire-2016-peel-efficiency.txt"
    efficiency.write_text(
        legitimacy.read_text(encoding="utf-8").replace("Police legitimacy 2016", "Police efficiency 2016", 1),
        encoding="utf-8",
    )
    store = tmp_path / "kg"
    assert invoke("build", legitimacy, efficiency, "--store", store).exit_code == 0
    iris = sorted(r["iri"] for r in api.reports(store))
    assert [i.rsplit("/", 1)[1] for i in iris] == ["2016-peel-efficiency", "2016-peel-legitimacy"]


def test_a_different_document_onto_a_stored_report_iri_is_refused_unless_replace(tmp_path):
    store = tmp_path / "kg"
    assert invoke("build", PEEL, "--store", store).exit_code == 0
    before = api.export("nq", store)
    reissued = tmp_path / "wessex-2019-peel-reissued.md"
    reissued.write_text(PEEL.read_text(encoding="utf-8") + "\n\nA late correction to the report.\n",
                        encoding="utf-8")
    result = invoke("build", reissued, "--store", store)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and "--replace" in line and "wessex-2019-peel.md" in line
    assert api.export("nq", store) == before
    result = invoke("build", reissued, "--store", store, "--replace")
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in api.reports(store)] == [reissued.name]
    assert_union_consistent(store)


def test_rebuilding_the_same_file_needs_no_replace(tmp_path):
    store = tmp_path / "kg"
    assert invoke("build", PEEL, "--store", store).exit_code == 0
    result = invoke("build", PEEL, "--store", store)
    assert result.exit_code == 0 and "(unchanged)" in result.output


def test_two_different_files_claiming_one_iri_in_one_build_are_refused(tmp_path):
    other = tmp_path / "copy.md"
    other.write_text(PEEL.read_text(encoding="utf-8") + "\n\nAnother paragraph.\n", encoding="utf-8")
    result = invoke("build", PEEL, other, "--store", tmp_path / "kg")
    assert result.exit_code == 2
    assert "copy.md" in result.stderr and "wessex-2019-peel.md" in result.stderr
    assert not (tmp_path / "kg").exists()


def test_reports_lists_iri_title_source_sha_and_triples(tmp_path):
    store = tmp_path / "kg"
    invoke("build", PEEL, BASELINE, "--store", store)
    rows = api.reports(store)
    assert [r["source"] for r in rows] == ["wessex-2006-baseline.txt", "wessex-2019-peel.md"]
    for r in rows:
        assert r["title"] and len(r["sha256"]) == 64 and r["triples"] > 100
    result = invoke("reports", "--store", store, "--format", "json")
    assert result.exit_code == 0 and "wessex-2019-peel.md" in result.output


def test_remove_drops_one_report_and_keeps_what_others_cite(tmp_path):
    store = tmp_path / "kg"
    invoke("build", PEEL, BASELINE, "--store", store)
    result = invoke("remove", "wessex-2019-peel.md", "--store", store)
    assert result.exit_code == 0, result.output
    assert [r["source"] for r in api.reports(store)] == ["wessex-2006-baseline.txt"]
    assert_union_consistent(store)
    # The force node is described by the remaining report: it stays visible.
    assert any(e["label"] == "Wessex Constabulary" for e in api.entities(store, "Force"))
    result = invoke("remove", "wessex-2019-peel.md", "--store", store)
    assert result.exit_code == 2 and "policekg reports" in result.stderr


# --- 2. one transaction per build ---------------------------------------------------------------


def report_state(store: Path) -> set[tuple[str, str]]:
    return {(r["iri"], r["sha256"]) for r in api.reports(store)}


@pytest.mark.slow
def test_a_build_killed_at_random_moments_leaves_the_store_as_before_or_as_after(tmp_path):
    """``kill -9`` a real `policekg build` (one report replaced, one added) at 20 random moments:
    each time the store holds the old reports or the new ones, and every graph is fully visible."""
    template = tmp_path / "template"
    api.build([BASELINE], store=template)
    reissued = tmp_path / "wessex-2006-baseline.txt"
    reissued.write_text(BASELINE.read_text(encoding="utf-8") + "\nA late correction.\n", encoding="utf-8")
    command = [sys.executable, "-m", "policekg", "build", str(PEEL), str(reissued), "--replace"]
    old = report_state(template)

    finished = tmp_path / "finished"
    shutil.copytree(template, finished)
    start = time.monotonic()
    subprocess.run([*command, "--store", str(finished)], check=True, capture_output=True)
    duration = time.monotonic() - start
    new = report_state(finished)
    assert old != new and len(new) == 2

    rng = random.Random(8)
    outcomes = []
    for i in range(20):
        store = tmp_path / f"killed-{i}"
        shutil.copytree(template, store)
        proc = subprocess.Popen([*command, "--store", str(store)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Most of a build is start-up and analysis: aim most kills at its last part, where it writes.
        time.sleep(rng.uniform(0.5, 1.05) * duration)
        proc.kill()
        proc.wait()
        state = report_state(store)
        assert state in (old, new), f"kill {i}: a half-written build"
        assert_union_consistent(store)
        outcomes.append("new" if state == new else "old")
        shutil.rmtree(store)
    print(f"build of {duration:.1f} s killed 20 times: {outcomes.count('old')} old, {outcomes.count('new')} new")


# --- 3. readers never lock or create -------------------------------------------------------------

READERS = [
    ["stats"], ["entities"], ["reports"], ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
    ["trace", "Wessex Constabulary"], ["show", "Wessex Constabulary"], ["export", "--format", "nq"],
    ["validate"], ["visualise", "--out", "{tmp}/g.html"],
]


def listing(where: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(where)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(where.rglob("*"))}


@pytest.fixture(scope="module")
def wessex_store(tmp_path_factory):
    where = tmp_path_factory.mktemp("wessex") / "kg"
    api.build([PEEL, BASELINE], store=where)
    return where


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_reader_on_a_directory_that_is_not_a_store_says_so_and_writes_nothing(command, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a store")
    before = listing(folder)
    result = invoke(*[c.replace("{tmp}", str(tmp_path)) for c in command], "--store", folder)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a policekg store" in result.stderr
    assert listing(folder) == before


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_readers_run_beside_a_writer_and_change_nothing(command, wessex_store, tmp_path):
    with open_store(wessex_store, write=True):  # as if a build held the write lock
        before = listing(wessex_store)
        result = invoke(*[c.replace("{tmp}", str(tmp_path)) for c in command], "--store", wessex_store)
        after = listing(wessex_store)
    assert result.exit_code == 0, result.output
    assert after == before


def test_a_build_refuses_a_directory_that_holds_something_else(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = invoke("build", PEEL, "--store", folder)
    assert result.exit_code == 2 and "not a policekg store" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


# --- 4. query limits ------------------------------------------------------------------------------

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_that_yields_nothing_is_stopped_at_its_timeout(wessex_store):
    """`SELECT (COUNT(*) ...)` over a cartesian product once grew to 2.9 GB with no end."""
    result = invoke("query", "--sparql", CARTESIAN.replace("*", "(COUNT(*) AS ?n)", 1), "--timeout", "1",
                    "--store", wessex_store)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "longer than 1 s" in result.stderr and "--timeout" in result.stderr


def test_the_row_cap_stops_the_answer_with_an_error_after_that_many_rows(wessex_store):
    result = invoke("query", "--sparql", CARTESIAN, "--format", "csv", "--limit", "5", "--store", wessex_store)
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 1 + 5
    assert "more than 5 rows" in result.stderr and "--limit" in result.stderr


def test_a_query_past_its_memory_cap_is_stopped(wessex_store):
    from policekg.errors import QueryError
    from policekg.queries.limits import QueryLimits, run_limited

    limits = QueryLimits(timeout=120, max_rows=None, memory_mb=200)
    with pytest.raises(QueryError, match="memory"):
        with run_limited(wessex_store, CARTESIAN + " ORDER BY ?c ?f ?i", limits) as answer:
            for _ in answer.rows:
                pass


def test_rows_stream_to_stdout_before_the_query_ends_and_stats_runs_meanwhile(wessex_store):
    import select

    proc = subprocess.Popen([sys.executable, "-m", "policekg", "query", "--sparql", CARTESIAN, "--format", "tsv",
                             "--limit", "0", "--timeout", "0", "--store", str(wessex_store)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "no output within 60 s"
        header = proc.stdout.readline().decode()
        first = proc.stdout.readline().decode()
        assert header.startswith("?a\t?b\t?c") and first.count("\t") == 8
        assert proc.poll() is None  # the answer is endless: it streams, it was not collected first
        assert invoke("stats", "--store", wessex_store).exit_code == 0
    finally:
        proc.kill()
        proc.wait()


def test_jsonl_and_json_stream_the_w3c_bindings(wessex_store):
    import json

    q = "SELECT ?r ?t WHERE { ?r a <https://w3id.org/policekg/ontology#InspectionReport> ; " \
        "<http://purl.org/dc/terms/title> ?t } ORDER BY ?r"
    lines = invoke("query", "--sparql", q, "--format", "jsonl", "--store", wessex_store).stdout.splitlines()
    whole = json.loads(invoke("query", "--sparql", q, "--format", "json", "--store", wessex_store).stdout)
    assert [json.loads(line) for line in lines] == whole["results"]["bindings"]
    assert len(lines) == 2 and whole["head"]["vars"] == ["r", "t"]
    assert json.loads(lines[0])["r"]["type"] == "uri"


class _Listener:
    """A local TCP listener that records whether anything connected."""

    def __init__(self):
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.hits = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def _serve(self):

        while self.running:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def test_service_is_refused_and_nothing_is_sent_unless_allowed(wessex_store):
    listener = _Listener()
    try:
        q = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        result = invoke("query", "--sparql", q, "--store", wessex_store)
        assert result.exit_code == 2 and "--allow-service" in result.stderr
        time.sleep(0.5)
        assert listener.hits == 0
        # The flag is the only way out: with it, Oxigraph does call the endpoint.
        invoke("query", "--sparql", q, "--allow-service", "--timeout", "10", "--store", wessex_store)
        time.sleep(0.5)
        assert listener.hits >= 1
    finally:
        listener.close()


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX x: <http://example.org/>\nSELECT * WHERE {\n  SERVICE x:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . FILTER(?o<?p)SERVICE<http://e.org/>{?s ?p ?o} }",
])
def test_service_in_any_spelling_is_found(text):
    from policekg.queries.limits import uses_service

    assert uses_service(text)


@pytest.mark.parametrize("text", [
    'SELECT ?service WHERE { ?service <http://example.org/#SERVICE> "SERVICE" } # SERVICE',
    "PREFIX service: <http://example.org/>\nSELECT * WHERE { ?s service:SERVICE ?o }",
])
def test_the_word_service_elsewhere_is_not_a_service_call(text):
    from policekg.queries.limits import uses_service

    assert not uses_service(text)


# --- 5 and 6. input limits and bad paths: one line, exit 2, nothing written -------------------------


def bad_paths(tmp_path: Path) -> dict[str, Path]:
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x")
    not_store = tmp_path / "documents"
    not_store.mkdir(exist_ok=True)
    (not_store / "notes.txt").write_text("keep me")
    fifo = tmp_path / "pipe"
    if not fifo.exists():
        os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(51_000_000)  # sparse: larger than the default limit without taking the space
    return {"missing": tmp_path / "nope" / "x", "a file": a_file, "under a file": a_file / "x",
            "not a store": not_store, "a directory": tmp_path, "fifo": fifo, "device": Path("/dev/zero"),
            "too big": big}


STORE_CASES = ["missing", "a file", "under a file", "not a store"]
OUT_CASES = ["missing", "under a file", "a directory"]
INPUT_CASES = ["missing", "a directory", "fifo", "device", "too big"]


def bad_path_commands(tmp_path: Path, store: Path) -> list[tuple[str, list[str]]]:
    paths = bad_paths(tmp_path)
    cases = []
    readers = [["stats"], ["entities"], ["reports"], ["remove", "x"], ["export"], ["validate"],
               ["query", "--sparql", "ASK {}"], ["trace", "x"], ["show", "x"],
               ["visualise", "--out", str(tmp_path / "g.html")], ["build", str(PEEL)]]
    for case in STORE_CASES:
        for command in readers:
            if command[0] == "build" and case == "missing":
                continue  # a missing store is what build creates
            cases.append((f"{command[0]} --store {case}", [*command, "--store", str(paths[case])]))
    for case in OUT_CASES:
        for command in (["export", "--format", "ttl"], ["export", "--format", "graphml"], ["visualise"]):
            out = paths[case] if case == "a directory" else paths[case].with_suffix(".out")
            cases.append((f"{command[0]} --out {case}", [*command, "--out", str(out), "--store", str(store)]))
    for case in INPUT_CASES:
        cases.append((f"build {case}", ["build", str(paths[case]), "--store", str(store)]))
        cases.append((f"extract {case}", ["extract", str(paths[case])]))
    cases.append(("query FILE.rq a directory", ["query", str(tmp_path / "dir.rq"), "--store", str(store)]))
    (tmp_path / "dir.rq").mkdir(exist_ok=True)
    return cases


def test_every_command_with_a_bad_path_says_one_line_exits_2_and_writes_nothing(wessex_store, tmp_path):
    """`export --out` into a missing directory once printed a traceback with exit 1."""
    before = api.export("nq", wessex_store)
    failures = []
    for name, args in bad_path_commands(tmp_path, wessex_store):
        result = CliRunner().invoke(main, args)
        lines = result.stderr.strip().splitlines()
        ok = (result.exit_code == 2 and isinstance(result.exception, SystemExit) and len(lines) == 1
              and lines[0].startswith("policekg: error: ") and "Traceback" not in result.output)
        if not ok:
            failures.append(f"{name}: exit {result.exit_code}: {result.stderr.strip()[:200]!r} {result.exception!r}")
    assert not failures, "\n".join(failures)
    assert api.export("nq", wessex_store) == before
    assert [p.name for p in (tmp_path / "documents").iterdir()] == ["notes.txt"]
    assert not (tmp_path / "g.html").exists()


def test_input_size_limit_names_the_option_and_can_be_raised(tmp_path):
    small = tmp_path / "wessex-2019-peel.md"
    small.write_text(PEEL.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("build", small, "--max-size", "0.001", "--store", tmp_path / "kg")
    assert result.exit_code == 2 and "--max-size" in result.stderr and "0.001 MB" in result.stderr
    assert not (tmp_path / "kg").exists()
    assert invoke("build", small, "--max-size", "1", "--store", tmp_path / "kg").exit_code == 0


def test_graphs_serialised_in_worker_processes_write_the_same_store(tmp_path):
    """The write API takes N-Triples per graph, so a parallel build can analyse in workers."""
    from concurrent.futures import ProcessPoolExecutor

    api.build([PEEL, BASELINE], store=tmp_path / "serial")
    with ProcessPoolExecutor(2) as pool:
        analysed = list(pool.map(api.analyse_serialised, [PEEL, BASELINE]))
    summary = api.write_reports(analysed, store=tmp_path / "parallel")
    assert [r.written for r in summary.reports] == [True, True]
    assert api.export("nq", tmp_path / "parallel") == api.export("nq", tmp_path / "serial")
    assert_union_consistent(tmp_path / "parallel")
