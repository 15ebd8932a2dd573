"""Shared fixtures: every routing test runs against each matcher core.

``core`` is parametrised over the pure-Python twin and the compiled core:
each test runs on a whole core (its Map, MapAdapter and Matcher).  When the
compiled core is not built the "compiled" case is skipped, unless
``FASTROUTE_REQUIRE_COMPILED=1`` (set by CI), which turns that into a failure
so a broken build cannot pass unnoticed.

Hypothesis runs derandomized by default, so the suite tests the same examples
on every machine and a CI result can be reproduced here; set
``FASTROUTE_HYPOTHESIS_RANDOM=1`` to explore new examples (``nox -s fuzz``
runs the long random search).  A hung test cannot stall CI: pytest's
``faulthandler_timeout`` (pyproject.toml) dumps every thread's traceback
after 600 s and ends the run.
"""

from __future__ import annotations

import os
import types

import pytest
from hypothesis import settings

from tests.support import cores

CORE_NAMES = cores.NAMES

settings.register_profile(
    "fastroute", derandomize=os.environ.get("FASTROUTE_HYPOTHESIS_RANDOM", "") in ("", "0")
)
settings.load_profile("fastroute")


@pytest.fixture(params=CORE_NAMES)
def core(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The matcher core under test, whole: ``fastroute.routing.Map`` and
    ``MapAdapter`` (and the app layer's references to them) are that core's
    classes for the test (see ``tests/support/cores.py``)."""
    module = cores.match_core(request.param)
    cores.use(module, monkeypatch)
    return module
