"""Parts with several built-in converters: the linear matcher against ``re``
and werkzeug.

werkzeug matches a part such as ``<a>-<b>.html``, ``<path:a>/x/<int:b>/end``
or the host ``<a>.<b>.example.com`` with one regex, and ``re`` backtracks over
the converters' lengths, polynomially on a near miss.  fastroute's cores match
such parts, when all their converters are built-in, with a linear-time
matcher that must capture exactly what the regex captures: greedy runs as
long as possible, ``path`` as short as possible, ``any`` by the earliest
alternative, the first assignment in backtracking order.

* ``test_*_like_the_regex``: the core's matcher for a generated part
  (``core._linear_part``) against ``re`` with the part's own regex, on texts
  built from the part (values, near misses, noise), some of them long enough
  for the compiled core's heap buffers;
* ``test_*_like_werkzeug``: maps of generated rules (segments, final parts
  with ``path`` converters, host rules) against werkzeug's maps on short
  paths and hosts; the pure core also runs with its short-text regex
  shortcut turned off (``REGEX_TRIES = 0``), so its linear matcher is what
  answers;
* ``test_hostile_shapes_*``: the shapes that took minutes in werkzeug, with
  answers written out as functions of the size, checked against werkzeug at
  a small size and at 64 KB in a child process killed at a generous deadline
  (no timing is compared).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import types
import typing as t
import uuid
from pathlib import Path

import pytest
import werkzeug.routing as wr
from hypothesis import HealthCheck, given, settings, strategies as st
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

import fastroute.routing as fr
from fastroute import _cores

#: examples per test: 200 by default, scaled like test_differential's
#: (``FASTROUTE_DIFF_EXAMPLES``, 500 by default)
EXAMPLES = max(int(os.environ.get("FASTROUTE_DIFF_EXAMPLES", 500)) * 2 // 5, 1)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: seconds the child process may take for all the 64 KB shapes once ready
CHILD_DEADLINE = 60.0
#: seconds more for the child's imports
IMPORT_MARGIN = 60.0
KB = 1 << 10

UUID_TEXT = "12345678-abcd-ABCD-1234-123456789abc"

# (converter as written in a rule, the family of values it is fed)
SEGMENT_CONVERTERS = [
    ("", "str"),
    ("string(minlength=0)", "str"),
    ("string(minlength=2)", "str"),
    ("string(maxlength=2)", "str"),
    ("string(length=1)", "str"),
    ("string(minlength=0, maxlength=1)", "str"),
    ("int", "int"),
    ("int(signed=True)", "int"),
    ("int(fixed_digits=2)", "int"),
    ("int(min=2, max=50)", "int"),
    ("float", "float"),
    ("float(signed=True)", "float"),
    ("uuid", "uuid"),
    ("any(a, ab, x)", "any"),
    ("any(ab, a, '-')", "any"),
    ("any(x)", "any"),
]
FINAL_CONVERTERS = [*SEGMENT_CONVERTERS, ("path", "path"), ("path", "path"), ("path", "path")]
HOST_CONVERTERS = [
    ("", "host"),
    ("string(length=1)", "host"),
    ("string(minlength=2)", "host"),
    ("int", "int"),
    ("any(a, ab, x)", "any"),
]
VALUES = {
    "str": ["a", "ab", "a-b", "a.b", "x_1", "1", "-", ".", "", "é", "a\nb", "aaaa", "a-a-a"],
    "int": ["0", "1", "12", "-3", "٣", "007", "1a", "-"],
    "float": ["1.5", "-2.25", "0.0", "1.", ".5", "1.2.3", "٣.٣", "-.5"],
    "uuid": [UUID_TEXT, UUID_TEXT.upper(), UUID_TEXT[:-1], UUID_TEXT + "0"],
    "any": ["a", "ab", "x", "b", "-", "", "aba"],
    "path": ["a", "a/b", "a/x/b", "/a", "a/", "a\nb", "x", "end", "a//b", "x/"],
    "host": ["a", "ab", "a-b", "a.b", "x", "1", "", "a.a.a"],
}
SEGMENT_LITERALS = ["-", ".", "_", "a", "x", "ab", "-a", ".h", "1", "é", ".html"]
FINAL_LITERALS = [*SEGMENT_LITERALS, "/", "/", "/x/", "/end", "//", "-/"]
HOST_LITERALS = [".", "-", ".example.com", "x", ".a"]
NOISE = ["a", "b", "x", "1", "0", "9", "-", ".", "_", "/", "٣", "é", "\n", "A", "f", "ab", "/x/", "1.5"]
HOST_NOISE = ["a", "b", "x", "1", "-", ".", "ab", ".example.com", "example"]

Token = tuple[str, str, str]  # ("lit", text, "") or ("conv", converter, family)


@st.composite
def part_tokens(
    draw: st.DrawFn,
    converters: list[tuple[str, str]],
    literals: list[str],
    need: str | None = None,
) -> list[Token]:
    """2 to 4 converters with optional literals around them; *need*: a
    converter every part must hold (``path`` for a final part)."""
    count = draw(st.integers(2, 4))
    chosen = [draw(st.sampled_from(converters)) for _ in range(count)]
    if need is not None and all(conv != need for conv, _ in chosen):
        chosen[draw(st.integers(0, count - 1))] = (need, "path")
    tokens: list[Token] = []
    for conv, family in chosen:
        if draw(st.booleans()):
            tokens.append(("lit", draw(st.sampled_from(literals)), ""))
        tokens.append(("conv", conv, family))
    if draw(st.booleans()):
        tokens.append(("lit", draw(st.sampled_from(literals)), ""))
    return tokens


def rule_text(tokens: list[Token]) -> str:
    out = []
    number = 0
    for kind, text, _ in tokens:
        if kind == "lit":
            out.append(text)
        else:
            out.append(f"<{text}:v{number}>" if text else f"<v{number}>")
            number += 1
    return "".join(out)


def merge_slashes(rule: str) -> str:
    return re.sub("/{2,}", "/", rule)


@st.composite
def text_for(draw: st.DrawFn, tokens: list[Token], noise: list[str]) -> str:
    """A text shaped like *tokens*: sample values, then a few edits (near
    misses), or plain noise."""
    if draw(st.integers(0, 9)) == 0:
        return "".join(draw(st.lists(st.sampled_from(noise), max_size=10)))
    text = "".join(
        text if kind == "lit" else draw(st.sampled_from(VALUES[family])) for kind, text, family in tokens
    )
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "double"]))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from(noise)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + text[:at] + text[at:]
    return text


# ---------------------------------------------------------------------------
# The linear matcher against the part's regex


def dynamic_parts(rule: t.Any) -> list[t.Any]:
    return [part for part in rule._parts if not part.static]


def regex_answer(part: t.Any, text: str) -> tuple[list[str], bool] | None:
    """What werkzeug's state machine takes from the part's regex: the
    converters' groups and whether the optional trailing slash was there."""
    found = re.compile(part.content + r"\Z").match(text)
    if found is None:
        return None
    count = sum(1 for piece in part.pieces if not isinstance(piece, str))
    values = [found.group(f"v{i}") for i in range(count)]
    return values, bool(part.suffixed and found.group("sfx") == "/")


