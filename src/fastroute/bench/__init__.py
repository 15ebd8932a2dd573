"""``python -m fastroute bench``: fastroute's router against werkzeug's, side by side.

Matches the GitHub-API (203 rules), static (157), Google+ (13) and Parse (26)
route tables, shipped with the package, and synthetic REST tables of 10 to
10,000 rules, with fastroute's compiled core, its pure-Python twin (in a child
process with ``FASTROUTE_NO_EXTENSIONS=1``), werkzeug, and falcon,
sanic-routing and http-router when they are importable.  Cases: hits, 404,
405, strict-slash redirects, ``MapAdapter.build``, and per table size the
match time and the time to build a ``Map``.  Every router's answers are
compared with werkzeug's before anything is timed.

    python -m fastroute bench [--quick] [--json FILE] [--plot FILE.png]

The result is a table of median times per operation with the speed-up over
werkzeug; ``--json`` writes the same numbers for machines, ``--plot`` draws
them (needs matplotlib: ``pip install 'fastroute[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["configure", "main", "run_command"]


def configure(p: argparse.ArgumentParser) -> None:
    """The options of the ``bench`` subcommand."""
    speed = p.add_mutually_exclusive_group()
    speed.add_argument(
        "--quick", action="store_true", help="fewer, shorter samples (under 30 s on a quiet machine)"
    )
    speed.add_argument(
        "--smoke",
        action="store_true",
        help="a few seconds, tiny tables: checks that it works; the numbers mean nothing",
    )
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    p.add_argument("--plot", metavar="FILE.png", help="draw the results into FILE.png (needs matplotlib)")
    p.add_argument(
        "--routers",
        metavar="NAMES",
        help="comma-separated subset of werkzeug, fastroute-compiled, fastroute-pure, falcon, "
        "sanic-routing, http-router (werkzeug is always measured: it is the reference)",
    )
    # A child process measuring the fastroute core this process cannot run.
    p.add_argument("--child-router", help=argparse.SUPPRESS)
    p.add_argument("--child-answers", help=argparse.SUPPRESS)


def run_command(args: argparse.Namespace) -> int:
    """Run the benchmark as configured by :func:`configure`."""
    from . import runner

    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    settings = runner.Settings.of(mode)
    if args.child_router:
        return runner.child_main(args.child_router, args.child_answers, settings, args.json)

    if args.plot:
        from . import plot

        plot.require_matplotlib()  # fail now, not after the run
    routers = [r.strip() for r in args.routers.split(",")] if args.routers else None
    if routers:
        unknown = set(routers) - {*runner.WERKZEUG_FAMILY, *runner.OTHERS}
        if unknown:
            print(f"error: unknown router(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
    mode_args = [] if mode == "full" else [f"--{mode}"]
    try:
        doc = runner.run(settings, routers, mode_args)
    except runner.Mismatch as e:
        print(f"\nerror: the routers disagree, nothing was timed:\n{e}", file=sys.stderr)
        return 1
    print(runner.format_table(doc))
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    if args.plot:
        plot.plot(doc, args.plot)
        print(f"plot written to {args.plot}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m fastroute.bench`` (the same as ``python -m fastroute bench``)."""
    parser = argparse.ArgumentParser(
        prog="python -m fastroute bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure(parser)
    return run_command(parser.parse_args(argv))
