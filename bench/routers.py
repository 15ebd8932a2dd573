"""The routers under test, each behind one ``match(method, path)`` callable.

``werkzeug`` (werkzeug.routing), ``fastroute-pure`` and ``fastroute-compiled``
(fastroute.routing on one matcher core each; see ``bound_core`` for which of
the two a process can run: with the extension built, the pure configuration
needs ``FASTROUTE_NO_EXTENSIONS=1``) are driven through the public
``MapAdapter.match(path, method)``; 404, 405 and redirects are caught and
returned, so they count as results.  ``falcon`` (CompiledRouter),
``sanic-routing`` and ``http-router`` are added when importable; they take
only plain tables (``<name>`` parameters, no redirects) and are not part of
the werkzeug-API benchmarks (Map build, URL building).

``prepare(router, table, case)`` builds (and caches) the router for a table,
runs every request of the case once and asserts that the answers agree with
werkzeug's (endpoint and arguments, or the same error) before anything is
timed.
"""

from __future__ import annotations

import contextlib
import sys
import typing as t
from collections import defaultdict
from functools import cache
from pathlib import Path

try:
    import fastroute  # noqa: F401
except ImportError:  # running from a checkout without an install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import werkzeug.routing as wr
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

import fastroute.routing as fr
import routes
from fastroute.routing import matcher as cores

SERVER_NAME = "example.com"
WERKZEUG_FAMILY = ("werkzeug", "fastroute-pure", "fastroute-compiled")
OTHERS = ("falcon", "sanic-routing", "http-router")

NOT_FOUND = "404"
NOT_ALLOWED = "405"


def _importable(name: str) -> bool:
    try:
        if name == "falcon":
            import falcon.routing  # noqa: F401
        elif name == "sanic-routing":
            import sanic_routing  # noqa: F401
        elif name == "http-router":
            import http_router  # noqa: F401
    except Exception:
        return False
    return True


def bound_core() -> t.Any:
    """The core whose ``MapBase`` fastroute's ``Map`` derives from, or None.

    ``Map``/``MapAdapter`` take their base classes (and with them
    ``MapAdapter.match``) from the core chosen at import time, so in one
    process only that core can be measured as it really runs; a Map built
    with the other core would mix the two (e.g. the compiled adapter over the
    pure matcher).  None means the classes do not depend on the core.
    """
    for core in (cores.compiled_core, cores.pure_core):
        base = getattr(core, "MapBase", None) if core is not None else None
        if base is not None and issubclass(fr.Map, base):
            return core
    return None


def fastroute_routers() -> list[str]:
    """The fastroute configurations that run genuinely in this process."""
    bound = bound_core()
    names = []
    if bound is None or bound is cores.pure_core:
        names.append("fastroute-pure")
    if cores.compiled_core is not None and (bound is None or bound is cores.compiled_core):
        names.append("fastroute-compiled")
    return names


def missing_fastroute() -> dict[str, dict[str, str]]:
    """fastroute configurations that need another process: name -> env changes."""
    present = fastroute_routers()
    missing = {}
    if "fastroute-pure" not in present:
        missing["fastroute-pure"] = {"FASTROUTE_NO_EXTENSIONS": "1"}
    if "fastroute-compiled" not in present and cores.compiled_core is not None:
        missing["fastroute-compiled"] = {"FASTROUTE_NO_EXTENSIONS": ""}
    return missing


def available() -> list[str]:
    """Routers that can run here, werkzeug first."""
    return ["werkzeug", *fastroute_routers(), *(name for name in OTHERS if _importable(name))]


def supports(router: str, table: routes.Table | None) -> bool:
    """Whether *router* takes part; ``table=None`` means a werkzeug-API benchmark."""
    if router in WERKZEUG_FAMILY:
        return True
    return table is not None and table.plain


# -- werkzeug and fastroute -------------------------------------------------------


def core_of(router: str) -> t.Any:
    if router == "fastroute-pure":
        return cores.pure_core
    if router == "fastroute-compiled":
        if cores.compiled_core is None:
            raise LookupError("fastroute._match is not built")
        return cores.compiled_core
    raise LookupError(router)


@contextlib.contextmanager
def selected_core(router: str) -> t.Iterator[None]:
    """New fastroute Maps use the router's core inside the block."""
    if router == "werkzeug":
        yield
        return
    saved = cores.core
    cores.core = core_of(router)
    try:
        yield
    finally:
        cores.core = saved


