"""Bad input gets werkzeug's answer or a clear error: never a crash or a hang.

Wherever werkzeug 3.1 gives a sane answer, fastroute's answer is compared
with it (same result, same redirect URL, same HTTP error, or the same
exception type).  Where werkzeug fails in an unhelpful way (an
``AttributeError`` or ``SyntaxError`` from deep inside), fastroute must raise
a clear ``TypeError`` / ``ValueError`` instead; those cases say so.

Inputs that could be slow (a 1 MB path, 10,000 segments) run under a
generous thread-join guard, so a hang fails the test instead of stalling the
run.  There are no timing assertions.
"""

from __future__ import annotations

import uuid
import warnings
from typing import Any
from urllib.parse import quote

import pytest
import werkzeug.routing as wz
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadHost
from werkzeug.routing import RequestRedirect
from werkzeug.test import EnvironBuilder, create_environ

import fastroute.routing as fr
from tests.support.outcomes import both_maps, guarded, outcome


def _rules(*strings: str) -> list[tuple[str, dict[str, Any]]]:
    return [(s, {"endpoint": s}) for s in strings]


MATCH_RULES = _rules(
    "/",
    "/s/<s>",
    "/p/<path:p>",
    "/q/<path:p>/edit",
    "/b/",
    "/d/<x>/",
    "/x/<a>/<b>/",
    "/i/<int:i>",
    "/n/<int(signed=True):n>",
    "/f/<float:f>",
    "/u/<uuid:u>",
    "/l/<string(length=2):l>",
    "/a/<any(one, two):a>",
    "/café",
    "/lit\x00x",
)


@pytest.fixture
def maps(core: Any) -> tuple[Any, Any]:
    return both_maps(MATCH_RULES)


def compare_match(maps: tuple[Any, Any], path: Any, method: str | None = None, guard: bool = False) -> tuple:
    results = []
    for m in maps:
        adapter = m.bind("example.com")

        def call(adapter: Any = adapter) -> Any:
            return adapter.match(path, method)

        results.append(guarded(call) if guard else outcome(call))
    assert results[1] == results[0], f"path {path!r:.80}"
    return results[1]


# ---------------------------------------------------------------------------
# Malformed rules


MALFORMED_RULES = [
    "/<",
    "/<int:>",
    "/<foo bar>",
    "/<int(:x>",
    "/<int:x",
    "/<>",
    "/<:a>",
    "/<1a>",
    "/a<b",
    "/<<a>",
    "/<int(min=1):a",
    "/<a-b>",
    "/<é>",
]


@pytest.mark.parametrize("rule", MALFORMED_RULES)
def test_malformed_rule_is_value_error_naming_the_rule(core: Any, rule: str) -> None:
    with pytest.raises(ValueError):
        wz.Map([wz.Rule(rule, endpoint="e")])
    with pytest.raises(ValueError) as info:
        fr.Map([fr.Rule(rule, endpoint="e")])
    assert repr(rule) in str(info.value)


@pytest.mark.parametrize("rule", ["noslash", "", "<int(x=):a>", "users/<id>", " /x"])
def test_rule_without_leading_slash(core: Any, rule: str) -> None:
    with pytest.raises(ValueError):
        wz.Rule(rule, endpoint="e")
    with pytest.raises(ValueError) as info:
        fr.Rule(rule, endpoint="e")
    assert repr(rule) in str(info.value)


@pytest.mark.parametrize(
    ("options", "map_options", "bad"),
    [
        ({"subdomain": "<"}, {}, "<"),
        ({"subdomain": "<int:>"}, {}, "<int:>"),
        ({"host": "<foo bar>.example.com"}, {"host_matching": True}, "<foo bar>.example.com"),
    ],
)
def test_malformed_domain_part(core: Any, options: dict, map_options: dict, bad: str) -> None:
    with pytest.raises(ValueError):
        wz.Map([wz.Rule("/", endpoint="e", **options)], **map_options)
    with pytest.raises(ValueError) as info:
        fr.Map([fr.Rule("/", endpoint="e", **options)], **map_options)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("rule", ["/<a>/<a>", "/<a>/<int:a>", "/<a>-<a>"])
