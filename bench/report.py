#!/usr/bin/env python3
"""The benchmark numbers without pytest: median time per operation per router
and the speed-up over werkzeug (werkzeug time / router time).

    python bench/report.py [--quick] [--wall] [--others]

Sections: matching (the GitHub 90/10 mix and its single cases, the static
table's mix, hit, 404 and 405, the other tables' mixes; then each 404 and
405 as a multiple of its table's static hit), Python's own cost of an error (a dict lookup that finds its
key against one whose KeyError is caught: the floor of any 404 that is
raised), scaling (match time over 10 ... 10,000 rules, 2,000 siblings,
600 custom regexes; Map build + first match; retained memory per rule) and URL
building.  Every case is first checked against werkzeug's answers (an
assertion), as in the pytest suite.

fastroute's classes take their base from the core chosen at import, so the
configuration this process cannot run (``fastroute-pure`` when the extension
is built) is measured in a child process with ``FASTROUTE_NO_EXTENSIONS=1``
and merged into the same tables.

Timing uses this process's CPU time (``time.process_time``) by default, so
other work on a busy machine does not inflate long rounds more than short
ones; ``--wall`` uses ``time.perf_counter``.  The garbage collector stays on.
How much a build pays for it depends on what the process already holds (a
full collection runs when the survivors pass a quarter of the old objects),
so each router's builds run in a fresh child process, each sample after a
full collection, and a "collector off" row shows the build's own work.
Each router is measured on its own, warm, as it
runs in a server (taking the routers' samples in turn was tried: a
10,000-rule table then starts each sample with the other router's data in
the caches).  ``--runs N`` repeats everything and reports each number's
best run, which leaves out bursts of noise on a shared machine.  ``--quick`` takes
fewer, shorter samples and measures memory at 1,000 rules instead of 10,000
(under a minute on a quiet machine); ``--others`` adds falcon / sanic-routing
/ http-router when importable (slow at 10,000 rules).  Speed is reported,
never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import typing as t
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
from fastroute.bench import runner, tables as tb

Timer = t.Callable[[], float]
# section -> row label -> router -> value
Results = dict[str, dict[str, dict[str, float]]]

GITHUB_CASES = ["mix", "Static", "Param", "2Params", "404", "405"]
STATIC_CASES = ["mix", "Static", "404", "405"]
SCALING_TABLES = [f"rest{n}" for n in tb.SCALING_SIZES] + ["siblings2000", "regex600"]

MATCHING = "Matching, ns per match (All = 90% hits / 5% 404 / 5% 405)"
SCALING = "Scaling: match per request, 90/10 mix"
SCALING_SAME = "Scaling: hits on the same 8 routes of each REST table (the walk, not the memory)"
BUILDING = "Scaling: Map build = fresh rules -> Map -> bind -> first match"
MEMORY = "Memory retained per rule (tracemalloc; (Nx) = werkzeug / router)"
URLS = "URL building, MapAdapter.build"
FLOOR = "Python's own cost of an error, no router: a dict lookup through the routers' harness"


def match_time(router: str, table: str, case: str, timer: Timer, repeat: int, target: float) -> float:
    match, pairs = harness.prepare(router, table, case)  # checks agreement with werkzeug

    def run() -> None:
        for method, path in pairs:
            match(method, path)

    return runner.measure(run, len(pairs), repeat, target, timer)


def python_floor(timer: Timer, repeat: int, target: float) -> dict[str, dict[str, float]]:
    """What CPython charges for an error with no routing in it: a C call
    (``dict.__getitem__``) that returns, against one that raises KeyError,
    caught and returned as the routers' harness catches and returns a 404.  A router
    whose 404 raises (werkzeug's API) cannot cost less than the second."""
    table = {f"/p{i}": i for i in range(64)}
    get = table.__getitem__

    def lookup(method: str, path: str) -> t.Any:
        try:
            return get(path)
        except KeyError as e:
            return e

    rows = {}
    for label, prefix in (("a key found", "/p"), ("a KeyError raised and caught", "/q")):
        pairs = [("GET", f"{prefix}{i}") for i in range(64)]

        def run(pairs: list[tuple[str, str]] = pairs) -> None:
            for method, path in pairs:
                lookup(method, path)

        rows[label] = {"python": runner.measure(run, len(pairs), repeat, target, timer)}
    return rows


def build_time(
    router: str, size: int, timer: Timer, repeat: int, budget: float, collector: bool = True
) -> float:
    """Median seconds for fresh rules -> Map -> bind -> first match.

    Each sample starts after a full collection, so the collector's state is
    the same for every sample and router; with *collector* false it is off
    during the sample.
    """
    table = tb.get_table(f"rest{size}")
    first = harness.SESSION.first_hit(table.name)
    mod = runner.routing_module(router)
    samples: list[float] = []
    spent = 0.0
    while len(samples) < repeat or (spent < budget and len(samples) < 200):
        rules = tb.make_rules(mod.Rule, table)
        gc.collect()
        if not collector:
            gc.disable()
        try:
            start = timer()
            adapter = runner.make_map(router, rules, table).bind(runner.SERVER_NAME)
            adapter.match(first.path, first.method)
            samples.append(timer() - start)
        finally:
            gc.enable()
        spent += samples[-1]
        del adapter, rules
    return statistics.median(samples)


def retained_per_rule(router: str, size: int, built: bool = False) -> float:
    """Bytes per rule that a bound map keeps after its first match (and,
    with *built*, after one URL built for every endpoint: fastroute makes
    an endpoint's build plans on its first build)."""
    table = tb.get_table(f"rest{size}")
    first = harness.SESSION.first_hit(table.name)
    mod = runner.routing_module(router)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rules = tb.make_rules(mod.Rule, table)
        adapter = runner.make_map(router, rules, table).bind(runner.SERVER_NAME)
        adapter.match(first.path, first.method)
        if built:
            # From the table, not the rules: reading a fastroute rule's
            # methods or arguments makes its sets (they are made on first
            # read), which building alone does not.  The REST tables'
            # variables are plain strings.
            for route in table.routes:
                names = [found[2] for found in tb.VAR.finditer(route.path)]
                adapter.build(route.endpoint, dict.fromkeys(names, "x"), method=route.method)
        del rules
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del adapter
    return (after - before) / size


def url_build_time(router: str, case: str, timer: Timer, repeat: int, target: float) -> float:
    build, endpoint, values = harness.prepare_build(router, case)  # checks werkzeug's URL

    def run() -> None:
        for _ in range(100):
            build(endpoint, values)

    return runner.measure(run, 100, repeat, target, timer)


def collect(names: list[str], quick: bool, timer: Timer) -> Results:
    """Matching and URL-building results for *names*, measured here."""
    repeat, target = (5, 0.015) if quick else (9, 0.1)
    werkzeug_api = [n for n in names if n in runner.WERKZEUG_FAMILY]
    results: Results = {MATCHING: {}, SCALING: {}, SCALING_SAME: {}, URLS: {}}
    cases = [("github", c) for c in GITHUB_CASES] + [("static", c) for c in STATIC_CASES]
    cases += [(table, "mix") for table in ("gplus", "parse")]
    for table, case in cases:
        results[MATCHING][f"{table} {harness.label(case)}"] = {
            n: match_time(n, table, case, timer, repeat, target)
            for n in names
            if runner.supports(n, runner.MATCH, table)
        }
    for table in SCALING_TABLES:
        row = f"{table[4:]} rules" if table.startswith("rest") else table
        results[SCALING][row] = {
            n: match_time(n, table, "mix", timer, repeat, target)
            for n in names
            if runner.supports(n, runner.MATCH, table)
        }
    for size in tb.SCALING_SIZES:
        results[SCALING_SAME][f"{size} rules"] = {
            n: match_time(n, f"rest{size}", tb.FIRST_ROUTES, timer, repeat, target) for n in werkzeug_api
        }
    for case in harness.BUILD_CASES:
        results[URLS][f"build {case}"] = {
            n: url_build_time(n, case, timer, repeat, target) for n in werkzeug_api
        }
    if "werkzeug" in names:  # once, in the main process
        results[FLOOR] = python_floor(timer, repeat, target)
    return results


def collect_builds(router: str, quick: bool, timer: Timer) -> Results:
    """Map build times and memory of one router (run in a fresh process)."""
    results: Results = {BUILDING: {}, MEMORY: {}}
    for size in tb.SCALING_SIZES:
        budget = (0.15 if quick else 2.0) if size < 10000 else 0.0
        repeat = (1 if quick else 3) if size >= 10000 else (5 if quick else 9)
        results[BUILDING][f"{size} rules"] = {router: build_time(router, size, timer, repeat, budget)}
    results[BUILDING]["10000 rules, collector off"] = {
        router: build_time(router, 10000, timer, 1 if quick else 3, 0.0, collector=False)
    }
    size = 1000 if quick else 10000
    results[MEMORY][f"bytes per rule at {size} rules"] = {router: retained_per_rule(router, size)}
    results[MEMORY]["the same, every endpoint built once"] = {router: retained_per_rule(router, size, True)}
    return results


def merge(into: Results, other: Results) -> None:
    for section, rows in other.items():
        for label, values in rows.items():
            into.setdefault(section, {}).setdefault(label, {}).update(values)


def best_of(runs: list[Results]) -> Results:
    """Each number's best (lowest) over *runs*: noise on a machine only ever
    adds time (timeit's advice), for every router alike."""
    seen: dict[tuple[str, str, str], list[float]] = {}
    for run in runs:
        for section, rows in run.items():
            for label, values in rows.items():
                for name, value in values.items():
                    seen.setdefault((section, label, name), []).append(value)
    out: Results = {}
    for (section, label, name), values in seen.items():
        out.setdefault(section, {}).setdefault(label, {})[name] = min(values)
    return out


def in_child(name: str, env_changes: dict[str, str], argv: list[str]) -> Results:
    """Run this script for router *name* in a child process with *env_changes*.

    werkzeug's answers, already computed here, are handed over in a file so
    the child checks against them without rebuilding werkzeug's maps.
    """
    env = dict(os.environ, **env_changes)
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "werkzeug-answers.pickle"
        answers.write_bytes(pickle.dumps(harness.SESSION.answers))
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--only",
            name,
            "--json",
            "--answers",
            str(answers),
        ]
        done = subprocess.run([*cmd, *argv], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"[{name} in a child process failed]\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return t.cast(Results, json.loads(done.stdout))


def fmt_time(seconds: float) -> str:
    ns = seconds * 1e9
    if ns >= 1e7:
        return f"{ns / 1e6:,.0f} ms"
    if ns >= 1e5:
        return f"{ns / 1e3:,.0f} us"
    return f"{ns:,.0f} ns"


def print_section(title: str, rows: dict[str, dict[str, float]], order: list[str]) -> None:
    names = [n for n in order if any(n in v for v in rows.values())]
    fmt = (lambda b: f"{b:,.0f} B") if title == MEMORY else fmt_time
    label_width = max(len(label) for label in rows) + 2
    widths = [max(len(n), 10) + 9 for n in names]
    print(f"\n{title}\n{'':{label_width}}" + "".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True)))
    for label, values in rows.items():
        base = values.get("werkzeug")
        line = f"{label:<{label_width}}"
        for n, width in zip(names, widths, strict=True):
            if n not in values:
                cell = "-"
            elif n == "werkzeug" or not base:
                cell = fmt(values[n])
            else:
                cell = f"{fmt(values[n])} ({base / values[n]:.1f}x)"
            line += f"{cell:>{width}}"
        print(line)


