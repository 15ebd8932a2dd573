"""Look for memory leaks and per-request reference cycles in fastroute.

Runs N matches/builds on a realistic map and N WSGI requests to
``fastroute.Flask`` apps (routes, hooks, a blueprint, sessions, error
handlers, streaming, a ``fastroute.local`` LocalManager), every operation
distinct and checked, and reports for each workload:

* tracemalloc's traced size after a warm-up and at the end (and the peak),
* the resident set size at the same points (``/proc/self/statm``),
* the number of GC-tracked objects at the same points,
* the objects ``gc.collect()`` finds in reference cycles after each batch
  of one kind of operation (``gc.DEBUG_SAVEALL``, the automatic collector
  off during the batch), per kind,
* whether any app or request context was left pushed after a request.

Exits 1 when the traced size, RSS or object count grew past its bound, a
kind of operation left reference cycles (unless allowed with
``--allow-cycles``), a context was left pushed or an answer was wrong.
``fastroute.Flask`` is Flask, whose error handling leaves some objects in
cycles: the same requests also run on ``flask.Flask`` (``--flask-requests``
of them, not traced), and a kind of request fails only where fastroute's app
leaves more cycle garbage than Flask's (see ``leakcheck.cycles_beyond_flask``).

The cores are those of the process: the compiled ones unless
``FASTROUTE_NO_EXTENSIONS=1``.  The workloads live in ``tests/support/leakcheck.py``
(shared with ``tests/test_leaks.py``)::

    python -m scripts.leaks                       # 1,000,000 matches, 100,000 requests
    FASTROUTE_NO_EXTENSIONS=1 python -m scripts.leaks --matches 200000 --requests 20000

(from the repository root: it imports ``tests.support``).
"""

from __future__ import annotations

import argparse
import sys

from tests.support import leakcheck

MiB = 1 << 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--matches", type=int, default=1_000_000, help="matching/building operations (default 1,000,000)"
    )
    parser.add_argument("--requests", type=int, default=100_000, help="WSGI requests (default 100,000)")
    parser.add_argument(
        "--flask-requests",
        type=int,
        default=10_000,
        help="the same requests on flask.Flask, the reference for cycles (default 10,000)",
    )
    parser.add_argument("--match-batch", type=int, default=5_000, help="operations per GC batch (matches)")
    parser.add_argument("--request-batch", type=int, default=500, help="operations per GC batch (requests)")
    parser.add_argument(
        "--max-growth",
        type=float,
        default=1.0,
        metavar="MIB",
        help="fail when tracemalloc's traced size grows more than this after warm-up (default 1 MiB)",
    )
    parser.add_argument(
        "--max-rss-growth",
        type=float,
        default=8.0,
        metavar="MIB",
        help="fail when the resident set size grows more than this after warm-up (default 8 MiB;"
        " allocator arenas and tracemalloc's own tables make RSS noisier than the traced size)",
    )
    parser.add_argument(
        "--max-object-growth",
        type=int,
        default=2_000,
        help="fail when the number of GC-tracked objects grows more than this after warm-up (default 2000)",
    )
    parser.add_argument(
        "--allow-cycles",
        action="append",
        default=[],
        metavar="KIND",
        help="report but do not fail on reference cycles made by this kind of operation (repeatable;"
        " 'all' for every kind)",
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="RSS and object counts only (faster, no tracing overhead)",
    )
    args = parser.parse_args(argv)

    import fastroute.routing as fr

    print(f"fastroute leak check: {leakcheck.core_names()}")
    trace = not args.no_tracemalloc
    reports = []
    if args.matches > 0:
        m = leakcheck.make_map(fr)
        report = leakcheck.measure(
            "matches and builds",
            leakcheck.match_kinds(m, fr),
            args.matches,
            batch=args.match_batch,
            check_contexts=False,
            trace=trace,
        )
        reports.append(report)
        print(leakcheck.format_report(report), flush=True)
    if args.requests > 0:
        apps = leakcheck.make_apps()
        report = leakcheck.measure(
            "WSGI requests",
            leakcheck.request_kinds(*apps),
            args.requests,
            batch=args.request_batch,
            trace=trace,
        )
        reports.append(report)
        print(leakcheck.format_report(report), flush=True)
        import flask

        flask_report = leakcheck.measure(
            "the same requests on flask.Flask (reference for cycles)",
            leakcheck.request_kinds(*leakcheck.make_apps(flask.Flask)),
            max(args.flask_requests, args.request_batch),
            batch=args.request_batch,
            trace=False,
        )
        print(leakcheck.format_report(flask_report), flush=True)
        # Only cycles beyond Flask's own count against fastroute's app.
        report.cycles = {
            kind: report.cycles[kind] for kind in leakcheck.cycles_beyond_flask(report, flask_report)
        }

    from fastroute import has_app_context, has_request_context

    failures = []
    if has_request_context() or has_app_context():
        failures.append("a context is still pushed at the end")
    allowed = set(args.allow_cycles)
    for report in reports:
        if trace and report.traced_growth > args.max_growth * MiB:
            failures.append(f"{report.name}: traced size grew {report.traced_growth:,} bytes")
        if report.rss_growth is not None and report.rss_growth > args.max_rss_growth * MiB:
            failures.append(f"{report.name}: RSS grew {report.rss_growth:,} bytes")
        if report.objects_growth > args.max_object_growth:
            failures.append(f"{report.name}: {report.objects_growth:,} more GC-tracked objects")
        for kind, found in sorted(report.cycles.items()):
            if "all" not in allowed and kind not in allowed:
                failures.append(
                    f"{report.name}: {kind!r} left {found:,} objects in reference cycles"
                    f" ({report.cycles_per_op(kind):.1f} per operation)"
                )
        if report.contexts_left:
            failures.append(
                f"{report.name}: a context was left pushed after {report.contexts_left} operations"
            )
        if report.wrong_answers:
            failures.append(f"{report.name}: {report.wrong_answers} wrong answers")
    if failures:
        print("FAIL")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("OK: no growth past the bounds, no reference cycles (beyond flask.Flask's), no context left pushed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
