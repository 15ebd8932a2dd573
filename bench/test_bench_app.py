"""In-process WSGI requests: the benchmark app on Flask 3.1, Flask with
fastroute's router, fastroute's fast request path, and Falcon 4.

Groups ``app-<case>`` for each of ``app_report.CASES`` (hello, params,
session, 404, json_post, api): one request per call (prebuilt environ copied,
``app(environ, start_response)``, body consumed, ``close()``), one benchmark per
app that has the endpoint.  Nothing is asserted about speed;
``bench/app_report.py`` prints the ratios.

Run: ``pytest bench/test_bench_app.py --benchmark-group-by=group``.
"""

from __future__ import annotations

import typing as t

import pytest

from app_report import CASES, FALCON_CASES, build_apps, check, request_runner

APPS = build_apps()


def test_apps_answer_as_flask() -> None:
    check(APPS)


@pytest.mark.parametrize("framework", list(APPS))
@pytest.mark.parametrize("case", list(CASES))
def test_request(benchmark: t.Any, framework: str, case: str) -> None:
    if framework == "falcon" and case not in FALCON_CASES:
        pytest.skip("Falcon has no such endpoint (no sessions or Flask hooks)")
    benchmark.group = f"app-{case}"
    benchmark.extra_info["framework"] = framework
    benchmark(request_runner(APPS[framework], CASES[case]))
