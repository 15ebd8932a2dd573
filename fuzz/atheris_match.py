"""Coverage-guided fuzzing of matching and building (atheris / libFuzzer).

Each input is decoded with a ``FuzzedDataProvider`` into a small rule set
(rule strings made of literals, slashes, converters with arguments and raw
text; methods, slashes options, defaults, redirects, subdomains or hosts),
map options, requests (paths derived from the rules or raw, methods, server
names, subdomains, schemes, query arguments) and builds.  The rule set is
built as a map with the compiled core, with the pure-Python core, and with
werkzeug; every request is bound and matched (``match``, ``test``,
``allowed_methods``) and every build run on all three.

A finding (libFuzzer saves the input as ``crash-*``):

* an exception fastroute does not document: at construction anything but
  ValueError / TypeError / LookupError; while matching or building anything
  but an HTTP error (NotFound, MethodNotAllowed, RequestRedirect, ...) or
  BuildError -- unless werkzeug raises the same for the same input;
* the compiled and the pure core answering differently;
* fastroute answering differently from werkzeug (compared whenever werkzeug
  answers within half a CPU second);
* a hang (libFuzzer's ``-timeout``).

Run (the first directory collects new inputs, the second is the seed corpus)::

    python fuzz/atheris_match.py -max_total_time=300 build/fuzz/match fuzz/corpus/match
    python fuzz/atheris_match.py crash-<hash>              # replay one input
    python fuzz/atheris_match.py --make-corpus fuzz/corpus/match
"""

from __future__ import annotations

import random
import re
import typing as t
from pathlib import Path

from fuzz.atheris_common import (
    COMPILED,
    PURE,
    Finding,
    SlowReference,
    atheris,
    attempt,
    check_construction,
    check_cores,
    check_outcome,
    fr,
    main,
    map_builds_huge,
    reference,
    td,
    with_core,
    wr,
)
from tests.support import strategies

# The differential tests' literals, plus a few that stress quoting.
LITERALS = [*strategies.LITERALS, "%41", ".", "json"]
CONVERTERS = ["", "", "", "default", "string", "int", "int", "float", "path", "any", "uuid", "nope"]
ARGS = [
    None, None, "{i}", "minlength={i}", "maxlength={i}", "length={i}", "{i}, {j}", "min={i}", "max={j}",
    "min={i}, max={j}", "signed=True", "fixed_digits={i}", "signed=True, min=-{i}", "a, b", "'x y', z",
    '"1", "2"', "json, xml", "{raw}", "{raw}",
]  # fmt: skip
NAMES = ["x", "y", "z", "id", "p", "q", "_", "a1"]
SYNTAX = ["<", ">", "(", ")", ":", ",", "=", "/", "//", " ", "<x", "x>"]
METHODS = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "PATCH", ""]
RULE_METHODS: list[t.Any] = [None, None, ["GET"], ["POST"], ["GET", "POST"], ["put"], [], ["HEAD", "OPTIONS"]]
SERVER_NAMES = [
    "example.com",
    "example.com",
    "Example.COM:8080",
    "other.test",
    "",
    "a..b",
    "[::1]",
    "bücher.de",
]
SUBDOMAINS = [None, None, "", "www", "api", "a.b", "ü", "a/b"]
RULE_SUBDOMAINS = [None, None, "", "www", "<user>", "<string(length=2):lang>", "<user>.api"]
RULE_HOSTS = [None, "example.com", "<sub>.example.com", "other.test", "example.com:8080", "<sub>"]
SCHEMES = ["http", "http", "https", "ws", "wss", ""]
SCRIPT_NAMES = [None, None, "/", "/app", "/ü/"]
QUERIES: list[t.Any] = [None, None, "a=1&b", {"q": "x y"}, {"n": None}]
VALUES = ["1", "12", "-3", "2.5", "a", "ab", "abc", "ü", "a/b", "", "0" * 5, "x" * 40, "1e5", "١٢", " "]
REDIRECTS: list[t.Any] = [None, None, None, None, "new/<x>", "/abs", "http://other.test/x", ""]


def text(fdp: t.Any, most: int) -> str:
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, most))


