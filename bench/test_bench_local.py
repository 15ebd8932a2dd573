"""Context locals: fastroute's compiled and pure cores against werkzeug.local.

Groups (implementations side by side with ``--benchmark-group-by=group``):

``local-attr-read``
    ``request.method``: a ``LocalProxy`` over a ``ContextVar`` holding an
    object with a ``method`` attribute.
``local-attr-read-named``
    The same through Flask's shape of proxy, ``LocalProxy(var, "request")``
    over a context object.
``local-attr-write``
    ``proxy.attr = value`` through the proxy.
``local-method-call``
    ``proxy.get_method()``: attribute lookup plus call.
``local-stack-push-pop``
    ``LocalStack.push`` then ``pop``.
``local-local-read``
    ``Local`` attribute read.

Each round runs ``OPS`` operations (unrolled ten at a time so the loop costs
little); ``extra_info["median_ns_per_op"]`` is the round's median divided by
``OPS``.  Nothing is asserted about speed.

Run: ``pytest bench/test_bench_local.py --benchmark-group-by=group``.
"""

from __future__ import annotations

import types
import typing as t
from contextvars import ContextVar

import pytest
import werkzeug.local as wl

from fastroute import _local_py

try:
    from fastroute import _local as _compiled
except ImportError:  # not built for this interpreter
    _compiled = None

IMPLS = ["werkzeug", "fastroute-compiled", "fastroute-pure"]
OPS = 1000
_LOOPS = range(OPS // 10)


def _module(name: str) -> types.ModuleType:
    if name == "werkzeug":
        return wl
    if name == "fastroute-pure":
        return _local_py
    if _compiled is None:
        pytest.skip("fastroute._local is not built for this interpreter")
    return _compiled


@pytest.fixture(params=IMPLS)
def impl(request: pytest.FixtureRequest) -> types.ModuleType:
    """The ``werkzeug.local``-like module under test."""
    return _module(request.param)


class Request:
    """Stands in for a request object."""

    def __init__(self) -> None:
        self.method = "GET"
        self.attr = 0

    def get_method(self) -> str:
        return self.method


class Context:
    def __init__(self) -> None:
        self.request = Request()


def _per_op(benchmark: t.Any) -> None:
    benchmark.extra_info["ops_per_round"] = OPS
    stats = getattr(benchmark, "stats", None)
    if stats is not None:  # None with --benchmark-disable
        benchmark.extra_info["median_ns_per_op"] = round(stats.stats.median / OPS * 1e9, 1)


def _bound_proxy(mod: types.ModuleType, name: str | None = None) -> tuple[t.Any, ContextVar[t.Any], t.Any]:
    var: ContextVar[t.Any] = ContextVar("bench")
    token = var.set(Context() if name else Request())
    return mod.LocalProxy(var, name), var, token


@pytest.mark.benchmark(group="local-attr-read")
def test_attr_read(benchmark: t.Any, impl: types.ModuleType) -> None:
    request, var, token = _bound_proxy(impl)

    # fmt: off
    def run() -> None:
        p = request
        for _ in _LOOPS:
            p.method; p.method; p.method; p.method; p.method  # noqa: B018, E702
            p.method; p.method; p.method; p.method; p.method  # noqa: B018, E702
    # fmt: on

    assert request.method == "GET"
    benchmark(run)
    _per_op(benchmark)
    var.reset(token)


@pytest.mark.benchmark(group="local-attr-read-named")
def test_attr_read_named(benchmark: t.Any, impl: types.ModuleType) -> None:
    request, var, token = _bound_proxy(impl, "request")

    # fmt: off
    def run() -> None:
        p = request
        for _ in _LOOPS:
            p.method; p.method; p.method; p.method; p.method  # noqa: B018, E702
            p.method; p.method; p.method; p.method; p.method  # noqa: B018, E702
    # fmt: on

    assert request.method == "GET"
    benchmark(run)
    _per_op(benchmark)
    var.reset(token)


@pytest.mark.benchmark(group="local-attr-write")
def test_attr_write(benchmark: t.Any, impl: types.ModuleType) -> None:
    request, var, token = _bound_proxy(impl)

    # fmt: off
    def run() -> None:
        p = request
        for i in _LOOPS:
            p.attr = i; p.attr = i; p.attr = i; p.attr = i; p.attr = i  # noqa: E702
            p.attr = i; p.attr = i; p.attr = i; p.attr = i; p.attr = i  # noqa: E702
    # fmt: on

    benchmark(run)
    assert var.get().attr == OPS // 10 - 1
    _per_op(benchmark)
    var.reset(token)


@pytest.mark.benchmark(group="local-method-call")
def test_method_call(benchmark: t.Any, impl: types.ModuleType) -> None:
    request, var, token = _bound_proxy(impl)

    # fmt: off
    def run() -> None:
        p = request
        for _ in _LOOPS:
            p.get_method(); p.get_method(); p.get_method(); p.get_method(); p.get_method()  # noqa: E702
            p.get_method(); p.get_method(); p.get_method(); p.get_method(); p.get_method()  # noqa: E702
    # fmt: on

    assert request.get_method() == "GET"
    benchmark(run)
    _per_op(benchmark)
    var.reset(token)


@pytest.mark.benchmark(group="local-stack-push-pop")
def test_stack_push_pop(benchmark: t.Any, impl: types.ModuleType) -> None:
    stack = impl.LocalStack()
    item = Request()
    stack.push(item)  # a request context under the app context, as in Flask

    # fmt: off
    def run() -> None:
        push, pop = stack.push, stack.pop
        for _ in _LOOPS:
            push(item); pop(); push(item); pop(); push(item); pop(); push(item); pop(); push(item); pop()  # noqa: E702
            push(item); pop(); push(item); pop(); push(item); pop(); push(item); pop(); push(item); pop()  # noqa: E702
    # fmt: on

    benchmark(run)
    assert stack.top is item
    _per_op(benchmark)


@pytest.mark.benchmark(group="local-local-read")
def test_local_read(benchmark: t.Any, impl: types.ModuleType) -> None:
    local = impl.Local()
    local.method = "GET"

    # fmt: off
    def run() -> None:
        loc = local
        for _ in _LOOPS:
            loc.method; loc.method; loc.method; loc.method; loc.method  # noqa: B018, E702
            loc.method; loc.method; loc.method; loc.method; loc.method  # noqa: B018, E702
    # fmt: on

    benchmark(run)
    _per_op(benchmark)
    impl.release_local(local)
