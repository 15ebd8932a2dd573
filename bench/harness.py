"""What the pytest-benchmark suites and the report scripts of ``bench/`` share.

The tables, the requests, the routers and the check against werkzeug are
``fastroute.bench``'s (``tables``, ``runner``): the same code that
``python -m fastroute bench`` runs.  This module adds only what ``bench/``
measures beyond that command: its number of requests per case, one
:class:`~fastroute.bench.runner.Session` for the whole process (routers
built and checked once), the ``All`` label of the request mix and the two
URL-building cases.
"""

from __future__ import annotations

import dataclasses
import sys
import typing as t
from pathlib import Path

try:
    import fastroute  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from fastroute.bench import runner

# Distinct requests per case; more than the 1,024 entries of http-router's
# match cache, so cycling through them never hits the cache.
CASE_SIZE = 2048

#: werkzeug, the fastroute configuration this process runs, and the other
#: routers when importable (the other fastroute core needs its own process:
#: ``runner.child_fastroute()``).
ROUTERS = runner.in_process_routers()

#: Routers built once and checked once per case against werkzeug's answers.
SESSION = runner.Session(
    dataclasses.replace(runner.Settings.of("full"), name="bench", requests=CASE_SIZE), ROUTERS
)


def label(case: str) -> str:
    """A case's name in group names and report rows (the mix is ``All``)."""
    return "All" if case == "mix" else case


def prepare(
    router: str, table: str, case: str
) -> tuple[t.Callable[[str, str], t.Any], list[tuple[str, str]]]:
    """``(match, [(method, path), ...])`` for a case, checked against werkzeug."""
    return SESSION.checked_match(router, table, case)


BUILD_CASES: dict[str, tuple[str, dict[str, t.Any]]] = {
    "Static": ("GET /user/repos", {}),
    "2Params": ("GET /repos/<owner>/<repo>/stargazers", {"owner": "pallets", "repo": "werkzeug"}),
}


def prepare_build(router: str, case: str) -> tuple[t.Callable[..., str], str, dict[str, t.Any]]:
    """``(adapter.build, endpoint, values)`` on the GitHub table, checked to
    build werkzeug's URL."""
    endpoint, values = BUILD_CASES[case]
    build = SESSION.adapter(router, "github").build
    want = SESSION.adapter(runner.WERKZEUG, "github").build(endpoint, values)
    got = build(endpoint, values)
    if got != want:
        raise runner.Mismatch(f"{router} built {got!r}, werkzeug {want!r}")
    return build, endpoint, values
