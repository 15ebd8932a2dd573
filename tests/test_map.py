"""Map and MapAdapter: options, rule bookkeeping, binding (by hand and from
a WSGI environ), matching, redirects, building, dispatching, build errors
and the werkzeug-compatible StateMachineMatcher.

werkzeug 3.1 is the specification: where a result is not written out
literally it is computed with werkzeug on the same input.
"""

from __future__ import annotations

import warnings

import pytest
import werkzeug.routing as wz
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadHost, HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.matcher import StateMachineMatcher as WzStateMachineMatcher
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

import fastroute.routing as fr
from tests.support.outcomes import assert_same, both, build_outcome, match_outcome as outcome

# --------------------------------------------------------------------------
# helpers


def adapter_state(adapter):
    return {
        "server_name": adapter.server_name,
        "script_name": adapter.script_name,
        "subdomain": adapter.subdomain,
        "url_scheme": adapter.url_scheme,
        "path_info": adapter.path_info,
        "default_method": adapter.default_method,
        "query_args": adapter.query_args,
        "websocket": adapter.websocket,
    }


def pair(rules, *bind_args, map_kwargs=None, **bind_kwargs):
    """fastroute and werkzeug adapters for the same rules (a function of the module)."""
    map_kwargs = map_kwargs or {}
    ours = fr.Map(rules(fr), **map_kwargs).bind(*bind_args, **bind_kwargs)
    theirs = wz.Map(rules(wz), **map_kwargs).bind(*bind_args, **bind_kwargs)
    return ours, theirs


def test_static_paths_of_any_width_and_hash(core):
    # Fully static paths are looked up by the path's hash first; paths of
    # every storage width, many static siblings, a str subclass with its own
    # hash (match() works on the plain str) and misses that share a prefix
    # all answer as werkzeug does.
    class OddHash(str):
        def __hash__(self):
            return 7

    def rules(r):
        out = [r.Rule(f"/s/{i}/page", endpoint=f"s{i}") for i in range(300)]
        out += [
            r.Rule("/caf\u00e9", endpoint="latin1"),
            r.Rule("/\u65e5\u672c", endpoint="ucs2"),
            r.Rule("/\U0001f600/x", endpoint="ucs4"),
            r.Rule("/s/<int:n>/page", endpoint="dynamic"),
            r.Rule("/only-get", endpoint="get", methods=["GET"]),
            # Segment names compared inside request paths of other widths.
            r.Rule("/caf\u00e9/<x>", endpoint="latin1-var"),
            r.Rule("/\u65e5\u672c/<x>/y", endpoint="ucs2-var"),
            r.Rule("/a/\U0001f600\u00e9/<x>", endpoint="ucs4-var"),
        ]
        return out

    ours, theirs = pair(rules, "example.org")
    paths = [
        "/s/7/page",
        "/s/299/page",
        "/s/300/page",
        "/s/7/pag",
        "/s/7",
        "/caf\u00e9",
        "/cafe",
        "/\u65e5\u672c",
        "/\u65e5",
        "/\U0001f600/x",
        "/\U0001f600",
        "/only-get",
        "/only-ge",
        "/caf\u00e9/\u65e5",
        "/caf\u00e9/\U0001f600",
        "/caf\u00e8/\U0001f600",
        "/\u65e5\u672c/\U0001f600/y",
        "/\u65e5\u672c/a/y",
        "/\u65e5\u672d/a/y",
        "/a/\U0001f600\u00e9/b",
        "/a/\U0001f601\u00e9/b",
        "/a/\U0001f600e/b",
    ]
    for path in paths:
        for method in ("GET", "POST"):
            assert outcome(ours, path, method) == outcome(theirs, path, method), (path, method)
            assert outcome(ours, OddHash(path), method) == outcome(theirs, path, method), (path, method)


def _suppress_context(adapter, path, method="GET", websocket=False):
    """Whether the routing error of a match made inside an ``except`` block
    hides that block's exception, as werkzeug's ``raise ... from None``."""
    try:
        raise KeyError("the caller's own error")
    except KeyError:
        try:
            adapter.match(path, method, websocket=websocket)
        except HTTPException as e:
            return type(e).__name__, e.__suppress_context__, e.__cause__
    return "hit"


def static_only_rules(r):
    return [
        r.Rule("/", endpoint="index"),
        r.Rule("/a", endpoint="a", methods=["GET"]),
        r.Rule("/a/b/c", endpoint="abc", methods=["GET", "PUT"]),
        r.Rule("/dir/", endpoint="dir"),  # "/dir" redirects
        r.Rule("/loose/", endpoint="loose", strict_slashes=False),  # "/loose" matches
        r.Rule("/file", endpoint="file", strict_slashes=False),  # "/file/" matches
        r.Rule("/deep/er/est", endpoint="deep"),  # "/deep", "/deep/er": no rules
        r.Rule("/both", endpoint="both-get", methods=["GET"]),
        r.Rule("/both/", endpoint="both-post", methods=["POST"]),
        r.Rule("/ws", endpoint="ws", websocket=True),
        r.Rule("/m//x", endpoint="mx"),  # a rule with an empty segment
        r.Rule("/m/x", endpoint="m-x", methods=["POST"]),
        r.Rule("/caf\u00e9/\U0001f600", endpoint="wide"),
        r.Rule("/d", endpoint="d", defaults={"page": 1}),
        r.Rule("/al", endpoint="d", alias=True),
    ]


# The empty path, then paths written with spaces between them.
STATIC_ONLY_PATHS = [
    "",
    *"""
    / /a /a/ /a/b /a/b/c /a/b/c/ /a/bc /dir /dir/ /dir/x /loose /loose/ /file /file/
    /deep /deep/ /deep/er /deep/er/est /deep/er/est/ /both /both/ /ws /ws/ /m//x /m/x
    /m///x //a /a//b//c //dir /caf\u00e9/\U0001f600 /caf\u00e9 /zz /zz/ /d /al /A
    /a/b/c/d/e/f/g a dir
    """.split(),  # noqa: SIM905 (one path per line would be 40 lines)
]


@pytest.mark.parametrize("merge_slashes", [True, False])
@pytest.mark.parametrize("strict_slashes", [True, False])
def test_static_only_maps_answer_as_werkzeug(core, merge_slashes, strict_slashes):
    # A domain with no dynamic rule (and none at the root) is answered from
    # its path table alone when the path does not end with a slash and has
    # no slashes to merge: misses, 405s, websocket mismatches, slash
    # redirects (to rules, and from nodes that have no rules of their own)
    # and non-strict slash rules must come out as werkzeug's walk gives them.
    kwargs = {"merge_slashes": merge_slashes, "strict_slashes": strict_slashes}
    ours, theirs = pair(static_only_rules, "example.org", map_kwargs=kwargs)
    ours.map.update()  # compiles the map
    matcher = ours.map._matcher
    for path in STATIC_ONLY_PATHS:
        for method in ("GET", "POST", "PUT", "DELETE"):
            for websocket in (False, True):
                got = outcome(ours, path, method, websocket=websocket)
                assert got == outcome(theirs, path, method, websocket=websocket), (path, method, websocket)
                assert _suppress_context(ours, path, method, websocket) == _suppress_context(
                    theirs, path, method, websocket
                ), (path, method, websocket)
                # The matcher's own answer (a second way into the same lookup).
                path_part = "/" + path.lstrip("/") if path else ""  # as match() passes it
                status, found, extra = matcher.match("", path_part, method, websocket)
                kind = {core.HIT: "match", core.REDIRECT: "redirect"}.get(status)
                if kind is None:
                    kind = "405" if found else ("WebsocketMismatch" if extra else "NotFound")
                if kind == "match" and got[0] == "redirect":  # the adapter's alias/defaults redirect
                    assert found.endpoint == "d", (path, method, websocket, got)
                else:
                    assert got[0] == kind, (path, method, websocket, got)
                if kind == "405":
                    assert sorted(found) == got[1]


def test_static_only_domains_beside_dynamic_ones(core):
    # The shortcut is per domain: a subdomain with dynamic rules, or a
    # dynamic subdomain part at the root, must still get the walk.
    def rules(r):
        return [
            r.Rule("/a", endpoint="www-a", subdomain="www"),
            r.Rule("/dir/", endpoint="www-dir", subdomain="www"),
            r.Rule("/a", endpoint="api-a", subdomain="api", methods=["GET"]),
            r.Rule("/<x>", endpoint="api-x", subdomain="api", methods=["POST"]),
            r.Rule("/b", endpoint="any-b", subdomain="<sub>"),
        ]

    def host_rules(r):
        return [
            r.Rule("/a", endpoint="h-a", host="static.example"),
            r.Rule("/dir/", endpoint="h-dir", host="static.example"),
            r.Rule("/b", endpoint="h-b", host="<name>.example"),
        ]

    paths = ["/a", "/b", "/c", "/dir", "/dir/", "/a/", "//b"]
    for sub in ("www", "api", "other", ""):
        ours, theirs = pair(rules, "example.org", subdomain=sub)
        for path in paths:
            for method in ("GET", "POST"):
                assert outcome(ours, path, method) == outcome(theirs, path, method), (sub, path, method)
    for host in ("static.example", "other.example", "nope"):
        ours = fr.Map(host_rules(fr), host_matching=True).bind(host)
        theirs = wz.Map(host_rules(wz), host_matching=True).bind(host)
        for path in paths:
            assert outcome(ours, path) == outcome(theirs, path), (host, path)


def test_routing_errors_hide_their_context_as_werkzeug(core):
    # werkzeug raises its 404, 405, websocket mismatch, slash, merge-slashes
    # and alias redirects "from None" (a traceback shows no context), its
    # defaults and redirect_to redirects plainly: the same on both cores,
    # through the walk as through the path table.
    def rules(r):
        return [
            r.Rule("/u/<int:n>", endpoint="u", methods=["GET"]),
            r.Rule("/dir/<x>/", endpoint="dir"),
            r.Rule("/ws/<x>", endpoint="ws", websocket=True),
            r.Rule("/old/<x>", endpoint="old", redirect_to="/u/<x>"),
            r.Rule("/p/", endpoint="p", defaults={"page": 1}),
            r.Rule("/p/<int:page>", endpoint="p"),
            r.Rule("/al/<int:page>", endpoint="p", alias=True),
            r.Rule("/static", endpoint="static", methods=["POST"]),
        ]

    ours, theirs = pair(rules, "example.org")
    cases = [
        ("/nope", "GET", False),
        ("/u/x", "GET", False),
        ("/u/1", "PUT", False),
        ("/static", "GET", False),
        ("/dir/a", "GET", False),
        ("/dir//a/", "GET", False),
        ("/ws/a", "GET", False),
        ("/u/1", "GET", True),
        ("/old/5", "GET", False),
        ("/p/1", "GET", False),
        ("/al/2", "GET", False),
    ]
    seen = set()
    for path, method, websocket in cases:
        got = _suppress_context(ours, path, method, websocket)
        assert got == _suppress_context(theirs, path, method, websocket), (path, method, websocket)
        seen.add(got[:2])
    # Both kinds were raised: hidden contexts and shown ones.
    assert {hidden for _, hidden in seen} == {True, False}, seen