def regex_cost_cap(part: t.Any) -> int:
    """A text length past which the regex could backtrack for too long (about
    a million steps for re)."""
    runs = sum(1 for piece in part.pieces if not isinstance(piece, str))
    return int(1_000_000 ** (1 / runs))


def check_part(core: types.ModuleType, part: t.Any, texts: list[str]) -> None:
    linear = core._linear_part(part)
    assert linear is not None, part.content  # built-in converters only
    for text in texts:
        text = text[: regex_cost_cap(part)]
        got = linear.match(text)
        if got is not None:
            got = (list(got[0]), bool(got[1]))
        assert got == regex_answer(part, text), (part.content, part.suffixed, text)


def parts_of(rule: str, **options: t.Any) -> list[t.Any]:
    m = fr.Map([fr.Rule(rule, endpoint="e", **options)], merge_slashes=False, **_host_option(options))
    m.update()
    return dynamic_parts(next(iter(m.iter_rules())))


def _host_option(options: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"host_matching": True} if "host" in options else {}


@SETTINGS
@given(data=st.data(), tokens=part_tokens(SEGMENT_CONVERTERS, SEGMENT_LITERALS))
def test_segment_parts_like_the_regex(
    core: types.ModuleType, data: st.DataObject, tokens: list[Token]
) -> None:
    (part,) = parts_of("/" + rule_text(tokens))
    texts = [data.draw(text_for(tokens, NOISE)).replace("/", "") for _ in range(20)]
    # long texts (cut to what re can answer): the compiled core's buffers
    # leave the stack
    texts += [text * data.draw(st.integers(20, 200)) for text in texts[:3]]
    check_part(core, part, texts)


