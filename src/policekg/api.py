"""The library API behind the command line: build, inspect, export and validate the graph.

Every function takes the store location (``None`` means ``$POLICEKG_STORE`` or the default, see
``policekg.graph.store.store_path``) and raises ``policekg.errors.PoliceKGError`` subclasses for
problems a user can fix.
"""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path

from rdflib import Graph, URIRef

from policekg.errors import InputError
from policekg.extract.model import Extraction, Report
from policekg.graph import iris
from policekg.graph.build import build_graph, build_ntriples
from policekg.graph.store import check_store_path, open_store, store_path
from policekg.graph.writer import AnalysedReport, BuildSummary, ReportSummary, ReportWriter
from policekg.ontology import PREFIXES as ONTOLOGY_PREFIXES
from policekg.reader import EXPORT_FORMATS, Reader, list_reports

# Default input limit. The largest bundled report is under 1 MB; analysing a report peaks at about
# 80 MB of memory per MB of text and its N-Triples are ~27 times the text, so 20 MB (1.6 GB to
# analyse, 4.7 GB for the whole build, measured by benchmarks/bigfile.py) is the most a default
# should admit; 50 MB would need over 10 GB. README: Large inputs.
MAX_SIZE_MB = 20


def bundled_reports() -> list[Path]:
    """The sample corpus shipped with the package: two Staffordshire Police reports."""
    folder = files("policekg.data").joinpath("reports")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def check_input(path: str | Path, max_size_mb: float | None = MAX_SIZE_MB) -> Path:
    """Refuse an input before reading it: missing, not a regular file (a directory, a device such as
    ``/dev/zero``, a pipe) or larger than ``max_size_mb`` megabytes (None or 0: no limit).

    Raises:
        InputError: what is wrong, and what to do.
    """
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{p} is a directory; give the report files in it (e.g. {p}/*.txt)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{p} is not a regular file (a device, pipe or socket); give a report file")
    if max_size_mb and info.st_size > max_size_mb * 1_000_000:
        raise InputError(f"{p} is {info.st_size / 1_000_000:.1f} MB, over the {max_size_mb:g} MB limit; "
                         "pass --max-size MB to allow it")
    return p


def check_output(path: str | Path) -> Path:
    """Refuse an output path before any work: a directory, or a file whose folder is missing or a file.

    Raises:
        InputError: what is wrong with the path.
    """
    out = Path(path)
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name to write (e.g. {out}/graph.ttl)")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError(f"cannot write {out}: {parent} is a file, not a directory")
    if not out.parent.is_dir():
        raise InputError(f"cannot write {out}: the directory {out.parent} does not exist; create it first")
    return out


def write_output(path: str | Path, text: str) -> int:
    """Write a text file whole or not at all (a temporary file renamed into place).

    Returns:
        The number of bytes written.

    Raises:
        InputError: the path cannot be written (see ``check_output``).
    """
    import os
    import tempfile

    out = check_output(path)
    data = text.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(data)


def analyse(path: str | Path, kind: str | None = None) -> tuple[Report, Extraction, Graph]:
    """Parse one report, extract its entities and relations, and build its graph (in memory).

    Raises:
        InputError: the file cannot be read as text.
        UnknownReportKind: the report's kind is not recognised (pass ``kind="generic"``).
    """
    report, extraction = _read(path, kind)
    return report, extraction, build_graph(report, extraction)


def _read(path: str | Path, kind: str | None, jobs: int = 1) -> tuple[Report, Extraction]:
    from policekg.extract.nlp import read_and_extract

    return read_and_extract(path, kind, jobs=jobs)


def analyse_serialised(path: str | Path, kind: str | None = None,
                       max_size_mb: float | None = MAX_SIZE_MB, *, jobs: int = 1) -> AnalysedReport:
    """``analyse`` one file and serialise its graph as N-Triples, for ``write_reports``.

    Args:
        jobs: processes that may read a very long report at the same time (the graph is the same
            whatever it is; see ``policekg.extract.workers``).

    Raises:
        InputError, UnknownReportKind: as ``check_input`` and ``analyse``.
    """
    report, extraction = _read(check_input(path, max_size_mb), kind, jobs)
    # Straight to N-Triples: an rdflib graph of a very large report cost gigabytes (see graph/build.py).
    ntriples, triples = build_ntriples(report, extraction)
    iri = iris.report_identity(report)
    summary = ReportSummary(
        iri=str(iri), source=report.source_name, kind=report.kind, force=report.force,
        year=report.year, parser=report.parser, triples=triples, frameworks=len(report.frameworks),
        findings=len(report.findings), relations=len(extraction.relations),
        entities=dict(sorted(Counter(e.type for e in extraction.entities).items())),
    )
    return AnalysedReport(str(iri), report.sha256, ntriples, summary)


def build(
    paths: Iterable[str | Path] | None = None,
    *,
    store: str | Path | None = None,
    kind: str | None = None,
    progress: Callable[[str], None] | None = None,
    replace: bool = False,
    max_size_mb: float | None = MAX_SIZE_MB,
    jobs: int | None = None,
) -> BuildSummary:
    """Build the graph of some reports into the store, one named graph per report.

    Every input is checked first. Reports are analysed (in worker processes) and written as they
    come into a new generation of the store, which is published only when all are written: one
    bad file, or a build killed at any moment, leaves the store exactly as it was (or, once
    published, exactly as after).

    Args:
        paths: report files (.txt or .md); the bundled sample corpus when None or empty.
        store: the store directory.
        kind: force a report kind for all files (``generic`` reads any text).
        progress: called with each file name once it has been analysed.
        replace: let a different document replace a report already in the store under the same
            IRI (same force, year and kind); without it that is refused.
        max_size_mb: refuse files larger than this many megabytes (None or 0: no limit).
        jobs: worker processes analysing the reports (None: every core; 1: this process). A file
            whose SHA-256 is that of a report already in the store is skipped before parsing.

    Raises:
        InputError, UnknownReportKind: a file cannot be read or its kind is not recognised.
        ReportConflict: two different documents claim one report IRI, and ``replace`` is false.
        StoreError: the store cannot be opened or written.
    """
    check_store_path(store_path(store), create=True)  # a bad --store fails before the analysis
    paths = [Path(p) for p in (paths or [])] or bundled_reports()
    for path in paths:
        check_input(path, max_size_mb)
    from policekg.graph import batch

    # The writer is a new generation of the store: each report is written as soon as it is
    # analysed (memory stays bounded), and nothing is visible until the block ends without error.
    with open_store(store, create=True) as gs:
        stored = list_reports(gs, triples=False)
        writer = ReportWriter(gs, stored, replace=replace)
        known = {r["sha256"]: r["iri"] for r in stored if r["sha256"]}
        unchanged = {}
        for i, item in enumerate(batch.analyse_many(paths, kind=kind, jobs=jobs, max_size_mb=max_size_mb,
                                                     known=known)):
            if isinstance(item, batch.Unchanged):
                unchanged[i] = item.iri
            else:
                writer.add(item)
            if progress:
                progress(Path(item.path).name if isinstance(item, batch.Unchanged) else item.summary.source)
        return batch.with_unchanged(writer.finish(), unchanged, gs)


def write_reports(analysed: list[AnalysedReport], *, store: str | Path | None = None,
                  replace: bool = False) -> BuildSummary:
    """Write analysed reports (and the ontology) into the store, all visible together or not at all.

    Raises:
        ReportConflict: two different documents claim one report IRI (in this batch, or one in
            the store and one here, unless ``replace``).
        StoreError: the store cannot be opened or written.
    """
    with open_store(store, create=True) as gs:
        writer = ReportWriter(gs, list_reports(gs, triples=False), replace=replace)
        for item in analysed:
            writer.add(item)
        return writer.finish()


def reports(store: str | Path | None = None) -> list[dict]:
    """The reports in the store: IRI, title, kind, year, source file, SHA-256 and triples.

    Raises:
        StoreError: the store cannot be opened.
    """
    with Reader(store) as kg:
        return kg.reports()


def remove(report: str, store: str | Path | None = None) -> dict:
    """Remove one report's graph (and its share of what queries see), atomically.

    Args:
        report: the report's IRI, its source file name, or a part of its IRI that only it has.

    Returns:
        The removed report, as ``reports`` lists it.

    Raises:
        UnknownEntity: no report, or several, match ``report``.
        StoreError: the store cannot be opened or written.
    """
    from policekg.errors import UnknownEntity

    with open_store(store, write=True) as gs:
        rows = list_reports(gs, triples=False)
        found = [r for r in rows if report in (r["iri"], r["source"])] or [r for r in rows if report in r["iri"]]
        if not found:
            raise UnknownEntity(f"no report {report!r} in the store; `policekg reports` lists them")
        if len(found) > 1:
            raise UnknownEntity(f"{report!r} matches {len(found)} reports; give one IRI: "
                                + ", ".join(r["iri"] for r in found))
        gone = found[0]
        gone["triples"] = gs.count(URIRef(gone["iri"]))
        gs.remove_graphs([gone["iri"]])
    return gone


def stats(store: str | Path | None = None, endpoint: str | None = None) -> dict:
    """Counts per named graph and per entity type, finding kind and relation (see ``Reader.stats``), of
    the store or of a remote SPARQL ``endpoint`` that ``policekg push`` published it to."""
    from policekg.remote import open_reader

    with open_reader(store, endpoint) as kg:
        return kg.stats()


PREFIXES = ONTOLOGY_PREFIXES  # kept for callers of api.PREFIXES; defined once in policekg.ontology


def entities(store: str | Path | None = None, type_: str | None = None) -> list[dict]:
    """Every entity with its IRI, type, preferred label, aliases and number of mentions.

    Raises:
        UnknownEntity: ``type_`` is not an entity type.
    """
    with Reader(store) as kg:
        return kg.entities(type_)


def extract_file(path: str | Path, max_size_mb: float | None = MAX_SIZE_MB) -> dict:
    """Entities and relations found in any text file, with or without report structure.

    Raises:
        InputError: as ``check_input``, or the file is not UTF-8 text.
    """
    from policekg.extract.nlp import extract_fragment
    from policekg.extract.normalise import read_report

    text, _ = read_report(check_input(path, max_size_mb))
    return extract_fragment(text)


def export(fmt: str, store: str | Path | None = None) -> str:
    """The whole graph as Turtle, TriG, N-Quads or JSON-LD (see ``Reader.export``).

    Raises:
        InputError: ``fmt`` is not one of ``EXPORT_FORMATS``.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    with Reader(store) as kg:
        return kg.export(fmt)


def validate(store: str | Path | None = None) -> tuple[bool, str]:
    """Check the graph against the SHACL shapes (see ``Reader.validate``).

    Returns:
        Whether the graph conforms, and pySHACL's report text.
    """
    with Reader(store) as kg:
        return kg.validate()


# The notebook side: what a Python user calls (see the README's "Use from Python").


class Rows(list):
    """A query's answer: a list of dicts, one per solution, from variable name to Python value
    (an IRI as its string, a typed literal as int, float, date..., an unbound variable as None).

    ``to_dataframe()`` gives a pandas ``DataFrame`` when pandas is installed; policekg does not
    depend on pandas.
    """

    def __init__(self, rows: Iterable[dict], columns: list[str]):
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self):
        """The rows as a pandas ``DataFrame``, columns in the query's order.

        Raises:
            InputError: pandas is not installed.
        """
        try:
            import pandas
        except ImportError:
            raise InputError("to_dataframe() needs pandas: pip install pandas") from None
        return pandas.DataFrame(list(self), columns=self.columns)


def _python(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    value = term.toPython()
    return str(value) if isinstance(value, URIRef) else value


def query(query: str, params: dict[str, str] | None = None, store: str | Path | None = None) -> Rows:
    """Run a named query (``policekg queries`` lists them), a ``.rq`` file or a SPARQL text.

    Args:
        query: a query name such as ``"framework-grades"``, a path ending ``.rq``, or SPARQL text.
        params: ``{name: value}`` for the query's parameters; an ``entity`` parameter takes any
            label, alias or IRI, as on the command line.
        store: the store directory.

    Returns:
        The SELECT answer as ``Rows`` (dicts; ``.to_dataframe()`` for pandas).

    Raises:
        QueryError: unknown query, bad parameter, a syntax error, or not a SELECT query.
        UnknownEntity: an ``entity`` parameter names no entity.
        StoreError: the store cannot be opened.

    Example:
        >>> rows = query("framework-grades", store=kg)                      # doctest: +SKIP
        >>> rows[0]["grade"]                                                # doctest: +SKIP
        'Good'
    """
    from policekg.errors import QueryError
    from policekg.queries import library
    from policekg.queries import run as run_mod

    if query.endswith(".rq"):
        if not Path(query).is_file():
            raise QueryError(f"{query}: no such file (named queries have no .rq: `policekg queries` lists them)")
        named = library.parse_header(Path(query).stem, Path(query).read_text(encoding="utf-8"))
    elif any(c.isspace() for c in query.strip()):
        named = library.parse_header("sparql", query)
    else:
        named = library.load(query)
    with Reader(store) as kg:
        result = run_mod.run(kg.dataset, kg.bind(named, dict(params or {})))
    if result.type != "SELECT":
        raise QueryError(f"query() gives the rows of a SELECT query, and this is {result.type}; "
                         "use policekg.queries.run.run for graphs and booleans")
    return Rows(({v: _python(t) for v, t in zip(result.vars, row, strict=True)} for row in result.rows),
                list(result.vars))


def trace(name: str, store: str | Path | None = None, **options):
    """Findings that depend on an entity (see ``policekg.queries.trace.trace`` for ``options``:
    ``direct_only``, ``report``, ``kind``).

    Returns:
        A ``Trace``: ``.entity``, ``.findings`` (each with ``text``, ``year``, ``grade``, ``kind``,
        ``direct``, ``via``), ``.affected``; ``.as_json()`` for plain dicts.

    Raises:
        UnknownEntity: the name matches no entity, or several.
        StoreError: the store cannot be opened.
    """
    with Reader(store) as kg:
        return kg.trace(name, **options)


def show(name: str, store: str | Path | None = None):
    """An entity card: labels, scope, where it is first mentioned, relations and citing findings.

    Returns:
        A ``Card`` (``.entity``, ``.relations``, ``.citations``...; ``.as_json()`` for plain dicts).

    Raises:
        UnknownEntity: the name matches no entity, or several.
        StoreError: the store cannot be opened.
    """
    with Reader(store) as kg:
        return kg.card(name)


def distinct_triples(store: str | Path | None = None) -> int:
    """Triples counted once each. ``stats()["triples"]`` counts per named graph: every report graph
    describes the entities it cites, so a triple two reports share counts twice there.

    Raises:
        StoreError: the store cannot be opened.
    """
    return int(query("distinct-triples", store=store)[0]["triples"])