def test_static_path_table_holds_slash_redirect_parents(core):
    # Static-only domains answer from the path table, so it holds the paths
    # whose only rules are below a trailing slash ("/dir" for "/dir/") too.
    ours, _ = pair(static_only_rules, "example.org")
    ours.map.update()
    matcher = ours.map._matcher
    for path in ("/dir", "/dir/", "/loose", "/both", "/both/", "/a", "/a/b/c"):
        assert matcher.static_path_known("", path), path
    for path in ("/deep", "/deep/er", "/a/b", "/zz", "/a/"):
        assert not matcher.static_path_known("", path), path


def test_large_static_tables_answer_every_path(core):
    # A large table of static paths has a filter in front of it in the
    # compiled core: every static path must pass it, and the dynamic paths
    # it turns away must still reach the dynamic rules (with subdomains: one
    # table and filter per domain).
    def rules(r):
        out = [r.Rule(f"/s/{i}/page", endpoint=f"s{i}", methods=["GET"]) for i in range(1500)]
        out += [r.Rule(f"/t/{i}", endpoint=f"t{i}", subdomain="api") for i in range(400)]
        out += [
            r.Rule("/s/<int:n>/page", endpoint="dynamic"),
            r.Rule("/t/<x>", endpoint="t-dynamic", subdomain="api"),
            r.Rule("/<path:rest>", endpoint="rest", subdomain="api"),
        ]
        return out

    ours, theirs = pair(rules, "example.org")
    api_ours, api_theirs = pair(rules, "example.org", subdomain="api")
    ours.map.update()  # compiles the map
    matcher = ours.map._matcher
    for i in range(3000):
        assert matcher.static_path_known("", f"/s/{i}/page") is (i < 1500), i
        assert matcher.static_path_known("api", f"/t/{i}") is (i < 400), i
        assert not matcher.static_path_known("", f"/t/{i}")
    for i in range(0, 3000, 7):
        for path, method in ((f"/s/{i}/page", "GET"), (f"/s/{i}/page", "PUT"), (f"/s/{i}/pag", "GET")):
            assert outcome(ours, path, method) == outcome(theirs, path, method), (path, method)
        for path in (f"/t/{i}", f"/t/{i}/x", f"/u/{i}"):
            assert outcome(api_ours, path) == outcome(api_theirs, path), path


# --------------------------------------------------------------------------
# Map options


def test_map_option_defaults(core):
    m = fr.Map()
    assert m.default_subdomain == ""
    assert m.strict_slashes is True
    assert m.merge_slashes is True
    assert m.redirect_defaults is True
    assert m.sort_parameters is False
    assert m.sort_key is None
    assert m.host_matching is False
    assert list(m.iter_rules()) == []
    assert fr.Map.lock_class is wz.Map.lock_class


def test_map_options_are_stored(core):
    key = lambda item: item[0]  # noqa: E731
    m = fr.Map(
        default_subdomain="www",
        strict_slashes=False,
        merge_slashes=False,
        redirect_defaults=False,
        sort_parameters=True,
        sort_key=key,
        host_matching=True,
    )
    assert (
        m.default_subdomain,
        m.strict_slashes,
        m.merge_slashes,
        m.redirect_defaults,
        m.sort_parameters,
        m.sort_key,
        m.host_matching,
    ) == ("www", False, False, False, True, key, True)


def test_default_subdomain(core):
    def rules(r):
        return [
            r.Rule("/", endpoint="www_index"),
            r.Rule("/", endpoint="api_index", subdomain="api"),
            r.Rule("/", endpoint="user", subdomain="<user>"),
        ]

    for subdomain in (None, "www", "api", "bob", "", "a.b"):
        ours, theirs = pair(
            rules, "example.com", subdomain=subdomain, map_kwargs={"default_subdomain": "www"}
        )
        assert outcome(ours, "/") == outcome(theirs, "/"), subdomain
    m = fr.Map(rules(fr), default_subdomain="www")
    assert m.bind("example.com").subdomain == "www"
    assert m.bind("example.com").match("/") == ("www_index", {})
    assert m.bind("example.com", subdomain="api").match("/") == ("api_index", {})
    assert m.bind("example.com", subdomain="bob").match("/") == ("user", {"user": "bob"})
    assert m.bind("example.com").build("api_index") == "http://api.example.com/"
    assert m.bind("example.com").build("www_index") == "/"


def test_strict_slashes_map_and_rule(core):
    def rules(r):
        return [
            r.Rule("/branch/", endpoint="branch"),
            r.Rule("/leaf", endpoint="leaf"),
            r.Rule("/strict/", endpoint="strict", strict_slashes=True),
            r.Rule("/loose/", endpoint="loose", strict_slashes=False),
            r.Rule("/looseleaf", endpoint="looseleaf", strict_slashes=False),
        ]

    paths = [
        "/branch",
        "/branch/",
        "/leaf",
        "/leaf/",
        "/strict",
        "/strict/",
        "/loose",
        "/loose/",
        "/looseleaf",
        "/looseleaf/",
    ]
    for strict in (True, False):
        ours, theirs = pair(rules, "example.com", map_kwargs={"strict_slashes": strict})
        for path in paths:
            assert outcome(ours, path) == outcome(theirs, path), (strict, path)
    ours, _ = pair(rules, "example.com")
    assert outcome(ours, "/branch") == ("redirect", "http://example.com/branch/", 308)
    assert outcome(ours, "/leaf/") == ("NotFound",)
    assert outcome(ours, "/loose") == ("match", "loose", {})
    assert outcome(ours, "/looseleaf/") == ("match", "looseleaf", {})
    ours, _ = pair(rules, "example.com", map_kwargs={"strict_slashes": False})
    assert outcome(ours, "/branch") == ("match", "branch", {})
    assert outcome(ours, "/leaf/") == ("match", "leaf", {})
    assert outcome(ours, "/strict") == ("redirect", "http://example.com/strict/", 308)


def test_merge_slashes(core):
    def rules(r):
        return [
            r.Rule("/a/b", endpoint="ab"),
            r.Rule("/c/<x>/d", endpoint="cd"),
            r.Rule("/keep//this", endpoint="keep", merge_slashes=False),
            r.Rule("/p/<path:p>", endpoint="path"),
            r.Rule("/merged//rule", endpoint="merged"),
            # Paths of each str storage width (1, 2 and 4 bytes a character).
            r.Rule("/\u00e4/b", endpoint="latin1"),
            r.Rule("/\u20ac/b", endpoint="ucs2"),
            r.Rule("/\U0001f600/b", endpoint="ucs4"),
        ]

    paths = [
        "/\u00e4//b",
        "/\u00e4/b/",
        "/\u20ac//b",
        "//\u20ac/b",
        "/\U0001f600//b",
        "/\U0001f600/b//",
        "/a/b//",
        "/a/b/",
        "/",
        "//",
        "",
        "/a/b",
        "//a/b",
        "/a//b",
        "/a///b/",
        "/c/1//d",
        "/c//1/d",
        "/keep//this",
        "/keep/this",
        "/keep///this",
        "/p/a//b",
        "/p//a",
        "/merged/rule",
        "/merged//rule",
    ]
    for merge in (True, False):
        ours, theirs = pair(rules, "example.com", map_kwargs={"merge_slashes": merge})
        for path in paths:
            assert outcome(ours, path) == outcome(theirs, path), (merge, path)
    ours, _ = pair(rules, "example.com")
    assert outcome(ours, "/a//b") == ("redirect", "http://example.com/a/b", 308)
    assert outcome(ours, "//a/b") == ("match", "ab", {})  # leading slashes are stripped
    assert outcome(ours, "/keep//this") == ("match", "keep", {})
    assert outcome(ours, "/keep/this") == ("NotFound",)
    assert outcome(ours, "/p/a//b") == ("match", "path", {"p": "a//b"})  # not merged inside a value
    assert outcome(ours, "/merged/rule") == ("match", "merged", {})
    ours, _ = pair(rules, "example.com", map_kwargs={"merge_slashes": False})
    assert outcome(ours, "/a//b") == ("NotFound",)
    assert outcome(ours, "/merged//rule") == ("match", "merged", {})


def test_merge_slashes_setter_after_rules(core):
    def run(r):
        m = r.Map([r.Rule("/a/b", endpoint="ab")])
        a = m.bind("example.com")
        first = outcome(a, "/a//b")
        m.merge_slashes = False
        return first, m.merge_slashes, outcome(a, "/a//b"), outcome(a, "/a/b")

    assert assert_same(run) == (
        ("redirect", "http://example.com/a/b", 308),
        False,
        ("NotFound",),
        ("match", "ab", {}),
    )


def test_merge_slashes_when_building(core):
    def run(r):
        m = r.Map([r.Rule("/a//<x>", endpoint="a"), r.Rule("/b//<x>", endpoint="b", merge_slashes=False)])
        a = m.bind("h")
        return a.build("a", {"x": 1}), a.build("b", {"x": 1})

    assert assert_same(run) == ("/a/1", "/b//1")


def test_redirect_defaults(core):
    def rules(r):
        return [
            r.Rule("/page/", endpoint="page", defaults={"n": 1}),
            r.Rule("/page/<int:n>", endpoint="page"),
            r.Rule("/old", endpoint="new", alias=True),
            r.Rule("/new", endpoint="new"),
        ]

    paths = ["/page/", "/page/1", "/page/2", "/old", "/new"]
    for redirect in (True, False):
        ours, theirs = pair(rules, "example.com", map_kwargs={"redirect_defaults": redirect})
        for path in paths:
            assert outcome(ours, path) == outcome(theirs, path), (redirect, path)
    ours, _ = pair(rules, "example.com")
    assert outcome(ours, "/page/1") == ("redirect", "http://example.com/page/", 308)
    assert outcome(ours, "/page/2") == ("match", "page", {"n": 2})
    assert outcome(ours, "/page/") == ("match", "page", {"n": 1})
    assert outcome(ours, "/old") == ("redirect", "http://example.com/new", 308)
    ours, _ = pair(rules, "example.com", map_kwargs={"redirect_defaults": False})
    assert outcome(ours, "/page/1") == ("match", "page", {"n": 1})
    assert outcome(ours, "/old") == ("match", "new", {})
    # Building still prefers the rule with the defaults.
    assert ours.build("page", {"n": 1}) == "/page/"


def test_redirect_defaults_changed_after_creation(core):
    m = fr.Map([fr.Rule("/", endpoint="p", defaults={"n": 1}), fr.Rule("/<int:n>", endpoint="p")])
    a = m.bind("example.com")
    with pytest.raises(fr.RequestRedirect):
        a.match("/1")
    m.redirect_defaults = False
    assert a.match("/1") == ("p", {"n": 1})


def test_sort_parameters_and_sort_key(core):
    values = {"b": 2, "a": 1, "c": [3, 1]}
    for kwargs in (
        {},
        {"sort_parameters": True},
        {"sort_parameters": True, "sort_key": lambda item: item[0]},
        {"sort_parameters": True, "sort_key": lambda item: -item[1]},
        {"sort_key": lambda item: item[0]},
    ):
        ours, theirs = pair(lambda r: [r.Rule("/", endpoint="i")], "h", map_kwargs=kwargs)
        assert ours.build("i", values) == theirs.build("i", values), kwargs
    ours, _ = pair(lambda r: [r.Rule("/", endpoint="i")], "h", map_kwargs={"sort_parameters": True})
    assert ours.build("i", values) == "/?a=1&b=2&c=1&c=3"
    ours, _ = pair(lambda r: [r.Rule("/", endpoint="i")], "h")
    assert ours.build("i", values) == "/?b=2&a=1&c=3&c=1"


