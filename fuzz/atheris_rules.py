"""Coverage-guided fuzzing of rule parsing (atheris / libFuzzer).

Each input picks one of five targets and decodes its arguments with a
``FuzzedDataProvider``; every call is made on fastroute (compiled core; the
parsing is the same Python code for both cores) and on werkzeug:

0. ``parse_converter_args(text)``: the same values (types and reprs) or the
   same exception;
1. a rule string (raw text, or tokens: literals, slashes, ``<``, ``>``,
   converters with fuzzed argument text) with fuzzed rule options, added to
   a map: the same error, or the same rule (``repr``, ``str``, arguments,
   leaf/branch, each converter's class, regex, weight and part isolation),
   and the same URL built from fuzzed values;
2. subdomain and host patterns (raw text), with and without host matching;
3. the rule factories (``Submount``, ``Subdomain``, ``EndpointPrefix``,
   ``RuleTemplate`` with ``$`` placeholders and a fuzzed context): the same
   rules or the same error;
4. the converters on their own: constructed with fuzzed arguments, then
   ``to_python`` and ``to_url`` on fuzzed text.

A finding (libFuzzer saves the input as ``crash-*``) is an exception
fastroute does not document (parsing: ValueError / TypeError / LookupError;
``to_python``: ValidationError; ``to_url`` and building: BuildError,
ValueError, TypeError) that werkzeug does not raise too, or any difference
from werkzeug beyond the documented ones (``docs/compat.md``).

Run (the first directory collects new inputs, the second is the seed corpus)::

    python fuzz/atheris_rules.py -max_total_time=300 build/fuzz/rules fuzz/corpus/rules
    python fuzz/atheris_rules.py --make-corpus fuzz/corpus/rules
"""

from __future__ import annotations

import random
import typing as t
from pathlib import Path

from fuzz.atheris_common import (
    Finding,
    SlowReference,
    atheris,
    attempt,
    builds_huge,
    check_construction,
    check_outcome,
    fr,
    main,
    map_builds_huge,
    reference,
    td,
    wr,
)

ARG_TOKENS = [
    "1", "12", "0", "-1", "1.5", "1.", ".5", "True", "False", "None", "a", "b_c", "x.y", "'a'", '"b c"',
    "u'x'", 'r"y"', "''", ",", ", ", "=", "min", "max", "length", "signed", "fixed_digits", " ", "(", ")",
    "'", '"', "\\", "ü", "1e5",
]  # fmt: skip
RULE_TOKENS = [
    "/", "/", "//", "a", "foo", "-", ".", "ü", "%41", "$", " ", "<", ">", ":", "(", ")", ",", "=", "<x>",
    "<int:y>", "<path:p>", "<any(a, b):z>", "<string(length=2):s>", "<float:f>", "<uuid:u>", "<re(\"[a-z]+\"):r>",
    "<x", "x>", "<:x>", "<int:>", "<1x>", "<a b>", "<int(:x>", "<nope:n>", "<Int:i>",
]  # fmt: skip
CONVERTERS = ["default", "string", "int", "float", "path", "any", "uuid", "re", "nope", ""]
NAMES = ["x", "y", "z", "id", "_", "a1", "X"]
METHOD_LISTS: list[t.Any] = [
    None, ["GET"], ["get", "post"], [], [""], ["G E T"], ("PUT",), ["GET", "GET"], ["OPTIONS", "HEAD"], "GET",
]  # fmt: skip
DOMAINS = [
    "",
    "www",
    "<user>",
    "<string(length=2):lang>",
    "<user>.api",
    "<int:n>",
    "a.<b>.c",
    "<sub>.example.com",
]
VALUES: list[t.Any] = ["1", "ab", "ü", "a/b", "", "x y", 7, -1, 2.5, None, True, ["a", "b"]]


def _regex_converter(base: t.Any) -> type:
    class RegexConverter(base):  # type: ignore[valid-type,misc]
        """A converter whose regex comes from the rule (werkzeug's docs example)."""

        def __init__(self, map: t.Any, pattern: str = "[a-z]+") -> None:
            super().__init__(map)
            self.regex = pattern

    return RegexConverter


EXTRA = {mod: {"re": _regex_converter(mod.BaseConverter)} for mod in (wr, fr)}


def text(fdp: t.Any, most: int) -> str:
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, most))


def tokens(fdp: t.Any, choices: list[str], most: int) -> str:
    out = []
    for _ in range(fdp.ConsumeIntInRange(0, most)):
        out.append(fdp.PickValueInList(choices) if fdp.ConsumeIntInRange(0, 7) else text(fdp, 3))
    return "".join(out)


def arg_text(fdp: t.Any) -> str:
    return text(fdp, 24) if fdp.ConsumeIntInRange(0, 3) == 0 else tokens(fdp, ARG_TOKENS, 10)