def test_duplicate_variable_is_a_clear_value_error(core: Any, rule: str) -> None:
    # werkzeug fails here with a SyntaxError from its generated code; fastroute
    # gives a ValueError that names the variable and the rule.
    with pytest.raises(SyntaxError):
        wz.Map([wz.Rule(rule, endpoint="e")])
    with pytest.raises(ValueError) as info:
        fr.Map([fr.Rule(rule, endpoint="e")])
    assert "'a'" in str(info.value)
    assert rule in str(info.value)


@pytest.mark.parametrize(
    ("rule", "options"),
    [("/<bogus:x>", {}), ("/a/<Int:x>", {}), ("/", {"subdomain": "<nope:sub>"})],
)
def test_unknown_converter_is_lookup_error(core: Any, rule: str, options: dict) -> None:
    with pytest.raises(LookupError):
        wz.Map([wz.Rule(rule, endpoint="e", **options)])
    with pytest.raises(LookupError) as info:
        fr.Map([fr.Rule(rule, endpoint="e", **options)])
    assert "does not exist" in str(info.value)


class RegexConverter(wz.BaseConverter):
    def __init__(self, map: Any, pattern: str) -> None:
        super().__init__(map)
        self.regex = pattern


BAD_CONVERTER_ARGS = [
    "/<int(x=):a>",
    "/<string(minlength=abc):a>",
    "/<int(wrong=1):a>",
    "/<string(nope=1):a>",
    "/<float(fixed_digits=2):a>",
    "/<uuid(version=4):a>",
    "/<int(1,2,3,4,5):a>",
    "/<int(1, 2, 3, 4, 5, 6):a>",
    "/x/<int(min=1 max=2):a>",
    "/<string(length=-1):a>",
    "/<string(maxlength=0):a>",
    "/<string(minlength=5,maxlength=2):a>",
    "/<string(length=0):a>",
    "/<string(length=None):a>",
    '/<string(minlength="3"):a>',
    "/<int(min=1,,max=2):a>",
    '/<int(min=r"1"):a>',
    "/<int(max=1.5):a>",
    "/<int(signed=yes):a>",
    "/<int(signed=True, signed=False):a>",
    "/<int(fixed_digits=-3):a>",
    '/<float(min="x"):a>',
    '/<any(a,"b):x>',
    "/<any('a' 'b'):x>",
    "/<any(a|b):x>",
    "/<any(a.b):x>",
    "/<any():a>",
    '/<any(""):a>',
    "/<any:a>",
    "/<path(1):x>",
    "/<string(=1):a>",
    "/<string(,):a>",
    "/<string( ):a>",
    '/<re("("):a>',
    '/<re("[a"):a>',
    '/<re("a)"):a>',
    '/<re(""):a>',
    "/<re:a>",
]


@pytest.mark.parametrize("rule", BAD_CONVERTER_ARGS)
def test_bad_converter_arguments_like_werkzeug(core: Any, rule: str) -> None:
    results = []
    for mod in (wz, fr):
        m = mod.Map(converters={"re": RegexConverter})
        added = outcome(lambda m=m, mod=mod: m.add(mod.Rule(rule, endpoint="e")))
        adapter = m.bind("h")
        matched = [
            outcome(lambda p=p, adapter=adapter: adapter.match(p))
            for p in ("/", "/1", "/12", "/a", "/abc", "/b", '/"b', "/a' 'b", "/1.5", "/-1")
        ]
        results.append((added, matched))
    assert results[1] == results[0]


def test_converter_argument_errors_explicitly(core: Any) -> None:
    with pytest.raises(ValueError, match="abc"):
        fr.Map([fr.Rule("/<string(minlength=abc):a>", endpoint="e")])
    with pytest.raises(TypeError, match="wrong"):
        fr.Map([fr.Rule("/<int(wrong=1):a>", endpoint="e")])
    with pytest.raises(ValueError, match="Cannot parse converter argument"):
        fr.Map([fr.Rule("/<string(length=-1):a>", endpoint="e")])
    # werkzeug ignores an empty keyword value; so does fastroute.
    m = fr.Map([fr.Rule("/<int(x=):a>", endpoint="e")])
    assert m.bind("h").match("/7") == ("e", {"a": 7})


def test_parse_converter_args_matches_werkzeug(core: Any) -> None:
    for text in [
        "",
        "1",
        "1, 2",
        "a=1, b='x'",
        "1.5, True, False, None",
        "x=",
        "u'a', r\"b\"",
        "a b",
        "=1",
        "1,,2",
        "'unterminated",
        "-1",
    ]:
        assert outcome(lambda t=text: fr.parse_converter_args(t)) == outcome(
            lambda t=text: wz.parse_converter_args(t)
        ), text