def variable(fdp: t.Any) -> str:
    conv = fdp.PickValueInList(CONVERTERS)
    name = fdp.PickValueInList(NAMES)
    if not conv:
        return f"<{name}>"
    args = fdp.PickValueInList(ARGS)
    if args is None:
        return f"<{conv}:{name}>"
    args = args.format(i=fdp.ConsumeIntInRange(0, 12), j=fdp.ConsumeIntInRange(0, 120), raw=text(fdp, 8))
    return f"<{conv}({args}):{name}>"


def rule_string(fdp: t.Any) -> str:
    out = ["/"] if fdp.ConsumeIntInRange(0, 15) else []
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        roll = fdp.ConsumeIntInRange(0, 15)
        if roll < 4:
            out.append("/")
        elif roll < 8:
            out.append(fdp.PickValueInList(LITERALS))
        elif roll < 13:
            out.append(variable(fdp))
        elif roll < 14:
            out.append(fdp.PickValueInList(SYNTAX))
        else:
            out.append(text(fdp, 6))
    return "".join(out)


def rule_kwargs(fdp: t.Any, string: str, host_matching: bool) -> dict[str, t.Any]:
    kwargs: dict[str, t.Any] = {"endpoint": fdp.PickValueInList(["a", "b", "c"])}
    flags = fdp.ConsumeIntInRange(0, 2**12 - 1)
    if flags & 1:
        kwargs["methods"] = fdp.PickValueInList(RULE_METHODS)
    if flags & 2:
        kwargs["strict_slashes"] = bool(flags & 4)
    if flags & 8:
        kwargs["merge_slashes"] = bool(flags & 16)
    if flags & 32 and not flags & 1:
        kwargs["websocket"] = True
    if flags & 64:
        kwargs["alias"] = True
    if flags & 128:
        kwargs["build_only"] = True
    if flags & 256:
        kwargs["redirect_to"] = fdp.PickValueInList(REDIRECTS)
    if flags & 512:
        names = re.findall(r"(\w+)>", string)
        key = fdp.PickValueInList(names) if names and fdp.ConsumeBool() else "page"
        kwargs["defaults"] = {key: fdp.PickValueInList([*VALUES[:6], 1, 2.5, None])}
    if flags & 1024:
        if host_matching:
            kwargs["host"] = fdp.PickValueInList(RULE_HOSTS)
        else:
            kwargs["subdomain"] = fdp.PickValueInList(RULE_SUBDOMAINS)
    return kwargs


def fill(fdp: t.Any, template: str) -> str:
    """*template* (a rule string) with each variable replaced by URL text."""

    def one(_: re.Match[str]) -> str:
        return fdp.PickValueInList(VALUES) if fdp.ConsumeBool() else text(fdp, 6)

    return re.sub(r"<[^<>]*>", one, template)


def request(fdp: t.Any, strings: list[str], host_matching: bool) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    bind: dict[str, t.Any] = {"server_name": fdp.PickValueInList(SERVER_NAMES)}
    if not host_matching:
        sub = fdp.PickValueInList(SUBDOMAINS)
        if sub is not None:
            bind["subdomain"] = sub
    elif fdp.ConsumeBool():
        bind["server_name"] = fill(fdp, fdp.PickValueInList(RULE_HOSTS[1:]))
    bind["url_scheme"] = fdp.PickValueInList(SCHEMES)
    script = fdp.PickValueInList(SCRIPT_NAMES)
    if script is not None:
        bind["script_name"] = script
    roll = fdp.ConsumeIntInRange(0, 7)
    if roll < 5 and strings:
        path = fill(fdp, fdp.PickValueInList(strings))
        if roll == 1:
            path += "/"
        elif roll == 2:
            path = path.replace("/", "//", 1)
    else:
        path = text(fdp, 24)
    match: dict[str, t.Any] = {"path_info": path, "method": fdp.PickValueInList(METHODS)}
    flags = fdp.ConsumeIntInRange(0, 15)
    if flags & 1:
        match["return_rule"] = True
    if flags & 2:
        match["query_args"] = fdp.PickValueInList(QUERIES)
    if flags & 4:
        match["websocket"] = bool(flags & 8)
    return bind, match


