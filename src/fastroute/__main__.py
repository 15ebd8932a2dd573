"""``python -m fastroute``: the command line, with one subcommand, ``bench``.

``python -m fastroute bench`` measures fastroute's router against werkzeug's
(see :mod:`fastroute.bench`).  The app commands are Flask's own: a fastroute
app is a Flask app, so ``flask --app module run`` and ``flask --app module
routes`` serve and list it.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m fastroute`` parser: one subparser per subcommand."""
    from .bench import configure

    parser = argparse.ArgumentParser(prog="python -m fastroute", description="fastroute command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    help_text = "benchmark the router against werkzeug (and others)"
    configure(sub.add_parser("bench", help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m fastroute``."""
    from .bench import run_command

    args = build_parser().parse_args(argv)
    return int(run_command(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