# ---------------------------------------------------------------------------
# Wrong types


@pytest.mark.parametrize("value", [b"/x", None, 1, 1.5, ["/x"], bytearray(b"/x")])
def test_non_str_rule_string_is_type_error(core: Any, value: Any) -> None:
    # werkzeug raises TypeError (bytes) or AttributeError (others) from
    # str methods; fastroute always says what is wrong.
    with pytest.raises((TypeError, AttributeError)):
        wz.Rule(value, endpoint="e")
    with pytest.raises(TypeError, match="must be a str"):
        fr.Rule(value, endpoint="e")


@pytest.mark.parametrize("value", [b"/s/x", bytearray(b"/s/x"), 1, 0, 1.5, ["/s/x"]])
def test_non_str_path_is_type_error(maps: tuple[Any, Any], value: Any) -> None:
    # werkzeug: TypeError for bytes, AttributeError for numbers, and the
    # falsy 0 is even taken as an empty path.  fastroute: a clear TypeError.
    with pytest.raises(TypeError, match="path_info must be a str"):
        maps[1].bind("example.com").match(value)


def test_none_path_uses_the_bound_path(maps: tuple[Any, Any]) -> None:
    for m in maps:
        assert m.bind("example.com", path_info="/s/bound").match(None) == ("/s/<s>", {"s": "bound"})
        assert m.bind("example.com").match(None) == ("/", {})


def test_str_subclass_path_is_accepted(maps: tuple[Any, Any]) -> None:
    class Path(str):
        pass

    assert compare_match(maps, Path("/s/sub")) == ("ok", ("/s/<s>", {"s": "sub"}))
    compare_match(maps, "")


@pytest.mark.parametrize("method", ["get", "", "G E T", "PUT", "\x00", "É", b"GET", 1])
def test_odd_methods(maps: tuple[Any, Any], method: Any) -> None:
    for path in ("/", "/s/x", "/b"):
        compare_match(maps, path, method)


@pytest.mark.parametrize("methods", ["GET", "get", "GET,POST"])
def test_methods_given_as_str_is_type_error(core: Any, methods: str) -> None:
    with pytest.raises(TypeError):
        wz.Rule("/", endpoint="e", methods=methods)
    with pytest.raises(TypeError, match="methods"):
        fr.Rule("/", endpoint="e", methods=methods)


@pytest.mark.parametrize("methods", [b"GET", ["GET", None], [1], (), []])
def test_other_bad_methods_like_werkzeug(core: Any, methods: Any) -> None:
    results = []
    for mod in (wz, fr):

        def build(mod: Any = mod) -> Any:
            m = mod.Map([mod.Rule("/", endpoint="e", methods=methods)])
            return m.bind("h").match("/")

        results.append(outcome(build))
    assert results[1] == results[0]


@pytest.mark.parametrize("methods", [["POST"], ["GET", "PUT"], ["get", "delete"], ["PATCH"]])
def test_websocket_rule_with_other_methods_is_value_error(core: Any, methods: list[str]) -> None:
    with pytest.raises(ValueError):
        wz.Rule("/ws", endpoint="ws", websocket=True, methods=methods)
    with pytest.raises(ValueError, match="WebSocket"):
        fr.Rule("/ws", endpoint="ws", websocket=True, methods=methods)


def test_websocket_rule_with_allowed_methods(core: Any) -> None:
    for methods in (["get"], ["GET", "HEAD", "OPTIONS"], None):
        pair = both_maps([("/ws", {"endpoint": "ws", "websocket": True, "methods": methods})])
        for scheme in ("http", "ws", "wss"):
            results = [
                outcome(lambda m=m, scheme=scheme: m.bind("h", url_scheme=scheme).match("/ws")) for m in pair
            ]
            assert results[1] == results[0]


# ---------------------------------------------------------------------------
# Hosts