def build_call(
    fdp: t.Any, strings: list[str]
) -> tuple[dict[str, t.Any], str, dict[str, t.Any], dict[str, t.Any]]:
    bind = {"server_name": fdp.PickValueInList(SERVER_NAMES[:4])}
    if fdp.ConsumeBool():
        bind["subdomain"] = fdp.PickValueInList(SUBDOMAINS[2:])
    endpoint = fdp.PickValueInList(["a", "b", "c", "zz"])
    names = set(re.findall(r"(\w+)>", " ".join(strings)))
    values: dict[str, t.Any] = {}
    for name in [*sorted(names), "q"]:
        if fdp.ConsumeIntInRange(0, 3):
            values[name] = (
                fdp.PickValueInList([*VALUES, 7, -2, 1.5, None]) if fdp.ConsumeBool() else text(fdp, 5)
            )
    kwargs: dict[str, t.Any] = {}
    flags = fdp.ConsumeIntInRange(0, 7)
    if flags & 1:
        kwargs["method"] = fdp.PickValueInList(METHODS[:6])
    if flags & 2:
        kwargs["force_external"] = True
    if flags & 4:
        kwargs["append_unknown"] = False
    return bind, endpoint, values, kwargs


def make_map(mod: t.Any, rules: list[tuple[str, dict[str, t.Any]]], options: dict[str, t.Any]) -> t.Any:
    return mod.Map([mod.Rule(string, **kwargs) for string, kwargs in rules], **options)