@SETTINGS
@given(
    data=st.data(),
    tokens=part_tokens(FINAL_CONVERTERS, FINAL_LITERALS, need="path"),
    slash=st.booleans(),
)
def test_final_parts_like_the_regex(
    core: types.ModuleType, data: st.DataObject, tokens: list[Token], slash: bool
) -> None:
    rule = "/" + rule_text(tokens) + ("/" if slash else "")
    parts = parts_of(rule)
    part = parts[-1]
    assert part.final
    suffix = [("lit", "/", "")] if slash else []
    texts = [data.draw(text_for(tokens + suffix, NOISE)) for _ in range(20)]
    texts += [text * data.draw(st.integers(20, 200)) for text in texts[:3]]
    for other in parts[:-1]:  # a segment before the path converter
        check_part(core, other, [text.replace("/", "") for text in texts])
    check_part(core, part, texts)


@SETTINGS
@given(data=st.data(), tokens=part_tokens(HOST_CONVERTERS, HOST_LITERALS))
def test_host_parts_like_the_regex(core: types.ModuleType, data: st.DataObject, tokens: list[Token]) -> None:
    (part, *_) = parts_of("/", host=rule_text(tokens))
    texts = [data.draw(text_for(tokens, HOST_NOISE)) for _ in range(20)]
    check_part(core, part, texts)


@pytest.mark.parametrize(
    ("rule", "text", "values", "slash"),
    [
        # greedy runs take the longest, the later ones what is left
        ("/<a>-<b>.html", "a-b-c.html", ["a-b", "c"], False),
        ("/<a><b>", "abc", ["ab", "c"], False),
        ("/<string(minlength=0):a><b>", "abc", ["ab", "c"], False),
        ("/<a><string(minlength=0):b>", "abc", ["abc", ""], False),
        ("/<int:a><int:b>", "1234", ["123", "4"], False),
        ("/<int(signed=True):a><int(signed=True):b>", "-12-3", ["-12", "-3"], False),
        ("/<float:a><int:b>", "1.2345", ["1.234", "5"], False),
        ("/<string(length=2):a><b>", "abcd", ["ab", "cd"], False),
        # any: the first alternative that lets the rest match
        ("/<any(a, ab):x><b>", "abc", ["a", "bc"], False),
        ("/<any(a, ab):x>c<b>", "abcd", ["ab", "d"], False),
        # path: the shortest, up to a newline
        ("/<path:a>/<path:b>", "a/b/c", ["a", "b/c"], False),
        ("/<path:a>/<int:b>/<path:c>", "x/1/2/y", ["x", "1", "2/y"], False),
        ("/<path:a>/<path:b>", "a\n/b", None, None),
        ("/<path:a>/<path:b>", "a/b\nc", None, None),
        ("/<path:a>/<path:b>", "\n/b", ["\n", "b"], False),
        # suffixed: an optional slash that may not follow another
        ("/<path:a>/<int:b>/", "x/1/", ["x", "1"], True),
        ("/<path:a>/<int:b>/", "x/1", ["x", "1"], False),
        ("/<path:a>/<b>/", "x/y//", None, None),
        ("/<path:a>-<b>/", "x/y-z/", ["x/y", "z"], True),
        # unicode digits are digits for \d, not for [A-Fa-f0-9]
        ("/<int:a>.<int:b>", "٣.٤٥", ["٣", "٤٥"], False),
        ("/<uuid:u>.<any(json, xml):e>", UUID_TEXT + ".json", [UUID_TEXT, "json"], False),
    ],
)
def test_regex_preferences(
    core: types.ModuleType, rule: str, text: str, values: list[str] | None, slash: bool | None
) -> None:
    part = parts_of(rule)[-1]
    want = None if values is None else (values, slash)
    assert regex_answer(part, text) == want
    got = core._linear_part(part).match(text)
    assert (None if got is None else (list(got[0]), got[1])) == want