BAD_HOSTS = [
    "a" * 64 + ".com",
    "..",
    "a..b",
    ".a",
    "é" * 100,
    "x." + "a" * 64,
    "é." + "a" * 64,
    "a" * 64,
]
ODD_BUT_VALID_HOSTS = [
    "a.",
    "",
    "EXAMPLE.com",
    "exé.com",
    "bücher.example:8080",
    "[::1]",
    "\x00",
    "a b",
    "xn--",
    "a" * 63,
]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_bind_bad_host_is_bad_host(core: Any, host: str) -> None:
    with pytest.raises(BadHost):
        wz.Map().bind(host)
    with pytest.raises(BadHost):
        fr.Map().bind(host)


@pytest.mark.parametrize("host", ODD_BUT_VALID_HOSTS)
def test_bind_odd_host_like_werkzeug(core: Any, host: str) -> None:
    pair = both_maps(_rules("/"))
    results = [outcome(lambda m=m: (m.bind(host).server_name, m.bind(host).match("/"))) for m in pair]
    assert results[1] == results[0]
    assert results[1][0] == "ok"


@pytest.mark.parametrize("host", [None, 1, b"example.com"])
def test_bind_non_str_host_like_werkzeug(core: Any, host: Any) -> None:
    pair = both_maps(_rules("/"))
    results = [outcome(lambda m=m: m.bind(host).server_name) for m in pair]
    assert results[1] == results[0]
    assert results[1][0] == "raise"


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".com"])
def test_bind_to_environ_bad_host_header(core: Any, host: str) -> None:
    for m in both_maps(_rules("/")):
        environ = create_environ("/", "http://placeholder/")
        environ["HTTP_HOST"] = host
        with pytest.raises(BadHost):
            m.bind_to_environ(environ)


# ---------------------------------------------------------------------------
# WSGI strings


def _environ(path_info: str, **extra: str) -> dict[str, Any]:
    environ = create_environ("/", "http://example.com/")
    environ["PATH_INFO"] = path_info
    environ.update(extra)
    return environ


def _wsgi(raw: bytes) -> str:
    """A WSGI string: each byte as the latin-1 code point of the same value."""
    return raw.decode("latin1")


def compare_environ_match(maps: tuple[Any, Any], environ: dict[str, Any]) -> tuple:
    results = [outcome(lambda m=m: m.bind_to_environ(dict(environ)).match()) for m in maps]
    assert results[1] == results[0], repr(environ["PATH_INFO"])
    return results[1]


def test_wsgi_path_info_is_utf8_in_latin1(maps: tuple[Any, Any]) -> None:
    got = compare_environ_match(maps, _environ(_wsgi("/café".encode())))
    assert got == ("ok", ("/café", {}))
    got = compare_environ_match(maps, _environ(_wsgi("/s/日本".encode())))
    assert got == ("ok", ("/s/<s>", {"s": "日本"}))
    # The same text as real characters is not valid WSGI: its code points
    # stand for bytes, so "/café" here is the bytes of "/cafÃ©" no more.
    assert compare_environ_match(maps, _environ("/caf\xe9"))[0] == "http"


@pytest.mark.parametrize(
    "raw",
    [
        b"/s/\xff\xfe",
        b"/s/\xc3",
        b"/s/a\x80b",
        b"/p/a\xc3/b\x80",
        b"/s/\xed\xa0\x80",
        b"/s/\xf8\x88\x80\x80\x80",
    ],
)
def test_wsgi_path_info_invalid_utf8_gets_replacement_characters(maps: tuple[Any, Any], raw: bytes) -> None:
    got = compare_environ_match(maps, _environ(_wsgi(raw)))
    assert got[0] == "ok"
    assert "\ufffd" in next(iter(got[1][1].values()))


def test_wsgi_redirect_with_non_ascii_script_and_query(maps: tuple[Any, Any]) -> None:
    environ = _environ(
        "/b", SCRIPT_NAME=_wsgi("/é\xff".encode("latin1")), QUERY_STRING=_wsgi("a=é&b=\xff".encode("latin1"))
    )
    got = compare_environ_match(maps, environ)
    assert got[:2] == ("redirect", 308)