def rule_text(fdp: t.Any) -> str:
    roll = fdp.ConsumeIntInRange(0, 7)
    if roll == 0:
        return text(fdp, 32)
    out = ["/"] if roll > 1 else []
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        if fdp.ConsumeIntInRange(0, 3):
            out.append(fdp.PickValueInList(RULE_TOKENS))
        else:
            conv = fdp.PickValueInList(CONVERTERS)
            args = f"({arg_text(fdp)})" if conv and fdp.ConsumeBool() else ""
            head = f"{conv}{args}:" if conv else ""
            out.append(f"<{head}{fdp.PickValueInList(NAMES)}>")
    return "".join(out)


def rule_kwargs(fdp: t.Any) -> dict[str, t.Any]:
    kwargs: dict[str, t.Any] = {"endpoint": fdp.PickValueInList(["e", "f", 5, None])}
    flags = fdp.ConsumeIntInRange(0, 255)
    if flags & 1:
        kwargs["methods"] = fdp.PickValueInList(METHOD_LISTS)
    if flags & 2:
        kwargs["websocket"] = True
    if flags & 4:
        kwargs["defaults"] = {fdp.PickValueInList(NAMES): fdp.PickValueInList(VALUES)}
    if flags & 8:
        kwargs["redirect_to"] = text(fdp, 12)
    if flags & 16:
        kwargs["strict_slashes"] = bool(flags & 32)
    if flags & 64:
        kwargs["merge_slashes"] = bool(flags & 128)
    return kwargs


def describe(rule: t.Any) -> tuple[t.Any, ...]:
    """What must be the same for a rule of each library."""
    converters = sorted(
        (name, type(conv).__name__, conv.regex, conv.weight, conv.part_isolating)
        for name, conv in rule._converters.items()
    )
    methods = None if rule.methods is None else sorted(rule.methods)
    return (repr(rule), str(rule), sorted(rule.arguments), rule.is_leaf, rule.is_branch, methods, converters)


def build_map(mod: t.Any, entries: t.Callable[[t.Any], list[t.Any]], options: dict[str, t.Any]) -> t.Any:
    return mod.Map(entries(mod), converters=EXTRA[mod], **options)


def compare_maps(
    what: str, entries: t.Callable[[t.Any], list[t.Any]], options: dict[str, t.Any], fdp: t.Any
) -> None:
    """Build the map with both libraries: the same error or the same rules;
    then build a URL for each rule from fuzzed values."""
    fmap, ferr = attempt(lambda: build_map(fr, entries, options))
    try:
        wmap, werr = reference(lambda: attempt(lambda: build_map(wr, entries, options)))
    except SlowReference:
        wmap, werr = None, ...
    check_construction(what, werr, ferr)
    if fmap is None or wmap is None:
        return
    frules, wrules = list(fmap.iter_rules()), list(wmap.iter_rules())
    got, expected = [describe(r) for r in frules], [describe(r) for r in wrules]
    if got != expected:
        raise Finding(f"{what}: werkzeug {expected!r}\n  fastroute {got!r}")
    if map_builds_huge(fmap):
        return
    sub = None if fmap.host_matching else "www"
    fad, wad = fmap.bind("example.com", subdomain=sub), wmap.bind("example.com", subdomain=sub)
    for frule in frules:
        values = {
            name: fdp.PickValueInList(VALUES)
            for name in sorted(frule.arguments)
            if fdp.ConsumeIntInRange(0, 4)
        }
        args = (frule.endpoint, values, {"force_external": fdp.ConsumeBool()})
        found = td.do_build(fad, *args)
        try:
            expected_url = reference(lambda args=args: td.do_build(wad, *args))
        except SlowReference:
            expected_url = ...
        check_outcome(
            "build", f"{what}: build {args!r}", expected_url, found, lambda args=args: fad.build(*args)
        )


def target_args(fdp: t.Any) -> None:
    argstr = arg_text(fdp)

    def parse(mod: t.Any) -> t.Any:
        args, kwargs = mod.parse_converter_args(argstr)
        return [(type(a).__name__, repr(a)) for a in args], {
            k: (type(v).__name__, repr(v)) for k, v in kwargs.items()
        }

    got, error = attempt(lambda: parse(fr))
    if error is not None and not isinstance(error, ValueError):
        raise error
    try:
        expected, werror = reference(lambda: attempt(lambda: parse(wr)))
    except SlowReference:
        return
    if (got, type(error)) != (expected, type(werror)):
        raise Finding(
            f"parse_converter_args({argstr!r}): werkzeug {expected!r} {werror!r}, fastroute {got!r} {error!r}"
        )


def target_rule(fdp: t.Any) -> None:
    string = rule_text(fdp)
    kwargs = rule_kwargs(fdp)
    options = {"strict_slashes": fdp.ConsumeBool(), "merge_slashes": fdp.ConsumeBool()}
    compare_maps(f"Rule({string!r}, **{kwargs!r})", lambda mod: [mod.Rule(string, **kwargs)], options, fdp)


