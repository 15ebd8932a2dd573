"""Shared fixtures: every routing test runs against each matcher core.

``core`` is parametrised over the pure-Python twin and the compiled core.
When the compiled core is not built the "compiled" case is skipped, unless
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

from fastroute.routing import matcher as cores

REQUIRE_COMPILED = os.environ.get("FASTROUTE_REQUIRE_COMPILED", "") not in ("", "0")

CORE_NAMES = ["pure", "compiled"]

settings.register_profile(
    "fastroute", derandomize=os.environ.get("FASTROUTE_HYPOTHESIS_RANDOM", "") in ("", "0")
)
settings.load_profile("fastroute")


def _core_module(name: str) -> types.ModuleType:
    if name == "pure":
        return cores.pure_core
    if cores.compiled_core is None:
        if REQUIRE_COMPILED:
            pytest.fail("FASTROUTE_REQUIRE_COMPILED is set but fastroute._match is not built")
        pytest.skip("compiled core not built")
    return cores.compiled_core


@pytest.fixture(params=CORE_NAMES)
def core(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The matcher core under test; maps created in the test use it."""
    module = _core_module(request.param)
    monkeypatch.setattr(cores, "core", module)
    return module