@pytest.mark.parametrize("path", ["/s/€", "/s/日本", "/p/a/\U0001f600", "/café\u0301"])
def test_path_info_outside_latin1_is_passed_through(maps: tuple[Any, Any], path: str) -> None:
    """Not a valid WSGI string: werkzeug raises UnicodeEncodeError.

    fastroute deliberately takes such a string as already-decoded text and
    matches it as is (a server that hands real characters still works).
    """
    werkzeug_map, fast_map = maps
    with pytest.raises(UnicodeEncodeError):
        werkzeug_map.bind_to_environ(_environ(path))
    expected = outcome(lambda: fast_map.bind("example.com").match(path))
    assert expected[0] == "ok" or path == "/café\u0301"  # a combining accent: not "/café"
    assert outcome(lambda: fast_map.bind_to_environ(_environ(path)).match()) == expected


def test_script_name_and_query_outside_latin1_are_passed_through(maps: tuple[Any, Any]) -> None:
    werkzeug_map, fast_map = maps
    environ = _environ("/b", SCRIPT_NAME="/€", QUERY_STRING="x=€")
    with pytest.raises(UnicodeEncodeError):
        werkzeug_map.bind_to_environ(dict(environ))
    with pytest.raises(RequestRedirect) as info:
        fast_map.bind_to_environ(dict(environ)).match()
    assert info.value.new_url == "http://example.com/€/b/?x=€"


def _odd_environs() -> list[tuple[str, dict[str, Any]]]:
    base = create_environ("/", "http://example.com/")

    def env(**changes: Any) -> dict[str, Any]:
        environ = dict(base)
        for key, value in changes.items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        return environ

    upgrade = {"HTTP_CONNECTION": "keep-alive, Upgrade", "HTTP_UPGRADE": "WebSocket"}
    return [
        ("plain", env()),
        ("no PATH_INFO", env(PATH_INFO=None)),
        ("no SCRIPT_NAME", env(SCRIPT_NAME=None)),
        ("no QUERY_STRING", env(QUERY_STRING=None)),
        ("no REQUEST_METHOD", env(REQUEST_METHOD=None)),
        ("no url_scheme", env(**{"wsgi.url_scheme": None})),
        ("no HTTP_HOST", env(HTTP_HOST=None)),
        ("SERVER_NAME only", env(HTTP_HOST=None, SERVER_NAME="api.example.com", SERVER_PORT="8080")),
        ("upper host, default port", env(HTTP_HOST="API.EXAMPLE.COM:80")),
        ("https default port", env(HTTP_HOST="example.com:443", **{"wsgi.url_scheme": "https"})),
        ("deep subdomain", env(HTTP_HOST="x.api.example.com")),
        ("other host", env(HTTP_HOST="example.org")),
        ("tld only", env(HTTP_HOST="com")),
        ("empty host", env(HTTP_HOST="")),
        ("leading dot", env(HTTP_HOST=".example.com")),
        ("trailing dot", env(HTTP_HOST="example.com.")),
        ("websocket upgrade", env(PATH_INFO="/ws", **upgrade)),
        ("upgrade on http rule", env(PATH_INFO="/b", **upgrade)),
        ("not quite upgrade", env(PATH_INFO="/ws", HTTP_CONNECTION="upgrades", HTTP_UPGRADE="websocket")),
        ("other upgrade", env(PATH_INFO="/ws", HTTP_CONNECTION="Upgrade", HTTP_UPGRADE="h2c")),
        ("bad query", env(PATH_INFO="/b", QUERY_STRING="a=%ZZ&b")),
        ("relative path", env(PATH_INFO="b")),
        ("empty path", env(PATH_INFO="")),
        ("script with slash", env(PATH_INFO="/b", SCRIPT_NAME="/x/")),
        ("script without slash", env(PATH_INFO="/b", SCRIPT_NAME="x")),
        ("lower-case method", env(REQUEST_METHOD="get")),
        ("empty method", env(REQUEST_METHOD="")),
        ("POST on websocket", env(REQUEST_METHOD="POST", PATH_INFO="/ws")),
    ]


ENV_RULES = [
    ("/", {"endpoint": "root"}),
    ("/", {"endpoint": "api", "subdomain": "api"}),
    ("/", {"endpoint": "dyn", "subdomain": "<s>"}),
    ("/ws", {"endpoint": "ws", "websocket": True}),
    ("/b/", {"endpoint": "b"}),
]