def test_sort_parameters_set_after_creation(core):
    m = fr.Map([fr.Rule("/", endpoint="i")])
    a = m.bind("h")
    assert a.build("i", {"b": 1, "a": 2}) == "/?b=1&a=2"
    m.sort_parameters = True
    assert a.build("i", {"b": 1, "a": 2}) == "/?a=2&b=1"


# --------------------------------------------------------------------------
# add, iter_rules, is_endpoint_expecting, update, _rules, repr


def bookkeeping_rules(r):
    return [
        r.Rule("/", endpoint="index"),
        r.Rule("/a/<x>", endpoint="a"),
        r.Rule("/a/<x>/<y>", endpoint="a"),
        r.Rule("/a/alias/<x>/<y>/<z>", endpoint="a", alias=True),
        r.Rule("/a/", endpoint="a", defaults={"x": 1, "y": 2}),
        r.Rule("/static/<path:f>", endpoint="static", build_only=True),
        r.Rule("/n", endpoint=None),
        r.Rule("/fn", endpoint=len),
    ]


def test_add_binds_and_returns_none(core):
    m = fr.Map()
    rule = fr.Rule("/", endpoint="x")
    assert m.add(rule) is None
    assert rule.map is m
    assert m.add(fr.Submount("/s", [fr.Rule("/y", endpoint="y")])) is None
    assert m.bind("h").match("/s/y") == ("y", {})


def test_build_only_rules_build_but_do_not_match(core):
    ours, theirs = pair(bookkeeping_rules, "h")
    assert ours.build("static", {"f": "css/app.css"}) == "/static/css/app.css"
    assert outcome(ours, "/static/css/app.css") == ("NotFound",)
    assert outcome(theirs, "/static/css/app.css") == ("NotFound",)


def test_iter_rules_matches_werkzeug(core):
    def run(r):
        m = r.Map(bookkeeping_rules(r))
        return (
            [repr(rule) for rule in m.iter_rules()],
            [repr(rule) for rule in m.iter_rules("a")],
            [repr(rule) for rule in m.iter_rules(None)],
        )

    ours = assert_same(run)
    # Per endpoint in build order: more arguments first, aliases last.
    # (/a/ has arguments x and y through its defaults, and two defaults.)
    assert ours[1] == [
        "<Rule '/a/' -> a>",
        "<Rule '/a/<x>/<y>' -> a>",
        "<Rule '/a/<x>' -> a>",
        "<Rule '/a/alias/<x>/<y>/<z>' -> a>",
    ]
    assert len(ours[0]) == 8
    assert ours[2] == ours[0]  # None means all rules


def test_iter_rules_returns_iterator_and_unknown_endpoint(core):
    m = fr.Map(bookkeeping_rules(fr))
    it = m.iter_rules("index")
    assert iter(it) is it
    assert [rule.rule for rule in it] == ["/"]
    assert [rule.rule for rule in m.iter_rules(len)] == ["/fn"]
    with pytest.raises(KeyError):
        m.iter_rules("missing")


def test_iter_rules_sees_rules_added_later(core):
    m = fr.Map([fr.Rule("/a", endpoint="a")])
    assert len(list(m.iter_rules())) == 1
    m.add(fr.Rule("/b", endpoint="b"))
    assert [r.rule for r in m.iter_rules()] == ["/a", "/b"]


def test_is_endpoint_expecting(core):
    def run(r):
        m = r.Map(bookkeeping_rules(r))
        return [
            m.is_endpoint_expecting("a", "x"),
            m.is_endpoint_expecting("a", "x", "y", "z"),
            m.is_endpoint_expecting("a", "q"),
            m.is_endpoint_expecting("a"),
            m.is_endpoint_expecting("index", "x"),
            m.is_endpoint_expecting("static", "f"),
        ]

    assert assert_same(run) == [True, True, False, True, False, True]
    m = fr.Map(bookkeeping_rules(fr))
    with pytest.raises(KeyError):
        m.is_endpoint_expecting("missing", "x")


def test_update_is_idempotent_and_explicit(core):
    m = fr.Map([fr.Rule("/a", endpoint="a")])
    m.update()
    m.update()
    m.add(fr.Rule("/b", endpoint="b"))
    m.update()
    a = m.bind("h")
    assert a.match("/b") == ("b", {})
    m.add(fr.Rule("/c", endpoint="c"))
    assert a.match("/c") == ("c", {})  # no explicit update needed
    assert a.build("c") == "/c"


def test_rules_and_rules_by_endpoint(core):
    def run(r):
        m = r.Map(bookkeeping_rules(r))
        m.update()
        by_endpoint = {ep: [rule.rule for rule in rules] for ep, rules in m._rules_by_endpoint.items()}
        return [rule.rule for rule in m._rules], list(by_endpoint), by_endpoint

    ours = assert_same(run)
    assert ours[1] == ["index", "a", "static", None, len]


def test_map_repr(core):
    ours = assert_same(lambda r: repr(r.Map(bookkeeping_rules(r))))
    assert ours.startswith("Map([<Rule '/' -> index>,")
    assert repr(fr.Map()) == "Map([])"


# --------------------------------------------------------------------------
# bind


HOSTS = [
    "example.com",
    "Example.COM",
    "example.com:8080",
    "EXAMPLE.com:443",
    "münchen.de",
    "MÜNCHEN.de:8000",
    "☃.net",
    "xn--mnchen-3ya.de",
    "localhost",
    "127.0.0.1:5000",
    "a" * 63 + ".com",
    "example.com.",
    "",
]


@pytest.mark.parametrize("host", HOSTS)
def test_bind_server_name_matches_werkzeug(core, host):
    ours, theirs = both(lambda r: adapter_state(r.Map().bind(host)))
    assert ours == theirs


@pytest.mark.parametrize("host", ["a" * 64 + ".com", "a..b", ".", ".example.com", "x." + "b" * 64, "a" * 64])
def test_bind_bad_host(core, host):
    with pytest.raises(BadHost):
        fr.Map().bind(host)
    with pytest.raises(BadHost):
        wz.Map().bind(host)


def test_bind_documented(core):
    m = fr.Map()
    assert m.bind("Example.COM").server_name == "example.com"
    assert m.bind("example.com:8080").server_name == "example.com:8080"
    assert m.bind("münchen.de").server_name == "xn--mnchen-3ya.de"
    assert m.bind("MÜNCHEN.de:81").server_name == "xn--mnchen-3ya.de:81"
    # A port does not count towards the 63 character label limit.
    assert m.bind("a" * 63 + ":12345").server_name == "a" * 63 + ":12345"
    a = m.bind("h")
    assert adapter_state(a) == {
        "server_name": "h",
        "script_name": "/",
        "subdomain": "",
        "url_scheme": "http",
        "path_info": "/",
        "default_method": "GET",
        "query_args": None,
        "websocket": False,
    }
    a = m.bind("h", "/app", "api", "https", "POST", "/p", "x=1")
    assert adapter_state(a) == {
        "server_name": "h",
        "script_name": "/app/",
        "subdomain": "api",
        "url_scheme": "https",
        "path_info": "/p",
        "default_method": "POST",
        "query_args": "x=1",
        "websocket": False,
    }
    assert m.bind("h", url_scheme="ws").websocket is True
    assert m.bind("h", url_scheme="wss").websocket is True
    assert m.bind("h", script_name="/app/").script_name == "/app/"
    assert isinstance(a, fr.MapAdapter)
    assert a.map is m


def test_bind_with_host_matching(core):
    m = fr.Map(host_matching=True)
    with pytest.raises(RuntimeError, match="host matching enabled and a subdomain was provided"):
        m.bind("example.com", subdomain="api")
    with pytest.raises(RuntimeError):
        m.bind("example.com", subdomain="")
    assert m.bind("example.com").subdomain is None
    assert_same(lambda r: adapter_state(r.Map(host_matching=True).bind("Example.com:80")))


# --------------------------------------------------------------------------
# bind_to_environ


ENVIRONS = [
    dict(base_url="http://example.com/"),
    dict(base_url="http://Example.com:80/"),
    dict(base_url="http://example.com:8080/", path="/x"),
    dict(base_url="https://example.com:443/"),
    dict(base_url="https://example.com:8443/app", path="/x", query_string="a=1&b=%C3%BC"),
    dict(base_url="http://api.example.com/", path="/p", method="POST"),
    dict(base_url="http://a.b.example.com/", path="/p"),
    dict(base_url="http://other.org/", path="/p"),
    dict(
        base_url="http://example.com/", headers={"Connection": "keep-alive, Upgrade", "Upgrade": "WebSocket"}
    ),
    dict(base_url="https://example.com/", headers={"Connection": "Upgrade", "Upgrade": "websocket"}),
    dict(base_url="http://example.com/", headers={"Connection": "upgraded", "Upgrade": "websocket"}),
    dict(base_url="http://example.com/", headers={"Connection": "Upgrade", "Upgrade": "h2c"}),
    dict(base_url="http://example.com/", headers={"Upgrade": "websocket"}),
    dict(base_url="http://example.com/", path="/ü/x", method="delete"),
]


def _state_and_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        state = adapter_state(fn())
    return state, [str(w.message) for w in caught]


@pytest.mark.parametrize("environ_kwargs", ENVIRONS)
@pytest.mark.parametrize(
    "server_name", [None, "example.com", "example.com:80", "example.com:443", "EXAMPLE.COM"]
)
@pytest.mark.parametrize("subdomain", [None, "given"])
def test_bind_to_environ_matches_werkzeug(core, environ_kwargs, server_name, subdomain):
    environ = create_environ(**environ_kwargs)
    for host_matching in (False, True):
        ours, theirs = both(
            lambda r, hm=host_matching: _state_and_warnings(
                lambda: r.Map(host_matching=hm).bind_to_environ(
                    environ, server_name=server_name, subdomain=subdomain
                )
            )
        )
        assert ours == theirs


def test_bind_to_environ_repeated_on_one_map_matches_werkzeug(core):
    """One map binds every environ of ENVIRONS (with each server_name and
    subdomain) three times, in an order that revisits what it has seen:
    what bind_to_environ remembers per host never changes the answer or the
    warnings."""
    calls = [
        (create_environ(**kwargs), server_name, subdomain)
        for kwargs in ENVIRONS
        for server_name in (None, "example.com", "example.com:443")
        for subdomain in (None, "given")
    ]
    for host_matching in (False, True):
        maps = {"ours": fr.Map(host_matching=host_matching), "theirs": wz.Map(host_matching=host_matching)}
        for round_ in range(3):
            for environ, server_name, subdomain in calls[round_ % 2 :: 1 + round_ % 2] + calls:
                ours, theirs = (
                    _bound_or_error(m, environ, server_name, subdomain)
                    for m in (maps["ours"], maps["theirs"])
                )
                assert ours == theirs, (environ.get("HTTP_HOST"), server_name, subdomain)


def _bound_or_error(m, environ, server_name, subdomain):
    try:
        return _state_and_warnings(
            lambda: m.bind_to_environ(environ, server_name=server_name, subdomain=subdomain)
        )
    except Exception as e:
        return type(e).__name__, str(e)