def routing_module(router: str) -> t.Any:
    return wr if router == "werkzeug" else fr


def make_map(router: str, rules: t.Iterable[t.Any], table: routes.Table) -> t.Any:
    """A Map of *rules* for *router*; the table's custom converters are
    classes derived from that router's own ``BaseConverter``."""
    mod = routing_module(router)
    converters = {
        name: type(f"{name.title()}Converter", (mod.BaseConverter,), {"regex": regex})
        for name, (regex, _) in table.converters.items()
    }
    with selected_core(router):
        m = mod.Map(rules, converters=converters)
    if router != "werkzeug":
        core = core_of(router)
        assert m._core is core, "Map did not pick up the selected core"
        base = getattr(core, "MapBase", None)
        assert base is None or isinstance(m, base), f"{router}: Map is not built on that core's MapBase"
    return m


def make_adapter(router: str, table: routes.Table) -> t.Any:
    mod = routing_module(router)
    return make_map(router, routes.make_rules(mod.Rule, table), table).bind(SERVER_NAME)


def _werkzeug_match(adapter: t.Any) -> t.Callable[[str, str], t.Any]:
    adapter_match = adapter.match

    def match(method: str, path: str) -> t.Any:
        try:
            return adapter_match(path, method)
        except HTTPException as e:  # NotFound, MethodNotAllowed, RequestRedirect
            return e

    return match


# -- other routers ------------------------------------------------------------------


def _braces(path: str) -> str:
    return routes._VAR.sub(r"{\2}", path)


def _by_path(table: routes.Table) -> dict[str, dict[str, str]]:
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for r in table.routes:
        grouped[r.path][r.method] = r.endpoint
    return grouped


class _FalconResource:
    def __init__(self, endpoints: dict[str, str]) -> None:
        self.endpoints = endpoints
        for method in endpoints:
            setattr(self, f"on_{method.lower()}", _falcon_responder)


def _falcon_responder(req: t.Any, resp: t.Any, **params: t.Any) -> None:
    pass


def _falcon(table: routes.Table) -> t.Callable[[str, str], t.Any]:
    from falcon.routing import CompiledRouter

    router = CompiledRouter()
    for path, endpoints in _by_path(table).items():
        router.add_route(_braces(path), _FalconResource(endpoints))
    find = router.find

    def match(method: str, path: str) -> t.Any:
        found = find(path)
        if found is None:
            return NOT_FOUND
        endpoint = found[0].endpoints.get(method)  # what falcon's App does with method_map
        if endpoint is None:
            return NOT_ALLOWED
        return endpoint, found[2]

    return match


def _sanic(table: routes.Table) -> t.Callable[[str, str], t.Any]:
    from sanic_routing import BaseRouter
    from sanic_routing.exceptions import NoMethod, NotFound as SanicNotFound

    class Router(BaseRouter):
        def get(self, path: str, method: str, extra: t.Any = None) -> t.Any:  # type: ignore[override]
            return self.resolve(path=path, method=method, extra=extra)

    router = Router()
    for i, r in enumerate(table.routes):
        router.add(r.path, r.endpoint, methods=[r.method], name=f"r{i}")
    router.finalize()
    resolve = router.get

    def match(method: str, path: str) -> t.Any:
        try:
            _, endpoint, params = resolve(path, method)
        except SanicNotFound:
            return NOT_FOUND
        except NoMethod:
            return NOT_ALLOWED
        return endpoint, params

    return match


def _http_router(table: routes.Table) -> t.Callable[[str, str], t.Any]:
    from http_router import Router
    from http_router.exceptions import InvalidMethodError, NotFoundError

    router = Router(unquote_params=False)  # werkzeug does not unquote either
    for r in table.routes:
        router.bind(r.endpoint, _braces(r.path), methods=[r.method])

    def match(method: str, path: str) -> t.Any:
        try:
            found = router(path, method)
        except NotFoundError:
            return NOT_FOUND
        except InvalidMethodError:
            return NOT_ALLOWED
        return found.target, found.params

    return match


# -- building, checking, caching -------------------------------------------------------