@pytest.mark.parametrize(("label", "environ"), _odd_environs(), ids=[e[0] for e in _odd_environs()])
def test_odd_environs_like_werkzeug(core: Any, label: str, environ: dict[str, Any]) -> None:
    pair = both_maps(ENV_RULES)
    for server_name in (None, "example.com", "EXAMPLE.com:80", "example.com:443", "other.org", "", "com"):
        for subdomain in (None, "", "api"):
            results = []
            for m in pair:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    got = outcome(
                        lambda m=m, server_name=server_name, subdomain=subdomain: m.bind_to_environ(
                            dict(environ), server_name=server_name, subdomain=subdomain
                        ).match()
                    )
                results.append((got, [str(w.message) for w in caught]))
            assert results[1] == results[0], (server_name, subdomain)


@pytest.mark.parametrize("connection", [None, 0, 5, b"upgrade", b"", "", "Upgrade", ["upgrade"]], ids=repr)
def test_connection_value_of_any_type_like_werkzeug(core: Any, connection: Any) -> None:
    """A Connection entry that is there but not a str (None, an int, bytes)
    fails as werkzeug's ``bind_to_environ`` fails: it lowers any value."""
    environ = dict(
        _odd_environs()[0][1], PATH_INFO="/ws", HTTP_CONNECTION=connection, HTTP_UPGRADE="websocket"
    )
    results = [outcome(lambda m=m: m.bind_to_environ(dict(environ)).match()) for m in both_maps(ENV_RULES)]
    assert results[1] == results[0]


def test_host_matching_odd_environs_like_werkzeug(core: Any) -> None:
    pair = both_maps(
        [("/", {"endpoint": "any", "host": "<h>"}), ("/x", {"endpoint": "x", "host": "example.com"})],
        host_matching=True,
    )
    for label, environ in _odd_environs():
        results = [
            outcome(lambda m=m, environ=environ: m.bind_to_environ(dict(environ)).match()) for m in pair
        ]
        assert results[1] == results[0], label


@pytest.mark.parametrize(
    "query",
    [
        None,
        {},
        {"a": None},
        {"a": [1, 2]},
        {"a": "é /?&="},
        MultiDict([("a", "1"), ("a", "2")]),
        "raw=é&x",
        "",
        b"a=1",
        5,
        [("a", "1")],
        {"a": b"x"},
        {1: 2},
        {"a": object},
    ],
    ids=repr,
)
def test_odd_query_args_on_redirects(core: Any, query: Any) -> None:
    rules = [
        ("/b/", {"endpoint": "b"}),
        ("/p/", {"endpoint": "p", "defaults": {"n": 1}}),
        ("/p/<int:n>", {"endpoint": "p"}),
        ("/old", {"redirect_to": "/b/"}),
        ("/al", {"endpoint": "b", "alias": True}),
    ]
    pair = both_maps(rules)
    for path in ("/b", "/p/1", "/old", "/al", "/b//"):
        passed = [outcome(lambda m=m, path=path: m.bind("h").match(path, query_args=query)) for m in pair]
        assert passed[1] == passed[0], path
        bound = [outcome(lambda m=m, path=path: m.bind("h", query_args=query).match(path)) for m in pair]
        assert bound[1] == bound[0], path


# ---------------------------------------------------------------------------
# Big inputs (guarded against hangs)