def print_error_ratios(rows: dict[str, dict[str, float]], order: list[str]) -> None:
    """A 404's and a 405's time as multiples of the same table's static hit,
    per router (werkzeug's API raises them; see the section above)."""
    lines = []
    for table in ("github", "static"):
        hit = rows.get(f"{table} Static", {})
        for case in ("404", "405"):
            err = rows.get(f"{table} {case}", {})
            cells = {n: err[n] / hit[n] for n in order if n in err and n in hit and hit[n]}
            if cells:
                lines.append((f"{table} {case} / {table} Static", cells))
    if not lines:
        return
    names = [n for n in order if any(n in cells for _, cells in lines)]
    label_width = max(len(label) for label, _ in lines) + 2
    widths = [max(len(n), 10) + 9 for n in names]
    print(
        "\nErrors as multiples of a static hit (same table, same router)\n"
        + f"{'':{label_width}}"
        + "".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True))
    )
    for label, cells in lines:
        line = f"{label:<{label_width}}"
        for n, width in zip(names, widths, strict=True):
            line += f"{f'{cells[n]:.1f}x' if n in cells else '-':>{width}}"
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples (about a minute)")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of process CPU time")
    parser.add_argument("--others", action="store_true", help="add falcon / sanic-routing / http-router")
    parser.add_argument(
        "--runs", type=int, default=1, metavar="N", help="measure N times, report each number's best"
    )
    parser.add_argument("--only", help=argparse.SUPPRESS)  # child processes: one router
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--answers", help=argparse.SUPPRESS)
    parser.add_argument("--builds", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    timer: Timer = time.perf_counter if args.wall else time.process_time
    passed = [a for a in ("--quick", "--wall") if getattr(args, a[2:])]
    if args.answers:
        harness.SESSION.answers.update(pickle.loads(Path(args.answers).read_bytes()))
    if args.only:  # a child process: measure one router, print JSON
        if args.builds:
            results = collect_builds(args.only, args.quick, timer)
        else:
            results = collect([args.only], args.quick, timer)
        json.dump(results, sys.stdout)
        return 0

    names = [n for n in runner.in_process_routers() if n in runner.WERKZEUG_FAMILY or args.others]
    missing = runner.child_fastroute()
    began = time.perf_counter()
    print(
        f"fastroute benchmark report: median per operation, (Nx) = speed-up over werkzeug; "
        f"{'wall' if args.wall else 'CPU'} time{', quick' if args.quick else ''}"
        f"{f', best of {args.runs} runs' if args.runs > 1 else ''}\n"
        f"routers: {', '.join(names)}" + (f"; in a child process: {', '.join(missing)}" if missing else ""),
        flush=True,
    )
    runs = []
    for _ in range(args.runs):
        results = collect(names, args.quick, timer)
        for name, env in missing.items():
            merge(results, in_child(name, env, passed))
        # Builds and memory: each router in a fresh process (the collector's
        # cost depends on what the process already holds).
        builders = {n: {} for n in names if n in runner.WERKZEUG_FAMILY}
        builders.update(missing)
        for name, env in builders.items():
            merge(results, in_child(name, env, [*passed, "--builds"]))
        runs.append(results)
    results = best_of(runs)

    order = ["werkzeug", *sorted(n for n in [*names, *missing] if n.startswith("fastroute"))]
    order += [n for n in names if n in runner.OTHERS]
    for section in (MATCHING, FLOOR, SCALING, SCALING_SAME, BUILDING, MEMORY, URLS):
        if results.get(section):
            print_section(section, results[section], [*order, "python"])
        if section == MATCHING and results.get(MATCHING):
            print_error_ratios(results[MATCHING], order)
    print(f"\n({time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
