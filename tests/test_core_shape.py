"""The two matcher cores have the same shape, not only the same answers.

``fastroute._match`` (Cython) and ``fastroute._match_py`` (its pure twin)
are meant to be read side by side: the same public names, the same
signatures for what Python can call, and the same parts (``scan``,
``methods``, ``tree``, ``walk``, ``linear``, ``errors``, ``adapter``,
``build``) defining the same functions and classes in the same order.  A
compiled shortcut that has no pure counterpart is named in the pure part by
a ``# C only: name (why)`` comment at its place; what one core has and the
other has not is listed below, with the reason.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import types
import typing as t
from pathlib import Path

import pytest

import fastroute._match_py as pure
from fastroute import _cores

SRC = Path(pure.__file__).resolve().parent.parent
PURE_PARTS = SRC / "_match_py"
COMPILED_PARTS = SRC / "_match_parts"
PARTS = ("scan", "methods", "tree", "walk", "linear", "errors", "adapter", "build")

#: Public module attributes one core has and the other has not.
ONE_CORE_ONLY = {
    # compiled: the per-match state; the pure walk keeps it in a list (see
    # _match_py.methods._accept), which is cheaper to make per match.
    "Search": "compiled",
    # compiled: sre's repeat limit, imported at module level (the pure core
    # imports it in its tree part).
    "MAXREPEAT": "compiled",
    # pure: its regex shortcut for short texts of several-converter parts,
    # which tests turn off; the compiled core always uses its linear matcher.
    "REGEX_TRIES": "pure",
}

#: Top-level functions of a pure part with no compiled counterpart.
PURE_ONLY = {
    # linear: the helpers of the pure steps, which work on bit sets (the
    # compiled steps sweep C arrays).
    "_regex_limit",
    "_linear_pieces",
    "_digits_end",
    "_ones",
    "_as_int",
    "_as_flags",
    "_Text",
}


def _compiled() -> types.ModuleType:
    if _cores.compiled_match is not None:
        return _cores.compiled_match
    try:  # built, but not chosen (FASTROUTE_NO_EXTENSIONS=1)
        return importlib.import_module("fastroute._match")
    except ImportError:
        pytest.skip("compiled core not built")


def _own_public(core: types.ModuleType) -> set[str]:
    """Public attributes of *core*: no modules, and no classes or functions
    that another module defines (what the core imports)."""
    names = set()
    for name, value in vars(core).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if type(value).__module__ == "__future__":  # from __future__ import annotations
            continue
        if callable(value) and getattr(value, "__module__", None) != core.__name__:
            continue
        names.add(name)
    return names


def test_same_all() -> None:
    assert sorted(pure.__all__) == sorted(_compiled().__all__)


def test_same_public_names() -> None:
    compiled = _compiled()
    mine, theirs = _own_public(pure), _own_public(compiled)
    for name, which in ONE_CORE_ONLY.items():
        # The exemptions must stay true, or be dropped.
        assert (name in theirs, name in mine) == (which == "compiled", which == "pure"), name
    assert sorted(mine - set(ONE_CORE_ONLY)) == sorted(theirs - set(ONE_CORE_ONLY))


def _signature(func: t.Any) -> inspect.Signature | None:
    """The signature of *func*, or None when it has none Python can read
    (a Cython ``__init__`` is a slot wrapper: ``(self, /, *args, **kwargs)``)."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    kinds = [p.kind for p in sig.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds and inspect.Parameter.VAR_KEYWORD in kinds:
        return None
    return sig


def _shape(sig: inspect.Signature, method: bool) -> list[tuple[str, t.Any, t.Any]]:
    """Names, kinds and defaults of the parameters (past ``self`` for a
    method: Cython makes it positional-only, Python does not)."""
    params = list(sig.parameters.values())[1 if method else 0 :]
    return [(p.name, p.kind, p.default) for p in params]


