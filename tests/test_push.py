"""`policekg push` and the read commands with --endpoint, against a real Oxigraph server (PyPI ``oxigraph``)
started on a free 127.0.0.1 port, and a recording HTTP server for credentials and errors."""

from __future__ import annotations

import doctest
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policekg.cli import main
from policekg.graph import push as push_mod
from policekg.graph import remote
from policekg.graph.push import DEFAULT_GRAPH, push
from policekg.graph.remote import RemoteError, remote_answer
from policekg.graph.store import DIGESTS, open_store

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


class Oxigraph:
    """An Oxigraph server on a free port, over its own directory."""

    def __init__(self, where: Path):
        if not Path(OXIGRAPH).is_file():
            pytest.skip("the oxigraph server is not installed (pip install -e '.[test]')")
        self.port = free_port()
        self.proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(where), "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(self.port, self.proc)
        self.query = f"http://127.0.0.1:{self.port}/query"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stderr.close()

    def counts(self) -> dict[str, int]:
        answer = remote_answer(self.query, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {g[1]: int(n[1]) for g, n in answer.rows}

    def default_count(self) -> int:
        answer = remote_answer(self.query, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(answer.rows)[0][1])


@pytest.fixture(scope="module")
def pushed(built_store, tmp_path_factory):
    """An Oxigraph server holding the bundled corpus, pushed once."""
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
    first = push(built_store, endpoint=server.query)
    yield server, first
    server.stop()


def local_counts(store) -> tuple[dict[str, int], int]:
    with open_store(store) as gs:
        named = {str(g): gs.count(g) for g in gs.graph_names()}
        default = int(next(iter(gs.inner.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)
    return named, default


def test_push_leaves_the_server_with_the_local_graphs(built_store, pushed):
    server, first = pushed
    named, default = local_counts(built_store)
    assert first.put == sorted(named)  # the default graph is rebuilt on the server, not sent
    assert first.updated == [str(DEFAULT_GRAPH)]
    on_server = server.counts()
    assert on_server.pop(str(DIGESTS)) == len(named) + 1  # one digest per graph, the default one too
    assert on_server == named
    assert server.default_count() == default
    ox, nt = push_mod.ox, push_mod.ox.RdfFormat.N_TRIPLES
    with open_store(built_store) as gs:  # triple for triple, not only as many
        for name in [*named, None]:
            local = set(ox.parse(push_mod._ntriples(gs, ox.NamedNode(name) if name else ox.DefaultGraph()).encode(),
                                 format=nt))
            url = push_mod._graph_url(server.query.removesuffix("/query") + "/store", name or str(DEFAULT_GRAPH))
            body = remote.request("GET", url, headers={"Accept": "application/n-triples"}).body
            assert set(ox.parse(body, format=nt)) == local, name


def test_a_second_push_sends_nothing(built_store, pushed):
    server, _ = pushed
    again = push(built_store, endpoint=server.query)
    assert again.put == [] and again.deleted == []
    assert len(again.unchanged) == len(local_counts(built_store)[0]) + 1


@pytest.mark.parametrize("args", [
    ["trace", "STORM", "--format", "json"],
    ["trace", "storm", "--format", "csv", "--direct-only"],
    ["trace", "STORM", "--year", "2019", "--limit", "3", "--offset", "1", "--format", "json"],
    ["show", "STORM", "--format", "json"],
    ["query", "findings-citing", "-p", "entity=STORM", "--format", "csv"],
    ["query", "report-grades", "--format", "tsv"],
    ["query", "--sparql", "ASK { ?s ?p ?o }", "--format", "json"],
    ["query", "--sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 20", "--format", "ttl"],
])
def test_read_commands_answer_the_same_remotely(built_store, pushed, args):
    server, _ = pushed
    runner = CliRunner()
    local = runner.invoke(main, [*args, "--store", str(built_store)])
    there = runner.invoke(main, [*args, "--endpoint", server.query])
    assert local.exit_code == 0, local.output
    assert there.exit_code == 0, there.output
    assert len(local.output) > 20
    assert there.output == local.output


def test_stats_are_the_same_remotely(built_store, pushed):
    server, _ = pushed
    runner = CliRunner()
    local = json.loads(runner.invoke(main, ["stats", "--format", "json", "--store", str(built_store)]).output)
    there = json.loads(runner.invoke(main, ["stats", "--format", "json", "--endpoint", server.query]).output)
    assert (local.pop("store"), there.pop("store")) == (str(built_store), server.query)
    assert there == local


def test_remote_query_keeps_the_local_limits(pushed):
    server, _ = pushed
    runner = CliRunner()
    capped = runner.invoke(main, ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "5",
                                  "--format", "csv", "--endpoint", server.query])
    assert capped.exit_code == 2 and "more than 5 rows" in capped.output
    service = runner.invoke(main, ["query", "--sparql", "SELECT * WHERE { SERVICE <http://example.org/q> "
                                   "{ ?s ?p ?o } }", "--endpoint", server.query])
    assert service.exit_code == 2 and "SERVICE" in service.output
    update = runner.invoke(main, ["query", "--sparql", "DROP ALL", "--endpoint", server.query])
    assert update.exit_code == 2 and "not allowed" in update.output
    assert server.default_count() > 0


@pytest.mark.parametrize("mode", ["update", "put"])
def test_repush_sends_only_the_changed_report_and_drops_a_removed_one(built_store, tmp_path, mode):
    """With an update URL (derived from --endpoint) the default graph is rebuilt on the server; with
    only --graph-store it is sent whole. Either way the server ends equal to the store."""
    store = tmp_path / "kg"
    shutil.copytree(built_store, store)
    server = Oxigraph(tmp_path / "ox")
    if mode == "update":
        where, option = {"endpoint": server.query}, ["--endpoint", server.query]
    else:
        store_url = server.query.removesuffix("/query") + "/store"
        where, option = {"graph_store": store_url}, ["--graph-store", store_url]
    default_line = "UPDATE (default graph)" if mode == "update" else "PUT (default graph)"
    try:
        push(store, **where)
        before = server.counts()
        with open_store(store, write=True) as gs:
            reports = [str(g) for g in gs.graph_names() if "/report/" in str(g)]
            changed, other = reports[0], reports[1]
            body = push_mod._ntriples(gs, push_mod.ox.NamedNode(changed))
            extra = f'<{changed}> <http://purl.org/dc/terms/description> "re-analysed" .\n'
            gs.write_graphs([(changed, body + extra)])
        dry = push(store, dry_run=True, **where)
        assert dry.put + dry.updated == [changed, str(DEFAULT_GRAPH)]
        assert server.counts() == before  # a dry run sends nothing
        result = CliRunner().invoke(main, ["push", *option, "--store", str(store)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[:2] == [f"PUT {changed}", default_line]
        after = server.counts()
        assert after[changed] == before[changed] + 1
        assert {g: n for g, n in after.items() if g != changed} == {g: n for g, n in before.items() if g != changed}
        with open_store(store, write=True) as gs:
            gs.remove_graphs([other])
        gone = push(store, **where)
        assert gone.deleted == [other] and gone.put + gone.updated == [str(DEFAULT_GRAPH)]
        assert other not in server.counts()
        assert server.default_count() == local_counts(store)[1]
    finally:
        server.stop()


class Recorder(http.server.BaseHTTPRequestHandler):
    """A graph store that accepts everything and records what it was sent."""

    seen: list[tuple[str, str, str | None]] = []

    def _record(self, status: int) -> None:
        self.seen.append((self.command, self.path, self.headers.get("Authorization")))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._record(404)

    def do_PUT(self):  # noqa: N802
        self._record(204)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/kg/data"
    server.shutdown()
    server.server_close()


def test_credentials_come_from_the_environment(built_store, recorder, monkeypatch):
    monkeypatch.setenv("POLICEKG_AUTH_TOKEN", "s3cret")
    result = CliRunner().invoke(main, ["push", "--graph-store", recorder, "--store", str(built_store)])
    assert result.exit_code == 0, result.output
    assert {auth for *_, auth in Recorder.seen} == {"Bearer s3cret"}
    methods = [m for m, *_ in Recorder.seen]
    assert methods[0] == "GET" and methods[-1] == "PUT" and methods.count("PUT") == len(methods) - 1
    assert "s3cret" not in result.output
    monkeypatch.delenv("POLICEKG_AUTH_TOKEN")
    monkeypatch.setenv("POLICEKG_AUTH_USER", "ann")
    bad = CliRunner().invoke(main, ["push", "--graph-store", recorder, "--store", str(built_store)])
    assert bad.exit_code == 2 and "POLICEKG_AUTH_PASSWORD" in bad.output


def test_unreachable_or_unknown_endpoints_are_one_line_errors(built_store):
    runner = CliRunner()
    port = free_port()  # nothing listens there
    down = runner.invoke(main, ["query", "--sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert down.exit_code == 2 and "cannot reach" in down.output and len(down.output.splitlines()) == 1
    not_url = runner.invoke(main, ["trace", "STORM", "--endpoint", "localhost:7878"])
    assert not_url.exit_code == 2 and "not an http(s) URL" in not_url.output
    no_store_url = runner.invoke(main, ["push", "--endpoint", "http://127.0.0.1:1/sparql", "--store", str(built_store)])
    assert no_store_url.exit_code == 2 and "--graph-store" in no_store_url.output
    with pytest.raises(RemoteError):
        push(built_store)


@pytest.mark.parametrize("module", [remote, push_mod])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