def test_bind_remembers_hosts_within_bounds(core):
    m = fr.Map([fr.Rule("/", endpoint="index")])
    for i in range(2000):
        assert m.bind(f"Host{i}.Example.com").server_name == f"host{i}.example.com"
        environ = create_environ("/", f"http://sub{i}.example.com/")
        assert m.bind_to_environ(environ, server_name="example.com").subdomain == f"sub{i}"
    assert 0 < len(m._bound_hosts) <= 512 and 0 < len(m._environ_hosts) <= 512
    # Oversized and invalid names are worked out (and refused) every time.
    long_name = "a" * 40 + "." + "b" * 300
    for _ in range(2):
        with pytest.raises(BadHost):
            m.bind("x" * 64 + ".example.com")
        assert m.bind(long_name.replace("b" * 300, "b" * 60)).server_name.startswith("a")
        with pytest.raises(BadHost):
            m.bind(long_name)
    assert long_name not in m._bound_hosts
    # A mismatched host warns on every request, not only the first.
    environ = create_environ("/", "http://other.org/")
    for _ in range(3):
        with pytest.warns(UserWarning, match="doesn't match configured server name"):
            assert m.bind_to_environ(environ, server_name="example.com").subdomain == "<invalid>"


def test_bind_to_environ_without_host_header(core):
    for scheme, port in (("http", "80"), ("http", "8000"), ("https", "443"), ("https", "80")):
        environ = {
            "wsgi.url_scheme": scheme,
            "SERVER_NAME": "Srv.Local",
            "SERVER_PORT": port,
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/p",
            "SCRIPT_NAME": "/s",
        }
        ours, theirs = both(lambda r, e=environ: adapter_state(r.Map().bind_to_environ(e)))
        assert ours == theirs
    environ = {
        "wsgi.url_scheme": "http",
        "SERVER_NAME": "srv.local",
        "SERVER_PORT": "8000",
        "REQUEST_METHOD": "GET",
    }
    a = fr.Map().bind_to_environ(environ)
    assert a.server_name == "srv.local:8000"
    assert a.script_name == "/"
    assert a.path_info == "/"
    assert a.query_args is None


def test_bind_to_environ_documented(core):
    m = fr.Map(
        [
            fr.Rule("/", endpoint="index"),
            fr.Rule("/", endpoint="api", subdomain="api"),
            fr.Rule("/dir/", endpoint="dir"),
            fr.Rule("/ws", endpoint="ws", websocket=True),
        ]
    )
    # Host header, lower-cased.
    a = m.bind_to_environ(create_environ("/", "http://Example.COM:8080/"))
    assert a.server_name == "example.com:8080"
    assert a.subdomain == ""
    # Subdomain from the configured server name, https default port stripped.
    a = m.bind_to_environ(
        create_environ("/", "https://staging.dev.example.com/"), server_name="example.com:443"
    )
    assert (a.server_name, a.subdomain, a.url_scheme) == ("example.com", "staging.dev", "https")
    a = m.bind_to_environ(create_environ("/", "http://api.example.com/"), server_name="example.com")
    assert a.match() == ("api", {})
    # An explicit subdomain wins.
    a = m.bind_to_environ(
        create_environ("/", "http://api.example.com/"), server_name="example.com", subdomain=""
    )
    assert a.match() == ("index", {})
    # PATH_INFO, REQUEST_METHOD, SCRIPT_NAME and QUERY_STRING are the defaults.
    environ = create_environ("/dir", "http://example.com/app/", method="PUT", query_string="a=1&b=%C3%BC")
    a = m.bind_to_environ(environ)
    assert (a.script_name, a.path_info, a.default_method, a.query_args) == (
        "/app/",
        "/dir",
        "PUT",
        "a=1&b=%C3%BC",
    )
    with pytest.raises(fr.RequestRedirect) as info:
        a.match()
    assert info.value.new_url == "http://example.com/app/dir/?a=1&b=%C3%BC"


def test_bind_to_environ_server_name_mismatch(core):
    m = fr.Map([fr.Rule("/", endpoint="index")])
    environ = create_environ("/", "http://other.org/")
    with pytest.warns(
        UserWarning,
        match="Current server name 'other.org' doesn't match configured server name 'example.com'",
    ):
        a = m.bind_to_environ(environ, server_name="example.com")
    assert a.subdomain == "<invalid>"
    with pytest.raises(NotFound):
        a.match()
    # No warning with host matching: the subdomain is not computed.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fr.Map(host_matching=True).bind_to_environ(environ, server_name="example.com")


def test_bind_to_environ_websocket_upgrade(core):
    m = fr.Map([fr.Rule("/ws", endpoint="ws", websocket=True), fr.Rule("/http", endpoint="http")])
    headers = {"Connection": "Upgrade", "Upgrade": "websocket"}
    a = m.bind_to_environ(create_environ("/ws", "http://example.com/", headers=headers))
    assert (a.url_scheme, a.websocket) == ("ws", True)
    assert a.match() == ("ws", {})
    with pytest.raises(wz.WebsocketMismatch):
        a.match("/http")
    a = m.bind_to_environ(create_environ("/ws", "https://example.com/", headers=headers))
    assert (a.url_scheme, a.websocket) == ("wss", True)
    a = m.bind_to_environ(create_environ("/ws", "http://example.com/", headers={"Upgrade": "websocket"}))
    assert (a.url_scheme, a.websocket) == ("http", False)
    with pytest.raises(wz.WebsocketMismatch):
        a.match()


def test_bind_to_environ_request_object(core):
    m = fr.Map([fr.Rule("/x", endpoint="x")])
    request = Request(create_environ("/x?y=1", "http://example.com/"))
    a = m.bind_to_environ(request)
    assert a.match() == ("x", {})
    assert a.query_args == "y=1"
    ours, theirs = both(lambda r: adapter_state(r.Map().bind_to_environ(request)))
    assert ours == theirs


def test_bind_to_environ_decodes_wsgi_strings(core):
    environ = {
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "example.com",
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "/\xc3\xa4pp",
        "PATH_INFO": "/\xc3\xbc",
        "QUERY_STRING": "q=\xc3\xa9",
    }
    ours, theirs = both(lambda r: adapter_state(r.Map().bind_to_environ(environ)))
    assert ours == theirs
    assert (ours["script_name"], ours["path_info"], ours["query_args"]) == ("/äpp/", "/ü", "q=é")
    m = fr.Map([fr.Rule("/ü", endpoint="u")])
    assert m.bind_to_environ(environ).match() == ("u", {})


# --------------------------------------------------------------------------
# matching


def match_rules(r):
    return [
        r.Rule("/", endpoint="index"),
        r.Rule("/users/", endpoint="users", methods=["GET"]),
        r.Rule("/users/", endpoint="create_user", methods=["POST"]),
        r.Rule("/users/<int:id>", endpoint="user", methods=["GET", "PUT"]),
        r.Rule("/users/<int:id>", endpoint="delete_user", methods=["DELETE"]),
        r.Rule("/users/<name>", endpoint="user_by_name", methods=["GET"]),
        r.Rule("/files/<path:p>", endpoint="files"),
        r.Rule("/files/<path:p>/edit", endpoint="edit_file", methods=["POST"]),
        r.Rule("/dir/", endpoint="dir"),
        r.Rule("/same", endpoint="first"),
        r.Rule("/same", endpoint="second"),
        r.Rule("/ws", endpoint="ws", websocket=True),
        r.Rule("/both", endpoint="both_http"),
        r.Rule("/both", endpoint="both_ws", websocket=True),
        r.Rule("/only_post", endpoint="only_post", methods=["POST"]),
        r.Rule("/page/", endpoint="page", defaults={"n": 1}),
        r.Rule("/page/<int:n>", endpoint="page"),
    ]


MATCH_PATHS = [
    "/",
    "/users",
    "/users/",
    "/users/1",
    "/users/bob",
    "/users/1/",
    "/files/a/b",
    "/files/a/b/edit",
    "/dir",
    "/dir/",
    "/same",
    "/ws",
    "/both",
    "/only_post",
    "/page/1",
    "/page/2",
    "/page/",
    "/page",
    "/nope",
    "",
    "users/1",
    "//users//1",
    "/users/%31",
]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "get"])
@pytest.mark.parametrize("websocket", [False, True])
def test_match_table_matches_werkzeug(core, method, websocket):
    ours, theirs = pair(match_rules, "example.com", "/app")
    for path in MATCH_PATHS:
        assert outcome(ours, path, method, websocket=websocket) == outcome(
            theirs, path, method, websocket=websocket
        ), path


def test_match_documented(core):
    a = fr.Map(match_rules(fr)).bind("example.com")
    assert a.match("/", "GET") == ("index", {})
    assert a.match("/users/42") == ("user", {"id": 42})
    assert a.match("/users/42", "delete") == ("delete_user", {"id": 42})
    assert a.match("/users/bob") == ("user_by_name", {"name": "bob"})
    assert a.match("/users/", "POST") == ("create_user", {})
    assert a.match("/users/42", "HEAD") == ("user", {"id": 42})
    assert a.match("/files/a/b/edit", "POST") == ("edit_file", {"p": "a/b"})
    assert a.match("/files/a/b/edit", "GET") == ("files", {"p": "a/b/edit"})
    assert a.match("users/42") == ("user", {"id": 42})  # leading slash optional
    with pytest.raises(NotFound):
        a.match("/nope")
    assert outcome(a, "") == ("redirect", "http://example.com/", 308)
    assert a.match("//users/7") == ("user", {"id": 7})
    assert outcome(a, "//users//7") == ("redirect", "http://example.com/users/7", 308)


METHOD_RULES = [
    ("/a", ["GET"]),
    ("/a", ["PURGE", "post"]),
    ("/b/<int:x>", ["PATCH", "LINK"]),
    ("/b/<int:x>", None),
    ("/c/<name>", ["OPTIONS", "DELETE", "TRACE"]),
    ("/d", ["CONNECT"]),
]


@pytest.mark.parametrize(
    "method",
    ["GET", "HEAD", "POST", "post", "Post", "PURGE", "purge", "PATCH", "LINK", "OPTIONS", "TRACE",
     "CONNECT", "DELETE", "PUT", "BREW", "".join(["PUR", "GE"]),
     # Equal to a verb but new strings (as a request's method is), verbs
     # with one character more or changed, and non-ASCII look-alikes.
     *("".join(list(v)) for v in ("GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS")),
     "GETS", "PUTT", "POSTS", "HEAD ", "PATCHY", "DELETES", "OPTIONSS", "GEt", "PUt", "POSt",
     "HEAd", "PATCh", "DELETe", "OPTIONs", "G\u00c9T", "P\u00d6ST", "\u0120ET"],
)  # fmt: skip
def test_standard_and_other_methods_match_werkzeug(core, method):
    """Standard verbs, other verbs (in rules and requests), any case, and
    strings equal to a verb but not the interned one: the same answers,
    405 methods and URLs as werkzeug."""

    def rules(r):
        return [r.Rule(p, endpoint=f"{p} {m}", methods=m) for p, m in METHOD_RULES]

    ours, theirs = pair(rules, "example.com")
    for path in ("/a", "/b/7", "/c/x", "/d", "/nope"):
        assert outcome(ours, path, method) == outcome(theirs, path, method), (path, method)
    for path, methods in METHOD_RULES:
        endpoint = f"{path} {methods}"
        values = {"x": 1} if "<int:x>" in path else {"name": "n"} if "<name>" in path else {}
        assert build_outcome(ours, endpoint, values, method=method) == build_outcome(
            theirs, endpoint, values, method=method
        ), (endpoint, method)


