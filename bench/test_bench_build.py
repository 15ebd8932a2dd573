"""URL building (``MapAdapter.build``, what ``url_for`` calls), werkzeug vs fastroute.

Groups ``build-Static`` (``GET /user/repos``) and ``build-2Params``
(``GET /repos/<owner>/<repo>/stargazers`` with owner and repo) on the GitHub
table.  Before timing, the URL built is asserted equal to werkzeug's.
"""

from __future__ import annotations

import pytest

import harness


@pytest.mark.werkzeug_api
@pytest.mark.parametrize("case", list(harness.BUILD_CASES), ids=[f"build-{c}" for c in harness.BUILD_CASES])
def test_build(benchmark, note, router, case):
    build, endpoint, values = harness.prepare_build(router, case)  # checks werkzeug's URL
    benchmark.group = f"build-{case}"
    benchmark(build, endpoint, values)
    note(1, router=router, endpoint=endpoint)
