"""Differential tests: fastroute.routing against werkzeug.routing (the spec).

Hypothesis draws rule sets (see ``strategies.py``); each rule set is built as
a werkzeug map and as a fastroute map with the same options (sometimes in
steps, with map attributes changed in between), and tens of requests derived
from its rules (matching values, near misses, noise) are bound (``bind`` or
``bind_to_environ``) and matched on both, then URLs are built on both.  Every
answer must agree: the endpoint or rule and the values, or the same exception
with the same redirect URL / allowed methods; ``test()`` and
``allowed_methods()``; the adapters' state; built URLs or the same build
exception.  A case is one (rule set, request) comparison.

Tests: random maps (``test_match_and_build``), host-matching maps,
``test_dense`` (rules and paths from one tiny alphabet, so the order of the
tries decides), ``test_construction`` (maps that may be invalid: the same
error), converter argument parsing, written-out regressions, and the cases
saved by the fuzz runner (``fuzz/differential.py``) in ``tests/regressions/``.

Run longer with ``FASTROUTE_DIFF_EXAMPLES=5000`` (rule sets in the main
test; the others scale with it) and ``FASTROUTE_DIFF_REQUESTS`` (requests
per rule set).  ``test_zz_case_count`` prints the number of cases (``-s``)
and checks that a default run compares at least 20,000 per core.

The ``core`` fixture runs each test on a whole core (its ``Map``,
``MapAdapter`` and matcher), so one run covers both cores.
"""

from __future__ import annotations

import collections
import os
import random
import re
import signal
import subprocess
import sys
import typing as t
import warnings
from pathlib import Path

import pytest
import werkzeug.routing as wr
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import BuildError, RequestRedirect, WebsocketMismatch

import fastroute.routing as fr
from fastroute import _cores
from tests.support import casefiles, cores as support_cores
from tests.support.strategies import (
    BuildCase,
    MapSpec,
    RuleSpec,
    build_case,
    dense_map_specs,
    map_specs,
    maybe_broken_map_specs,
    mixed_map_specs,
    request_for,
)

