"""Matching: go-http-routing-benchmark's tables and cases, router by router.

Groups are ``<table>-<case>``: ``github-All``, ``github-Static``,
``github-Param``, ``github-2Params``, ``github-404``, ``github-405`` (and the
same for ``static``, ``gplus``, ``parse``), ``micro-Param``/``Param5``/
``Param20`` (one-rule tables), and ``github-RedirectStatic``/
``RedirectParam`` (the GitHub rules as branches, requested without their
trailing slash: strict-slash redirects, werkzeug and fastroute only).

``All`` matches the whole 90 % hit / 10 % 404+405 mix in each round; the
pytest-benchmark times are per round and the time per match is in
``extra_info`` and in the summary.  The other cases time one match per call,
cycling through 2,048 distinct requests (one for ``Static``); the cycling
adds the same few tens of ns to every router.

Before timing, every request of the case is matched once and the answers
are asserted equal to werkzeug's (``harness.prepare``).
"""

from __future__ import annotations

import itertools

import pytest

import harness
from fastroute.bench import tables as tb


def cases_of(table: str) -> list[str]:
    """The mix, the table's single-route cases, 404 and 405 (single-route
    cases only for the one-rule tables and the redirect table)."""
    single = list(tb.CASE_ROUTES.get(table, {}))
    if table in tb.MICRO_TABLES or tb.get_table(table).redirects:
        return single
    return ["mix", *single, "404", "405"]


CASES = [(table, case) for table in (*tb.FILE_TABLES, *tb.MICRO_TABLES) for case in cases_of(table)]
CASES += [("github-slash", case) for case in cases_of("github-slash")]


def group_name(table: str, case: str) -> str:
    if table in tb.MICRO_TABLES:
        return f"micro-{case}"
    return f"{table.removesuffix('-slash')}-{harness.label(case)}"


@pytest.mark.parametrize(("table", "case"), CASES, ids=[group_name(*c) for c in CASES])
def test_match(benchmark, note, router, table, case):
    match, pairs = harness.prepare(router, table, case)  # checks agreement with werkzeug
    benchmark.group = group_name(table, case)
    benchmark.extra_info.update(
        router=router, table=table, case=harness.label(case), rules=len(tb.get_table(table))
    )

    if case == "mix":

        def run_mix():
            for method, path in pairs:
                match(method, path)

        benchmark(run_mix)
        note(len(pairs))
    else:
        following = itertools.cycle(pairs).__next__

        def match_one():
            method, path = following()
            return match(method, path)

        benchmark(match_one)
        note(1, distinct_requests=len(set(pairs)))
