"""In-process WSGI requests: fastroute's app layer vs Flask 3.1 vs Falcon 4.

Groups ``app-hello``, ``app-params``, ``app-json``, ``app-404``: one request
per call (prebuilt environ copied, ``app(environ, start_response)``, body
consumed, ``close()``), one benchmark per framework that is importable.
Nothing is asserted about speed; ``bench/app_report.py`` prints the ratios.

Run: ``pytest bench/test_bench_app.py --benchmark-group-by=group``.
"""

from __future__ import annotations

import typing as t

import pytest

from app_report import CASES, build_apps, check, request_runner

APPS = build_apps()


def test_apps_answer_correctly() -> None:
    check(APPS)


@pytest.mark.parametrize("framework", list(APPS))
@pytest.mark.parametrize("case", list(CASES))
def test_request(benchmark: t.Any, framework: str, case: str) -> None:
    benchmark.group = f"app-{case}"
    benchmark.extra_info["framework"] = framework
    benchmark(request_runner(APPS[framework], CASES[case]))