DEFAULT_EXAMPLES = 500
EXAMPLES = int(os.environ.get("FASTROUTE_DIFF_EXAMPLES", DEFAULT_EXAMPLES))
REQUESTS = int(os.environ.get("FASTROUTE_DIFF_REQUESTS", 60))
BUILDS = max(REQUESTS // 3, 1)
HOST_EXAMPLES = max(EXAMPLES // 3, 1)
BROKEN_EXAMPLES = max(EXAMPLES // 5, 1)
DENSE_EXAMPLES = max(EXAMPLES // 2, 1)
MIXED_EXAMPLES = max(EXAMPLES // 2, 1)
# A default run must compare at least 20,000 (rule set, request) cases per core.
MIN_CASES = 20_000 if EXAMPLES >= DEFAULT_EXAMPLES and REQUESTS >= 60 else 0

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

#: Cases compared, by (core, kind); the tests that ran to completion, by core.
CASES: collections.Counter[tuple[str, str]] = collections.Counter()
COMPLETED: dict[str, set[str]] = collections.defaultdict(set)
COUNTED_TESTS = {
    "test_match_and_build",
    "test_host_matching",
    "test_dense",
    "test_construction",
    "test_mixed_objects",
}


# --------------------------------------------------------------------------
# Outcomes: what a call did, in a form comparable across the two libraries.


def error(e: BaseException) -> tuple[t.Any, ...]:
    if isinstance(e, BuildError):
        return ("BuildError", str(e))
    return ("error", type(e).__name__)


def construct(spec: MapSpec, mod: t.Any) -> tuple[t.Any, t.Any]:
    try:
        return spec.make(mod), None
    except Exception as e:  # construction errors must agree
        return None, error(e)


def rule_info(m: t.Any, rule: t.Any) -> tuple[t.Any, ...]:
    """A rule as the test compares it: its position in ``iter_rules()`` and
    its public attributes."""
    index = next(i for i, r in enumerate(m.iter_rules()) if r is rule)
    return (
        index,
        repr(rule),
        rule.rule,
        rule.endpoint,
        None if rule.methods is None else sorted(rule.methods),
        rule.subdomain,
        rule.host,
        rule.defaults,
        rule.build_only,
        rule.strict_slashes,
        rule.merge_slashes,
        rule.redirect_to,
        rule.alias,
        rule.websocket,
        sorted(rule.arguments),
        rule.is_leaf,
        rule.is_branch,
        list(rule._trace),  # werkzeug's tokens; fastroute works them out when asked
    )


def _norm_value(value: t.Any) -> str:
    # repr() of an int past 4,300 decimal digits raises (a hex converter
    # makes such ints from long paths; werkzeug does too): those by hex().
    if type(value) is int and value.bit_length() > 10_000:
        return hex(value)
    return repr(value)


def norm_values(values: t.Any) -> tuple[t.Any, ...]:
    return (type(values).__name__, sorted((k, type(v).__name__, _norm_value(v)) for k, v in values.items()))


def do_match(adapter: t.Any, kwargs: dict[str, t.Any]) -> tuple[t.Any, ...]:
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("query_args"), MultiDict):
        kwargs["query_args"] = kwargs["query_args"].copy()
    try:
        found, values = adapter.match(**kwargs)
    # __suppress_context__: werkzeug raises these "from None" (but for the
    # defaults and redirect_to redirects), and a traceback shows no context.
    except RequestRedirect as e:
        return ("redirect", e.new_url, e.code, e.__suppress_context__)
    except MethodNotAllowed as e:
        methods = list(e.valid_methods or ())
        return ("405", sorted(methods), len(methods), e.__suppress_context__)
    except WebsocketMismatch as e:
        return ("websocket-mismatch", e.code, e.__suppress_context__)
    except NotFound as e:
        return ("404", e.code, e.__suppress_context__)
    except HTTPException as e:
        return ("http", type(e).__name__, e.code)
    except Exception as e:
        return error(e)
    if kwargs.get("return_rule"):
        return ("hit-rule", rule_info(adapter.map, found), norm_values(values))
    return ("hit", found, norm_values(values))


def do_test(adapter: t.Any, path: t.Any, method: t.Any) -> t.Any:
    try:
        return adapter.test(path, method)
    except Exception as e:
        return error(e)


def do_allowed(adapter: t.Any, path: t.Any) -> t.Any:
    try:
        found = list(adapter.allowed_methods(path))
    except Exception as e:
        return error(e)
    return sorted(found), len(found)


def do_bind(m: t.Any, kwargs: dict[str, t.Any]) -> tuple[t.Any, t.Any]:
    """``bind(**kwargs)``, or ``bind_to_environ`` when *kwargs* has an
    environ: ``(adapter, None)`` or ``(None, error)``.  The adapter's state
    and the warnings (server name mismatch) are compared by the callers."""
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("query_args"), MultiDict):
        kwargs["query_args"] = kwargs["query_args"].copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if "environ" in kwargs:
                adapter = m.bind_to_environ(dict(kwargs.pop("environ")), **kwargs)
            else:
                adapter = m.bind(**kwargs)
        except Exception as e:
            return None, error(e)
    BIND_WARNINGS[id(adapter)] = [(w.category.__name__, str(w.message)) for w in caught]
    return adapter, None


#: Warnings seen by the latest binds, by adapter id.
BIND_WARNINGS: dict[int, t.Any] = {}


def adapter_state(adapter: t.Any) -> tuple[t.Any, ...]:
    names = (
        "server_name",
        "script_name",
        "subdomain",
        "url_scheme",
        "path_info",
        "default_method",
        "query_args",
        "websocket",
    )
    return (*(getattr(adapter, name) for name in names), BIND_WARNINGS.pop(id(adapter), None))


def do_build(adapter: t.Any, endpoint: t.Any, values: t.Any, kwargs: dict[str, t.Any]) -> tuple[t.Any, ...]:
    if isinstance(values, MultiDict):
        values = values.copy()
    elif values is not None:
        values = dict(values)
    try:
        return ("url", adapter.build(endpoint, values, **kwargs))
    except Exception as e:
        if isinstance(e, BuildError):
            return ("BuildError", str(e))
        return ("error", type(e).__name__, str(e))


def do_partial_build(adapter: t.Any, endpoint: t.Any, values: t.Any, kwargs: dict[str, t.Any]) -> t.Any:
    """``adapter._partial_build`` (werkzeug's plan selection, which subclasses
    override and call), with the values dict ``build`` would hand it."""
    if isinstance(values, MultiDict):
        values = {k: (v[0] if len(v) == 1 else v) for k, v in dict.items(values) if len(v) != 0}
    else:
        values = {k: v for k, v in (values or {}).items() if v is not None}
    try:
        return adapter._partial_build(
            endpoint, values, kwargs.get("method"), kwargs.get("append_unknown", True)
        )
    except Exception as e:
        return ("error", type(e).__name__, str(e))


# --------------------------------------------------------------------------
# The comparison of one rule set.


class Divergence(AssertionError):
    """fastroute answered differently; the parts are kept as attributes
    (``what``, ``spec``, ``call``, ``expected``, ``got``) for the fuzz runner."""

    what: str
    spec: t.Any
    call: t.Any
    expected: t.Any
    got: t.Any


def diverged(what: str, spec: t.Any, call: t.Any, expected: t.Any, got: t.Any) -> Divergence:
    found = Divergence(
        f"{what} diverges from werkzeug\n  map:      {spec!r}\n  call:     {call!r}\n"
        f"  werkzeug: {expected!r}\n  fastroute:{got!r}"
    )
    found.what, found.spec, found.call, found.expected, found.got = what, spec, call, expected, got
    return found


class SlowReference(BaseException):
    """werkzeug used up its CPU-time budget on one call (see :func:`reference`)."""


def _on_vtalrm(signum: int, frame: t.Any) -> None:
    raise SlowReference()


#: CPU seconds werkzeug may spend on one call.  Its per-part regexes
#: backtrack polynomially (n**k for k converters sharing a part), so a few
#: generated (rule set, path) pairs would keep it busy for hours; such a
#: request is not compared (fastroute still answers it, under pytest's hang
#: watchdog) and is counted as "reference-slow".
REFERENCE_SECONDS = 2.0


def reference(fn: t.Callable[[], t.Any], seconds: float = REFERENCE_SECONDS) -> t.Any:
    """``fn()`` (a werkzeug call) with a CPU-time budget (ITIMER_VIRTUAL, so
    SIGALRM stays free for others); raises :class:`SlowReference` when it
    runs out.  Without setitimer (Windows) there is no budget."""
    if not hasattr(signal, "setitimer"):
        return fn()
    signal.signal(signal.SIGVTALRM, _on_vtalrm)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


def check_request(
    wmap: t.Any, fmap: t.Any, spec: t.Any, bind: dict[str, t.Any], match: dict[str, t.Any]
) -> t.Any:
    """Compare one request; return werkzeug's hit ``(endpoint, values)`` or None.

    Raises :class:`SlowReference` (after fastroute answered) when werkzeug
    was too slow to compare with."""
    try:
        return _check_request(wmap, fmap, spec, bind, match)
    except SlowReference:
        fad, _ = do_bind(fmap, bind)
        if fad is not None:
            path = match.get("path_info")
            do_match(fad, match), do_test(fad, path, match.get("method")), do_allowed(fad, path)
        raise


def _check_request(
    wmap: t.Any, fmap: t.Any, spec: t.Any, bind: dict[str, t.Any], match: dict[str, t.Any]
) -> t.Any:
    wad, werr = do_bind(wmap, bind)
    fad, ferr = do_bind(fmap, bind)
    if werr or ferr:
        if werr != ferr:
            raise diverged("bind", spec, bind, werr, ferr)
        return None
    call = (bind, match)
    wstate, fstate = adapter_state(wad), adapter_state(fad)
    if wstate != fstate:
        raise diverged("bind", spec, bind, wstate, fstate)
    expected = reference(lambda: do_match(wad, match))
    got = do_match(fad, match)
    if expected != got:
        raise diverged("match", spec, call, expected, got)
    path = match.get("path_info")
    method = match.get("method")
    expected = reference(lambda: do_test(wad, path, method))
    got = do_test(fad, path, method)
    if expected != got:
        raise diverged("test()", spec, call, expected, got)
    expected = reference(lambda: do_allowed(wad, path))
    got = do_allowed(fad, path)
    if expected != got:
        raise diverged("allowed_methods()", spec, call, expected, got)
    if expected[0] == "hit":  # werkzeug's values, to build from later
        try:
            return reference(lambda: wad.match(**match))
        except Exception:
            return None
    return None


def check_build(wmap: t.Any, fmap: t.Any, spec: t.Any, case: t.Any) -> None:
    wad, werr = do_bind(wmap, case.bind)
    fad, ferr = do_bind(fmap, case.bind)
    if werr or ferr:
        if werr != ferr:
            raise diverged("bind", spec, case.bind, werr, ferr)
        return
    wstate, fstate = adapter_state(wad), adapter_state(fad)
    if wstate != fstate:
        raise diverged("bind", spec, case.bind, wstate, fstate)
    expected = reference(lambda: do_build(wad, case.endpoint, case.values, case.kwargs))
    got = do_build(fad, case.endpoint, case.values, case.kwargs)
    if expected != got:
        raise diverged("build", spec, (case.bind, case.endpoint, case.values, case.kwargs), expected, got)
    expected = reference(lambda: do_partial_build(wad, case.endpoint, case.values, case.kwargs))
    got = do_partial_build(fad, case.endpoint, case.values, case.kwargs)
    if expected != got:
        raise diverged(
            "_partial_build", spec, (case.bind, case.endpoint, case.values, case.kwargs), expected, got
        )


def check_map(spec: MapSpec, seed: int, core: t.Any, requests: int = REQUESTS, builds: int = BUILDS) -> None:
    wmap, werr = construct(spec, wr)
    fmap, ferr = construct(spec, fr)
    name = core.__name__
    if werr or ferr:
        CASES[name, "construction"] += 1
        if werr != ferr:
            raise diverged("map construction", spec, None, werr, ferr)
        return
    assert fmap._core is core
    wrules = list(wmap.iter_rules())
    expected = [rule_info(wmap, r) for r in wrules]
    got = [rule_info(fmap, r) for r in fmap.iter_rules()]
    if expected != got:
        raise diverged("iter_rules()", spec, None, expected, got)
    rnd = random.Random(seed)
    matched = []
    for _ in range(requests):
        req = request_for(rnd, wrules, spec)
        try:
            hit = check_request(wmap, fmap, spec, req.bind, req.match)
        except SlowReference:
            CASES[name, "reference-slow"] += 1
            continue
        if hit is not None:
            matched.append(hit)
        CASES[name, "match"] += 1
    for _ in range(builds):
        try:
            check_build(wmap, fmap, spec, build_case(rnd, wrules, spec, matched))
        except SlowReference:
            CASES[name, "reference-slow"] += 1
            continue
        CASES[name, "build"] += 1


# --------------------------------------------------------------------------
# Generated cases.  The hypothesis functions are called from plain tests so
# that a run to the end can be recorded for the case count.


@SETTINGS
@given(spec=map_specs(), seed=st.integers(0, 2**32 - 1))
def _match_and_build(core: t.Any, spec: MapSpec, seed: int) -> None:
    check_map(spec, seed, core)


@settings(SETTINGS, max_examples=HOST_EXAMPLES)
@given(spec=map_specs(host_matching=True), seed=st.integers(0, 2**32 - 1))
def _host_matching(core: t.Any, spec: MapSpec, seed: int) -> None:
    check_map(spec, seed, core)


@settings(SETTINGS, max_examples=DENSE_EXAMPLES)
@given(spec=dense_map_specs(), seed=st.integers(0, 2**32 - 1))
def _dense(core: t.Any, spec: MapSpec, seed: int) -> None:
    check_map(spec, seed, core)


@settings(SETTINGS, max_examples=BROKEN_EXAMPLES)
@given(spec=maybe_broken_map_specs(), seed=st.integers(0, 2**32 - 1))
def _construction(core: t.Any, spec: MapSpec, seed: int) -> None:
    check_map(spec, seed, core, requests=REQUESTS // 3, builds=BUILDS // 3)


@settings(SETTINGS, max_examples=MIXED_EXAMPLES)
@given(spec=mixed_map_specs(), seed=st.integers(0, 2**32 - 1))
def _mixed_objects(core: t.Any, spec: MapSpec, seed: int) -> None:
    check_map(spec, seed, core)


def test_match_and_build(core: t.Any) -> None:
    """Random maps (subdomains, factories, patterns; one in five host-matching)."""
    _match_and_build(core)
    COMPLETED[core.__name__].add("test_match_and_build")


def test_host_matching(core: t.Any) -> None:
    """Random host-matching maps."""
    _host_matching(core)
    COMPLETED[core.__name__].add("test_host_matching")


def test_dense(core: t.Any) -> None:
    """Rules and paths from one tiny alphabet: ambiguous matches everywhere."""
    _dense(core)
    COMPLETED[core.__name__].add("test_dense")


def test_construction(core: t.Any) -> None:
    """Maps with a rule that may be invalid: the same error, or the same answers."""
    _construction(core)
    COMPLETED[core.__name__].add("test_construction")


def test_mixed_objects(core: t.Any) -> None:
    """Rule sets made twice, with werkzeug's classes and with fastroute's,
    mixed into one fastroute map (werkzeug's or fastroute's class per rule
    and factory, and sometimes werkzeug's converter classes): every answer,
    and ``iter_rules()`` order, as a werkzeug map of werkzeug's objects."""
    _mixed_objects(core)
    COMPLETED[core.__name__].add("test_mixed_objects")


_ARG_TEXT = st.text(alphabet=st.sampled_from(list("ab1_ .,=-'\"xyzTrueFalseNone()\\u")), max_size=24)


@settings(SETTINGS, max_examples=EXAMPLES * 2)
@given(text=_ARG_TEXT)
def test_parse_converter_args(text: str) -> None:
    """Converter argument text parses to the same values (or both raise)."""

    def parse(mod: t.Any) -> t.Any:
        try:
            args, kwargs = mod.parse_converter_args(text)
        except Exception as e:
            return error(e)
        return [(type(a).__name__, repr(a)) for a in args], {
            k: (type(v).__name__, repr(v)) for k, v in kwargs.items()
        }

    assert parse(fr) == parse(wr), text


# --------------------------------------------------------------------------
# Regression cases: each divergence found by the generated tests, written out.
# ``expected`` is a prefix of werkzeug's outcome (checked, so the case keeps
# testing what it was written for); fastroute's outcome must equal werkzeug's.


def _map(*entries: t.Any, **options: t.Any) -> MapSpec:
    return MapSpec(list(entries), options)


R = RuleSpec
HOST = {"server_name": "example.com"}

REGRESSIONS = [
    pytest.param(
        # werkzeug encodes the query string before converting the variables,
        # so the sort error wins over the converter's ValidationError.
        _map(R("/<even:x>", {"endpoint": "a"}), sort_parameters=True),
        HOST,
        ("build", "a", {"x": 3, "q": ["b", None]}, {}),
        ("error", "TypeError"),
        id="build-encodes-query-before-converters",
    ),
    pytest.param(
        _map(
            R("/d/<x>", {"endpoint": "a", "defaults": {"page": 1}}),
            R("/d/<x>/p/<int:page>", {"endpoint": "a"}),
            sort_parameters=True,
        ),
        HOST,
        ("build", "a", MultiDict([("x", "x"), ("page", 2), ("page", "again"), ("q", None), ("q", "a")]), {}),
        ("error", "TypeError"),
        id="build-multidict-query-error-before-int-error",
    ),
    # An invalid converter regex ([^/]{2,1}) fails only the matches that try
    # its part, as werkzeug compiles part regexes lazily; the rest of the map
    # (building, other paths) works.
    *(
        pytest.param(
            _map(R("/a", {"endpoint": "a"}), R("/b/<string(minlength=2, maxlength=1):v>", {"endpoint": "b"})),
            HOST,
            call,
            expected,
            id=f"invalid-converter-regex-{name}",
        )
        for name, call, expected in [
            ("build-other", ("build", "a", {}, {}), ("url", "/a")),
            ("build-own", ("build", "b", {"v": "x"}, {}), ("url", "/b/x")),
            ("match-static", ("match", {"path_info": "/a"}), ("hit", "a")),
            ("match-miss", ("match", {"path_info": "/c"}), ("404",)),
            # re.error is called PatternError from Python 3.13 on.
            ("match-tries-it", ("match", {"path_info": "/b/x"}), ("error", re.error.__name__)),
        ]
    ),
    pytest.param(
        _map(R("/a", {"endpoint": "a"}), R("/b/<string(length=99999999999):v>", {"endpoint": "b"})),
        HOST,
        ("match", {"path_info": "/b/x"}),
        ("error", "OverflowError"),
        id="too-large-repeat-fails-when-tried",
    ),
    pytest.param(
        _map(R("/a", {"endpoint": "a"}), R("/b/<string(length=99999999999):v>", {"endpoint": "b"})),
        HOST,
        ("match", {"path_info": "/a"}),
        ("hit", "a"),
        id="too-large-repeat-other-paths-work",
    ),
    # Building passes the values as keyword arguments in werkzeug: a key
    # that is not a str raises TypeError, even when it would be dropped.
    *(
        pytest.param(
            _map(R("/a/<x>", {"endpoint": "a", "defaults": {"page": 1}}), R("/b", {"endpoint": "b"})),
            HOST,
            ("build", endpoint, values, kwargs),
            expected,
            id=f"build-non-str-key-{i}",
        )
        for i, (endpoint, values, kwargs, expected) in enumerate(
            [
                ("a", {"x": 1, 2: "y"}, {}, ("error", "TypeError")),
                ("b", {3: "z"}, {"append_unknown": False}, ("error", "TypeError")),
                ("b", MultiDict([(4, "q")]), {}, ("error", "TypeError")),
                ("a", {3: "z"}, {}, ("BuildError",)),  # no suitable rule: BuildError first
                ("b", {"x-y": 1, "ü": 2}, {}, ("url", "/b?x-y=1&%C3%BC=2")),
            ]
        )
    ),
    # werkzeug >= 3.1.9: the values of one part come in converter order,
    # also past ten converters (3.1.8 sorted the group names as strings).
    pytest.param(
        _map(R("/g/" + "-".join(f"<int:v{i}>" for i in range(12)), {"endpoint": "g"})),
        HOST,
        ("match", {"path_info": "/g/" + "-".join(str(100 + i) for i in range(12))}),
        ("hit", "g", ("dict", sorted((f"v{i}", "int", str(100 + i)) for i in range(12)))),
        id="more-than-ten-converters-in-one-part",
    ),
    pytest.param(
        _map(R("/h/<path:p>/" + "/".join(f"<v{i}>" for i in range(11)), {"endpoint": "h"})),
        HOST,
        ("match", {"path_info": "/h/a/b/" + "/".join("cdefghijklm")}),
        (
            "hit",
            "h",
            (
                "dict",
                sorted(
                    [("p", "str", "'a/b'")] + [(f"v{i}", "str", repr(c)) for i, c in enumerate("cdefghijklm")]
                ),
            ),
        ),
        id="more-than-ten-converters-in-a-final-part",
    ),
    # werkzeug >= 3.1.9: a number past int()'s digit limit does not match.
    pytest.param(
        _map(R("/n/<int:n>", {"endpoint": "n"}), R("/n/<x>", {"endpoint": "s"})),
        HOST,
        ("match", {"path_info": "/n/" + "1" * 5000}),
        ("404",),
        id="int-past-digit-limit-is-no-match",
    ),
    # A bound subdomain holding "/" is one domain part: the regex-free
    # checks must not accept it where werkzeug's regex does not.
    *(
        pytest.param(
            _map(
                R("/", {"endpoint": "u", "subdomain": "<user>"}),
                R("/l", {"endpoint": "l", "subdomain": "<string(length=3):lang>"}),
            ),
            {**HOST, "subdomain": sub},
            ("match", {"path_info": path}),
            expected,
            id=f"subdomain-with-slash-{i}",
        )
        for i, (sub, path, expected) in enumerate(
            [("a/b", "/", ("404",)), ("a/c", "/l", ("404",)), ("abc", "/l", ("hit", "l"))]
        )
    ),
    # werkzeug >= 3.1.9 strips only spaces and tabs around Connection tokens.
    *(
        pytest.param(
            _map(R("/", {"endpoint": "a"}), R("/", {"endpoint": "w", "websocket": True})),
            {
                "environ": {
                    "wsgi.url_scheme": "http",
                    "REQUEST_METHOD": "GET",
                    "SERVER_NAME": "example.com",
                    "SERVER_PORT": "80",
                    "HTTP_HOST": "example.com",
                    "HTTP_CONNECTION": connection,
                    "HTTP_UPGRADE": "websocket",
                    "PATH_INFO": "/",
                }
            },
            ("match", {}),
            expected,
            id=f"connection-token-{i}",
        )
        for i, (connection, expected) in enumerate(
            [
                ("upgrade\x0b", ("hit", "a")),
                ("keep-alive,\x0cupgrade", ("hit", "a")),
                (" Upgrade\t", ("hit", "w")),
            ]
        )
    ),
]


@pytest.mark.parametrize(("spec", "bind", "call", "expected"), REGRESSIONS)
def test_regression(
    core: t.Any, spec: MapSpec, bind: dict[str, t.Any], call: tuple[t.Any, ...], expected: t.Any
) -> None:
    wmap, fmap = spec.make(wr), spec.make(fr)
    assert fmap._core is core
    (wad, werr), (fad, ferr) = do_bind(wmap, bind), do_bind(fmap, bind)
    assert werr is None and ferr is None, (werr, ferr)
    assert adapter_state(fad) == adapter_state(wad)
    if call[0] == "build":
        _, endpoint, values, kwargs = call
        want = do_build(wad, endpoint, values, kwargs)
        got = do_build(fad, endpoint, values, kwargs)
    else:
        _, kwargs = call
        want = (do_match(wad, kwargs), do_test(wad, kwargs.get("path_info"), kwargs.get("method")))
        got = (do_match(fad, kwargs), do_test(fad, kwargs.get("path_info"), kwargs.get("method")))
        want, got = want[0] + (want[1],), got[0] + (got[1],)
    assert want[: len(expected)] == expected, f"werkzeug changed: {want!r}"
    assert got == want


# --------------------------------------------------------------------------
# Saved cases: every tests/regressions/*.json, as written by the fuzz runner
# (fuzz/differential.py; the format is in tests/regressions/README.md).

REGRESSION_DIR = Path(__file__).parent / "regressions"
SAVED_CASES = sorted(REGRESSION_DIR.glob("*.json"))
#: Hangs and crashes are replayed in a child process, killed after this long.
CHILD_SECONDS = 8


def replay_case(case: dict[str, t.Any], core: t.Any) -> None:
    """Run a saved case again; raise :class:`Divergence` while fastroute still
    answers differently.  A ``standalone`` case is its one call on fresh maps;
    any other case replays the whole rule set (``check_map`` with the saved
    seed and sizes, which draws the same requests again)."""
    spec, call = case["spec"], case["call"]
    if call["op"] not in ("match", "build") or not case.get("standalone"):
        check_map(spec, case["seed"], core, requests=case["requests"], builds=case["builds"])
        return
    wmap, werr = construct(spec, wr)
    fmap, ferr = construct(spec, fr)
    if werr or ferr:
        if werr != ferr:
            raise diverged("map construction", spec, None, werr, ferr)
        return
    if call["op"] == "match":
        check_request(wmap, fmap, spec, call["bind"], call["match"])
    else:
        case_ = BuildCase(call["bind"], call["endpoint"], call["values"], call["kwargs"])
        check_build(wmap, fmap, spec, case_)


def replay_file(path: str, core_name: str) -> None:
    """Replay one case file with the named matcher core (``pure`` or
    ``compiled``): the child process of :func:`test_saved_regression`."""
    module = _cores.pure_match if core_name == "pure" else _cores.compiled_match
    assert module is not None, "compiled core not built"
    support_cores.use(module)
    replay_case(casefiles.load(Path(path)), module)


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, id=path.stem) for path in SAVED_CASES]
    or [pytest.param(None, marks=pytest.mark.skip(reason="no saved cases in tests/regressions/"))],
)
def test_saved_regression(core: t.Any, path: Path) -> None:
    """A divergence, hang or crash found by fuzzing: fastroute must now agree."""
    case = casefiles.load(path)
    if case["kind"] not in ("timeout", "crash"):
        replay_case(case, core)
        return
    # A hang or a crash must not take the test run down with it.
    name = "pure" if core is _cores.pure_match else "compiled"
    code = "import sys; sys.path.insert(0, sys.argv[1]); from tests import test_differential as d; d.replay_file(*sys.argv[2:])"
    argv = [sys.executable, "-c", code, str(Path(__file__).parent.parent), str(path), name]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=CHILD_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: no answer within {CHILD_SECONDS} s (hang)")
    assert done.returncode == 0, f"{path.name}: exit status {done.returncode}\n{done.stderr[-4000:]}"


# --------------------------------------------------------------------------
# The number of cases compared (kept last in the module).


def test_zz_case_count(core: t.Any) -> None:
    """Report the cases compared for this core; a default run needs 20,000."""
    name = core.__name__
    counts = {kind: CASES[name, kind] for kind in ("match", "build", "construction", "reference-slow")}
    print(f"\ndifferential cases for {name}: {counts}, total {counts['match'] + counts['build']}")
    if not COMPLETED[name] >= COUNTED_TESTS:
        pytest.skip("not all differential tests ran for this core")
    assert counts["match"] >= MIN_CASES
