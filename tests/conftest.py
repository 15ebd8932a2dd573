"""Shared fixtures: every routing test runs against each matcher core.

``core`` is parametrised over the pure-Python twin and the compiled core.
When the compiled core is not built the "compiled" case is skipped, unless
``FASTROUTE_REQUIRE_COMPILED=1`` (set by CI), which turns that into a failure
so a broken build cannot pass unnoticed.
"""

from __future__ import annotations

import os
import types

import pytest

from fastroute.routing import matcher as cores

REQUIRE_COMPILED = os.environ.get("FASTROUTE_REQUIRE_COMPILED", "") not in ("", "0")

CORE_NAMES = ["pure", "compiled"]


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
