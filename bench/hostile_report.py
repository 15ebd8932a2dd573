#!/usr/bin/env python3
"""How much slower the worst hostile input is than a normal match, per router.

    python bench/hostile_report.py [--repeat N] [--target-ms MS]

One rule table (``RULES``) holds ordinary routes next to shapes that make a
matcher work hard: 64 rules sharing every prefix of variables with a static
tail, a ``path`` converter at five depths, several converters in one
segment, two ``path`` converters in one rule.  ``NORMAL`` are ordinary
requests (hits, a 404, a redirect); ``HOSTILE`` are near misses at the size
of an 8 KB request line (the ``three-strings`` case is smaller: it is cubic
and would take minutes at 8 KB, in werkzeug as in fastroute).

For each router the time of one match is the minimum over ``--repeat``
samples (each a loop of about ``--target-ms``, ``time.perf_counter``); the
normal time is the median over ``NORMAL``; each hostile row shows its time
and its ratio to that median, and the last rows the worst ratio, over all
rows and over the rows that are linear in the path (``SHARED_REGEX`` are
not).  Before timing, every router's answers are checked against werkzeug's.

fastroute's ``Map`` takes its base classes from the core chosen at import,
so the configuration this process cannot run (``fastroute-pure`` when the
extension is built) runs in a child process with
``FASTROUTE_NO_EXTENSIONS=1`` and is merged into the table.  Speed is
reported, never asserted.  ``bench/test_bench_hostile.py`` measures the same
cases with pytest-benchmark.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import typing as t
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from werkzeug.exceptions import HTTPException

import harness  # noqa: F401  (a checkout's src/ on the path when fastroute is not installed)
from fastroute.bench import runner

LEVELS = 6
RULES: list[str] = [
    # ordinary routes
    "/",
    "/about",
    "/user/<int:id>",
    "/user/<int:id>/posts/<slug>",
    "/static/<path:filename>",
    "/docs/",
    # 2**6 rules sharing every prefix of variables, with a static tail
    *(
        "/t/" + "/".join(f"<{conv}:v{i}>" for i, conv in enumerate(combo)) + "/tail"
        for combo in itertools.product(["string", "int"], repeat=LEVELS)
    ),
    # a path converter at every depth, then a static tail
    *("/f/" + "".join(f"<v{i}>/" for i in range(depth)) + "<path:rest>/edit" for depth in range(5)),
    # several converters in one segment that cannot overlap (linear) ...
    "/m/<int:a>-<int:b>-<int:c>",
    "/m/<uuid:u>.<any(json, xml):ext>",
    # ... and that can (one regex, quadratic / cubic on a near miss)
    "/q/<a>-<b>.html",
    "/q/<path:a>/x/<path:b>/end",
    "/q3/<a>-<b>-<c>.html",
]

NORMAL: list[str] = [
    "/",
    "/about",
    "/user/42",
    "/user/42/posts/hello-world",
    "/static/css/site.css",
    "/docs",
    "/nope",
    "/t/1/2/3/4/5/6/tail",
    "/f/a/b/edit",
    "/m/1-2-3",
    "/q/a-b.html",
    "/q/a/x/b/end",
]

URL = 8 * 1024  # a common request-line limit
SEG = (URL - 16) // LEVELS
HOSTILE: dict[str, str] = {
    "shared prefix, digits, 8 KB": "/t/" + "/".join(["1" * SEG] * LEVELS) + "/tai",
    "shared prefix, letters, 8 KB": "/t/" + "/".join(["a" * SEG] * LEVELS) + "/tai",
    "shared prefix, merged //, 8 KB": "/t//" + "//".join(["a" * (SEG - 1)] * LEVELS) + "//tai",
    "path at 5 depths, 8 KB": "/f/" + "a/" * (URL // 2 - 4) + "edix",
    "4,000 segments, 8 KB": "/t/" + "a/" * (URL // 2 - 4) + "x",
    "ints in a segment, 8 KB": "/m/" + "1-" * (URL // 2 - 4),
    "2 strings + literal, 8 KB": "/q/" + "a-" * (URL // 2 - 4),
    "2 paths in a rule, 8 KB": "/q/" + "a/x/" * (URL // 4 - 2) + "en",
    "3 strings + literal, 600 B": "/q3/" + "a-" * 300,
}
#: the rows where converters that can match the same characters share one
#: regex (quadratic or cubic); the others are linear in the path
SHARED_REGEX = {"2 strings + literal, 8 KB", "2 paths in a rule, 8 KB", "3 strings + literal, 600 B"}


def make_adapter(router: str) -> t.Any:
    mod = runner.routing_module(router)
    return mod.Map([mod.Rule(r, endpoint=r) for r in RULES]).bind(runner.SERVER_NAME)


@cache
def matcher(router: str) -> t.Callable[[str], t.Any]:
    """``match(path)`` of *router* over ``RULES``; HTTP errors are returned (cached)."""
    adapter_match = make_adapter(router).match

    def match(path: str) -> t.Any:
        try:
            return adapter_match(path)
        except HTTPException as e:
            return e

    return match


def describe(result: t.Any) -> tuple[t.Any, ...]:
    if isinstance(result, HTTPException):
        return (type(result).__name__, getattr(result, "new_url", None))
    return ("hit", result[0])


@cache
def werkzeug_answers() -> tuple[tuple[t.Any, ...], ...]:
    reference = matcher("werkzeug")
    return tuple(describe(reference(path)) for path in [*NORMAL, *HOSTILE.values()])


@cache
def check(router: str) -> None:
    """Assert that *router* answers every case as werkzeug does (once per router)."""
    match = matcher(router)
    for path, want in zip([*NORMAL, *HOSTILE.values()], werkzeug_answers(), strict=True):
        got = describe(match(path))
        assert got == want, f"{router}: {path[:60]!r}: {got} != werkzeug {want}"


def time_one(match: t.Callable[[str], t.Any], path: str, repeat: int, target: float) -> float:
    """Seconds per match of *path*: the minimum over *repeat* samples."""
    start = time.perf_counter()
    match(path)
    once = max(time.perf_counter() - start, 1e-7)
    loops = max(1, int(target / once))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            match(path)
        best = min(best, (time.perf_counter() - start) / loops)
    return best


def measure(router: str, repeat: int, target: float) -> dict[str, float]:
    """Row label -> seconds per match for *router* (``normal`` = median of NORMAL)."""
    match = matcher(router)
    if router != "werkzeug":
        check(router)
    normal = [time_one(match, path, repeat, target) for path in NORMAL]
    results = {"normal (median)": statistics.median(normal)}
    for label, path in HOSTILE.items():
        results[label] = time_one(match, path, repeat, target)
    return results


def in_child(name: str, env_changes: dict[str, str], argv: list[str]) -> dict[str, float]:
    env = dict(os.environ, **env_changes)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--only", name, *argv]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"[{name} in a child process failed]\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return t.cast(dict[str, float], json.loads(done.stdout))


def fmt(seconds: float) -> str:
    us = seconds * 1e6
    if us >= 1000:
        return f"{us / 1000:,.1f} ms"
    return f"{us:,.1f} us"


def report(results: dict[str, dict[str, float]]) -> None:
    names = list(results)
    print(
        f"Python {platform.python_version()}, {len(RULES)} rules; time per match (min of repeats), "
        "x = this row / the router's normal median"
    )
    width = max(len(label) for label in next(iter(results.values()))) + 2
    print("case".ljust(width) + "".join(n.rjust(26) for n in names))
    labels = list(next(iter(results.values())))
    for label in labels:
        cells = []
        for name in names:
            value = results[name][label]
            text = fmt(value)
            if label != labels[0]:
                text += f" ({value / results[name][labels[0]]:,.0f}x)"
            cells.append(text.rjust(26))
        print(label.ljust(width) + "".join(cells))
    for title, rows in (
        ("worst / normal median", labels[1:]),
        ("worst linear / normal", [label for label in labels[1:] if label not in SHARED_REGEX]),
    ):
        worst = []
        for name in names:
            row = results[name]
            label = max(rows, key=row.__getitem__)
            worst.append(f"{row[label] / row[labels[0]]:,.0f}x".rjust(26))
        print(title.ljust(width) + "".join(worst))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="samples per case (the minimum is kept)")
    parser.add_argument("--target-ms", type=float, default=20.0, help="approximate length of one sample")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # child process: one router, JSON out
    args = parser.parse_args(argv)
    target = args.target_ms / 1000
    passed = ["--repeat", str(args.repeat), "--target-ms", str(args.target_ms)]
    if args.only:
        json.dump(measure(args.only, args.repeat, target), sys.stdout)
        return
    results = {"werkzeug": measure("werkzeug", args.repeat, target)}
    here = runner.in_process_fastroute()
    results[here] = measure(here, args.repeat, target)
    for name, env in runner.child_fastroute().items():
        child = in_child(name, env, passed)
        if child:
            results[name] = child
    report(results)


if __name__ == "__main__":
    main()