def _python_visible(cls: type) -> dict[str, t.Any]:
    """The methods *cls* itself defines that Python can call."""
    out = {}
    for name, value in vars(cls).items():
        if name.startswith("__") and name not in ("__init__", "__reduce__", "__setstate__"):
            continue
        if inspect.isfunction(value) or (inspect.ismethoddescriptor(value) and callable(value)):
            out[name] = value
    return out


def test_same_signatures() -> None:
    """Every function and method Python can call on the compiled core has a
    twin of the same signature in the pure one.  (A pure class may have more
    methods: the compiled core's ``cdef`` methods are invisible to Python.)"""
    compiled = _compiled()
    compared = 0
    for name in sorted(set(vars(compiled)) & set(vars(pure))):
        theirs, mine = getattr(compiled, name), getattr(pure, name)
        if inspect.isclass(theirs) and getattr(theirs, "__module__", None) == compiled.__name__:
            assert inspect.isclass(mine), name
            for attr, method in _python_visible(theirs).items():
                if getattr(method, "__name__", attr).endswith("_cython__"):
                    continue  # Cython's own pickling refusal (__reduce_cython__)
                assert attr in vars(mine), f"{name}.{attr} is missing from the pure core"
                sig = _signature(method)
                if sig is not None:
                    assert _shape(inspect.signature(vars(mine)[attr]), True) == _shape(sig, True), (
                        f"{name}.{attr}"
                    )
                    compared += 1
        elif callable(theirs) and not inspect.isclass(theirs) and getattr(theirs, "__module__", None):
            sig = _signature(theirs)
            if sig is not None:
                assert _shape(inspect.signature(mine), False) == _shape(sig, False), name
                compared += 1
    assert compared >= 10  # Matcher, AdapterBase, MapBase, Linear, build_plans, ...


# --- The parts, side by side (source level) --------------------------------

# A top-level function or class of a .pxi part: "def f(", "class C",
# "cdef class C", "cdef [inline] <type> f(" (not "cdef <type> x = f(...)").
_PXI_DEF = re.compile(
    r"^(?:def\s+(\w+)\s*\(|class\s+(\w+)|cdef\s+class\s+(\w+)|c?p?def\s+([^=(]*?)\b(\w+)\s*\()"
)
_C_ONLY = re.compile(r"^# C only: (\w+) \(")


def compiled_names(path: Path) -> list[str]:
    """The top-level functions and classes of a .pxi part, in order."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _PXI_DEF.match(line)
        if found is None or line.startswith("cdef extern"):
            continue
        names.append(next(g for g in (found[1], found[2], found[3], found[5]) if g))
    return names


def pure_names(path: Path) -> list[str]:
    """The top-level functions and classes of a pure part and its
    ``# C only: name (why)`` comments, in order."""
    text = path.read_text(encoding="utf-8")
    named = [
        (node.lineno, node.name)
        for node in ast.parse(text).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    ]
    for number, line in enumerate(text.splitlines(), 1):
        found = _C_ONLY.match(line)
        if found is not None:
            named.append((number, found[1]))
    return [name for _, name in sorted(named)]


@pytest.mark.parametrize("part", PARTS)
def test_pure_part_exists(part: str) -> None:
    path = PURE_PARTS / f"{part}.py"
    assert path.is_file()
    assert len(path.read_text(encoding="utf-8").splitlines()) < 1000


@pytest.mark.parametrize("part", PARTS)
def test_parts_define_the_same_names_in_the_same_order(part: str) -> None:
    if not COMPILED_PARTS.is_dir():
        pytest.skip("the compiled core is not split into parts yet (src/fastroute/_match_parts/)")
    theirs = compiled_names(COMPILED_PARTS / f"{part}.pxi")
    mine = pure_names(PURE_PARTS / f"{part}.py")
    missing = [name for name in theirs if name not in mine]
    assert not missing, f"compiled {part} names without a pure twin or a '# C only' comment: {missing}"
    extra = [name for name in mine if name not in theirs and name not in PURE_ONLY]
    assert not extra, f"pure {part} names the compiled part does not have: {extra}"
    assert [name for name in mine if name in theirs] == theirs
