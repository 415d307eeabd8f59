"""The ``policekg`` command line: a thin layer over ``policekg.api`` and friends.

Each command parses its arguments, makes one library call and prints. Library errors
(``PoliceKGError``) become a one-line message on stderr and exit code 2, so an error never
looks like a result.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from policekg import __version__
from policekg.errors import PoliceKGError

# Modules that add commands to the group, one per area (core: build/stats/...; query; visualise).
COMMAND_MODULES = ("core", "query", "visualise", "share")


class PoliceKGGroup(click.Group):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list with each command's whole first sentence, wrapped at words, never cut
        with "..." (click's default cuts it to one line)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PoliceKGError as exc:
            click.echo(f"policekg: error: {exc}", err=True)
            sys.exit(2)
        except click.UsageError as exc:  # a bad option value: one line too, with where to look
            command = f" {exc.ctx.info_name}" if exc.ctx and exc.ctx.parent else ""
            click.echo(f"policekg: error: {exc.format_message()} (see `policekg{command} --help`)", err=True)
            sys.exit(2)
        except BrokenPipeError:  # `policekg query ... | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as exc:  # a path the library did not check first: still one line, exit 2
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"policekg: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)


# Help as wide as the terminal, up to 120 columns (click's default stops at 80).
@click.group(cls=PoliceKGGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
@click.version_option(__version__, prog_name="policekg")
def main() -> None:
    """Turn UK police inspection reports into a knowledge graph you can query, trace and view.

    \b
    Example:
      policekg build                      # the bundled Staffordshire reports
      policekg entities --type System
      policekg export --format ttl --out staffordshire.ttl
    """


store_option = click.option(
    "--store", "store", type=click.Path(), default=None, envvar="POLICEKG_STORE",
    help="Graph store directory [default: $POLICEKG_STORE, else ./.policekg/store].",
)

for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"policekg.cli.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"policekg.cli.{_name}":
            raise
