"""Instructions per match (callgrind) through the bench harness: a measure of
the router that a busy shared machine does not disturb.

    python bench/match_instructions.py                          # github and static; hits, 404, 405
    python bench/match_instructions.py --tables github --cases hits --passes 20
    python bench/match_instructions.py --core                    # inside the compiled core only
    FASTROUTE_NO_EXTENSIONS=1 python bench/match_instructions.py --router fastroute-pure

For each case, valgrind's callgrind counts the instructions of one process
that prepares every case of the tables (routers built, answers checked
against werkzeug) and matches each request once (the baseline), then of one
process that does the same and then *--passes* more rounds over the case's
requests; the difference divided by the matches made is the cost of one
match.  ``PYTHONHASHSEED`` is fixed so two runs of one build give the same
counts.

Two builds of the same code, made in two venvs, count up to about 3% apart
(hash seeds move a count by 0.2%): the harness's own Python loop and the
interpreter's lookups around the call depend on where things lie in memory.
``--core`` counts only what runs inside the compiled core's entry point
(``MapAdapter.match``'s C function and all it calls), which does not move
that way: use it to compare two builds of the core.  Needs valgrind (Debian
package ``valgrind``).
"""

from __future__ import annotations

import argparse
import shutil
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


#: The C function ``MapAdapter.match`` runs in the compiled core.
CORE_ENTRY = "__pyx_f_9fastroute_6_match__match_entry"


def instructions(
    router: str, tables: list[str], cases: list[str], table: str, case: str, passes: int, core: bool = False
) -> int:
    """Instructions callgrind counts for ``_child(...)`` (inside the core's entry only, with *core*)."""
    return callgrind.count(
        __file__,
        "--child",
        router,
        ",".join(tables),
        ",".join(cases),
        table,
        case,
        str(passes),
        inside=CORE_ENTRY if core else None,
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
    parser.add_argument("--core", action="store_true", help="count only inside the compiled core's match")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind not found: install the Debian package 'valgrind'", file=sys.stderr)
        return 2
    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if args.core and not args.router.endswith("-compiled"):
        parser.error("--core counts inside the compiled core: use a compiled router")
    where = " in the core" if args.core else ""
    base = instructions(args.router, tables, cases, "", "", 0, args.core)
    for table in tables:
        for case in cases:
            requests = len(harness.prepare(args.router, table, case)[1])
            total = instructions(args.router, tables, cases, table, case, args.passes, args.core)
            per_match = (total - base) / (args.passes * requests)
            print(
                f"{args.router} {table:8} {case:5} {per_match:>10,.0f} instructions/match{where}", flush=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
