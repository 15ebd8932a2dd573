"""Hostile inputs against a normal match, werkzeug and fastroute side by side.

The table and the inputs are ``hostile_report.py``'s (``RULES``, ``NORMAL``,
``HOSTILE``): ordinary routes next to shapes that make a matcher work hard,
and near misses at the size of an 8 KB request line.

Groups: ``hostile-normal`` times one match per call, cycling through the
ordinary requests (so its median is a typical normal match);
``hostile-<case>`` times one hostile input per call.  Each hostile
benchmark's ``extra_info["worst_over_normal"]`` is its median over the
router's ``hostile-normal`` median (when that ran first, as it does in file
order), and at the end of the module a table gives, per router, the normal
median, the worst hostile median and their ratio, over all cases and over
the cases that are linear in the path (``hostile_report.SHARED_REGEX`` are
not).  Before timing, every
answer is asserted equal to werkzeug's.  Nothing is asserted about speed.

Run: ``pytest bench/test_bench_hostile.py --benchmark-group-by=group``.
"""

from __future__ import annotations

import itertools
import re
import typing as t

import pytest

import hostile_report as hr

CASES = ["normal", *hr.HOSTILE]

# router -> case -> median seconds per match
_MEDIANS: dict[str, dict[str, float]] = {}


def group_of(case: str) -> str:
    return "hostile-" + re.sub(r"[^a-z0-9]+", "-", case.lower()).strip("-")


def _fmt(seconds: float) -> str:
    us = seconds * 1e6
    return f"{us / 1000:,.1f} ms" if us >= 1000 else f"{us:,.2f} us"


@pytest.fixture(scope="module", autouse=True)
def worst_case_table(request: pytest.FixtureRequest) -> t.Iterator[None]:
    """After the module: normal median, worst hostile median and the ratio, per router."""
    yield
    rows = {r: cases for r, cases in _MEDIANS.items() if "normal" in cases and len(cases) > 1}
    if not rows:
        return
    tr = request.config.pluginmanager.getplugin("terminalreporter")
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if tr is None or capman is None:
        return
    with capman.global_and_fixture_disabled():
        tr.write_line("")
        tr.write_sep("=", "hostile inputs: worst case / normal match median")
        tr.write_line(f"{'router':<22}{'normal':>12}{'worst':>14}{'ratio':>12}  worst case")
        for router, cases in rows.items():
            hostile = [c for c in cases if c != "normal"]
            linear = [c for c in hostile if c not in hr.SHARED_REGEX]
            for candidates in (hostile, linear):
                if not candidates:
                    continue
                worst = max(candidates, key=cases.__getitem__)
                ratio = cases[worst] / cases["normal"]
                tr.write_line(
                    f"{router:<22}{_fmt(cases['normal']):>12}{_fmt(cases[worst]):>14}{ratio:>11,.0f}x  {worst}"
                )


@pytest.mark.werkzeug_api
@pytest.mark.parametrize("case", CASES, ids=[group_of(c) for c in CASES])
def test_hostile(benchmark, note, router, case):
    match = hr.matcher(router)
    if router != "werkzeug":
        hr.check(router)  # every answer equal to werkzeug's
    benchmark.group = group_of(case)
    benchmark.extra_info.update(router=router, case=case, rules=len(hr.RULES))
    if case == "normal":
        following = itertools.cycle(hr.NORMAL).__next__
        benchmark(lambda: match(following()))
        note(1, distinct_requests=len(hr.NORMAL))
    else:
        path = hr.HOSTILE[case]
        benchmark(match, path)
        note(1, path_length=len(path))
    per_op = benchmark.extra_info.get("median_ns_per_op")
    if per_op is None:  # --benchmark-disable
        return
    medians = _MEDIANS.setdefault(router, {})
    medians[case] = per_op / 1e9
    if case != "normal" and "normal" in medians:
        benchmark.extra_info["worst_over_normal"] = round(medians[case] / medians["normal"], 1)