@cache
def matcher(router: str, table_name: str) -> t.Callable[[str, str], t.Any]:
    """The uniform ``match(method, path)`` of *router* over a table (cached)."""
    table = routes.get_table(table_name)
    if not supports(router, table):
        raise LookupError(f"{router} cannot take table {table_name}")
    if router in WERKZEUG_FAMILY:
        return _werkzeug_match(make_adapter(router, table))
    return {"falcon": _falcon, "sanic-routing": _sanic, "http-router": _http_router}[router](table)


def describe(result: t.Any) -> tuple[t.Any, ...]:
    """A comparable form of one match result."""
    if isinstance(result, RequestRedirect):
        return ("redirect", result.new_url)
    if isinstance(result, MethodNotAllowed):
        return ("405", frozenset(result.valid_methods or ()))
    if isinstance(result, NotFound):
        return ("404",)
    if isinstance(result, BaseException):
        return (type(result).__name__,)
    if result == NOT_FOUND:
        return ("404",)
    if result == NOT_ALLOWED:
        return ("405",)
    endpoint, args = result
    return ("hit", endpoint, dict(args or {}))


def _coarse(described: tuple[t.Any, ...]) -> tuple[t.Any, ...]:
    return described if described[0] == "hit" else described[:1]


_answers: dict[tuple[str, str], tuple[tuple[t.Any, ...], ...]] = {}


def expected(table_name: str, case: str) -> tuple[tuple[t.Any, ...], ...]:
    """werkzeug's answers for the requests of a case (computed once)."""
    key = (table_name, case)
    if key not in _answers:
        match = matcher("werkzeug", table_name)
        requests = routes.case_requests(table_name, case)
        answers = tuple(describe(match(r.method, r.path)) for r in requests)
        for r, answer in zip(requests, answers, strict=True):
            assert answer[0] == r.kind, f"werkzeug answered {answer} to {r} (labelled {r.kind})"
        _answers[key] = answers
    return _answers[key]


def expected_answers() -> dict[tuple[str, str], tuple[tuple[t.Any, ...], ...]]:
    """All werkzeug answers computed so far (to hand to another process)."""
    return dict(_answers)


def load_expected_answers(answers: dict[tuple[str, str], tuple[tuple[t.Any, ...], ...]]) -> None:
    _answers.update(answers)


_checked: set[tuple[str, str, str]] = set()


def check(router: str, table_name: str, case: str) -> None:
    """Assert that *router* answers every request of the case as werkzeug does.

    fastroute must agree exactly (endpoint and arguments; error type, allowed
    methods, redirect URL); other routers on endpoint and arguments for hits
    and on the kind of error otherwise.
    """
    key = (router, table_name, case)
    if key in _checked:
        return
    match = matcher(router, table_name)
    exact = router in WERKZEUG_FAMILY
    bad = []
    for r, want in zip(routes.case_requests(table_name, case), expected(table_name, case), strict=True):
        got = describe(match(r.method, r.path))
        if (got != want) if exact else (_coarse(got) != _coarse(want)):
            bad.append(f"{r.method} {r.path}: {router} {got} != werkzeug {want}")
    assert not bad, f"{len(bad)} mismatches on {table_name}/{case}, e.g.\n" + "\n".join(bad[:10])
    _checked.add(key)


def prepare(
    router: str, table_name: str, case: str
) -> tuple[t.Callable[[str, str], t.Any], list[tuple[str, str]]]:
    """``(match, [(method, path), ...])`` for a case, checked against werkzeug."""
    check(router, table_name, case)
    pairs = [(r.method, r.path) for r in routes.case_requests(table_name, case)]
    return matcher(router, table_name), pairs


# -- URL building ------------------------------------------------------------------------

BUILD_CASES: dict[str, tuple[str, dict[str, t.Any]]] = {
    "Static": ("GET /user/repos", {}),
    "2Params": ("GET /repos/<owner>/<repo>/stargazers", {"owner": "pallets", "repo": "werkzeug"}),
}


@cache
def build_adapter(router: str, table_name: str = "github") -> t.Any:
    return make_adapter(router, routes.get_table(table_name))


def prepare_build(router: str, case: str) -> tuple[t.Callable[..., str], str, dict[str, t.Any]]:
    """``(adapter.build, endpoint, values)``, checked to build werkzeug's URL."""
    endpoint, values = BUILD_CASES[case]
    build = build_adapter(router).build
    want = build_adapter("werkzeug").build(endpoint, values)
    got = build(endpoint, values)
    assert got == want, f"{router} built {got!r}, werkzeug {want!r}"
    return build, endpoint, values
