"""Hostile inputs that ``test_bad_input.py`` does not cover: 64 KB ``Host``
headers, rule tables built to make the matcher backtrack, converters with
pathological regexes, and the cost of converters sharing a path part.

Every case has a documented answer (404, 400, a redirect or a hit) and is
compared with werkzeug 3.1 where werkzeug finishes in reasonable time.

How the time is bounded.  A match runs in a worker thread joined with a
generous timeout, and the elapsed time is checked once it returns: ``re``
and the compiled core do not release the GIL, so a runaway match can hold
the main thread until it finishes, and the elapsed check still fails it.
Inputs that would run for minutes if something regressed run in a child
process that is killed at a deadline.  No test compares two timings.

What is linear and what is not:

* fastroute's tree and its built-in converters, one converter per path part
  (or several converters that cannot both match the same characters, such
  as ``<int:a>-<int:b>``): linear in the path, whatever the table.  Each
  tree node is visited at most once per match, and a converter taking the
  rest of the path is tried once per node.
* Several converters that can match the same characters in one part — two
  ``string`` converters and a literal in one segment (``<a>-<b>.html``),
  two ``path`` converters in one rule, or a host rule with several variables
  — make werkzeug's one regular expression backtrack: quadratic with two
  such converters, cubic with three, minutes at the sizes a server accepts
  (an 8 KB request line, a 64 KB ``Host``).  When every converter of the
  part is built-in, fastroute matches it without the regex in linear time
  (docs/performance.md).  They are compared with werkzeug at a few KB here;
  the tests at the end check the server-sized inputs in a child process
  with a deadline.
* A ``Host`` such as ``[a:b]`` passes werkzeug's character check but is no
  IPv6 address: a redirect built from it makes werkzeug's response fail
  (``urlsplit`` raises ``ValueError`` on the ``Location``), so Flask answers
  500, and fastroute, which uses the same response code, does too.
* A custom converter's regex is the application's: fastroute compiles it
  with ``re`` and runs it on the segments the tree leads to, as werkzeug
  does, so a catastrophic pattern such as ``(a+)+`` takes exponential time in
  both.  fastroute only promises not to try it where the tree does not lead.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import types
import uuid
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import werkzeug.routing as wz
from werkzeug.test import create_environ, run_wsgi_app

import fastroute
import fastroute.routing as fr
from fastroute import _cores
from tests.support.outcomes import guarded

flask = pytest.importorskip("flask")

#: how long a child process may take for one match once it is ready
CHILD_DEADLINE = 1.5
KB = 1 << 10
MB = 1 << 20


def kind(result: tuple[Any, ...]) -> str:
    """The documented answer of a result: "404", "400", "redirect", "hit ..."."""
    if result[0] == "ok":
        found = result[1]
        return f"hit {found[0] if isinstance(found, tuple) else found}"
    if result[0] == "redirect":
        return "redirect"
    if result[0] == "http":
        return str(result[2])
    return repr(result)


def make_map(mod: types.ModuleType, rules: list[str], **options: Any) -> Any:
    return mod.Map([mod.Rule(r, endpoint=r) for r in rules], **options)


def run_isolated(core: types.ModuleType, setup: str, action: str, deadline: float = CHILD_DEADLINE) -> str:
    """Run *setup*, then *action*, in a child process with *core* selected;
    the child is killed when *action* takes longer than *deadline* seconds.

    Returns what *action* printed.  For inputs where a regression would hold
    the GIL for minutes: the child can be stopped, a thread cannot.
    """
    code = textwrap.dedent(
        """
        import sys
        import fastroute.routing as fr
        from werkzeug.exceptions import HTTPException
        """
    )
    code += textwrap.dedent(setup)
    code += "\nprint('ready', flush=True)\n"
    code += textwrap.dedent(action)
    # The environment picks the child's core (a whole one: fastroute._cores).
    pure = "1" if core is _cores.pure_match else ""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "FASTROUTE_NO_EXTENSIONS": pure}
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        first = proc.stdout.readline()  # setup may take its time on a busy machine
        if first.strip() != "ready":
            proc.kill()
            pytest.fail(f"child failed before the match: {first}{proc.stderr.read()[-2000:]}")
        try:
            proc.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"no answer within {deadline} s (the child process was killed)")
        # Read through the same buffered stream as the first line.
        out, err = proc.stdout.read(), proc.stderr.read()
    assert proc.returncode == 0, err[-2000:]
    return out.strip()


# ---------------------------------------------------------------------------
# 64 KB Host headers

BIG = 64 * KB
BIG_HOSTS = {
    "one-label": ("a" * BIG),
    "labels": "a." * (BIG // 2 - 6) + "ex.com",
    "labels-port": "a." * (BIG // 2 - 8) + "ex.com:8080",
    "subdomains-of-server": "a." * (BIG // 2 - 6) + "example.com",
    "digits": "1." * (BIG // 2 - 1) + "1",
    "dots": "." * BIG,
    "dashes": "-" * BIG,
    "non-ascii": "é" * BIG,
    "spaces": " " * BIG,
    "port": "example.com:" + "1" * BIG,
    "ipv6": "[" + "a:" * (BIG // 2) + "1]",
    "ipv6-unclosed": "[" + "a:" * (BIG // 2),
    "nul": "\x00" * BIG,
}

HOST_RULES = [
    ("/", {"endpoint": "root"}),
    ("/b/", {"endpoint": "branch"}),
    ("/", {"endpoint": "api", "subdomain": "api"}),
    ("/s", {"endpoint": "sub", "subdomain": "<sub>"}),
]


@cache
def werkzeug_host_answers(name: str) -> list[tuple[Any, ...]]:
    m = wz.Map([wz.Rule(s, **o) for s, o in HOST_RULES])
    return [guarded(call) for call in host_calls(m, BIG_HOSTS[name])]


def host_calls(m: Any, host: str) -> list[Callable[[], Any]]:
    calls = []
    for path in ("/", "/b", "/s"):
        for server_name in (None, "example.com"):
            environ = create_environ(path, "http://placeholder/")
            environ["HTTP_HOST"] = host

            def call(e: dict = environ, s: str | None = server_name) -> Any:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return m.bind_to_environ(dict(e), server_name=s).match()

            calls.append(call)
    return calls


@pytest.mark.parametrize("name", list(BIG_HOSTS))
def test_64k_host_through_bind_to_environ(core: Any, name: str) -> None:
    m = fr.Map([fr.Rule(s, **o) for s, o in HOST_RULES])
    got = [guarded(call) for call in host_calls(m, BIG_HOSTS[name])]
    assert got == werkzeug_host_answers(name)
    # The documented answers, for / /b /s, each without and with the server
    # name "example.com": a name that is not a valid host name is a 400
    # (BadHost, from bind()); characters a host cannot have make the host
    # empty; a host outside the server name gets the subdomain "<invalid>",
    # which nothing but a "<sub>" rule matches (werkzeug's quirk).
    if name in ("one-label", "dots", "dashes"):
        assert [kind(r) for r in got] == ["400", "404", "400", "404", "400", "hit sub"]
    else:
        assert [kind(r) for r in got] == ["hit root", "404", "redirect", "404", "404", "hit sub"]


@pytest.mark.parametrize("name", list(BIG_HOSTS))
def test_64k_host_with_host_matching(core: Any, name: str) -> None:
    rules = [
        ("/", {"endpoint": "exact", "host": "example.com"}),
        ("/", {"endpoint": "sub", "host": "<sub>.example.com"}),
        ("/", {"endpoint": "any", "host": "<host>"}),
        ("/n", {"endpoint": "num", "host": "<int:n>.example.com"}),
    ]
    pair = [mod.Map([mod.Rule(s, **o) for s, o in rules], host_matching=True) for mod in (wz, fr)]
    for path in ("/", "/n"):
        environ = create_environ(path, "http://placeholder/")
        environ["HTTP_HOST"] = BIG_HOSTS[name]
        results = [guarded(lambda m=m, e=environ: m.bind_to_environ(dict(e)).match()) for m in pair]
        assert results[1] == results[0], path
        assert kind(results[1]) in ("400", "404", "hit any", "hit sub"), results[1]


def _host_app(fw: Any, option: str) -> Any:
    app = fw.Flask(
        "hostile_hosts",
        static_folder=None,
        host_matching=option == "host_matching",
        subdomain_matching=option == "subdomain_matching",
    )
    if option == "trusted":
        app.config["TRUSTED_HOSTS"] = [".ex.com", "example.com"]
    if option in ("server_name", "subdomain_matching"):
        app.config["SERVER_NAME"] = "example.com"
    host = "<h>" if option == "host_matching" else None
    app.add_url_rule("/", "index", lambda **kw: "index", host=host)
    app.add_url_rule("/b/", "branch", lambda **kw: "branch", host=host)
    return app


@pytest.mark.parametrize("option", ["plain", "trusted", "server_name", "subdomain_matching", "host_matching"])
def test_64k_host_through_the_app_like_flask(core: Any, option: str) -> None:
    apps = [_host_app(fw, option) for fw in (flask, fastroute)]
    for name, host in BIG_HOSTS.items():
        for path in ("/", "/b"):
            answers = []
            for app in apps:
                environ = create_environ(path, "http://placeholder/")
                environ["HTTP_HOST"] = host

                def call(app: Any = app, environ: dict = environ) -> Any:
                    body, status, headers = run_wsgi_app(app, environ)
                    try:
                        return status, headers.get("Location"), b"".join(body)
                    finally:
                        getattr(body, "close", lambda: None)()

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    answers.append(guarded(call))
            assert answers[1] == answers[0], (name, path)
            assert answers[1][0] == "ok", answers[1]
            status = answers[1][1][0][:3]
            if name == "ipv6" and path == "/b" and option in ("plain", "host_matching"):
                # As in Flask: see test_invalid_ipv6_host_breaks_redirects_as_in_flask.
                assert status == "500"
            else:
                assert status in ("200", "308", "400", "404"), (name, path, status)
            if option == "trusted" and name not in ("labels", "labels-port"):
                assert status == "400", (name, path, status)


@pytest.mark.parametrize("host", ["[a:b]", "[1:2:3]", "[" + "a:" * (BIG // 2) + "1]"])
def test_invalid_ipv6_host_breaks_redirects_as_in_flask(core: Any, host: str) -> None:
    """A ``Host`` that passes werkzeug's character check but is no IPv6
    address (``[a:b]``) ends up in the redirect URL; writing the ``Location``
    header, werkzeug's ``iri_to_uri`` calls ``urlsplit``, which rejects the
    host with ``ValueError``: under a WSGI server Flask answers 500 (its test
    client raises the ``ValueError``), and so does fastroute (the app layer
    uses werkzeug's response).  Plain matches are not affected."""
    pair = [mod.Map([mod.Rule("/b/", endpoint="b"), mod.Rule("/", endpoint="i")]) for mod in (wz, fr)]
    for path in ("/", "/b"):
        environ = create_environ(path, "http://placeholder/")
        environ["HTTP_HOST"] = host
        results = [guarded(lambda m=m, e=environ: m.bind_to_environ(dict(e)).match()) for m in pair]
        assert results[1] == results[0]
    assert results[1][:2] == ("redirect", 308)
    apps = [_host_app(fw, "plain") for fw in (flask, fastroute)]
    # The redirect's status depends on the Python version (3.11.4+'s urlsplit
    # rejects such hosts: a 500), so it is only required to be Flask's.
    for path, statuses in (("/", {200}), ("/b", {308, 500})):
        answers = []
        for app in apps:
            app.logger.disabled = True  # the 500 is logged with its traceback
            environ = create_environ(path, "http://placeholder/")
            environ["HTTP_HOST"] = host
            body, status_line, _ = run_wsgi_app(app, environ)
            answers.append((int(status_line[:3]), b"".join(body)))
        assert answers[1] == answers[0]
        assert answers[1][0] in statuses


# ---------------------------------------------------------------------------
# A table built for backtracking: linear in the path

LEVELS = 6
TRIE_RULES = [
    # 2**6 rules sharing every prefix of variables, each with a static tail:
    # a near miss tries them all.
    *(
        "/t/" + "/".join(f"<{conv}:v{i}>" for i, conv in enumerate(combo)) + "/tail"
        for combo in itertools.product(["string", "int"], repeat=LEVELS)
    ),
    *(f"/t/<v0>/<v1>/<v2>/<v3>/<v4>/<v5>/tail{i}" for i in range(20)),
    "/t/<v0>/<v1>/<v2>/<v3>/<v4>/<v5>/",
    # a path converter at every depth, then a static tail
    *("/f/" + "".join(f"<v{i}>/" for i in range(depth)) + "<path:rest>/edit" for depth in range(5)),
    "/f/<path:rest>/<int:n>/edit",
    "/f/hit/<a>/<path:rest>",
    # several converters in one segment that cannot overlap
    "/m/<int:a>-<int:b>-<int:c>",
    "/m/<a>.<int:b>",
    "/m/<uuid:u>.<any(json, xml):ext>",
    "/m/<a>-<any(x, y):b>",
    "/m/<int:a>.<float:b>",
    # every built-in converter along one path
    "/c/<int:a>/<float:b>/<uuid:c>/<any(x, y, z):d>/<string(length=3):e>/end",
    "/c/<int(signed=True):a>/<float(signed=True):b>/<uuid:c>/<d>/<e>/end/",
    "/c/<a>/<b>/<c>/<d>/<e>/final/",
]

SEG = MB // LEVELS
UUID = str(uuid.UUID(int=7))
T_HIT = "/t/<int:v0>/<int:v1>/<int:v2>/<int:v3>/<int:v4>/<int:v5>/tail"
T_STR = "/t/<string:v0>/<string:v1>/<string:v2>/<string:v3>/<string:v4>/<string:v5>/tail"

#: name -> (path, documented answer); about 1 MB unless the name says otherwise
TRIE_CASES: dict[str, tuple[str, str]] = {
    "prefix-digits-near-miss": ("/t/" + "/".join(["1" * SEG] * LEVELS) + "/tai", "404"),
    "prefix-letters-near-miss": ("/t/" + "/".join(["a" * SEG] * LEVELS) + "/tai", "404"),
    "prefix-mixed-near-miss": ("/t/" + "/".join(["1" * SEG, "a" * SEG] * (LEVELS // 2)) + "/taiX", "404"),
    "prefix-last-not-digit": (
        "/t/" + "/".join(["1" * SEG] * (LEVELS - 1) + ["1" * SEG + "x"]) + "/tai",
        "404",
    ),
    "prefix-one-segment-too-many": ("/t/" + "/".join(["1" * SEG] * (LEVELS + 1)) + "/tail", "404"),
    "prefix-one-segment-short": ("/t/" + "/".join(["1" * SEG] * (LEVELS - 1)) + "/tail", "redirect"),
    "prefix-short-hit": ("/t/1/2/3/4/5/6/tail", f"hit {T_HIT}"),
    "prefix-letters-hit": ("/t/" + "/".join(["a" * SEG] * LEVELS) + "/tail", f"hit {T_STR}"),
    "prefix-branch-redirect": ("/t/" + "/".join(["a" * SEG] * LEVELS), "redirect"),
    "prefix-merged-slashes": ("/t//" + "//".join(["a" * (SEG // 2)] * LEVELS) + "//tail", "redirect"),
    "prefix-merged-slashes-miss": ("/t//" + "//".join(["a" * (SEG // 2)] * LEVELS) + "//tai", "404"),
    "path-near-miss": ("/f/" + "a/" * (MB // 2) + "edix", "404"),
    "path-near-miss-int": ("/f/" + "a/" * (MB // 2) + "1/edix", "404"),
    "path-newline": ("/f/x/y/" + "a/" * (MB // 2) + "\n/edit", "404"),
    "path-hit": ("/f/" + "a/" * (MB // 2) + "edit", "hit /f/<path:rest>/edit"),
    "path-rest-hit": ("/f/hit/b/" + "c/" * (MB // 2) + "edix", "hit /f/hit/<a>/<path:rest>"),
    "segment-ints-near-miss": ("/m/" + "1-" * (MB // 2), "404"),
    "segment-dots-near-miss": ("/m/" + "a." * (MB // 2) + "x", "404"),
    "segment-dashes-near-miss": ("/m/" + "a-" * (MB // 2) + "z", "404"),
    "segment-float-near-miss": ("/m/" + "1." * (MB // 2), "404"),
    "segment-uuid-ext": ("/m/" + UUID + "." + "j" * MB, "404"),
    "segment-uuid-hit": (f"/m/{UUID}.json", "hit /m/<uuid:u>.<any(json, xml):ext>"),
    "chain-near-miss": (f"/c/1/1.5/{UUID}/x/abc/en", "404"),
    "chain-long-int": ("/c/" + "1" * MB + f"/1.5/{UUID}/x/abc/end", "404"),
    "chain-long-last": (f"/c/1/1.5/{UUID}/x/" + "a" * MB + "/end", "redirect"),
    "chain-final-branch": (f"/c/1/1.5/{UUID}/x/abc/final", "redirect"),
}


@cache
def trie_maps() -> dict[str, Any]:
    return {"werkzeug": make_map(wz, TRIE_RULES)}


@cache
def werkzeug_trie_answer(name: str) -> tuple[Any, ...]:
    adapter = trie_maps()["werkzeug"].bind("example.com")
    return guarded(lambda: adapter.match(TRIE_CASES[name][0]))


@pytest.fixture
def trie_adapter(core: Any) -> Any:
    return make_map(fr, TRIE_RULES).bind("example.com")


@pytest.mark.parametrize("name", list(TRIE_CASES))
def test_backtracking_table_is_linear(trie_adapter: Any, name: str) -> None:
    path, documented = TRIE_CASES[name]
    got = guarded(lambda: trie_adapter.match(path))
    assert got == werkzeug_trie_answer(name)
    assert kind(got) == documented


def test_backtracking_table_all_methods_and_websocket(core: Any) -> None:
    """The near misses again with a method no rule allows and as a WebSocket:
    the walk records mismatches on the way, still linear."""
    pair = [make_map(mod, TRIE_RULES) for mod in (wz, fr)]
    for name in ("prefix-short-hit", "prefix-mixed-near-miss", "path-hit", "segment-uuid-hit"):
        path = TRIE_CASES[name][0]
        for scheme, method in (("http", "BREW"), ("ws", "GET")):
            results = [
                guarded(lambda m=m, s=scheme, p=path, v=method: m.bind("h", url_scheme=s).match(p, v))
                for m in pair
            ]
            assert results[1] == results[0], (name, scheme)


# ---------------------------------------------------------------------------
# Converters sharing one part: quadratic in werkzeug and in fastroute

SHARED_RULES = [
    "/q/<a>-<b>.html",
    "/q/<path:a>/x/<path:b>/end",
    "/r/<a>/<path:b>/x/<path:c>",
    "/q/<a>_<b>",
]
SHARED_CASES: dict[str, tuple[str, str]] = {
    "two-strings-and-a-literal-4k": ("/q/" + "a-" * (2 * KB), "404"),
    "two-strings-and-a-literal-hit": ("/q/" + "a-" * (2 * KB) + ".html", "hit /q/<a>-<b>.html"),
    "two-paths-4k": ("/q/" + "a/x/" * KB + "en", "404"),
    "two-paths-hit": ("/q/" + "a/x/" * KB + "end", "hit /q/<path:a>/x/<path:b>/end"),
    "string-then-two-paths-4k": ("/r/s/" + "a/x/" * KB + "a", "hit /r/<a>/<path:b>/x/<path:c>"),
    "string-then-two-paths-newline": ("/r/s/" + "a/x/" * KB + "a\n", "404"),
    "two-strings-underscores": ("/q/" + "_" * (4 * KB), "hit /q/<a>_<b>"),
}


@pytest.mark.parametrize("name", list(SHARED_CASES))
def test_converters_sharing_a_part_like_werkzeug(core: Any, name: str) -> None:
    path, documented = SHARED_CASES[name]
    results = [
        guarded(lambda m=m: m.bind("h").match(path))
        for m in (make_map(mod, SHARED_RULES) for mod in (wz, fr))
    ]
    assert results[1] == results[0]
    assert kind(results[1]) == documented


# ---------------------------------------------------------------------------
# Custom converters with pathological regexes


def _converters(mod: types.ModuleType) -> dict[str, type]:
    return {
        "nested": type("Nested", (mod.BaseConverter,), {"regex": "(?:a+)+"}),
        "alternation": type("Alternation", (mod.BaseConverter,), {"regex": "(?:a|aa)+"}),
        "overlap": type("Overlap", (mod.BaseConverter,), {"regex": r"(?:\w*)*x"}),
        "greedy_rest": type(
            "GreedyRest", (mod.BaseConverter,), {"regex": "(?:[^/]*/?)*z", "part_isolating": False}
        ),
    }


EVIL_RULES = [
    "/n/<nested:x>",
    "/n/<nested:x>/tail",
    "/alt/<alternation:x>",
    "/o/<overlap:x>",
    "/g/<greedy_rest:x>",
    "/safe/<s>",
]


def evil_map(mod: types.ModuleType) -> Any:
    return make_map(mod, EVIL_RULES, converters=_converters(mod))


#: small enough for exponential patterns: a few ms here, doubling with each extra character
EVIL_CASES = {
    "nested-near-miss": ("/n/" + "a" * 16 + "!", "404"),
    "nested-hit": ("/n/" + "a" * 16, "hit /n/<nested:x>"),
    "nested-tail-near-miss": ("/n/" + "a" * 16 + "!/tail", "404"),
    "alternation-near-miss": ("/alt/" + "a" * 20 + "!", "404"),
    "overlap-near-miss": ("/o/" + "a" * 18, "404"),
    "greedy-rest-near-miss": ("/g/" + "a/" * 8 + "y", "404"),
    "greedy-rest-hit": ("/g/" + "a/" * 8 + "z", "hit /g/<greedy_rest:x>"),
}


@pytest.mark.parametrize("name", list(EVIL_CASES))
def test_pathological_custom_regex_is_run_like_werkzeug(core: Any, name: str) -> None:
    """The user's regex is compiled by ``re`` and tried where the tree
    leads, as werkzeug does: the same answer, and the same exponential
    cost (the sizes here keep it to milliseconds)."""
    path, documented = EVIL_CASES[name]
    results = [guarded(lambda m=m: m.bind("h").match(path)) for m in (evil_map(wz), evil_map(fr))]
    assert results[1] == results[0]
    assert kind(results[1]) == documented


def test_pathological_regex_is_not_tried_off_its_branch(core: Any) -> None:
    """Paths the tree sends elsewhere never reach the custom regex, however
    long; a static sibling is tried first and answers without it.  Run in a
    child process: if the regex were tried on these inputs the match would
    take days, and only a process can be stopped."""
    setup = f"""
        converters = {{"nested": type("N", (fr.BaseConverter,), {{"regex": "(?:a+)+"}})}}
        trap = "a" * 64 + "!"
        m = fr.Map(
            [fr.Rule(r, endpoint=r) for r in {[*EVIL_RULES[:2], "/safe/<s>"]!r} + ["/n/" + trap]],
            converters=converters,
        )
        adapter = m.bind("h")
    """
    action = """
        results = []
        for path in ["/safe/" + trap, "/n/" + trap, "/other/" + trap, "/safe/" + "a" * 1_000_000 + "!"]:
            try:
                results.append(adapter.match(path)[0][:8])
            except HTTPException as e:
                results.append(e.code)
        print(results)
    """
    assert run_isolated(core, setup, action) == "['/safe/<s', '/n/aaaaa', 404, '/safe/<s']"


# ---------------------------------------------------------------------------
# Superlinear in werkzeug (minutes at these sizes): linear in fastroute

SUPERLINEAR = {
    "three-strings-in-a-segment-8k": (
        'm = fr.Map([fr.Rule("/<a>-<b>-<c>.html", endpoint="e")]); adapter = m.bind("h")',
        'path = "/" + "a-" * 4096',
        "adapter.match(path)",
    ),
    "two-paths-in-a-rule-64k": (
        'm = fr.Map([fr.Rule("/<path:a>/x/<path:b>/end", endpoint="e")]); adapter = m.bind("h")',
        'path = "/" + "a/x/" * 16384',
        "adapter.match(path)",
    ),
    "two-variables-in-a-host-64k": (
        'm = fr.Map([fr.Rule("/", endpoint="e", host="<a>.<b>.example.com")], host_matching=True)',
        'path = "/"; adapter = m.bind("a." * 32000 + "example.org")',
        "adapter.match(path)",
    ),
}


@pytest.mark.parametrize("name", list(SUPERLINEAR))
def test_converters_sharing_a_part_are_linear(core: Any, name: str) -> None:
    make, prepare, match = SUPERLINEAR[name]
    action = f"""
        try:
            {match}
            print("hit")
        except HTTPException as e:
            print(e.code)
    """
    assert run_isolated(core, f"{make}\n{prepare}\n", action) == "404"
