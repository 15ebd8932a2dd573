"""Which core a test runs on, and switching the routing classes to it.

A core is a whole: ``fastroute.routing.map.classes_for(core)`` gives the
``Map`` and ``MapAdapter`` built on that core's ``MapBase``/``AdapterBase``,
whose maps compile that core's ``Matcher``.  :func:`routing_patches` lists
what must point at those classes while a test (or a fuzz harness) runs on a
core other than the one ``fastroute._cores`` picked: the public names, and
the app layer's references to them when it is loaded.
"""

from __future__ import annotations

import contextlib
import os
import sys
import types
import typing as t

import pytest

from fastroute import _cores
from fastroute.routing import map as routing_map

REQUIRE_COMPILED = os.environ.get("FASTROUTE_REQUIRE_COMPILED", "") not in ("", "0")
NAMES = ["pure", "compiled"]


def pick(
    name: str, pure: types.ModuleType, compiled: types.ModuleType | None, built: str
) -> types.ModuleType:
    """The core called *name* (``pure`` or ``compiled``).  A compiled core
    that is not built skips the test, or fails it under
    ``FASTROUTE_REQUIRE_COMPILED=1`` (set by CI, so a broken build cannot
    pass unnoticed)."""
    if name == "pure":
        return pure
    if compiled is None:
        if REQUIRE_COMPILED:
            pytest.fail(f"FASTROUTE_REQUIRE_COMPILED is set but {built} is not built")
        pytest.skip("compiled core not built")
    return compiled


def match_core(name: str) -> types.ModuleType:
    """The matcher core called *name*."""
    return pick(name, _cores.pure_match, _cores.compiled_match, "fastroute._match")


def local_core(name: str) -> types.ModuleType:
    """The context-locals core called *name*."""
    return pick(name, _cores.pure_local, _cores.compiled_local, "fastroute._local")


def routing_patches(core: types.ModuleType) -> list[tuple[t.Any, str, t.Any]]:
    """``(owner, attribute, value)`` that put *core*'s routing classes in
    place of the selected core's."""
    import fastroute.routing as routing

    classes = routing_map.classes_for(core)
    patches: list[tuple[t.Any, str, t.Any]] = [(_cores, "match_core", core)]
    for owner in (routing, routing_map):
        patches += [(owner, "Map", classes.Map), (owner, "MapAdapter", classes.MapAdapter)]
    # The app layer, when loaded, holds the classes it imported.
    request_path = sys.modules.get("fastroute._request_path")
    if request_path is not None:
        patches += [(request_path, "Map", classes.Map), (request_path, "MapAdapter", classes.MapAdapter)]
        # (and the methods its shortcuts stand in for, as that core has them)
        patches += [
            (request_path, "_MAP_BIND_TO_ENVIRON", classes.Map.bind_to_environ),
            (request_path, "_ADAPTER_MATCH", classes.MapAdapter.match),
        ]
    app = sys.modules.get("fastroute.app")
    if app is not None:
        patches.append((app.Flask, "url_map_class", classes.Map))
    return patches


def use(core: types.ModuleType, monkeypatch: pytest.MonkeyPatch | None = None) -> None:
    """Run on *core* from now on (undone with *monkeypatch*, if given)."""
    for owner, name, value in routing_patches(core):
        if monkeypatch is None:
            setattr(owner, name, value)
        else:
            monkeypatch.setattr(owner, name, value)


@contextlib.contextmanager
def using(core: types.ModuleType) -> t.Iterator[None]:
    """Run on *core* inside the ``with`` block."""
    patches = routing_patches(core)
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


class CurrentMap:
    """A class attribute that reads as ``fastroute.routing.Map`` at each use:
    ``url_map_class = CurrentMap()`` on a Flask subclass defined at import
    gives its apps the Map of the core under test."""

    def __get__(self, obj: t.Any, owner: type | None = None) -> type:
        import fastroute.routing as routing

        return routing.Map  # type: ignore[no-any-return]