def test_rule_methods_are_read_when_the_map_compiles(core):
    """docs/compat.md: like its endpoint and defaults, a rule's methods are
    read when the map compiles, and for building when its endpoint is first
    built after that (werkzeug reads them at every match and build)."""
    rule = fr.Rule("/x", endpoint="x", methods=["GET"])
    late = fr.Rule("/z", endpoint="z", methods=["GET"])
    m = fr.Map([rule, late])
    a = m.bind("example.com")
    assert a.match("/x", "GET") == ("x", {})
    assert a.build("x", method="GET") == "/x"  # the endpoint's plans are made
    rule.methods.add("POST")
    late.methods.add("POST")
    with pytest.raises(MethodNotAllowed):
        a.match("/z", "POST")
    assert a.build("z", method="POST") == "/z"  # first built after the change
    with pytest.raises(MethodNotAllowed):
        a.match("/x", "POST")
    with pytest.raises(wz.BuildError):
        a.build("x", method="POST")
    m.add(fr.Rule("/y", endpoint="y"))  # the map compiles again
    assert a.match("/x", "POST") == ("x", {})
    assert a.build("x", method="POST") == "/x"


def test_match_return_rule(core):
    m = fr.Map(match_rules(fr))
    a = m.bind("example.com")
    rule, values = a.match("/users/3", return_rule=True)
    assert isinstance(rule, fr.Rule)
    assert rule.rule == "/users/<int:id>"
    assert rule.endpoint == "user"
    assert rule in list(m.iter_rules("user"))
    assert values == {"id": 3}


def test_match_method_defaults_to_bind(core):
    m = fr.Map(match_rules(fr))
    assert m.bind("h", default_method="POST").match("/users/") == ("create_user", {})
    assert m.bind("h", default_method="post").match("/users/") == ("create_user", {})
    assert m.bind("h").match("/users/") == ("users", {})
    assert m.bind("h", default_method="POST").match("/users/", "GET") == ("users", {})


def test_match_path_defaults_to_bind(core):
    m = fr.Map(match_rules(fr))
    assert m.bind("h").match() == ("index", {})
    assert m.bind("h", path_info="/users/5").match() == ("user", {"id": 5})
    assert m.bind("h", path_info="/users/5").match("/dir/") == ("dir", {})


def test_first_added_wins_on_equal_rules(core):
    a = fr.Map(match_rules(fr)).bind("h")
    assert a.match("/same") == ("first", {})
    for order in ((0, 1), (1, 0)):

        def rules(r, order=order):
            both_rules = [r.Rule("/<a>", endpoint="one"), r.Rule("/<b>", endpoint="two")]
            return [both_rules[i] for i in order]

        ours, theirs = pair(rules, "h")
        assert outcome(ours, "/x") == outcome(theirs, "/x")
        assert ours.match("/x")[0] == ("one" if order == (0, 1) else "two")


def test_method_not_allowed_lists_union_of_path_matching_rules(core):
    a = fr.Map(match_rules(fr)).bind("h")
    with pytest.raises(MethodNotAllowed) as info:
        a.match("/users/1", "POST")
    # /users/<int:id> (GET, HEAD, PUT, DELETE) and /users/<name> (GET, HEAD).
    assert set(info.value.valid_methods) == {"GET", "HEAD", "PUT", "DELETE"}
    with pytest.raises(MethodNotAllowed) as info:
        a.match("/only_post", "GET")
    assert set(info.value.valid_methods) == {"POST"}
    with pytest.raises(MethodNotAllowed) as info:
        a.match("/users/", "DELETE")
    assert set(info.value.valid_methods) == {"GET", "HEAD", "POST"}
    response = info.value.get_response()
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_method_not_allowed_vs_later_matching_rule(core):
    # A rule whose methods do not fit is skipped; a later rule for the path
    # that fits wins and no 405 is raised.
    def rules(r):
        return [
            r.Rule("/x/<int:a>", endpoint="int_post", methods=["POST"]),
            r.Rule("/x/<a>", endpoint="any_method"),
        ]

    ours, theirs = pair(rules, "h")
    assert ours.match("/x/1", "GET") == ("any_method", {"a": "1"})
    for method in ("GET", "POST"):
        assert outcome(ours, "/x/1", method) == outcome(theirs, "/x/1", method)


def test_websocket_matching(core):
    m = fr.Map(match_rules(fr))
    http = m.bind("example.com")
    ws = m.bind("example.com", url_scheme="ws")
    assert ws.match("/ws") == ("ws", {})
    assert m.bind("example.com", url_scheme="wss").match("/ws") == ("ws", {})
    with pytest.raises(wz.WebsocketMismatch):
        http.match("/ws")  # a websocket rule, an HTTP request
    with pytest.raises(wz.WebsocketMismatch):
        ws.match("/")  # an HTTP rule, a websocket request
    assert http.match("/both") == ("both_http", {})
    assert ws.match("/both") == ("both_ws", {})
    # The websocket argument overrides the scheme.
    assert http.match("/ws", websocket=True) == ("ws", {})
    assert ws.match("/", websocket=False) == ("index", {})
    with pytest.raises(NotFound):
        ws.match("/nope")
    assert issubclass(wz.WebsocketMismatch, HTTPException)
    assert fr.WebsocketMismatch is wz.WebsocketMismatch
    try:
        http.match("/ws")
    except wz.WebsocketMismatch as e:
        assert e.code == 400


def test_websocket_mismatch_vs_method_not_allowed(core):
    def rules(r):
        return [r.Rule("/x", endpoint="ws", websocket=True), r.Rule("/x", endpoint="post", methods=["POST"])]

    for ws in (False, True):
        for method in ("GET", "POST"):
            ours, theirs = pair(rules, "h")
            assert outcome(ours, "/x", method, websocket=ws) == outcome(theirs, "/x", method, websocket=ws)
    ours, _ = pair(rules, "h")
    assert outcome(ours, "/x", "GET") == ("405", ["POST"])


def test_websocket_values_that_are_not_bools(core):
    # Rules and matches compare their websocket flags as werkzeug does (==):
    # 1 and True are one flag, 0 and False another, other objects compare
    # as they do.  (The compiled core checks bools from the node's entries
    # and asks the rule's own value only for the rest.)
    def rules(r):
        return [
            r.Rule("/one", endpoint="one", websocket=1),
            r.Rule("/zero", endpoint="zero", websocket=0),
            r.Rule("/text", endpoint="text", websocket="yes"),
            r.Rule("/true", endpoint="true", websocket=True),
            r.Rule("/false", endpoint="false", websocket=False),
            r.Rule("/text/", endpoint="text-branch", websocket="yes", strict_slashes=False),
        ]

    ours, theirs = pair(rules, "h")
    for path in ("/one", "/zero", "/text", "/true", "/false", "/text/", "/missing"):
        for ws in (True, False, 1, 0, "yes", None):
            assert outcome(ours, path, websocket=ws) == outcome(theirs, path, websocket=ws), (path, ws)