def decode(data: bytes) -> dict[str, t.Any]:
    """The rule set, map options, requests and builds of one input."""
    fdp = atheris.FuzzedDataProvider(data)
    flags = fdp.ConsumeIntInRange(0, 31)
    host_matching = bool(flags & 1)
    options: dict[str, t.Any] = {"host_matching": host_matching}
    if flags & 2:
        options["strict_slashes"] = False
    if flags & 4:
        options["merge_slashes"] = False
    if flags & 8:
        options["redirect_defaults"] = False
    if flags & 16:
        options["sort_parameters"] = True
    rules = []
    for _ in range(fdp.ConsumeIntInRange(1, 6)):
        string = rule_string(fdp)
        rules.append((string, rule_kwargs(fdp, string, host_matching)))
    strings = [string for string, _ in rules]
    requests = [request(fdp, strings, host_matching) for _ in range(fdp.ConsumeIntInRange(1, 6))]
    builds = [build_call(fdp, strings) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    return {"rules": rules, "options": options, "requests": requests, "builds": builds}


def test_one_input(data: bytes) -> None:
    case = decode(data)
    rules, options = case["rules"], case["options"]
    compiled, cerr = attempt(lambda: with_core(COMPILED, lambda: make_map(fr, rules, options)))
    pure, perr = attempt(lambda: with_core(PURE, lambda: make_map(fr, rules, options)))
    check_cores("map construction", cerr, perr)
    try:
        wmap, werr = reference(lambda: attempt(lambda: make_map(wr, rules, options)))
    except SlowReference:
        wmap, werr = None, ...
    check_construction(f"map construction of {rules!r}", werr, cerr)
    if compiled is None or map_builds_huge(compiled):  # redirects build URLs too
        return
    live = wmap is not None  # compare with werkzeug until it gets slow
    for bind, match in case["requests"]:
        live = compare_request(compiled, pure, wmap if live else None, bind, match) and live
    for bind, endpoint, values, kwargs in case["builds"]:
        live = compare_build(compiled, pure, wmap if live else None, bind, endpoint, values, kwargs) and live


def _adapters(compiled: t.Any, pure: t.Any, wmap: t.Any, bind: dict[str, t.Any]) -> tuple[t.Any, ...] | None:
    """The three adapters (werkzeug's may be None), or None when binding
    failed the same way everywhere."""
    (cad, cerr), (pad, perr) = td.do_bind(compiled, bind), td.do_bind(pure, bind)
    cstate = td.adapter_state(cad) if cad is not None else None
    if cerr != perr or (pad is not None and cstate != td.adapter_state(pad)):
        raise Finding(f"bind {bind!r}: the cores differ: {cerr!r} / {perr!r}")
    wad, werr = None, ...
    if wmap is not None:
        wad, werr = reference(lambda: td.do_bind(wmap, bind))
        wstate = td.adapter_state(wad) if wad is not None else None
        if werr != cerr or wstate != cstate:
            raise Finding(f"bind {bind!r}: werkzeug {werr!r} {wstate!r}, fastroute {cerr!r} {cstate!r}")
    if cerr is not None and cerr != werr and cerr != ("error", "BadHost"):
        compiled.bind(**bind)  # raises it
    return None if cad is None else (cad, pad, wad)


def compare_request(
    compiled: t.Any, pure: t.Any, wmap: t.Any, bind: dict[str, t.Any], match: dict[str, t.Any]
) -> bool:
    """Compare one request; False once werkzeug was too slow to compare."""
    try:
        adapters = _adapters(compiled, pure, wmap, bind)
    except SlowReference:
        return False
    if adapters is None:
        return True
    cad, pad, wad = adapters
    path, method = match.get("path_info"), match.get("method")
    calls = [
        ("match", lambda a: td.do_match(a, match), lambda: cad.match(**match)),
        ("test()", lambda a: td.do_test(a, path, method), lambda: cad.test(path, method)),
        ("allowed_methods()", lambda a: td.do_allowed(a, path), lambda: cad.allowed_methods(path)),
    ]
    for what, call, rerun in calls:
        got, other = call(cad), call(pad)
        if got != other:
            raise Finding(f"{what} {bind!r} {match!r}: compiled {got!r}, pure {other!r}")
        expected: t.Any = ...
        if wad is not None:
            try:
                expected = reference(lambda call=call, wad=wad: call(wad))
            except SlowReference:
                wad = None
        check_outcome(what, f"{what} {bind!r} {match!r}", expected, got, rerun)
    return wad is not None or wmap is None


def compare_build(
    compiled: t.Any,
    pure: t.Any,
    wmap: t.Any,
    bind: dict[str, t.Any],
    endpoint: str,
    values: dict[str, t.Any],
    kwargs: dict[str, t.Any],
) -> bool:
    try:
        adapters = _adapters(compiled, pure, wmap, bind)
    except SlowReference:
        return False
    if adapters is None:
        return True
    cad, pad, wad = adapters
    got, other = td.do_build(cad, endpoint, values, kwargs), td.do_build(pad, endpoint, values, kwargs)
    if got != other:
        raise Finding(f"build {endpoint!r} {values!r} {kwargs!r}: compiled {got!r}, pure {other!r}")
    expected: t.Any = ...
    if wad is not None:
        try:
            expected = reference(lambda: td.do_build(wad, endpoint, values, kwargs))
        except SlowReference:
            return False
    what = f"build {endpoint!r} {values!r} {kwargs!r}"
    check_outcome("build", what, expected, got, lambda: cad.build(endpoint, values, **kwargs))
    return True


def make_corpus(directory: Path, count: int = 30, seed: int = 2024) -> None:
    """Write *count* small inputs with different features to *directory*:
    random bytes, kept when they decode into a rule set with a new mix of
    converters and outcomes."""
    rnd = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    seen: set[t.Any] = set()
    tries = 0
    while len(seen) < count and tries < 200_000:
        tries += 1
        data = rnd.randbytes(rnd.randint(24, 200))
        case = decode(data)
        try:
            m, err = reference(
                lambda case=case: attempt(lambda: make_map(wr, case["rules"], case["options"]))
            )
            if m is not None:
                reference(lambda m=m: m.bind("example.com").match("/"))
        except SlowReference:
            continue
        except Exception:
            pass
        if m is None:
            feature: t.Any = ("invalid", type(err).__name__)
        else:
            convs = frozenset(re.findall(r"<(\w+)[(:]", " ".join(s for s, _ in case["rules"])))
            outcomes = []
            for bind, match in case["requests"]:
                adapter, _ = td.do_bind(m, bind)
                if adapter is not None:
                    outcomes.append(td.do_match(adapter, match)[0])
            feature = (convs, frozenset(outcomes), case["options"]["host_matching"])
        if feature not in seen:
            seen.add(feature)
            (directory / f"seed-{len(seen):03d}").write_bytes(data)


if __name__ == "__main__":
    main(test_one_input, make_corpus)
