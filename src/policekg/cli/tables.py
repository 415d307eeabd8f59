"""Terminal output a person reads: tables sized to the terminal, excerpts, compact IRIs.

Every table the CLI prints goes through ``print_table``. Its rules:

* The table is as wide as the terminal (``$COLUMNS``, else the terminal's width, else 100).
* No word is split: a column is never narrower than its longest word, and cells wrap at spaces.
* Columns have a kind. A ``NAME`` (a label or IRI the user copies into the next command) is
  never wrapped; a ``TEXT`` column (a finding, a sentence) takes the width the others leave and
  shows an excerpt of at most ``MAX_LINES`` lines around the matched words, unless ``full``;
  ``SHORT`` cells wrap at spaces; ``NUMBER`` cells are right-aligned.
* On a terminal the table has box lines; when standard output is a pipe or a file it is plain
  text (columns separated by spaces, rows by a blank line when they take several lines), so it
  reads in ``less`` and ``grep`` and diffs cleanly.
* When even the narrowest layout is wider than the terminal, the table is printed wider than
  the terminal (the terminal then wraps whole lines) rather than cutting a name.

IRIs are shown as prefixed names (``id:system/storm``) by ``compact_iri``; the commands'
``--full-iris`` option turns that off, and JSON, CSV and TSV output always carry full IRIs and
full text.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

import click
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

NAME, TEXT, SHORT, NUMBER = "name", "text", "short", "number"
MAX_LINES = 6  # lines an excerpted TEXT cell may take
DEFAULT_WIDTH = 100  # width when there is no terminal and no $COLUMNS
SHORT_CAP = 14  # a SHORT column is not widened beyond this while a TEXT column needs room
TEXT_MIN = 30  # a TEXT column gets at least this many cells when the terminal allows
ELLIPSIS = "…"
HIGHLIGHT = "bold yellow"

full_option = click.option(
    "--full", is_flag=True,
    help=f"Show long text in full (default: an excerpt of at most {MAX_LINES} lines around the matched words).")
full_iris_option = click.option(
    "--full-iris", is_flag=True, help="Show full IRIs (default: prefixed names such as id:system/storm).")


def format_option(choices: tuple[str, ...], what: str = "a table for reading; json for programs"):
    """The ``--format`` option, the same on every command: its choices, help and default shown."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                        help=f"Output format: {what}.")


@dataclass(frozen=True)
class Col:
    """A column: its header and kind (``NAME``, ``TEXT``, ``SHORT`` or ``NUMBER``)."""

    header: str
    kind: str = SHORT


@dataclass
class Cell:
    """A TEXT cell with the spans (start, end offsets into ``text``) to excerpt around and highlight."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def terminal_width() -> int:
    """The width to print at: ``$COLUMNS``, else the terminal's, else ``DEFAULT_WIDTH``."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def make_console(width: int | None = None, stderr: bool = False) -> Console:
    """A console for one command's output (made per call, so ``$COLUMNS`` is read each time)."""
    return Console(width=width or terminal_width(), highlight=False, stderr=stderr)


def compact_iri(iri: str, full: bool = False) -> str:
    """An IRI as a prefixed name where a project prefix fits (``id:system/storm``), unless ``full``.

    >>> compact_iri("https://w3id.org/policekg/id/system/storm")
    'id:system/storm'
    >>> compact_iri("https://example.org/x")
    'https://example.org/x'
    """
    if full:
        return iri
    from policekg.graph.build import PREFIXES

    for prefix, ns in PREFIXES.items():
        ns = str(ns)
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def humanise(name: str) -> str:
    """A CamelCase term as words that can wrap: ``AreaForImprovement`` -> ``Area for improvement``.

    >>> humanise("AreaForImprovement")
    'Area for improvement'
    >>> humanise("Strength")
    'Strength'
    """
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name)
    if len(words) < 2:
        return name
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])])


def squash(text: str) -> tuple[str, list[int]]:
    """Whitespace runs folded to one space and the text stripped, with a map from each kept
    character to its offset in ``text`` (so spans can follow)."""
    out, where = [], []
    for m in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            where.append(m.start() - 1)
        out.append(m.group())
        where.extend(range(m.start(), m.end()))
    return "".join(out), where


