"""Scaling with the number of rules: match time, Map build time, memory.

``scale-match-<N>-rules`` (N = 10, 100, 1,000, 10,000 REST-like rules),
``scale-match-siblings2000`` (2,000 static siblings at one level) and
``scale-match-regex600`` (600 custom converters, so 600 distinct regexes:
more than ``re``'s 512-entry cache): the 90/10 request mix per round, time
per match in ``extra_info`` and the summary.

``scale-same-<N>-rules``: hits on the same eight routes of each REST table,
so the requests and their working set do not grow with the table: the
match's own cost against table size, apart from cache misses.

``scale-build-<N>-rules``: ``Map(rules)`` + ``bind`` + the first match (so
the matcher's compilation, ``update()``, is included), from freshly created
rules each round; werkzeug vs fastroute.  ``extra_info`` also holds the
memory retained per rule (tracemalloc, rules + map + matcher after the
first match); it is reported, not asserted.
"""

from __future__ import annotations

import gc
import time
import tracemalloc

import pytest

import harness
from fastroute.bench import runner, tables as tb

SIZES = tb.SCALING_SIZES
MATCH_TABLES = [f"rest{n}" for n in SIZES] + ["siblings2000", "regex600"]


def match_group(table: str) -> str:
    if table.startswith("rest"):
        return f"scale-match-{table[4:]}-rules"
    return f"scale-match-{table}"


@pytest.mark.parametrize("table", MATCH_TABLES, ids=[match_group(t) for t in MATCH_TABLES])
def test_match_scaling(benchmark, note, router, table):
    match, pairs = harness.prepare(router, table, "mix")  # checks agreement with werkzeug
    benchmark.group = match_group(table)
    benchmark.extra_info.update(router=router, table=table, rules=len(tb.get_table(table)))

    def run_mix():
        for method, path in pairs:
            match(method, path)

    benchmark(run_mix)
    note(len(pairs))


@pytest.mark.parametrize("size", SIZES, ids=[f"scale-same-{n}-rules" for n in SIZES])
def test_same_routes_scaling(benchmark, note, router, size):
    """Hits on the same eight routes of each REST table: what the walk costs
    as the table grows, without the cache misses of a table-wide mix."""
    table = f"rest{size}"
    match, pairs = harness.prepare(router, table, tb.FIRST_ROUTES)  # checks agreement
    benchmark.group = f"scale-same-{size}-rules"
    benchmark.extra_info.update(router=router, table=table, rules=size)

    def run():
        for method, path in pairs:
            match(method, path)

    benchmark(run)
    note(len(pairs))


def build_once(router: str, table: tb.Table, first: tb.Request):
    """Fresh rules -> Map -> adapter -> first match; returns what stays alive."""
    mod = runner.routing_module(router)
    rules = tb.make_rules(mod.Rule, table)
    adapter = runner.make_map(router, rules, table).bind(runner.SERVER_NAME)
    adapter.match(first.path, first.method)
    return adapter


def retained_bytes(router: str, table: tb.Table, first: tb.Request) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        keep = build_once(router, table, first)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del keep
    return after - before


def rounds_for(config: pytest.Config, seconds: float) -> int:
    """As many rounds of *seconds* (setup included) as fit in
    --benchmark-max-time, at least --benchmark-min-rounds."""
    min_rounds = int(config.getoption("benchmark_min_rounds", 5) or 5)
    max_time = float(config.getoption("benchmark_max_time", 1.0) or 1.0)
    return max(min_rounds, min(1000, int(max_time / max(seconds, 1e-9))))


@pytest.mark.werkzeug_api
@pytest.mark.parametrize("size", SIZES, ids=[f"scale-build-{n}-rules" for n in SIZES])
def test_build_scaling(benchmark, note, request, router, size):
    table = tb.get_table(f"rest{size}")
    first = harness.SESSION.first_hit(table.name)
    # The same table must match the same way before its build is timed.
    harness.prepare(router, table.name, "mix")
    benchmark.group = f"scale-build-{size}-rules"

    memory = retained_bytes(router, table, first)
    mod = runner.routing_module(router)

    def fresh_rules():
        rules = tb.make_rules(mod.Rule, table)
        gc.collect()  # every round starts from the same collector state
        return (rules,), {}

    def build(rules):
        adapter = runner.make_map(router, rules, table).bind(runner.SERVER_NAME)
        adapter.match(first.path, first.method)

    # The build's own work, without the collector (reported, for comparison).
    args, _ = fresh_rules()
    gc.disable()
    try:
        start = time.process_time()
        build(*args)
        without_gc = time.process_time() - start
    finally:
        gc.enable()
    del args

    start = time.perf_counter()
    args, _ = fresh_rules()
    prepared = time.perf_counter()
    build(*args)
    once = time.perf_counter() - start  # a whole round: setup (a full collection) + build
    del args
    benchmark.pedantic(build, setup=fresh_rules, rounds=rounds_for(request.config, once), iterations=1)
    benchmark.extra_info["setup_s_per_round"] = round(prepared - start, 4)
    note(
        1,
        router=router,
        rules=size,
        retained_bytes=memory,
        retained_bytes_per_rule=round(memory / size, 1),
        build_ms_collector_off=round(without_gc * 1e3, 2),
    )
