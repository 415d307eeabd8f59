"""``python -m policekg`` runs the command line."""

from policekg.cli import main

main(prog_name="policekg")
