"""Write a streaming query answer (``policekg.queries.limits.Answer``) in the W3C SPARQL 1.1 results
formats as rows arrive: CSV and TSV (Query Results CSV and TSV Formats), JSON (Query Results JSON
Format, written incrementally) and JSON lines (one solution object per line, the JSON format's
``bindings`` entries). Terms are the light tuples the query process sends: ``("u", iri)``,
``("b", id)``, ``("l", value, datatype, language)`` or ``None``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable

STREAMING_FORMATS = ("csv", "tsv", "json", "jsonl")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def csv_value(t: tuple | None) -> str:
    """A term in the CSV format: its plain value (a blank node as ``_:id``)."""
    if t is None:
        return ""
    return f"_:{t[1]}" if t[0] == "b" else t[1]


def tsv_value(t: tuple | None) -> str:
    """A term in the TSV format: Turtle / N-Triples syntax."""
    if t is None:
        return ""
    if t[0] == "u":
        return f"<{t[1]}>"
    if t[0] == "b":
        return f"_:{t[1]}"
    _, value, datatype, lang = t
    value = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r").replace("\t", "\\t"))
    if lang:
        return f'"{value}"@{lang}'
    if datatype and datatype != XSD_STRING:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def json_value(t: tuple) -> dict:
    """A term in the JSON format."""
    if t[0] == "u":
        return {"type": "uri", "value": t[1]}
    if t[0] == "b":
        return {"type": "bnode", "value": t[1]}
    out = {"type": "literal", "value": t[1]}
    if t[3]:
        out["xml:lang"] = t[3]
    elif t[2] and t[2] != XSD_STRING:
        out["datatype"] = t[2]
    return out


def _binding(names: list[str], row: tuple) -> dict:
    return {n: json_value(t) for n, t in zip(names, row, strict=True) if t is not None}


class _Line:
    """A file-like ``write`` target for the csv module that passes each line on at once."""

    def __init__(self, write: Callable[[str], None]):
        self.write = write


def write_rows(fmt: str, names: list[str], rows: Iterable[tuple], write: Callable[[str], None]) -> int:
    """Write a SELECT answer in ``fmt`` (one of ``STREAMING_FORMATS``), each row as it comes.

    Args:
        fmt: ``csv``, ``tsv``, ``json`` or ``jsonl``.
        names: the variable names.
        rows: the rows (may raise part-way: what was written stays written, and for ``json``
            the document is left open, so it cannot be mistaken for a whole answer).
        write: where text goes (e.g. ``sys.stdout.write``; flushed by the caller).

    Returns:
        The number of rows written.
    """
    count = 0
    if fmt == "csv":
        writer = csv.writer(_Line(write), lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([csv_value(t) for t in row])
            count += 1
    elif fmt == "tsv":
        write("\t".join(f"?{n}" for n in names) + "\n")
        for row in rows:
            write("\t".join(tsv_value(t) for t in row) + "\n")
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            write(json.dumps(_binding(names, row), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        write('{"head": {"vars": ' + json.dumps(names) + '}, "results": {"bindings": [')
        for row in rows:
            write(("\n  " if count == 0 else ",\n  ") + json.dumps(_binding(names, row), ensure_ascii=False))
            count += 1
        write("\n]}}\n")
    else:
        raise ValueError(f"not a streaming format: {fmt}")
    return count