def _lines(text: str, width: int) -> int:
    """How many lines ``textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)``
    makes (at least one).

    On text whose words are single-spaced (as ``squash`` leaves it) this is counted word by word,
    as textwrap fills a line: ``excerpt`` asks it for every word it adds, and textwrap's own
    wrapping was a third of printing a long trace. Any other text goes to textwrap itself.

    >>> _lines("one two three", 7), _lines("a verylongword b", 4), _lines("", 5)
    (2, 3, 1)
    """
    words = text.split()
    if width < 1 or " ".join(words) != text:
        return len(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or 1
    lines, used = 0, 0
    for word in words:
        if lines and used + 1 + len(word) <= width:
            used += 1 + len(word)
        else:  # a new line; a word longer than the width is put on one by itself
            lines, used = lines + 1, len(word)
    return lines or 1


def excerpt(text: str, spans: Sequence[tuple[int, int]], width: int,
            max_lines: int = MAX_LINES) -> tuple[str, list[tuple[int, int]]]:
    """The whole words of ``text`` around its first span that wrap into ``max_lines`` lines of
    ``width``, marked with ``…`` where text was left out; and the spans moved to match.

    >>> excerpt("one two three four five six seven", [(14, 18)], 10, 1)
    ('… four …', [(2, 6)])
    >>> excerpt("short", [], 10)
    ('short', [])
    """
    flat, where = squash(text)
    back = {old: new for new, old in enumerate(where)}
    moved = [(back[s], back[e - 1] + 1) for s, e in spans if s in back and e - 1 in back and s < e]
    if _lines(flat, width) <= max_lines:
        return flat, moved
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", flat)]  # spans keep their order: [0] is the anchor
    anchor = moved[0][0] if moved else 0
    first = next((i for i, (_, e) in enumerate(words) if e > anchor), 0)
    last = first
    while last + 1 < len(words) and moved and words[last + 1][0] < moved[0][1]:
        last += 1  # the whole first match

    def render(i: int, j: int) -> tuple[str, int]:
        lead = ELLIPSIS + " " if i > 0 else ""
        tail = " " + ELLIPSIS if j < len(words) - 1 else ""
        return lead + flat[words[i][0]:words[j][1]] + tail, len(lead) - words[i][0]

    grow_right = True
    while True:  # add a word at either end, right first, while the excerpt still fits
        options = [(first, last + 1)] if last + 1 < len(words) else []
        if first > 0:
            options.insert(0 if not grow_right else len(options), (first - 1, last))
        fitted = [(i, j) for i, j in options if _lines(render(i, j)[0], width) <= max_lines]
        if not fitted:
            break
        first, last = fitted[0]
        grow_right = not grow_right
    shown, shift = render(first, last)
    kept = [(s + shift, e + shift) for s, e in moved if s + shift >= 0 and e + shift <= len(shown)]
    return shown, kept


def _words(value: str) -> int:
    return max((cell_len(w) for w in value.split()), default=0)


def _widths(cols: Sequence[Col], cells: list[list[str]], available: int) -> list[int]:
    want, floor = [], []
    for i, col in enumerate(cols):
        values = [col.header, *(row[i] for row in cells)]
        natural = max(max(cell_len(line) for line in v.splitlines() or [""]) for v in values)
        longest = max(_words(v) for v in values)
        want.append(natural)
        if col.kind in (NAME, NUMBER):
            floor.append(natural)
        elif col.kind == TEXT:
            floor.append(max(longest, min(natural, TEXT_MIN)))
        else:
            floor.append(max(longest, 1))
    if sum(want) <= available:
        return want
    widths = list(floor)
    spare = available - sum(widths)
    # Give SHORT columns up to SHORT_CAP first, then the TEXT columns the rest, then SHORT again.
    for cap in (SHORT_CAP, None):
        for kinds in ((SHORT,), (TEXT,)) if cap else ((TEXT,), (SHORT,)):
            grow = [i for i, c in enumerate(cols) if c.kind in kinds and widths[i] < want[i]]
            while spare > 0 and grow:
                for i in list(grow):
                    limit = want[i] if cap is None or cols[i].kind == TEXT else max(floor[i], min(want[i], cap))
                    if widths[i] >= limit or spare <= 0:
                        grow.remove(i)
                        continue
                    widths[i] += 1
                    spare -= 1
    return widths


def build_table(cols: Sequence[Col], rows: Sequence[Sequence[str | Cell | None]], *, boxed: bool,
                width: int, full: bool = False, title: str | None = None) -> tuple[Table, int]:
    """A rich ``Table`` laid out for ``width`` cells, and the width it needs (more than ``width``
    only when its names cannot fit)."""
    overhead = 3 * len(cols) + 1 if boxed else 2 * (len(cols) - 1)
    plain = [[(c.text if isinstance(c, Cell) else ("" if c is None else str(c))) for c in row] for row in rows]
    flat = [[squash(v)[0] if cols[i].kind == TEXT else v for i, v in enumerate(row)] for row in plain]
    widths = _widths(cols, flat, width - overhead)
    table = Table(title=title, box=box.SQUARE if boxed else None, show_lines=boxed, pad_edge=boxed,
                  show_edge=boxed, header_style="bold" if boxed else "", title_justify="left")
    multi = False
    cells = []
    for row, values in zip(rows, flat, strict=True):
        out = []
        for col, w, cell, value in zip(cols, widths, row, values, strict=True):
            if col.kind == TEXT:
                spans = list(cell.spans) if isinstance(cell, Cell) else []
                shown, spans = excerpt(value, spans, w, max_lines=10**9 if full else MAX_LINES)
                text = Text(shown)
                for s, e in spans:
                    text.stylize(HIGHLIGHT, s, e)
                out.append(text)
                multi = multi or _lines(shown, w) > 1
            else:
                out.append(Text(value))
                multi = multi or (col.kind != NAME and _lines(value, w) > 1)
        cells.append(out)
    for col, w in zip(cols, widths, strict=True):
        table.add_column(col.header, width=w, no_wrap=col.kind == NAME,
                         justify="right" if col.kind == NUMBER else "left")
    for i, out in enumerate(cells):
        if multi and not boxed and i:
            table.add_row()  # plain text: a blank line between rows that take several lines
        table.add_row(*out)
    return table, sum(widths) + overhead


def print_table(cols: Sequence[Col], rows: Sequence[Sequence[str | Cell | None]], *, full: bool = False,
                title: str | None = None, console: Console | None = None) -> None:
    """Print rows as a table sized to the terminal (see the module docstring for the rules); as
    records (``header: value`` pairs packed into lines) when its names cannot fit side by side."""
    console = console or make_console()
    table, needed = build_table(cols, rows, boxed=console.is_terminal, width=console.width, full=full,
                                title=title)
    if needed > console.width:
        _write(console, records(cols, rows, console.width, full=full, title=title))
        return
    if console.is_terminal:
        console.print(table)
        return
    with console.capture() as captured:  # plain text: no padding at line ends, for grep and diff
        console.print(table)
    _write(console, captured.get())


def _write(console: Console, text: str) -> None:
    console.file.write("".join(line.rstrip() + "\n" for line in text.splitlines()))
    console.file.flush()


def records(cols: Sequence[Col], rows: Sequence[Sequence[str | Cell | None]], width: int, *,
            full: bool = False, title: str | None = None) -> str:
    """Rows as records, like psql's expanded display but packed: ``header: value`` pairs side by side
    while they fit in ``width``, a long pair wrapped at spaces with a hanging indent (a NAME never
    wrapped), a TEXT value on its own lines as an excerpt; a blank line between records.

    >>> print(records([Col("label", NAME), Col("n", NUMBER)], [("STORM", "3"), ("PNC", "1")], 40))
    label: STORM   n: 3
    <BLANKLINE>
    label: PNC   n: 1
    """
    out = [title] if title else []
    for k, row in enumerate(rows):
        if k:
            out.append("")
        line = ""
        for col, cell in zip(cols, row, strict=True):
            value = cell.text if isinstance(cell, Cell) else ("" if cell is None else str(cell))
            if value == "":
                continue
            if col.kind == TEXT:
                spans = list(cell.spans) if isinstance(cell, Cell) else []
                shown, _ = excerpt(value, spans, max(width - 2, 20), max_lines=10**9 if full else MAX_LINES)
                out.extend([line] if line else [])
                line = ""
                out.append(f"{col.header}:")
                out.extend(textwrap.wrap(shown, max(width - 2, 20), initial_indent="  ", subsequent_indent="  ",
                                         break_long_words=False, break_on_hyphens=False))
                continue
            pair = f"{col.header}: {squash(value)[0] if col.kind != NAME else value}"
            if line and cell_len(line) + 3 + cell_len(pair) <= width:
                line += "   " + pair
                continue
            out.extend([line] if line else [])
            line = pair
            if col.kind != NAME and cell_len(pair) > width:
                wrapped = textwrap.wrap(pair, width, subsequent_indent="  ", break_long_words=False,
                                        break_on_hyphens=False)
                out.extend(wrapped[:-1])
                line = wrapped[-1]
        out.extend([line] if line else [])
    return "\n".join(out)
