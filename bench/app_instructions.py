"""Instructions per request (callgrind) for the apps of ``app_report``: a
measure that a busy shared machine does not disturb.

    python bench/app_instructions.py                    # flask and fastroute, every case
    python bench/app_instructions.py --apps fastroute --cases hello,404 --requests 300

For each app, valgrind's callgrind counts the instructions of one process that
builds the apps and warms every case up (the baseline), then of one process per
case that does the same and then *--requests* more requests of that case; the
difference divided by *--requests* is the cost of one request.  The report
gives the counts and Flask's count divided by each app's (how many times fewer
instructions).  Needs valgrind (Debian package ``valgrind``); each process runs
about 50 times slower than normally.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import app_report  # noqa: E402
import callgrind  # noqa: E402


def _child(app: str, case: str, requests: int) -> None:
    """The measured process: build, warm every case up, then *requests* of *case*."""
    apps = app_report.build_apps(falcon=app == "falcon")
    runners = {name: app_report.request_runner(apps[app], c) for name, c in app_report.CASES.items()}
    for run in runners.values():
        for _ in range(50):
            run()
    if case:
        run = runners[case]
        for _ in range(requests):
            run()


def instructions(app: str, case: str, requests: int) -> int:
    """Instructions callgrind counts for ``_child(app, case, requests)``."""
    return callgrind.count(__file__, "--child", app, case, str(requests))


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", default="flask,fastroute", help="comma-separated app names of app_report")
    parser.add_argument("--cases", default=",".join(app_report.CASES), help="comma-separated endpoints")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per case")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind not found: install the Debian package 'valgrind'", file=sys.stderr)
        return 2
    apps = [a.strip() for a in args.apps.split(",") if a.strip()]
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    counts: dict[str, dict[str, int]] = {}
    for app in apps:
        base = instructions(app, "", 0)
        for case in cases:
            per_request = (instructions(app, case, args.requests) - base) // args.requests
            counts.setdefault(case, {})[app] = per_request
            print(f"{app:12} {case:10} {per_request:>10,} instructions/request", flush=True)
    print(f"\n{'case':10}" + "".join(f"{a:>14}" for a in apps) + "   flask / app")
    for case, row in counts.items():
        line = f"{case:10}" + "".join(f"{row[a]:>14,}" for a in apps)
        if "flask" in row:
            line += "   " + "  ".join(f"{a} {row['flask'] / row[a]:.1f}x" for a in apps if a != "flask")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