def _builtin_regex_converters(mod: t.Any) -> dict[str, type]:
    """Converters that keep a built-in's regex, built on *mod*'s classes."""

    class Lower(mod.UnicodeConverter):
        def to_python(self, value: str) -> str:
            return value.lower()

    class Even(mod.IntegerConverter):
        def to_python(self, value: str) -> int:
            number = int(value)
            if number % 2:
                raise mod.ValidationError()
            return number

    class Plain(mod.BaseConverter):
        pass

    return {
        "lower": Lower,
        "even": Even,
        "plain": Plain,
        "wpath": wr.PathConverter,
        "wint": wr.IntegerConverter,
    }


@pytest.mark.parametrize(
    ("rule", "path", "values"),
    [
        ("/<lower:a>-<lower:b>.html", "/A-B-C.html", {"a": "a-b", "b": "c"}),
        ("/<lower:a>-<b>", "/X-Y-Z", {"a": "x-y", "b": "Z"}),
        ("/<even:a><int:b>", "/1234", None),  # even takes "123": a ValidationError, 404
        ("/<even:a>-<even:b>", "/12-34", {"a": 12, "b": 34}),
        ("/<wpath:a>/<wint:b>/<plain:c>", "/x/1/y/2/z", {"a": "x/1/y", "b": 2, "c": "z"}),
        ("/<plain:a>.<plain:b>", "/a.b.c", {"a": "a.b", "b": "c"}),
    ],
)
def test_custom_converters_with_builtin_regexes_are_linear(
    core: types.ModuleType, rule: str, path: str, values: dict[str, t.Any] | None
) -> None:
    """A converter that keeps a built-in's regex (a subclass changing only
    ``to_python``, werkzeug's own converters, ``BaseConverter``'s
    ``[^/]+``) is matched like the built-in, in linear time; its
    ``to_python`` still converts the values."""
    m = fr.Map([fr.Rule(rule, endpoint="e")], converters=_builtin_regex_converters(fr))
    m.update()
    for part in dynamic_parts(next(iter(m.iter_rules()))):
        assert core._linear_part(part) is not None, part.content
    w = wr.Map([wr.Rule(rule, endpoint="e")], converters=_builtin_regex_converters(wr))
    got = answer(m, path)
    assert got == answer(w, path)
    assert got == (("http", 404) if values is None else ("hit", rule, None, values))


def test_custom_converter_with_builtin_regex_at_64k(core: types.ModuleType) -> None:
    converters = _builtin_regex_converters(fr)
    m = fr.Map([fr.Rule("/<lower:a>-<lower:b>-<lower:c>.html", endpoint="e")], converters=converters)
    adapter = m.bind("h")
    with pytest.raises(HTTPException) as caught:
        adapter.match("/" + "a-" * (32 * KB))
    assert caught.value.code == 404
    endpoint, values = adapter.match("/" + "A-" * (32 * KB) + "b.html")
    assert endpoint == "e"
    assert {name: len(value) for name, value in values.items()} == {"a": 64 * KB - 3, "b": 1, "c": 1}
    assert values["a"].islower()