def test_method_not_allowed_lists_methods_in_a_fixed_order(core):
    # werkzeug lists a 405's methods in a set's order (it varies with the
    # hash seed); fastroute lists the same methods with the standard verbs
    # first, in one order, then the others.
    def rules(r):
        return [
            r.Rule("/a/<x>", endpoint="put", methods=["PUT", "OPTIONS"]),
            r.Rule("/a/<int:x>", endpoint="get", methods=["get", "link"]),
            r.Rule("/a/<x>", endpoint="patch", methods=["PATCH", "TRACE", "DELETE", "POST"]),
            r.Rule("/b", endpoint="b", methods=["TRACE"]),
        ]

    ours, theirs = pair(rules, "h")
    for path, expected in (
        ("/a/1", ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        ("/a/x", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        ("/b", []),
    ):
        with pytest.raises(MethodNotAllowed) as ours_error:
            ours.match(path, "BREW")
        with pytest.raises(MethodNotAllowed) as theirs_error:
            theirs.match(path, "BREW")
        got = ours_error.value.valid_methods
        assert sorted(got) == sorted(theirs_error.value.valid_methods), path
        assert got[: len(expected)] == expected, path
        assert set(got[len(expected) :]) <= {"TRACE", "LINK"}, path
        assert ours.allowed_methods(path) == got
    # A set changed by hand after the map compiled counts once it compiles
    # again, its names as they are.
    rule = next(r for r in ours.map.iter_rules() if r.endpoint == "b")
    rule.methods.add("purge")
    ours.map.add(fr.Rule("/c", endpoint="c"))
    assert sorted(ours.allowed_methods("/b")) == ["TRACE", "purge"]


def test_match_subdomains(core):
    def rules(r):
        return [
            r.Rule("/", endpoint="root"),
            r.Rule("/", endpoint="user", subdomain="<user>"),
            r.Rule("/", endpoint="api", subdomain="api"),
            r.Rule("/", endpoint="nested", subdomain="<int:v>.<region>"),
            r.Rule("/p/", endpoint="user_page", subdomain="<user>"),
        ]

    for subdomain in (None, "", "api", "bob", "1.eu", "x.eu", "a.b.c"):
        ours, theirs = pair(rules, "example.com", subdomain=subdomain)
        for path in ("/", "/p", "/p/"):
            assert outcome(ours, path) == outcome(theirs, path), (subdomain, path)
    m = fr.Map(rules(fr))
    assert m.bind("example.com", subdomain="api").match("/") == ("api", {})
    assert m.bind("example.com", subdomain="bob").match("/") == ("user", {"user": "bob"})
    assert m.bind("example.com", subdomain="2.eu").match("/") == ("nested", {"v": 2, "region": "eu"})
    assert outcome(m.bind("example.com", subdomain="bob"), "/p") == (
        "redirect",
        "http://bob.example.com/p/",
        308,
    )


def test_match_hosts(core):
    def rules(r):
        return [
            r.Rule("/", endpoint="main", host="example.com"),
            r.Rule("/", endpoint="user", host="<user>.example.com"),
            r.Rule("/", endpoint="port", host="localhost:<int:port>"),
            r.Rule("/d/", endpoint="dir", host="<user>.example.com"),
        ]

    for host in (
        "example.com",
        "bob.example.com",
        "Bob.Example.com",
        "localhost:5000",
        "localhost",
        "other.org",
        "a.b.example.com",
    ):
        ours, theirs = pair(rules, host, map_kwargs={"host_matching": True})
        for path in ("/", "/d", "/d/"):
            assert outcome(ours, path) == outcome(theirs, path), (host, path)
    m = fr.Map(rules(fr), host_matching=True)
    assert m.bind("bob.example.com").match("/") == ("user", {"user": "bob"})
    assert m.bind("localhost:5000").match("/") == ("port", {"port": 5000})
    assert outcome(m.bind("bob.example.com", "/s"), "/d") == ("redirect", "http://bob.example.com/s/d/", 308)
    with pytest.raises(NotFound):
        m.bind("other.org").match("/")


def test_match_rejects_non_string_path(core):
    a = fr.Map([fr.Rule("/", endpoint="i")]).bind("h")
    with pytest.raises((TypeError, AttributeError)):
        a.match(b"/")  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# redirects


def redirect_rules(r):
    def to_profile(adapter, id):
        return f"/profile/{id}?from=old"

    return [
        r.Rule("/dir/", endpoint="dir"),
        r.Rule("/ü/", endpoint="unicode"),
        r.Rule("/a b/", endpoint="space"),
        r.Rule("/x/y", endpoint="xy"),
        r.Rule("/files/<path:p>/", endpoint="files"),
        r.Rule("/page/", endpoint="page", defaults={"n": 1}),
        r.Rule("/page/<int:n>", endpoint="page"),
        r.Rule("/alias/<int:id>", endpoint="canonical", alias=True),
        r.Rule("/canonical/<int:id>", endpoint="canonical"),
        r.Rule("/old/<slug>", redirect_to="new/<slug>"),
        r.Rule("/old-abs/<slug>", redirect_to="/new/<slug>"),
        r.Rule("/old-int/<int(fixed_digits=3):n>", redirect_to="n/<n>"),
        r.Rule("/ext", redirect_to="https://other.org/x"),
        r.Rule("/cb/<int:id>", redirect_to=to_profile),
        r.Rule("/sub/", endpoint="sub", subdomain="api"),
        r.Rule("/subold/<slug>", subdomain="api", redirect_to="new/<slug>"),
        r.Rule("/subpage/", endpoint="subpage", subdomain="api", defaults={"n": 1}),
        r.Rule("/subpage/<int:n>", endpoint="subpage", subdomain="api"),
        r.Rule("/ws/", endpoint="ws", websocket=True),
    ]


REDIRECT_PATHS = [
    "/dir",
    "/ü",
    "/a b",
    "/x//y",
    "//x/y",
    "/x/y//",
    "/files/a/b",
    "/files/a//b",
    "/page/1",
    "/page/2",
    "/alias/5",
    "/old/hello",
    "/old-abs/hello",
    "/old-int/007",
    "/ext",
    "/cb/9",
    "/sub",
    "/subpage/1",
    "/subold/x",
    "/ws",
    "/dir//",
]


@pytest.mark.parametrize(
    "bind_kwargs",
    [
        {},
        {"script_name": "/app"},
        {"subdomain": "api"},
        {"url_scheme": "https", "query_args": "q=1&r=%C3%BC"},
        {"url_scheme": "ws"},
        {"url_scheme": ""},
        {"query_args": {"k": ["1", "2"], "n": None}},
        {"query_args": MultiDict([("a", "1"), ("a", "2")])},
    ],
)
def test_redirects_match_werkzeug(core, bind_kwargs):
    ours, theirs = pair(redirect_rules, "example.com", **bind_kwargs)
    for path in REDIRECT_PATHS:
        for ws in (False, True):
            assert outcome(ours, path, websocket=ws) == outcome(theirs, path, websocket=ws), (path, ws)
            assert outcome(ours, path, query_args="z=1", websocket=ws) == outcome(
                theirs, path, query_args="z=1", websocket=ws
            ), (path, ws)


REDIRECT_EXPECTED = {
    "/dir": "http://example.com/dir/",
    "/dir//": "http://example.com/dir/",
    "/ü": "http://example.com/%C3%BC/",
    "/a b": "http://example.com/a%20b/",
    "/x//y": "http://example.com/x/y",
    "/files/a/b": "http://example.com/files/a/b/",
    "/page/1": "http://example.com/page/",
    "/alias/5": "http://example.com/canonical/5",
    "/old/hello": "http://example.com/new/hello",
    "/old-abs/hello": "http://example.com/new/hello",
    "/old-int/007": "http://example.com/n/007",
    "/ext": "https://other.org/x",
    "/cb/9": "http://example.com/profile/9?from=old",
}


@pytest.mark.parametrize(("path", "new_url"), sorted(REDIRECT_EXPECTED.items()))
def test_redirect_new_urls(core, path, new_url):
    a = fr.Map(redirect_rules(fr)).bind("example.com")
    with pytest.raises(fr.RequestRedirect) as info:
        a.match(path)
    assert info.value.new_url == new_url
    assert info.value.code == 308
    response = info.value.get_response()
    assert response.status_code == 308
    assert response.headers["Location"] == new_url


def test_redirects_with_script_name_subdomain_and_query(core):
    m = fr.Map(redirect_rules(fr))
    a = m.bind("example.com", "/app", query_args="q=1")
    expected = {
        "/dir": "http://example.com/app/dir/?q=1",
        "/x//y": "http://example.com/app/x/y?q=1",
        "/page/1": "http://example.com/app/page/?q=1",
        "/alias/5": "http://example.com/app/canonical/5?q=1",
        "/old/hello": "http://example.com/app/new/hello",  # redirect_to drops the query
        "/old-abs/hello": "http://example.com/new/hello",  # a leading slash leaves the script root
        "/cb/9": "http://example.com/profile/9?from=old",
    }
    for path, url in expected.items():
        with pytest.raises(fr.RequestRedirect) as info:
            a.match(path)
        assert info.value.new_url == url, path
    with pytest.raises(fr.RequestRedirect) as info:
        a.match("/dir", query_args={"z": "9"})
    assert info.value.new_url == "http://example.com/app/dir/?z=9"
    sub = m.bind("example.com", subdomain="api", url_scheme="https")
    for path, url in {
        "/sub": "https://api.example.com/sub/",
        "/subpage/1": "https://api.example.com/subpage/",
        "/subold/x": "https://api.example.com/new/x",
    }.items():
        with pytest.raises(fr.RequestRedirect) as info:
            sub.match(path)
        assert info.value.new_url == url, path


def test_redirect_to_callable_receives_adapter_and_values(core):
    seen = []

    def target(adapter, **values):
        seen.append((adapter, values))
        return "elsewhere"

    m = fr.Map([fr.Rule("/a/<int:x>/<y>", redirect_to=target, defaults={"d": 1})])
    a = m.bind("example.com", "/base")
    with pytest.raises(fr.RequestRedirect) as info:
        a.match("/a/3/z")
    assert info.value.new_url == "http://example.com/base/elsewhere"
    assert seen == [(a, {"x": 3, "y": "z", "d": 1})]


def test_redirect_to_string_uses_converters(core):
    m = fr.Map([fr.Rule("/a/<int(fixed_digits=4):n>/<path:p>", redirect_to="b/<n>/<p>")])
    with pytest.raises(fr.RequestRedirect) as info:
        m.bind("example.com").match("/a/0042/x y/z")
    assert info.value.new_url == "http://example.com/b/0042/x%20y/z"


def test_strict_slash_redirect_keeps_method_semantics(core):
    # 308 keeps the method; the redirect is raised for any method the
    # slashed rule accepts.
    a = fr.Map([fr.Rule("/form/", endpoint="form", methods=["POST"])]).bind("h")
    with pytest.raises(fr.RequestRedirect) as info:
        a.match("/form", "POST")
    assert info.value.new_url == "http://h/form/"
    with pytest.raises(NotFound):
        a.match("/form", "GET")


def test_request_redirect_is_werkzeugs():
    assert fr.RequestRedirect is wz.RequestRedirect
    assert issubclass(fr.RequestRedirect, HTTPException)
    assert issubclass(fr.RequestRedirect, fr.RoutingException)


# --------------------------------------------------------------------------
# building


def _multidict_with_empty(empty_key, *items):
    """A MultiDict holding *items* and a key with no values at all."""
    values = MultiDict(list(items))
    values.setlist(empty_key, [])
    return values


def build_rules(r):
    return [
        r.Rule("/", endpoint="index"),
        r.Rule("/users/<int:id>", endpoint="user", methods=["GET"]),
        r.Rule("/users/<int:id>/edit", endpoint="user", methods=["POST"]),
        r.Rule("/files/<path:p>", endpoint="files"),
        r.Rule("/q/<name>", endpoint="q"),
        r.Rule("/ws/<room>", endpoint="ws", websocket=True),
        r.Rule("/api/", endpoint="api", subdomain="api"),
        r.Rule("/u/", endpoint="profile", subdomain="<user>"),
        r.Rule("/page/", endpoint="page", defaults={"n": 1}),
        r.Rule("/page/<int:n>", endpoint="page"),
        r.Rule("/static/<path:f>", endpoint="static", build_only=True),
        r.Rule("/é/<x>", endpoint="unicode"),
    ]


BUILD_CALLS = [
    ("index", None, {}),
    ("index", {}, {}),
    ("index", {"a": 1, "b": None, "c": [1, 2], "d": "x y&z", "e": "é"}, {}),
    ("index", MultiDict([("a", 1), ("a", 2), ("b", 3)]), {}),
    ("index", MultiDict([("a", None)]), {}),
    ("index", _multidict_with_empty("a", ("b", 1)), {}),
    ("q", _multidict_with_empty("name"), {}),
    ("q", MultiDict([("name", "x")]), {}),
    ("q", MultiDict([("name", "x"), ("name", "y")]), {}),
    ("q", {"name": ["x", "y"]}, {}),
    ("q", {"name": "a b/c?d#e%f"}, {}),
    ("q", {"name": None}, {}),
    ("user", {"id": 3}, {}),
    ("user", {"id": 3}, {"method": "POST"}),
    ("user", {"id": 3}, {"method": "HEAD"}),
    ("user", {"id": 3}, {"method": "PUT"}),
    ("files", {"p": "a/b c/é"}, {}),
    ("ws", {"room": "r"}, {}),
    ("ws", {"room": "r"}, {"url_scheme": "https"}),
    ("ws", {"room": "r"}, {"url_scheme": "http"}),
    ("index", None, {"force_external": True}),
    ("index", None, {"force_external": True, "url_scheme": "https"}),
    ("index", None, {"force_external": True, "url_scheme": "wss"}),
    ("index", None, {"force_external": True, "url_scheme": "ftp"}),
    ("index", {"x": 1}, {"append_unknown": False}),
    ("api", None, {}),
    ("api", None, {"force_external": True}),
    ("profile", {"user": "bob"}, {}),
    ("page", None, {}),
    ("page", {"n": 1}, {}),
    ("page", {"n": 2}, {}),
    ("page", {"n": 2, "z": 1}, {"append_unknown": False}),
    ("static", {"f": "app.css"}, {}),
    ("unicode", {"x": "é"}, {}),
    ("missing", None, {}),
    ("user", None, {}),
    ("user", {"idx": 1}, {}),
    ("user", {"id": 1}, {"method": "DELETE"}),
]


@pytest.mark.parametrize(
    "bind_kwargs",
    [
        {},
        {"script_name": "/app"},
        {"script_name": "/app/"},
        {"subdomain": "api"},
        {"subdomain": "bob", "url_scheme": "https"},
        {"url_scheme": "ws"},
        {"url_scheme": "wss"},
        {"url_scheme": ""},
        {"default_method": "POST"},
    ],
)
def test_build_matches_werkzeug(core, bind_kwargs):
    ours, theirs = pair(build_rules, "example.com", **bind_kwargs)
    for endpoint, values, kwargs in BUILD_CALLS:
        assert build_outcome(ours, endpoint, values, **kwargs) == build_outcome(
            theirs, endpoint, values, **kwargs
        ), (endpoint, values, kwargs)


def test_build_documented(core):
    a = fr.Map(build_rules(fr)).bind("example.com")
    assert a.build("index") == "/"
    assert a.build("user", {"id": 3}) == "/users/3"
    assert a.build("user", {"id": 3}, method="POST") == "/users/3/edit"
    assert a.build("user", {"id": 3, "tab": "info"}) == "/users/3?tab=info"
    assert a.build("user", {"id": 3, "tab": "info"}, append_unknown=False) == "/users/3"
    assert a.build("index", {"a": None}) == "/"  # None values are dropped
    assert a.build("index", {"a": [1, 2]}) == "/?a=1&a=2"
    assert a.build("index", MultiDict([("a", 1), ("a", 2)])) == "/?a=1&a=2"
    assert a.build("q", MultiDict([("name", "x")])) == "/q/x"  # a single value is unwrapped
    assert (
        a.build("index", _multidict_with_empty("a", ("b", 1))) == "/?b=1"
    )  # a key without values is dropped
    with pytest.raises(fr.BuildError):
        a.build("q", _multidict_with_empty("name"))
    assert a.build("q", {"name": "a b"}) == "/q/a%20b"
    assert a.build("index", force_external=True) == "http://example.com/"
    assert a.build("index", force_external=True, url_scheme="https") == "https://example.com/"
    assert a.build("ws", {"room": "r"}) == "ws://example.com/ws/r"
    assert a.build("ws", {"room": "r"}, url_scheme="https") == "wss://example.com/ws/r"
    assert a.build("api") == "http://api.example.com/api/"
    assert a.build("profile", {"user": "bob"}) == "http://bob.example.com/u/"
    assert a.build("page", {"n": 1}) == "/page/"
    assert a.build("page", {"n": 2}) == "/page/2"
    assert a.build("unicode", {"x": "é"}) == "/%C3%A9/%C3%A9"
    assert fr.Map(build_rules(fr)).bind("example.com", "/app").build("index") == "/app/"
    assert fr.Map(build_rules(fr)).bind("example.com", "/app").build(
        "user", {"id": 1}, force_external=True
    ) == ("http://example.com/app/users/1")
    assert fr.Map(build_rules(fr)).bind("example.com", url_scheme="").build("index", force_external=True) == (
        "//example.com/"
    )
    ws = fr.Map(build_rules(fr)).bind("example.com", url_scheme="wss")
    assert ws.build("index", force_external=True) == "https://example.com/"
    assert ws.build("ws", {"room": "r"}) == "wss://example.com/ws/r"


def test_build_on_subdomain(core):
    a = fr.Map(build_rules(fr)).bind("example.com", subdomain="api")
    assert a.build("api") == "/api/"
    assert a.build("index") == "http://example.com/"
    assert a.build("profile", {"user": "api"}) == "/u/"


def test_build_method_selection(core):
    def rules(r):
        return [
            r.Rule("/get", endpoint="e", methods=["GET"]),
            r.Rule("/post", endpoint="e", methods=["POST"]),
            r.Rule("/any", endpoint="e2"),
            r.Rule("/post2", endpoint="e2", methods=["POST"]),
        ]

    for default_method in ("GET", "POST", "PUT"):
        ours, theirs = pair(rules, "h", default_method=default_method)
        for endpoint in ("e", "e2"):
            for method in (None, "GET", "POST", "PUT", "HEAD"):
                assert build_outcome(ours, endpoint, method=method) == build_outcome(
                    theirs, endpoint, method=method
                ), (default_method, endpoint, method)
    a = fr.Map(rules(fr)).bind("h", default_method="POST")
    assert a.build("e") == "/post"  # the adapter's method is tried first
    assert a.build("e", method="GET") == "/get"
    a = fr.Map(rules(fr)).bind("h", default_method="PUT")
    assert a.build("e") == "/get"  # then any rule


def test_build_websocket_flag_follows_the_chosen_rule(core):
    # The websocket flag of the rule a URL is built from decides ws:// vs
    # http:// and whether the URL is absolute, also when host matching falls
    # back to the first suitable rule on another host.
    def rules(r):
        return [
            r.Rule("/live", endpoint="live", host="ws.example.com", websocket=True),
            r.Rule("/live", endpoint="live", host="example.com"),
            r.Rule("/feed", endpoint="feed", host="a.example.com"),
            r.Rule("/feed", endpoint="feed", host="b.example.com", websocket=True),
            r.Rule("/static", endpoint="static", host="example.com"),
        ]

    for host in ("example.com", "ws.example.com", "a.example.com", "b.example.com", "x.org"):
        ours, theirs = pair(rules, host, map_kwargs={"host_matching": True})
        for endpoint, values, kwargs in [
            ("live", None, {}),
            ("live", {"q": "1"}, {}),
            ("feed", None, {}),
            ("feed", None, {"url_scheme": "https"}),
            ("static", None, {}),
            ("static", {}, {"force_external": True}),
        ]:
            assert build_outcome(ours, endpoint, values, **kwargs) == build_outcome(
                theirs, endpoint, values, **kwargs
            ), (host, endpoint, kwargs)
    a = fr.Map(rules(fr), host_matching=True).bind("x.org")
    assert a.build("live") == "ws://ws.example.com/live"
    assert a.build("feed") == "http://a.example.com/feed"


def test_build_with_host_matching(core):
    def rules(r):
        return [
            r.Rule("/", endpoint="index", host="example.com"),
            r.Rule("/", endpoint="index", host="www.example.com"),
            r.Rule("/u", endpoint="user", host="<user>.example.com"),
            r.Rule("/o", endpoint="other", host="other.org"),
        ]

    for host in ("example.com", "www.example.com", "bob.example.com", "x.org"):
        ours, theirs = pair(rules, host, map_kwargs={"host_matching": True})
        for endpoint, values, kwargs in [
            ("index", None, {}),
            ("index", None, {"force_external": True}),
            ("user", {"user": "bob"}, {}),
            ("other", None, {}),
            ("other", None, {"url_scheme": "https"}),
        ]:
            assert build_outcome(ours, endpoint, values, **kwargs) == build_outcome(
                theirs, endpoint, values, **kwargs
            ), (host, endpoint)
    m = fr.Map(rules(fr), host_matching=True)
    assert m.bind("www.example.com").build("index") == "/"  # the bound host is preferred
    assert m.bind("x.org").build("index") == "http://example.com/"  # else the first rule
    assert m.bind("example.com").build("other") == "http://other.org/o"
    assert m.bind("bob.example.com").build("user", {"user": "bob"}) == "/u"


def test_build_converter_errors_propagate(core):
    a = fr.Map([fr.Rule("/<int:x>", endpoint="e"), fr.Rule("/a/<any(a, b):x>", endpoint="any")]).bind("h")
    with pytest.raises(ValueError):
        a.build("e", {"x": "nan"})
    with pytest.raises(ValueError):
        a.build("any", {"x": "c"})


# --------------------------------------------------------------------------
# BuildError


def error_rules(r):
    return [
        r.Rule("/", endpoint="index"),
        r.Rule("/user/<int:id>", endpoint="user", methods=["GET"]),
        r.Rule("/user/<int:id>/<tab>", endpoint="user_tab", methods=["POST"]),
        r.Rule("/page/", endpoint="page", defaults={"n": 1}),
        r.Rule("/func", endpoint=len),
    ]


BUILD_ERROR_CALLS = [
    ("nope", None, None),
    ("usr", {"id": 1}, None),
    ("user", None, None),
    ("user", {"idx": 1}, None),
    ("user", {"id": 1}, "POST"),
    ("user_tab", {"id": 1, "tab": "x"}, "GET"),
    ("user_tab", {"id": 1}, None),
    ("page", {"n": 2}, None),
    ("user_tab", {"id": 1, "tab": "x", "extra": 2}, "DELETE"),
    ("func", None, None),
    (("tuple", "endpoint"), None, None),
]


@pytest.mark.parametrize(("endpoint", "values", "method"), BUILD_ERROR_CALLS)
def test_build_error_text_matches_werkzeug(core, endpoint, values, method):
    ours, theirs = pair(error_rules, "example.com")
    with pytest.raises(fr.BuildError) as our_error:
        ours.build(endpoint, values, method)
    with pytest.raises(wz.BuildError) as their_error:
        theirs.build(endpoint, values, method)
    assert str(our_error.value) == str(their_error.value)
    assert (our_error.value.endpoint, our_error.value.values, our_error.value.method) == (
        their_error.value.endpoint,
        their_error.value.values,
        their_error.value.method,
    )
    ours_suggested = our_error.value.suggested
    theirs_suggested = their_error.value.suggested
    assert (ours_suggested is None) == (theirs_suggested is None)
    if ours_suggested is not None:
        assert ours_suggested.rule == theirs_suggested.rule
        assert ours_suggested.endpoint == theirs_suggested.endpoint


def test_build_error_documented(core):
    a = fr.Map(error_rules(fr)).bind("example.com")
    with pytest.raises(fr.BuildError) as info:
        a.build("usr", {"id": 1})
    error = info.value
    assert isinstance(error, LookupError)
    assert isinstance(error, fr.RoutingException)
    assert fr.BuildError is wz.BuildError
    assert error.adapter is a
    assert str(error).startswith("Could not build url for endpoint 'usr' with values ['id'].")
    assert "Did you mean 'user' instead?" in str(error)
    with pytest.raises(fr.BuildError) as info:
        a.build("user")
    assert str(info.value) == (
        "Could not build url for endpoint 'user'. Did you forget to specify values ['id']?"
    )
    with pytest.raises(fr.BuildError) as info:
        a.build("user", {"id": 1}, "POST")
    assert "Did you mean to use methods ['GET', 'HEAD']?" in str(info.value)
    assert "('POST')" in str(info.value)
    with pytest.raises(fr.BuildError) as info:
        fr.Map().bind("h").build("x")
    assert str(info.value) == "Could not build url for endpoint 'x'."
    assert info.value.suggested is None


# --------------------------------------------------------------------------
# dispatch, test, allowed_methods, get_host, make_redirect_url


def test_dispatch(core):
    a = fr.Map(
        [
            fr.Rule("/a/<int:x>", endpoint="a"),
            fr.Rule("/dir/", endpoint="dir"),
            fr.Rule("/post", endpoint="post", methods=["POST"]),
        ]
    ).bind("example.com")
    calls = []

    def view(endpoint, values):
        calls.append((endpoint, values))
        return f"response for {endpoint}"

    assert a.dispatch(view, "/a/5") == "response for a"
    assert calls == [("a", {"x": 5})]
    redirect = a.dispatch(view, "/dir")
    assert isinstance(redirect, fr.RequestRedirect)
    assert redirect.new_url == "http://example.com/dir/"
    with pytest.raises(NotFound):
        a.dispatch(view, "/missing")
    not_found = a.dispatch(view, "/missing", catch_http_exceptions=True)
    assert isinstance(not_found, NotFound)
    not_allowed = a.dispatch(view, "/post", catch_http_exceptions=True)
    assert isinstance(not_allowed, MethodNotAllowed)
    assert a.dispatch(view, "/post", "POST") == "response for post"
    assert len(calls) == 2

    def failing_view(endpoint, values):
        raise NotFound()

    assert isinstance(a.dispatch(failing_view, "/a/1", catch_http_exceptions=True), NotFound)
    with pytest.raises(NotFound):
        a.dispatch(failing_view, "/a/1")

    def broken_view(endpoint, values):
        raise KeyError("x")

    with pytest.raises(KeyError):
        a.dispatch(broken_view, "/a/1", catch_http_exceptions=True)


def test_dispatch_uses_bound_path_and_method(core):
    m = fr.Map([fr.Rule("/p", endpoint="p", methods=["PUT"])])
    a = m.bind("h", path_info="/p", default_method="PUT")
    assert a.dispatch(lambda e, v: (e, v)) == ("p", {})


def test_test_method(core):
    a = fr.Map(match_rules(fr)).bind("h")
    assert a.test("/") is True
    assert a.test("/users/1") is True
    assert a.test("/dir") is True  # a redirect counts
    assert a.test("/page/1") is True
    assert a.test("/nope") is False
    assert a.test("/only_post") is False  # 405
    assert a.test("/only_post", "POST") is True
    assert a.test("/ws") is False  # websocket mismatch
    assert fr.Map(match_rules(fr)).bind("h", path_info="/users/1").test() is True
    ours, theirs = pair(match_rules, "h")
    for path in MATCH_PATHS:
        for method in ("GET", "POST"):
            assert ours.test(path, method) == theirs.test(path, method)


def test_allowed_methods(core):
    a = fr.Map(match_rules(fr)).bind("h")
    assert set(a.allowed_methods("/users/1")) == {"GET", "HEAD", "PUT", "DELETE"}
    assert set(a.allowed_methods("/users/")) == {"GET", "HEAD", "POST"}
    assert list(a.allowed_methods("/")) == []  # no method restriction
    assert list(a.allowed_methods("/nope")) == []
    assert set(fr.Map(match_rules(fr)).bind("h", path_info="/only_post").allowed_methods()) == {"POST"}
    ours, theirs = pair(match_rules, "h")
    for path in MATCH_PATHS:
        assert sorted(ours.allowed_methods(path)) == sorted(theirs.allowed_methods(path)), path


def test_get_host(core):
    def run(r):
        plain = r.Map().bind("example.com:8080", subdomain="api")
        root = r.Map().bind("example.com")
        hosts = r.Map(host_matching=True).bind("example.com")
        return [
            plain.get_host(None),
            plain.get_host(""),
            plain.get_host("www"),
            root.get_host(None),
            root.get_host("a.b"),
            hosts.get_host(None),
            hosts.get_host("other.org"),
        ]

    assert assert_same(run) == [
        "api.example.com:8080",
        "example.com:8080",
        "www.example.com:8080",
        "example.com",
        "a.b.example.com",
        "example.com",
        "other.org",
    ]


def test_make_redirect_url(core):
    def run(r):
        a = r.Map().bind("example.com", "/app", subdomain="api", url_scheme="https", query_args="q=1")
        b = r.Map().bind("example.com")
        return [
            a.make_redirect_url("/x"),
            a.make_redirect_url("x", {"k": "v w"}),
            a.make_redirect_url("/x", "", domain_part="www"),
            a.make_redirect_url("/x", MultiDict([("a", 1), ("a", 2)]), domain_part=""),
            b.make_redirect_url("/p/q"),
            b.make_redirect_url("/p", {"n": None, "m": 1}),
        ]

    assert assert_same(run) == [
        "https://api.example.com/app/x?q=1",
        "https://api.example.com/app/x?k=v+w",
        "https://www.example.com/app/x",
        "https://example.com/app/x?a=1&a=2",
        "http://example.com/p/q",
        "http://example.com/p?m=1",
    ]


def test_encode_query_args(core):
    def run(r):
        a = r.Map().bind("h")
        return [
            a.encode_query_args("raw=1"),
            a.encode_query_args({"a": "b c", "d": [1, 2], "e": None}),
            a.encode_query_args(MultiDict([("x", "é")])),
        ]

    assert assert_same(run) == ["raw=1", "a=b+c&d=1&d=2", "x=%C3%A9"]


# --------------------------------------------------------------------------
# StateMachineMatcher


def matcher_rules(r):
    return [
        r.Rule("/a/<int:x>", endpoint="a", methods=["GET"]),
        r.Rule("/b/", endpoint="b"),
        r.Rule("/c", endpoint="c", alias=True),
        r.Rule("/c2", endpoint="c"),
        r.Rule("/w", endpoint="w", websocket=True),
        r.Rule("/m//x", endpoint="mx"),
        r.Rule("/d/", endpoint="d", defaults={"k": 1}),
    ]


def sm_outcome(module, matcher, *args):
    try:
        rule, values = matcher.match(*args)
    except module.NoMatch as e:
        return ("NoMatch", sorted(e.have_match_for), e.websocket_mismatch)
    except module.RequestPath as e:
        return ("RequestPath", e.path_info)
    except module.RequestAliasRedirect as e:
        return ("Alias", e.matched_values, e.endpoint)
    return ("match", rule.rule, values)


SM_CALLS = [
    ("", "/a/1", "GET", False),
    ("", "/a/1", "POST", False),
    ("", "/a/x", "GET", False),
    ("", "/b", "GET", False),
    ("", "/b/", "GET", False),
    ("", "/c", "GET", False),
    ("", "/zz", "GET", False),
    ("", "/w", "GET", False),
    ("", "/w", "GET", True),
    ("", "/m///x", "GET", False),
    ("", "/d/", "GET", False),
    ("sub", "/a/1", "GET", False),
]


@pytest.mark.parametrize("merge_slashes", [True, False])
def test_state_machine_matcher_matches_werkzeug(core, merge_slashes):
    results = []
    for module, cls in ((fr, fr.StateMachineMatcher), (wz, WzStateMachineMatcher)):
        m = module.Map(matcher_rules(module))
        matcher = cls(merge_slashes)
        assert matcher.merge_slashes is merge_slashes
        for rule in m.iter_rules():
            matcher.add(rule)
        matcher.update()
        results.append([sm_outcome(module, matcher, *call) for call in SM_CALLS])
    assert results[0] == results[1]


def test_state_machine_matcher_documented(core):
    m = fr.Map(matcher_rules(fr))
    matcher = fr.StateMachineMatcher(True)
    for rule in m.iter_rules():
        matcher.add(rule)
    # update() is optional before the first match.
    rule, values = matcher.match("", "/a/7", "GET", False)
    assert (rule.endpoint, values) == ("a", {"x": 7})
    with pytest.raises(fr.NoMatch) as info:
        matcher.match("", "/a/7", "POST", False)
    assert info.value.have_match_for == {"GET", "HEAD"}
    assert info.value.websocket_mismatch is False
    with pytest.raises(fr.NoMatch) as info:
        matcher.match("", "/w", "GET", False)
    assert info.value.websocket_mismatch is True
    with pytest.raises(fr.RequestPath) as info:
        matcher.match("", "/b", "GET", False)
    assert info.value.path_info == "/b/"
    with pytest.raises(fr.RequestAliasRedirect) as info:
        matcher.match("", "/c", "GET", False)
    assert info.value.endpoint == "c"
    assert fr.NoMatch is wz.NoMatch
    assert fr.RequestPath is wz.RequestPath
    # Rules added after a match are seen by the next match.
    extra = fr.Rule("/late", endpoint="late")
    m.add(extra)
    matcher.add(extra)
    assert matcher.match("", "/late", "GET", False)[0] is extra


def test_build_plans_are_made_per_endpoint_on_first_build(core):
    """A map keeps build plans only for the endpoints built since it last
    compiled; unknown endpoints leave nothing behind."""
    m = fr.Map(
        [
            fr.Rule("/a/<int:n>", endpoint="a"),
            fr.Rule("/a/", endpoint="a", defaults={"n": 1}),
            fr.Rule("/b", endpoint="b"),
        ]
    )
    a = m.bind("example.com")
    assert a.match("/b") == ("b", {})
    assert m._build_index == {}
    assert a.build("a", {"n": 5}) == "/a/5"
    assert a.build("a", {"n": 1}) == "/a/"
    assert list(m._build_index) == ["a"]
    for _ in range(3):
        with pytest.raises(wz.BuildError):
            a.build("nowhere", {})
    assert list(m._build_index) == ["a"]
    m.add(fr.Rule("/c", endpoint="c"))  # compiles again: plans are made anew
    assert a.build("c") == "/c"
    assert list(m._build_index) == ["c"]
    assert a.build("a", {"n": 7}) == "/a/7"


@pytest.mark.parametrize(
    ("rule", "defaults", "error"),
    [
        ("/<int:x>", {"x": "abc"}, ValueError),  # the default is converted at once
        ("/lit\ud800", None, UnicodeEncodeError),  # the literal is quoted at once
    ],
)
def test_build_plan_errors_still_come_from_map_construction(core, rule, defaults, error):
    for mod in (wz, fr):
        with pytest.raises(error):
            mod.Map([mod.Rule(rule, endpoint="e", defaults=defaults)])


def _redirect_of(adapter, path, **kwargs):
    try:
        adapter.match(path, **kwargs)
    except HTTPException as e:
        return type(e).__name__, e.args, dict(e.__dict__)
    raise AssertionError(f"{path!r} did not redirect")


@pytest.mark.parametrize("host_matching", [False, True])
@pytest.mark.parametrize("script_name", [None, "/", "/app", "/app/", "//x//"])
@pytest.mark.parametrize("subdomain", [None, "", "api"])
@pytest.mark.parametrize("url_scheme", ["http", "https", "", "ws"])
def test_slash_redirects_as_werkzeug_builds_them(core, host_matching, script_name, subdomain, url_scheme):
    # The compiled core makes a slash redirect's URL and exception itself;
    # URL and exception (its args and attributes) are werkzeug's, with and
    # without a query string, for paths that need quoting too.
    def rules(r):
        host = {"host": "example.com"} if host_matching else {}
        return [r.Rule("/a/<x>/", endpoint="a", **host), r.Rule("/b//c/", endpoint="bc", **host)]

    def bind(r):
        m = r.Map(rules(r), host_matching=host_matching)
        sub = None if host_matching else subdomain
        return m.bind("example.com", script_name=script_name, subdomain=sub, url_scheme=url_scheme)

    ours, theirs = bind(fr), bind(wz)
    for path in ["/a/1", "/a/caf\u00e9 x", "/a/%41", "/b//c", "//a/1"]:
        for query in [None, {"q": "1"}, "z=2"]:
            assert _redirect_of(ours, path, query_args=query) == _redirect_of(theirs, path, query_args=query)


def test_slash_redirect_calls_an_overridden_make_redirect_url(core):
    seen = []

    class Adapter(fr.MapAdapter):
        def make_redirect_url(self, path_info, query_args=None, domain_part=None):
            seen.append(path_info)
            return "https://elsewhere" + path_info

    class HostAdapter(fr.MapAdapter):
        def get_host(self, domain_part):
            return "other.example"

    m = fr.Map([fr.Rule("/a/", endpoint="a")])
    for cls, want in [(Adapter, "https://elsewhere/a/"), (HostAdapter, "http://other.example/a/")]:
        adapter = cls(m, "example.com", "/", "", "http", "/", "GET")
        with pytest.raises(fr.RequestRedirect) as info:
            adapter.match("/a")
        assert info.value.new_url == want
    assert seen == ["/a/"]