MEGABYTE = 1 << 20
BIG_PATHS = {
    "static-miss": "/" + "a" * MEGABYTE,
    "string": "/s/" + "a" * MEGABYTE,
    "string-slash": "/s/" + "a" * MEGABYTE + "/",
    "path": "/p/" + "a" * MEGABYTE,
    "path-suffix": "/q/" + "a/" * (MEGABYTE // 2) + "edit",
    "path-suffix-miss": "/q/" + "a/" * (MEGABYTE // 2) + "edix",
    "int": "/i/" + "1" * MEGABYTE,
    "int-4300": "/i/" + "1" * 4300,
    "int-4301": "/i/" + "1" * 4301,
    "signed-int": "/n/-" + "9" * MEGABYTE,
    "float": "/f/" + "1" * MEGABYTE + ".5",
    "uuid-ish": "/u/" + "a" * MEGABYTE,
    "fixed-length": "/l/" + "a" * MEGABYTE,
    "slashes": "/" * MEGABYTE,
    "slashes-branch": "/b" + "/" * MEGABYTE,
    "slashes-inside": "/s/" + "/" * MEGABYTE + "x",
    "slashes-path": "/p/a" + "/" * MEGABYTE + "b",
    "nul": "/s/" + "\x00" * MEGABYTE,
    "percent": "/s/" + "%2F" * (MEGABYTE // 3),
    "non-ascii": "/s/" + "é" * MEGABYTE,
    "alternating": "/s/a" + "//x" * (MEGABYTE // 3),
}


@pytest.mark.parametrize("name", sorted(BIG_PATHS))
def test_megabyte_path(maps: tuple[Any, Any], name: str) -> None:
    path = BIG_PATHS[name]
    got = compare_match(maps, path, guard=True)
    assert got[0] != "crash"


def _segments(n: int, seg: str = "a") -> str:
    return "/".join([seg] * n)


SEGMENT_PATHS = {
    "static-miss": "/" + _segments(10_000),
    "path": "/p/" + _segments(10_000),
    "path-suffix": "/q/" + _segments(10_000) + "/edit",
    "path-suffix-miss": "/q/" + _segments(10_000),
    "branch-miss": "/x/" + _segments(10_000) + "/",
    "trailing-slash": "/" + "a/" * 10_000,
    "empty-segments": "/s" + "/" * 10_000 + "x",
    "empty-segments-branch": "/x/a/b" + "/" * 10_000,
    "doubled": "/s/a" + "//x" * 10_000,
    "ints": "/i/" + _segments(10_000, "1"),
    "dots": "/p/" + _segments(10_000, ".."),
}


@pytest.mark.parametrize("name", sorted(SEGMENT_PATHS))
def test_ten_thousand_segments(maps: tuple[Any, Any], name: str) -> None:
    got = compare_match(maps, SEGMENT_PATHS[name], guard=True)
    assert got[0] != "crash"


def test_deep_rules_and_deep_path(core: Any) -> None:
    rules = _rules("/" + "/".join(f"<v{i}>" for i in range(200)), "/" + _segments(200))
    pair = both_maps(rules)
    for path in ("/" + _segments(200), "/" + _segments(200, "b"), "/" + _segments(10_000)):
        results = [guarded(lambda m=m, p=path: m.bind("h").match(p)) for m in pair]
        assert results[1] == results[0]


@pytest.mark.parametrize(
    "path",
    [
        "/i/١٢٣",
        "/i/²",
        "/i/𝟙",
        "/f/١.٥",
        "/i/0x10",
        "/i/1_000",
        "/i/ 1",
        "/i/+1",
        "/n/+1",
        "/n/-0",
        "/n/--1",
        "/f/1e5",
        "/f/nan",
        "/f/inf",
        "/f/-1.5",
        "/i/" + "0" * 5000 + "1",
        "/n/-" + "1" * 5000,
    ],
)
def test_odd_numbers(maps: tuple[Any, Any], path: str) -> None:
    compare_match(maps, path, guard=True)


# ---------------------------------------------------------------------------
# NUL, every byte, percent-encoding


@pytest.mark.parametrize(
    "path",
    [
        "/s/\x00",
        "/p/a\x00b",
        "/p/\x00/\x00",
        "/\x00",
        "/lit\x00x",
        "/lit\x00",
        "/s/\x00/",
        "/b\x00",
        "/d/\x00",
    ],
)
def test_nul_bytes(maps: tuple[Any, Any], path: str) -> None:
    compare_match(maps, path)


def test_nul_in_rule_and_host(core: Any) -> None:
    pair = both_maps(
        [("/a\x00b/<x>", {"endpoint": "nul"}), ("/", {"endpoint": "root", "subdomain": "s\x00"})]
    )
    for m in pair:
        assert m.bind("h").match("/a\x00b/\x00") == ("nul", {"x": "\x00"})
        assert m.bind("h", subdomain="s\x00").match("/") == ("root", {})
        assert m.bind("h").build("nul", {"x": "\x00"}) == "/a%00b/%00"


BYTE_RULES = _rules("/s/<s>", "/p/<path:p>", "/d/<x>/")


def test_every_byte_raw_and_percent_encoded_in_match(core: Any) -> None:
    pair = both_maps(BYTE_RULES)
    adapters = [m.bind("example.com") for m in pair]
    mismatches = []
    for byte in range(256):
        char = chr(byte)
        for form in (char, quote(char, safe=""), f"%{byte:02x}"):
            for prefix in ("/s/a", "/p/a", "/p/", "/d/a", "/s/"):
                for path in (prefix + form + "z", prefix + form):
                    results = [outcome(lambda a=a, p=path: a.match(p)) for a in adapters]
                    if results[1] != results[0]:
                        mismatches.append((path, results))
    assert mismatches == []


def test_every_byte_through_wsgi(core: Any) -> None:
    """Each byte as a WSGI string (raw) and as a percent-encoded URL."""
    pair = both_maps(BYTE_RULES)
    mismatches = []
    for byte in range(256):
        raw = bytes([byte])
        for prefix in (b"/s/a", b"/p/a", b"/d/a"):
            environs = [_environ(_wsgi(prefix + raw + b"z"))]
            url = prefix.decode() + quote(raw, safe="") + "z"
            environs.append(EnvironBuilder(path=url, base_url="http://example.com/").get_environ())
            for environ in environs:
                results = [outcome(lambda m=m, e=environ: m.bind_to_environ(dict(e)).match()) for m in pair]
                if results[1] != results[0]:
                    mismatches.append((byte, prefix, environ["PATH_INFO"], results))
    assert mismatches == []


def test_every_byte_in_build(core: Any) -> None:
    pair = both_maps(BYTE_RULES)
    adapters = [m.bind("example.com") for m in pair]
    mismatches = []
    for byte in range(256):
        for endpoint, name in (("/s/<s>", "s"), ("/p/<path:p>", "p"), ("/d/<x>/", "x")):
            values = {name: f"a{chr(byte)}z", "q": chr(byte)}
            results = [
                outcome(lambda a=a, endpoint=endpoint, values=values: a.build(endpoint, values))
                for a in adapters
            ]
            if results[1] != results[0]:
                mismatches.append((byte, endpoint, results))
    assert mismatches == []


@pytest.mark.parametrize(
    "path",
    [
        "/s/a%2Fb",
        "/s/a%2fb",
        "/p/a%2Fb",
        "/p/%2F",
        "/s/%2F",
        "/d/a%2Fb",
        "/d/a%2Fb/",
        "/b%2F",
        "/s/%252F",
        "/p/a%2F%2Fb",
    ],
)
def test_percent_encoded_slashes(maps: tuple[Any, Any], path: str) -> None:
    # match() gets a decoded path: "%2F" is three literal characters there.
    compare_match(maps, path)
    # Through WSGI the server has decoded it, so it is a real slash.
    environ = EnvironBuilder(path=path, base_url="http://example.com/").get_environ()
    compare_environ_match(maps, environ)


def test_surrogates_and_astral_characters(maps: tuple[Any, Any]) -> None:
    for path in [
        "/s/\ud800",
        "/p/a\udfff/b",
        "/s/\U0001f600",
        "/l/\U0001f600\U0001f600",
        "/l/\U0001f600",
        "/l/é\u0301",
        "/d/\ud800",
        "/s/a\r\nb",
        "/s//\ud800",
        "/b\ud800",
        "/p/\udc80",
    ]:
        compare_match(maps, path)
    for mod in (wz, fr):
        with pytest.raises(UnicodeEncodeError):
            mod.Map([mod.Rule("/lit\ud800", endpoint="e")])


# ---------------------------------------------------------------------------
# Building with bad values


@pytest.mark.parametrize(
    ("endpoint", "values"),
    [
        ("/i/<int:i>", {"i": "abc"}),
        ("/i/<int:i>", {"i": 1.9}),
        ("/i/<int:i>", {"i": None}),
        ("/i/<int:i>", {}),
        ("/f/<float:f>", {"f": "x"}),
        ("/u/<uuid:u>", {"u": "not-a-uuid"}),
        ("/u/<uuid:u>", {"u": uuid.UUID(int=0)}),
        ("/a/<any(one, two):a>", {"a": "three"}),
        ("/s/<s>", {"s": b"bytes"}),
        ("/s/<s>", {"s": ""}),
        ("/s/<s>", {"s": "x", "extra": object.__name__, "none": None}),
        ("/p/<path:p>", {"p": "../../etc/passwd"}),
        ("/l/<string(length=2):l>", {"l": "abc"}),
        ("no-such-endpoint", {}),
    ],
)
def test_build_with_bad_values_like_werkzeug(maps: tuple[Any, Any], endpoint: str, values: dict) -> None:
    results = [outcome(lambda m=m: m.bind("example.com").build(endpoint, values)) for m in maps]
    assert results[1] == results[0]