def test_custom_converter_keeps_the_regex(core: types.ModuleType) -> None:
    class Hex(fr.BaseConverter):
        regex = "[0-9a-f]+"

    m = fr.Map([fr.Rule("/<hex:a>-<b>", endpoint="e")], converters={"hex": Hex})
    m.update()
    (part,) = dynamic_parts(next(iter(m.iter_rules())))
    assert core._linear_part(part) is None
    assert m.bind("h").match("/ff-x") == ("e", {"a": "ff", "b": "x"})


# ---------------------------------------------------------------------------
# Maps against werkzeug's


def answer(m: t.Any, path: str, server_name: str = "example.com") -> tuple[t.Any, ...]:
    try:
        rule, values = m.bind(server_name).match(path, return_rule=True)
    except RequestRedirect as e:
        return ("redirect", e.new_url)
    except MethodNotAllowed as e:
        return ("405", sorted(e.valid_methods or ()))
    except HTTPException as e:
        return ("http", e.code)
    except Exception as e:  # both must fail alike
        return ("raise", type(e).__name__)
    return ("hit", rule.rule, rule.host, values)


@pytest.fixture(params=["default", "linear"])
def linear_only(
    request: pytest.FixtureRequest, core: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> bool:
    """With "linear", the pure core answers short texts with its linear
    matcher too (no regex shortcut); the compiled core always does."""
    if request.param == "linear":
        if not hasattr(core, "REGEX_TRIES"):
            pytest.skip("the compiled core has no regex shortcut")
        monkeypatch.setattr(core, "REGEX_TRIES", 0)
    return request.param == "linear"


def compare_maps(rules: list[dict[str, t.Any]], requests: list[tuple[str, str]], **options: t.Any) -> None:
    maps = [mod.Map([mod.Rule(**r) for r in rules], **options) for mod in (wr, fr)]
    for path, server_name in requests:
        want, got = (answer(m, path, server_name) for m in maps)
        assert got == want, (path, server_name)


@SETTINGS
@given(
    data=st.data(),
    first=part_tokens(SEGMENT_CONVERTERS, SEGMENT_LITERALS),
    second=part_tokens(SEGMENT_CONVERTERS, SEGMENT_LITERALS),
    strict=st.booleans(),
)
def test_segments_like_werkzeug(
    linear_only: bool, data: st.DataObject, first: list[Token], second: list[Token], strict: bool
) -> None:
    rules = [
        {"string": "/s/" + rule_text(first), "endpoint": "first"},
        {"string": "/s/" + rule_text(second) + "/tail/", "endpoint": "second"},
        {"string": "/s/<one>", "endpoint": "one"},
        {"string": "/s/<int:n>/tail/", "endpoint": "n"},
    ]
    requests = []
    for tokens, tail in ((first, ""), (second, "/tail/"), (second, "/tail")):
        for _ in range(8):
            text = data.draw(text_for(tokens, NOISE)).replace("/", "")
            requests.append(("/s/" + text + tail, "example.com"))
    compare_maps(rules, requests, strict_slashes=strict)


@SETTINGS
@given(
    data=st.data(),
    tokens=part_tokens(FINAL_CONVERTERS, FINAL_LITERALS, need="path"),
    slash=st.booleans(),
    merge=st.booleans(),
    strict=st.booleans(),
)
def test_final_parts_like_werkzeug(
    linear_only: bool,
    data: st.DataObject,
    tokens: list[Token],
    slash: bool,
    merge: bool,
    strict: bool,
) -> None:
    rule = "/f/" + rule_text(tokens) + ("/" if slash else "")
    rules = [
        {"string": rule, "endpoint": "final"},
        {"string": "/f/<path:rest>/edit", "endpoint": "edit"},
        {"string": "/f/<a>/x/", "endpoint": "branch"},
    ]
    requests = []
    suffix = [("lit", "/", "")] if slash else []
    for _ in range(16):
        text = data.draw(text_for(tokens + suffix, NOISE))
        requests.append(("/f/" + text, "example.com"))
        if merge and "/" in text:
            requests.append(("/f/" + text.replace("/", "//", 1), "example.com"))
    compare_maps(rules, requests, merge_slashes=merge, strict_slashes=strict)


@SETTINGS
@given(data=st.data(), tokens=part_tokens(HOST_CONVERTERS, HOST_LITERALS))
def test_host_rules_like_werkzeug(linear_only: bool, data: st.DataObject, tokens: list[Token]) -> None:
    rules = [
        {"string": "/", "endpoint": "host", "host": rule_text(tokens)},
        {"string": "/", "endpoint": "sub", "host": "<sub>.example.com"},
        {"string": "/p/<path:rest>", "endpoint": "path", "host": rule_text(tokens) + ".p"},
    ]
    requests = []
    for _ in range(12):
        host = data.draw(text_for(tokens, HOST_NOISE)).lower()
        requests.append(("/", host))
        requests.append(("/p/a/b", host + ".p"))
    compare_maps(rules, requests, host_matching=True)


# ---------------------------------------------------------------------------
# The shapes that took minutes: written-out answers, werkzeug at a small size,
# fastroute at 64 KB


class Shape(t.NamedTuple):
    rules: list[dict[str, t.Any]]
    host_matching: bool
    server_name: t.Callable[[int], str]
    path: t.Callable[[int], str]
    #: the answer at size n: "404", or (endpoint, {name: len(value)})
    answer: t.Callable[[int], t.Any]
    #: the size at which the text is about 64 KB
    big: int


def path_shape(rule: str, path: t.Callable[[int], str], answer: t.Callable[[int], t.Any], big: int) -> Shape:
    return Shape([{"string": rule, "endpoint": "e"}], False, lambda n: "h", path, answer, big)


def host_shape(
    host: str, server_name: t.Callable[[int], str], answer: t.Callable[[int], t.Any], big: int
) -> Shape:
    rules = [{"string": "/", "endpoint": "e", "host": host}]
    return Shape(rules, True, server_name, lambda n: "/", answer, big)


def not_found(n: int) -> str:
    return "404"


SHAPES: dict[str, Shape] = {
    "three-strings-near-miss": path_shape("/<a>-<b>-<c>.html", lambda n: "/" + "a-" * n, not_found, 32 * KB),
    "three-strings-hit": path_shape(
        "/<a>-<b>-<c>.html",
        lambda n: "/" + "a-" * n + "b.html",
        lambda n: ("e", {"a": 2 * n - 3, "b": 1, "c": 1}),
        32 * KB,
    ),
    "two-paths-near-miss": path_shape(
        "/<path:a>/x/<path:b>/end", lambda n: "/" + "a/x/" * n, not_found, 16 * KB
    ),
    "two-paths-hit": path_shape(
        "/<path:a>/x/<path:b>/end",
        lambda n: "/" + "a/x/" * n + "end",
        lambda n: ("e", {"a": 1, "b": 4 * n - 5}),
        16 * KB,
    ),
    "three-paths-near-miss": path_shape(
        "/<path:a>/<path:b>/<path:c>/end", lambda n: "/" + "a/" * n, not_found, 32 * KB
    ),
    "two-paths-suffixed-hit": path_shape(
        "/<path:a>/x/<path:b>/",
        lambda n: "/" + "a/x/" * n,
        lambda n: ("e", {"a": 1, "b": 4 * n - 5}),
        16 * KB,
    ),
    "host-two-variables-near-miss": host_shape(
        "<a>.<b>.example.com", lambda n: "a." * n + "example.org", not_found, 32 * KB - 8
    ),
    "host-two-variables-hit": host_shape(
        "<a>.<b>.example.com",
        lambda n: "a." * n + "example.com",
        lambda n: ("e", {"a": 2 * n - 3, "b": 1}),
        32 * KB - 8,
    ),
    "host-three-variables-near-miss": host_shape(
        "<a>.<b>-<c>.example.com", lambda n: "a.-" * n + "example.org", not_found, 21 * KB
    ),
    "adjacent-strings-near-miss": path_shape("/<a><b><c>x", lambda n: "/" + "a" * n, not_found, 64 * KB),
    "adjacent-ints-near-miss": path_shape(
        "/<int:a><int:b><int:c>", lambda n: "/" + "1" * n + "x", not_found, 64 * KB
    ),
    "floats-near-miss": path_shape(
        "/<float:a>.<float(signed=True):b>-", lambda n: "/" + "1." * n, not_found, 32 * KB
    ),
    "strings-and-any-hit": path_shape(
        "/<a>.<any(a, aa):b><c>",
        lambda n: "/" + "a." * n + "aa",
        lambda n: ("e", {"a": 2 * n - 1, "b": 1, "c": 1}),
        32 * KB,
    ),
}


def shape_answer(shape: Shape, n: int, mod: t.Any = fr) -> t.Any:
    """The answer of *shape* at size *n*, as :attr:`Shape.answer` writes it."""
    m = mod.Map([mod.Rule(**r) for r in shape.rules], host_matching=shape.host_matching)
    try:
        endpoint, values = m.bind(shape.server_name(n)).match(shape.path(n))
    except HTTPException as e:
        return str(e.code)
    return endpoint, {name: len(value) for name, value in values.items()}


@pytest.mark.parametrize("name", list(SHAPES))
def test_hostile_shapes_documented_like_werkzeug(core: types.ModuleType, name: str) -> None:
    shape = SHAPES[name]
    for n in (3, 4, 10, 40):
        want = shape.answer(n)
        assert shape_answer(shape, n, wr) == want, n
        assert shape_answer(shape, n) == want, n


def test_hostile_shapes_at_64k(core: types.ModuleType) -> None:
    """Every shape at about 64 KB, in a child process (a runaway match holds
    the GIL, so only a process can be stopped) killed at the deadline."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from tests import test_multi_converter_parts as tests
        print("ready", flush=True)
        for name, shape in tests.SHAPES.items():
            print(name, repr(tests.shape_answer(shape, shape.big)), flush=True)
        """
    )
    # The environment picks the child's core (a whole one: fastroute._cores).
    pure = "1" if core is _cores.pure_match else ""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "FASTROUTE_NO_EXTENSIONS": pure}
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as proc:
        # One communicate() for everything: reading the "ready" line first
        # through the buffered pipe could swallow the lines behind it.
        # Imports may take their time on a busy machine, hence the margin.
        try:
            out, err = proc.communicate(timeout=CHILD_DEADLINE + IMPORT_MARGIN)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"no answer within {CHILD_DEADLINE + IMPORT_MARGIN} s; done: {out.splitlines()}")
    assert proc.returncode == 0, err[-2000:]
    ready, *lines = out.splitlines() or [""]
    assert ready == "ready", err[-2000:]
    assert len(lines) == len(SHAPES)
    for line, (name, shape) in zip(lines, SHAPES.items(), strict=True):
        got_name, _, got = line.partition(" ")
        assert got_name == name
        assert got == repr(shape.answer(shape.big)), name
    # the sizes are what the shapes promise: about 64 KB of path or host
    for name, shape in SHAPES.items():
        size = len(shape.path(shape.big)) + len(shape.server_name(shape.big))
        assert 60 * KB <= size <= 70 * KB, (name, size)


def test_uuid_values_are_converted(core: types.ModuleType) -> None:
    m = fr.Map([fr.Rule("/<uuid:a>-<uuid:b>", endpoint="e")])
    a, b = uuid.UUID(int=1), uuid.UUID(int=2)
    assert m.bind("h").match(f"/{a}-{b}") == ("e", {"a": a, "b": b})