def target_domain(fdp: t.Any) -> None:
    host_matching = fdp.ConsumeBool()
    domain = fdp.PickValueInList(DOMAINS) if fdp.ConsumeBool() else rule_text(fdp).lstrip("/")
    key = "host" if host_matching else "subdomain"
    string = fdp.PickValueInList(["/", "/<x>", "/a/<int:y>"])
    options = {"host_matching": host_matching}
    compare_maps(
        f"Rule({string!r}, {key}={domain!r})",
        lambda mod: [mod.Rule(string, endpoint="e", **{key: domain})],
        options,
        fdp,
    )


def target_factories(fdp: t.Any) -> None:
    kind = fdp.ConsumeIntInRange(0, 3)
    string = rule_text(fdp)
    arg = (
        text(fdp, 10)
        if fdp.ConsumeBool()
        else fdp.PickValueInList(["/sub", "", "/<s>", "www", "<user>", "p."])
    )
    if kind == 3:  # RuleTemplate: placeholders in the rule, the endpoint and the subdomain
        string = fdp.PickValueInList(["/$a", "/${a}x/$b", "/$$", "/$", "/$a/<x>", string])
        endpoint = fdp.PickValueInList(["$a", "e.$b", "$"])
        context = {name: text(fdp, 6) for name in ("a", "b") if fdp.ConsumeIntInRange(0, 3)}

        def entries(mod: t.Any) -> list[t.Any]:
            return [mod.RuleTemplate([mod.Rule(string, endpoint=endpoint, subdomain="$b")])(**context)]

        what = f"RuleTemplate([Rule({string!r}, endpoint={endpoint!r})])(**{context!r})"
    else:
        factory = ["Submount", "Subdomain", "EndpointPrefix"][kind]

        def entries(mod: t.Any) -> list[t.Any]:
            return [
                getattr(mod, factory)(arg, [mod.Rule(string, endpoint="e"), mod.Rule("/fixed", endpoint="f")])
            ]

        what = f"{factory}({arg!r}, [Rule({string!r})])"
    compare_maps(what, entries, {}, fdp)


CONVERTER_CLASSES = [
    "UnicodeConverter",
    "PathConverter",
    "IntegerConverter",
    "FloatConverter",
    "UUIDConverter",
    "AnyConverter",
]


def target_converter(fdp: t.Any) -> None:
    name = fdp.PickValueInList(CONVERTER_CLASSES)
    argstr = arg_text(fdp)
    value = text(fdp, 12)
    py_value = fdp.PickValueInList([*VALUES, value])
    raised: list[Exception] = []

    def run(mod: t.Any) -> list[tuple[str, ...]]:
        args, kwargs = mod.parse_converter_args(argstr)
        conv = getattr(mod, name)(mod.Map(), *args, **kwargs)
        out = []
        calls = [lambda: conv.to_python(value)]
        if not builds_huge([conv]):
            calls.append(lambda: conv.to_url(py_value))
        for call in calls:
            try:
                result = call()
                out.append(("ok", type(result).__name__, repr(result)))
            except Exception as e:
                out.append(("error", type(e).__name__))
                if mod is fr:
                    raised.append(e)
        return out

    got, error = attempt(lambda: run(fr))
    try:
        expected, werror = reference(lambda: attempt(lambda: run(wr)))
    except SlowReference:
        expected, werror = None, ...
    what = f"{name}({argstr!r}): to_python({value!r}), to_url({py_value!r})"
    check_construction(what, werror, error)
    if got is None:
        return
    # to_python may reject text with ValidationError; to_url may fail on a
    # value it cannot convert (int("x"), ...).
    allowed = [{"ValidationError"}, {"ValueError", "TypeError"}]
    for i, outcome in enumerate(got):
        undocumented = outcome[0] == "error" and outcome[1] not in allowed[i]
        if undocumented and (expected is None or expected[i] != outcome):
            raise raised[0] if i == 0 else raised[-1]
    if expected is not None and got != expected:
        raise Finding(f"{what}: werkzeug {expected!r}, fastroute {got!r}")


TARGETS = [target_args, target_rule, target_rule, target_domain, target_factories, target_converter]


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    fdp.PickValueInList(TARGETS)(fdp)


def make_corpus(directory: Path, count: int = 36, seed: int = 2024) -> None:
    """Write *count* small random inputs, as many for each target."""
    rnd = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        target = i % len(TARGETS)
        while True:  # random bytes until they pick the wanted target
            data = rnd.randbytes(rnd.randint(16, 120))
            if atheris.FuzzedDataProvider(data).ConsumeIntInRange(0, len(TARGETS) - 1) == target:
                break
        (directory / f"seed-{i:03d}").write_bytes(data)


if __name__ == "__main__":
    main(test_one_input, make_corpus)
