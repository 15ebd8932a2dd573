"""Instructions per match (callgrind) through the bench harness: a measure of
the router that a busy shared machine does not disturb.

    python bench/match_instructions.py                          # github and static; hits, 404, 405
    python bench/match_instructions.py --tables github --cases hits --passes 20
    FASTROUTE_NO_EXTENSIONS=1 python bench/match_instructions.py --router fastroute-pure

For each case, valgrind's callgrind counts the instructions of one process
that prepares every case of the tables (routers built, answers checked
against werkzeug) and matches each request once (the baseline), then of one
process that does the same and then *--passes* more rounds over the case's
requests; the difference divided by the matches made is the cost of one
match.  ``PYTHONHASHSEED`` is fixed so two runs of one build give the same
counts; ``--seeds N`` repeats the whole count under hash seeds 0..N-1 and
reports each and their median, since a change of layout alone (another build,
another venv) moves a count by up to about 3%.  Needs valgrind (Debian
package ``valgrind``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import callgrind  # noqa: E402
import harness  # noqa: E402


def _child(router: str, tables: list[str], cases: list[str], table: str, case: str, passes: int) -> None:
    """The measured process: prepare and warm every case, then *passes* rounds of one."""
    prepared = {(t, c): harness.prepare(router, t, c) for t in tables for c in cases}
    for match, pairs in prepared.values():
        for method, path in pairs:
            match(method, path)
    if table:
        # The case prepared above: preparing it again would check it against
        # werkzeug again, inside the count.
        match, pairs = prepared[table, case]
        for _ in range(passes):
            for method, path in pairs:
                match(method, path)


def instructions(
    router: str, tables: list[str], cases: list[str], table: str, case: str, passes: int, seed: int = 0
) -> int:
    """Instructions callgrind counts for ``_child(...)`` under hash seed *seed*."""
    return callgrind.count(
        __file__, "--child", router, ",".join(tables), ",".join(cases), table, case, str(passes), seed=seed
    )


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        router, tables, cases, table, case, passes = sys.argv[2:8]
        _child(router, tables.split(","), cases.split(","), table, case, int(passes))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--router", default="fastroute-compiled", help="a router name of fastroute.bench")
    parser.add_argument("--tables", default="github,static", help="comma-separated route tables")
    parser.add_argument("--cases", default="hits,404,405", help="comma-separated cases")
    parser.add_argument("--passes", type=int, default=20, help="measured rounds over each case's requests")
    parser.add_argument("--seeds", type=int, default=1, help="hash seeds to count under (median reported)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind not found: install the Debian package 'valgrind'", file=sys.stderr)
        return 2
    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    seeds = range(max(1, args.seeds))
    bases = [instructions(args.router, tables, cases, "", "", 0, seed) for seed in seeds]
    for table in tables:
        for case in cases:
            requests = len(harness.prepare(args.router, table, case)[1])
            counts = [
                (instructions(args.router, tables, cases, table, case, args.passes, seed) - base)
                / (args.passes * requests)
                for seed, base in zip(seeds, bases, strict=True)
            ]
            each = "" if len(counts) == 1 else "  (" + " ".join(f"{c:,.0f}" for c in counts) + ")"
            print(
                f"{args.router} {table:8} {case:5} {statistics.median(counts):>10,.0f} instructions/match{each}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
