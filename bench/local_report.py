#!/usr/bin/env python3
"""Context-local timings without pytest: median ns per operation and the
speed-up over werkzeug.local for fastroute's compiled and pure cores.

    python bench/local_report.py [--repeat N] [--target-ms MS]

Cases: ``request.method`` through a proxy over a ContextVar (``attr read``),
the same through Flask's shape ``LocalProxy(var, "request")`` (``named
read``), an attribute write and a method call through a proxy, ``LocalStack``
push+pop, and a ``Local`` attribute read.  Each sample times ten unrolled
operations per loop; samples of the three implementations are interleaved so
that a busy machine slows them alike, and the median (and min) of the
samples is shown.  It runs in a few seconds.

Any interpreter works: it uses the ``fastroute`` found on the import path
(falling back to this checkout's ``src``), and reports the compiled core as
missing when no extension is built for this interpreter.  To measure another
interpreter, build the extension for it in a scratch copy of the checkout
(``python setup.py build_ext --inplace`` there) and put that copy's ``src``
first on ``PYTHONPATH``.  Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import statistics
import sys
import timeit
import types
from contextvars import ContextVar
from pathlib import Path

try:
    import fastroute  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import werkzeug.local as wl

from fastroute import _local_py

try:
    from fastroute import _local as _compiled
except ImportError:
    _compiled = None

UNROLL = 10


class Request:
    def __init__(self) -> None:
        self.method = "GET"
        self.attr = 0

    def get_method(self) -> str:
        return self.method


class Context:
    def __init__(self) -> None:
        self.request = Request()


def _proxy(mod: types.ModuleType, named: bool) -> object:
    var: ContextVar[object] = ContextVar("report")
    var.set(Context() if named else Request())
    return mod.LocalProxy(var, "request" if named else None)


def _stack(mod: types.ModuleType) -> object:
    stack = mod.LocalStack()
    stack.push(Request())
    return stack


def _local(mod: types.ModuleType) -> object:
    local = mod.Local()
    local.method = "GET"
    return local


# case -> (make the subject from a module, one operation on ``s``)
CASES: dict[str, tuple[object, str]] = {
    "attr read (request.method)": (lambda m: _proxy(m, False), "s.method"),
    "named read (Flask's shape)": (lambda m: _proxy(m, True), "s.method"),
    "attr write": (lambda m: _proxy(m, False), "s.attr = 1"),
    "method call": (lambda m: _proxy(m, False), "s.get_method()"),
    "LocalStack push+pop": (_stack, "s.push(1); s.pop()"),
    "Local attr read": (_local, "s.method"),
}


def _implementations() -> dict[str, types.ModuleType | None]:
    return {"fastroute-compiled": _compiled, "fastroute-pure": _local_py, "werkzeug": wl}


def measure(repeat: int, target_ms: float) -> dict[str, dict[str, list[float]]]:
    """case -> implementation -> samples in ns per operation."""
    impls = {name: mod for name, mod in _implementations().items() if mod is not None}
    results: dict[str, dict[str, list[float]]] = {}
    for case, (make, stmt) in CASES.items():
        timers = {}
        numbers = {}
        for name, mod in impls.items():
            subject = make(mod)  # type: ignore[operator]
            timer = timeit.Timer("; ".join([stmt] * UNROLL), globals={"s": subject})
            probe = 200
            seconds = timer.timeit(probe)  # also warms up
            numbers[name] = max(1, int(probe * target_ms / 1000 / max(seconds, 1e-9)))
            timers[name] = timer
        samples: dict[str, list[float]] = {name: [] for name in impls}
        for _ in range(repeat):
            for name, timer in timers.items():
                seconds = timer.timeit(numbers[name])
                samples[name].append(seconds / (numbers[name] * UNROLL) * 1e9)
        results[case] = samples
    return results


def report(results: dict[str, dict[str, list[float]]]) -> None:
    names = ["fastroute-compiled", "fastroute-pure", "werkzeug"]
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"werkzeug {importlib.metadata.version('werkzeug')}, "
        f"fastroute from {Path(_local_py.__file__).parent}"
    )
    if _compiled is None:
        print("fastroute._local is not built for this interpreter: compiled column missing")
    print("median ns per operation (min in brackets); x = werkzeug median / this median\n")
    width = max(len(c) for c in results) + 2
    print("case".ljust(width) + "".join(n.rjust(28) for n in names))
    for case, samples in results.items():
        base = statistics.median(samples["werkzeug"])
        cells = []
        for name in names:
            if name not in samples:
                cells.append("-".rjust(28))
                continue
            med = statistics.median(samples[name])
            text = f"{med:.1f} [{min(samples[name]):.1f}]"
            if name != "werkzeug":
                text += f" {base / med:.1f}x"
            cells.append(text.rjust(28))
        print(case.ljust(width) + "".join(cells))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="samples per implementation and case")
    parser.add_argument("--target-ms", type=float, default=15.0, help="approximate length of one sample")
    args = parser.parse_args(argv)
    report(measure(args.repeat, args.target_ms))


if __name__ == "__main__":
    main()
