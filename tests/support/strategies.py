"""Generators for the differential tests against werkzeug (``test_differential``).

Rule sets are described as plain data (:class:`MapSpec`, :class:`RuleSpec`,
:class:`FactorySpec`) drawn by hypothesis; ``spec.make(module)`` turns a
description into a map of either ``werkzeug.routing`` or ``fastroute.routing``
so both maps are built from the same input.  Requests and build values are
derived from the werkzeug map's rules with a seeded ``random.Random`` (the
seed is drawn by hypothesis), which keeps each example's data small while
still giving tens of requests per rule set.
"""

from __future__ import annotations

import contextlib
import random
import re
import typing as t
import uuid
from dataclasses import dataclass, field

import werkzeug.routing as wr
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import ValidationError

import fastroute.routing as fr

# --------------------------------------------------------------------------
# Custom converters.  "hex" is a werkzeug converter used by both maps (a
# foreign converter class for fastroute); the others are built twice, on
# werkzeug's base classes for the werkzeug map and on fastroute's for the
# fastroute map, with identical behaviour.


class HexConverter(wr.BaseConverter):
    """werkzeug-based custom converter with its own regex and weight."""

    regex = "[0-9a-f]+"
    weight = 60

    def to_python(self, value: str) -> int:
        return int(value, 16)

    def to_url(self, value: t.Any) -> str:
        return format(int(value), "x")


def _custom_converters(base: t.Any) -> dict[str, type]:
    class ListConverter(base.BaseConverter):
        regex = "[a-z]+(?:,[a-z]+)*"

        def to_python(self, value: str) -> list[str]:
            return value.split(",")

        def to_url(self, value: t.Any) -> str:
            if isinstance(value, str):
                return value
            return ",".join(str(item) for item in value)

    class SlashyConverter(base.BaseConverter):
        # A "/" in the regex makes it non part-isolating (final part).
        regex = "[a-z]+/[a-z]+"
        weight = 150

    class LowerConverter(base.UnicodeConverter):
        def to_python(self, value: str) -> str:
            if value.isdigit():
                raise ValidationError()
            return value.lower()

    class EvenConverter(base.IntegerConverter):
        def to_python(self, value: str) -> int:
            number = super().to_python(value)
            if number % 2:
                raise ValidationError()
            return number

        def to_url(self, value: t.Any) -> str:
            # Building with an odd number skips the rule (ValidationError).
            if int(value) % 2:
                raise ValidationError()
            return super().to_url(value)

    return {
        "hex": HexConverter,
        "lst": ListConverter,
        "slashy": SlashyConverter,
        "lower": LowerConverter,
        "even": EvenConverter,
    }


CONVERTERS = {wr: _custom_converters(wr), fr: _custom_converters(fr)}


def _rule_classes(mod: t.Any) -> dict[str, type]:
    class FewestFirstRule(mod.Rule):
        """Builds prefer rules with fewer arguments; a "skip" value makes the
        rule unsuitable."""

        def build_compare_key(self) -> tuple[int, int, int]:
            return (1 if self.alias else 0, len(self.arguments), len(self.defaults or ()))

        def suitable_for(self, values: t.Mapping[str, t.Any], method: str | None = None) -> bool:
            if "skip" in values:
                return False
            return super().suitable_for(values, method)

    return {"Rule": mod.Rule, "FewestFirstRule": FewestFirstRule}


RULE_CLASSES = {wr: _rule_classes(wr), fr: _rule_classes(fr)}


def redirect_callable(adapter: t.Any, **values: t.Any) -> str:
    """A ``redirect_to`` callable: the target depends on the adapter and values."""
    text = ",".join(f"{k}={values[k]!r}" for k in sorted(values))
    return f"cb/{adapter.subdomain or '-'}/{text}"


def sort_by_key(item: tuple[str, t.Any]) -> str:
    return item[0]


def sort_by_key_desc(item: tuple[str, t.Any]) -> tuple[int, ...]:
    return tuple(-ord(c) for c in item[0])


# --------------------------------------------------------------------------
# Specs: plain descriptions of maps, rules and rule factories.


def _py(value: t.Any) -> str:
    if callable(value) and getattr(value, "__name__", None):
        return value.__name__
    return repr(value)


def _wz_prefix(werkzeug: bool) -> str:
    return "wr." if werkzeug else ""


@dataclass
class RuleSpec:
    string: str
    kwargs: dict[str, t.Any] = field(default_factory=dict)
    cls: str = "Rule"
    #: Made with werkzeug's class in the fastroute map too (a mixed map).
    werkzeug: bool = False

    def make(self, mod: t.Any) -> t.Any:
        kwargs = dict(self.kwargs)
        if kwargs.get("defaults") is not None:
            kwargs["defaults"] = dict(kwargs["defaults"])
        if kwargs.get("methods") is not None:
            kwargs["methods"] = list(kwargs["methods"])
        return RULE_CLASSES[wr if self.werkzeug else mod][self.cls](self.string, **kwargs)

    def __repr__(self) -> str:
        args = "".join(f", {k}={_py(v)}" for k, v in self.kwargs.items())
        return f"{_wz_prefix(self.werkzeug)}{self.cls}({self.string!r}{args})"


@dataclass
class FactorySpec:
    kind: str  # Submount, Subdomain, EndpointPrefix or RuleTemplate
    arg: t.Any
    children: list[t.Any]
    #: Made with werkzeug's class in the fastroute map too (a mixed map).
    werkzeug: bool = False

    def make(self, mod: t.Any) -> t.Any:
        kids = [child.make(mod) for child in self.children]
        own = wr if self.werkzeug else mod
        if self.kind == "RuleTemplate":
            return own.RuleTemplate(kids)(**self.arg)
        return getattr(own, self.kind)(self.arg, kids)

    def __repr__(self) -> str:
        prefix = _wz_prefix(self.werkzeug)
        if self.kind == "RuleTemplate":
            return f"{prefix}RuleTemplate({self.children!r})(**{self.arg!r})"
        return f"{prefix}{self.kind}({self.arg!r}, {self.children!r})"


@dataclass
class Step:
    """After construction: maybe match and build once (so the map compiles
    and caches), then set map attributes, then add more entries."""

    warm: bool
    changes: dict[str, t.Any]
    add: int

    def __repr__(self) -> str:
        return f"Step(warm={self.warm}, changes={{{', '.join(f'{k!r}: {_py(v)}' for k, v in self.changes.items())}}}, add={self.add})"


def warm_up(m: t.Any) -> None:
    """Match and build once; the outcome does not matter (both maps do it)."""
    try:
        adapter = m.bind("example.com")
    except Exception:
        return
    for call in (lambda: adapter.match("/"), lambda: adapter.build("a", {"x": "1"})):
        with contextlib.suppress(Exception):
            call()


@dataclass
class MapSpec:
    entries: list[t.Any]
    options: dict[str, t.Any] = field(default_factory=dict)
    override_default: bool = False
    steps: list[Step] = field(default_factory=list)
    dense: bool = False  # requests mostly from the dense alphabet (see dense_map_specs)
    targets: list[str] = field(default_factory=list)  # paths that fit many rules
    #: The fastroute map's converters: 0 fastroute's, 1 the custom ones
    #: built on werkzeug's classes, 2 those and werkzeug's built-ins too.
    werkzeug_converters: int = 0

    def converters(self, mod: t.Any) -> dict[str, type]:
        if self.werkzeug_converters == 2:
            convs = {**wr.Map.default_converters, **CONVERTERS[wr]}
        else:
            convs = dict(CONVERTERS[wr if self.werkzeug_converters else mod])
        if self.override_default:
            convs["default"] = convs["lower"]
        return convs

    def option(self, key: str, default: t.Any = None) -> t.Any:
        """The map attribute *key* once all steps ran."""
        value = self.options.get(key, default)
        for step in self.steps:
            value = step.changes.get(key, value)
        return value

    def make(self, mod: t.Any) -> t.Any:
        later = sum(step.add for step in self.steps)
        first = len(self.entries) - later
        m = mod.Map(
            [entry.make(mod) for entry in self.entries[:first]],
            converters=self.converters(mod),
            **self.options,
        )
        for step in self.steps:
            if step.warm:
                warm_up(m)
            for key, value in step.changes.items():
                setattr(m, key, value)
            for entry in self.entries[first : first + step.add]:
                m.add(entry.make(mod))
            first += step.add
        return m

    def __repr__(self) -> str:
        opts = "".join(f", {k}={_py(v)}" for k, v in self.options.items())
        extra = ", override_default=True" if self.override_default else ""
        if self.werkzeug_converters:
            extra += f", werkzeug_converters={self.werkzeug_converters}"
        steps = f", steps={self.steps!r}" if self.steps else ""
        return f"Map({self.entries!r}{opts}{extra}{steps})"


# --------------------------------------------------------------------------
# Dense rule sets: rules and paths from one tiny alphabet, so that a path
# often fits several rules and the order of the tries (weights, static
# before dynamic, backtracking, group order) decides the answer.

DENSE_LITERALS = ["x", "-", "xx", "1", ".", "x-x", "-1"]
DENSE_CONVS = [
    "", "", "int", "float", "any(x, xx)", "string(length=2)", "path", "int(signed=True)",
    "string(minlength=2)", "hex", "even", "lower", "any(1, x.x)", "int(fixed_digits=2)",
]  # fmt: skip
DENSE_TOKENS = ["x", "1", "-", "xx", "2.5", "-1", "ab", "12", ".", "x.x", "X"]


@st.composite
def dense_rule_strings(draw: t.Any) -> str:
    names = [f"v{i}" for i in range(9)]
    out = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 1, 2, 2, 3]))):
        pieces = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                pieces.append(var_token(draw(st.sampled_from(DENSE_CONVS)), names.pop()))
            else:
                pieces.append(draw(st.sampled_from(DENSE_LITERALS)))
        out.append("/" + "".join(pieces))
    return "".join(out) + draw(st.sampled_from(["", "", "/"]))


@st.composite
def sibling_map_specs(draw: t.Any) -> MapSpec:
    """Rules cut out of one target path: each token of each segment is kept
    as text or replaced by a variable, so the target fits many rules and
    only the order of the tries picks the answer."""
    segments = draw(
        st.lists(st.lists(st.sampled_from(DENSE_TOKENS), min_size=1, max_size=4), min_size=1, max_size=2)
    )
    rules = []
    for _ in range(draw(st.integers(3, 10))):
        names = [f"v{i}" for i in range(9)]
        parts = []
        share = draw(st.sampled_from([2, 5, 8]))  # in tenths: how much becomes variables
        for tokens in segments:
            pieces = []
            for token in tokens:
                if names and draw(st.integers(0, 9)) < share:
                    pieces.append(var_token(draw(st.sampled_from(DENSE_CONVS)), names.pop()))
                else:
                    pieces.append(token)
            parts.append("/" + "".join(pieces))
        kwargs: dict[str, t.Any] = {"endpoint": draw(st.sampled_from(ENDPOINTS))}
        if draw(st.integers(0, 5)) == 0:
            kwargs["methods"] = ["POST"]
        rules.append(RuleSpec("".join(parts) + draw(st.sampled_from(["", "", "", "/"])), kwargs))
    target = "".join("/" + "".join(tokens) for tokens in segments)
    return MapSpec(rules, {}, dense=True, targets=[target, target + "/"])


@st.composite
def dense_map_specs(draw: t.Any) -> MapSpec:
    if draw(st.booleans()):
        return draw(sibling_map_specs())
    rules = []
    for _ in range(draw(st.integers(4, 12))):
        kwargs: dict[str, t.Any] = {"endpoint": draw(st.sampled_from(ENDPOINTS))}
        if draw(st.integers(0, 4)) == 0:
            kwargs["methods"] = draw(st.sampled_from([["GET"], ["POST"]]))
        if draw(st.integers(0, 4)) == 0:
            kwargs["strict_slashes"] = False
        rules.append(RuleSpec(draw(dense_rule_strings()), kwargs))
    options = {}
    if draw(st.integers(0, 3)) == 0:
        options["strict_slashes"] = False
    if draw(st.integers(0, 3)) == 0:
        options["merge_slashes"] = False
    return MapSpec(rules, options, dense=True)


def dense_fill(rnd: random.Random, rule: t.Any) -> str:
    """The rule's string with each variable replaced by dense tokens."""
    out = []
    for tok in parse_template(rule.rule):
        out.append(
            "".join(rnd.choice(DENSE_TOKENS) for _ in range(rnd.randint(1, 2)))
            if isinstance(tok, tuple)
            else tok
        )
    return "".join(out)


def dense_path(rnd: random.Random) -> str:
    count = rnd.choice([1, 1, 1, 2, 2, 3, 4])
    segs = ["".join(rnd.choice(DENSE_TOKENS) for _ in range(rnd.randint(1, 3))) for _ in range(count)]
    path = "/" + "/".join(segs)
    roll = rnd.random()
    if roll < 0.15:
        path += "/"
    elif roll < 0.2:
        path = path.replace("/", "//", 1)
    return path


# --------------------------------------------------------------------------
# Rule strings.

PATH_VARS = ["x", "y", "z", "id", "page", "name"]
SUB_VARS = ["user", "lang"]  # subdomain/host variables never clash with path ones
HOST_VARS = ["sub"]
ENDPOINTS = ["a", "b", "c", "d", "e"]

LITERALS = [
    "a",
    "b",
    "foo",
    "bar",
    "x1",
    "edit",
    "ü",
    "a b",
    "+",
    "~",
    "v.1",
    "$",
    "&",
    "'q'",
    "é%41",
    "-",
    "_",
]
TEMPLATE_LITERALS = [lit for lit in LITERALS if "$" not in lit]

CONV_EXPRS = [
    "", "", "", "string", "default",
    "string(minlength=2)", "string(maxlength=2)", "string(length=3)", "string(2, 4)",
    "string(minlength=0)", "string(length=1)", "string(minlength=1, maxlength=1)",
    "int", "int", "int(fixed_digits=2)", "int(min=10)", "int(max=20)", "int(signed=True)",
    "int(min=3, max=7, signed=True)", "int(4)", "int(fixed_digits=3, max=500)", "int(0, 5, 9)",
    "float", "float(signed=True)", "float(min=0.5, max=10)", "float(max=2.5)", "float(signed=True, min=1)",
    "uuid",
    "any(a, b)", "any(foo, bar, baz)", 'any("x,y", z)', "any('a b', c)", 'any(about, "help")',
    'any("1", "2")', 'any(a, "a.b")', "any(json, xml)",
    "path", "path",
    "hex", "lst", "slashy", "lower", "even",
]  # fmt: skip

_INT_ARG = st.integers(0, 120)


@st.composite
def converter_exprs(draw: t.Any) -> str:
    """A converter expression: one of the fixed list or a random int/string one."""
    choice = draw(st.integers(0, 9))
    if choice < 8:
        return draw(st.sampled_from(CONV_EXPRS))
    if choice == 8:
        args = []
        if draw(st.booleans()):
            args.append(f"fixed_digits={draw(st.integers(1, 4))}")
        lo = draw(st.none() | _INT_ARG)
        hi = draw(st.none() | _INT_ARG)
        if lo is not None:
            args.append(f"min={lo}")
        if hi is not None:
            args.append(f"max={hi}")
        if draw(st.booleans()):
            args.append(f"signed={draw(st.booleans())}")
        return f"int({', '.join(args)})" if args else "int"
    lo = draw(st.integers(0, 4))
    form = draw(st.integers(0, 2))
    if form == 0:
        return f"string(minlength={lo}, maxlength={lo + draw(st.integers(0, 4))})"
    if form == 1:
        return f"string(length={draw(st.integers(1, 5))})"
    return f"string(minlength={lo})"


def var_token(conv: str, name: str) -> str:
    return f"<{conv}:{name}>" if conv else f"<{name}>"


@st.composite
def rule_strings(
    draw: t.Any, literals: list[str] = LITERALS, max_segments: int = 4, var_percent: int = 45
) -> str:
    """A rule string: segments of literals and variables (a piece is a
    variable *var_percent* times in 100), ``//`` now and then, optional
    trailing slash; at most two slash-matching converters."""
    names = list(draw(st.permutations(PATH_VARS)))
    slashy = 0
    out = []
    for _ in range(draw(st.integers(0, max_segments))):
        sep = draw(st.sampled_from(["/"] * 7 + ["//"]))
        pieces = []
        for _ in range(draw(st.integers(1, 3))):
            if names and draw(st.integers(0, 99)) < var_percent:
                conv = draw(converter_exprs())
                if conv in ("path", "slashy"):
                    if slashy >= 2:
                        conv = ""
                    slashy += 1
                pieces.append(var_token(conv, names.pop()))
            else:
                pieces.append(draw(st.sampled_from(literals)))
        out.append(sep + "".join(pieces))
    trailing = draw(st.sampled_from(["", "", "", "/", "/", "//"]))
    text = "".join(out) + trailing
    return text if text.startswith("/") else "/" + text


# --------------------------------------------------------------------------
# Converter descriptions, URL text and Python values.

_TOKEN = re.compile(r"<(?:(?P<conv>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<var>[a-zA-Z_]\w*)>", re.ASCII)


@dataclass
class Conv:
    kind: str
    params: dict[str, t.Any]


def describe(conv_name: str | None, argstr: str | None, override_default: bool = False) -> Conv:
    """What a converter expression accepts, from its name and argument text."""
    name = conv_name or "default"
    try:
        args, kwargs = wr.parse_converter_args(argstr or "")
    except ValueError:
        args, kwargs = (), {}
    if name == "default" and override_default:
        name = "lower"
    if name in ("default", "string", "lower"):
        params = dict(zip(("minlength", "maxlength", "length"), args, strict=False))
        params.update(kwargs)
        lo = params.get("minlength", 1)
        hi = params.get("maxlength")
        if params.get("length") is not None:
            lo = hi = params["length"]
        return Conv(
            "lower" if name == "lower" else "string", {"lo": int(lo), "hi": None if hi is None else int(hi)}
        )
    if name in ("int", "even", "float"):
        keys = ("min", "max", "signed") if name == "float" else ("fixed_digits", "min", "max", "signed")
        params = dict(zip(keys, args, strict=False))
        params.update(kwargs)
        numbers = [params.get(key) for key in ("fixed_digits", "min", "max")]
        if not all(value is None or isinstance(value, (int, float)) for value in numbers):
            return Conv("other", {})  # odd arguments werkzeug accepts: no tailored values
        if name != "float" and not all(value is None or isinstance(value, int) for value in numbers):
            return Conv("other", {})
        return Conv(name, params)
    if name == "any":
        return Conv("any", {"items": [str(a) for a in args]})
    return Conv(name, {})


def parse_template(text: str, override_default: bool = False) -> list[t.Any]:
    """Split a rule/subdomain/host string into literals and ``(name, Conv)``."""
    out: list[t.Any] = []
    pos = 0
    for found in _TOKEN.finditer(text):
        if found.start() > pos:
            out.append(text[pos : found.start()])
        out.append((found.group("var"), describe(found.group("conv"), found.group("args"), override_default)))
        pos = found.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


# Single characters for URL text (never "/"); escapes are literal text to the router.
SEG_CHARS = [
    *"abcxyzABZ0189-_.~+ ,;=:@!$&'()*%?#",
    *["ü", "é", "ß", "١", "٢", "\u00a0", "\n", "\t", "\U0001f600", "\x00", "\u2028", "²"],
]
DOMAIN_WORDS = ["alice", "bob", "de", "en", "x1", "www", "api", "ü", "a-b", "xn--tda"]
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def seg_text(rnd: random.Random, n: int) -> str:
    if rnd.random() < 0.5:
        return "".join(rnd.choice("abcxyz019") for _ in range(n))
    return "".join(rnd.choice(SEG_CHARS) for _ in range(n))


def _exotic_digits(rnd: random.Random, text: str) -> str:
    roll = rnd.random()
    if roll < 0.1:
        return text.translate(ARABIC)
    if roll < 0.15:
        return text.translate(FULLWIDTH)
    return text


def _int_text(rnd: random.Random, p: dict[str, t.Any], good: bool) -> str:
    fd = p.get("fixed_digits") or 0
    lo = p.get("min")
    hi = p.get("max")
    signed = bool(p.get("signed"))
    if good:
        low = lo if lo is not None else (-60 if signed else 0)
        high = hi if hi is not None else max(low, 0) + rnd.choice([9, 99, 10**6, 10**30])
        if fd:
            high = min(high, 10**fd - 1)
        if high < low:
            low, high = high, low
        value = rnd.randint(low, high)
        text = str(value).zfill(fd) if fd else str(value)
        if not fd and rnd.random() < 0.1:
            text = "0" + text if value >= 0 else text
        return _exotic_digits(rnd, text)
    options = [
        "+5", "5a", "a5", "", "-7", "1.0", "0x1f", " 5", "5 ", "²", "Ⅻ", "৭", "١x", "5\n", "--1", "-", "1" * 5000,
        str((hi if hi is not None else 50) + 1), str(max((lo if lo is not None else 0) - 1, 0)),
        "0" * (fd + 1) if fd else "007", "1" * max(fd - 1, 1),
    ]  # fmt: skip
    return rnd.choice(options)


def _float_text(rnd: random.Random, p: dict[str, t.Any], good: bool) -> str:
    if good:
        lo = p.get("min")
        hi = p.get("max")
        low = float(lo) if lo is not None else (-50.0 if p.get("signed") else 0.0)
        high = float(hi) if hi is not None else low + rnd.choice([1, 100, 1e6])
        value = rnd.uniform(low, high) if high >= low else low
        text = f"{abs(value):.{rnd.randint(1, 4)}f}"
        if value < 0 and p.get("signed"):
            text = "-" + text
        return _exotic_digits(rnd, text)
    return rnd.choice(
        ["1", "1.", ".5", "1e5", "1.5e3", "inf", "nan", "-1.5", "1.5.2", "+1.0", "1,5", "99999.9", "0.0"]
    )


def url_text(rnd: random.Random, conv: Conv, good: bool = True) -> str:
    """URL text for one variable: accepted by the converter, or a near miss."""
    p = conv.params
    kind = conv.kind
    if kind in ("string", "lower"):
        lo, hi = p["lo"], p["hi"]
        if good:
            n = rnd.randint(lo, max(lo, hi) if hi is not None else lo + 6)
            text = seg_text(rnd, n)
            if kind == "lower" and rnd.random() < 0.2:
                text = "12"  # digits only: the converter's to_python rejects it
            return text
        roll = rnd.random()
        if roll < 0.35 and lo > 0:
            return seg_text(rnd, lo - 1)
        if roll < 0.7 and hi is not None:
            return seg_text(rnd, hi + 1)
        return seg_text(rnd, max(lo, 1)) + "/" + seg_text(rnd, 1)
    if kind in ("int", "even"):
        return _int_text(rnd, p, good)
    if kind == "float":
        return _float_text(rnd, p, good)
    if kind == "uuid":
        text = str(uuid.UUID(int=rnd.getrandbits(128)))
        if rnd.random() < 0.3:
            text = text.upper()
        if good:
            return text
        return rnd.choice(
            [text.replace("-", "", 1), text[:-1] + "g", "{" + text + "}", text.replace("-", ""), text + "0"]
        )
    if kind == "any":
        items = p["items"] or [""]
        item = rnd.choice(items)
        if good:
            return item
        return rnd.choice([item.upper(), item + "x", "", item[:-1], "x" + item, item + "/"])
    if kind == "path":
        segs = [seg_text(rnd, rnd.randint(1, 4)) for _ in range(rnd.randint(1, 4))]
        text = "/".join(segs)
        if good:
            roll = rnd.random()
            if roll < 0.15:
                text += "/"
            elif roll < 0.3:
                text = text.replace("/", "//", 1)
            return text
        return rnd.choice(["", "/" + text, "/"])
    if kind == "hex":
        return format(rnd.getrandbits(20), "x") if good else rnd.choice(["xyz", "A", "", "0x1", "ff/"])
    if kind == "lst":
        if good:
            return ",".join(rnd.choice(["a", "bc", "xyz"]) for _ in range(rnd.randint(1, 3)))
        return rnd.choice(["a,,b", ",a", "a,", "A", "a b"])
    if kind == "slashy":
        return "ab/cd" if good else rnd.choice(["ab", "ab/cd/ef", "ab/", "/cd"])
    return seg_text(rnd, rnd.randint(1, 5))


def py_value(rnd: random.Random, conv: Conv, good: bool = True) -> t.Any:
    """A Python value to build a URL with: usually fitting, sometimes not."""
    kind = conv.kind
    p = conv.params
    if kind in ("string", "lower"):
        if good:
            return rnd.choice(["x", "abc", "a b", "ü", "a/b", "?&#", "%", "١٢", "x" * max(p["lo"], 1), "AbC"])
        return rnd.choice([5, "", 1.5, b"x", ["a", "b"], uuid.UUID(int=7)])
    if kind in ("int", "even"):
        if good:
            lo = p.get("min") or 0
            hi = p.get("max") if p.get("max") is not None else lo + 1000
            return rnd.randint(min(lo, hi), max(lo, hi))
        return rnd.choice(["12", "x", 1.7, True, -3, "١٢", "", 10**40, [1, 2], "0x1"])
    if kind == "float":
        if good:
            return rnd.choice([1.5, 2, 0.25, 3.0, 1e-7, 123456789.5])
        return rnd.choice(["3.25", "x", -0.0, float("inf"), float("nan"), True, "1e3"])
    if kind == "uuid":
        return (
            uuid.UUID(int=rnd.getrandbits(128))
            if good
            else rnd.choice(["not-a-uuid", 5, str(uuid.UUID(int=9))])
        )
    if kind == "any":
        items = p["items"] or [""]
        return rnd.choice(items) if good else rnd.choice(["zzz", 1, items[0].upper()])
    if kind == "path":
        return rnd.choice(["a/b", "a b/c", "/x", "x/", "ü/é", "a//b"]) if good else rnd.choice(["", 5, "?"])
    if kind == "hex":
        return rnd.randint(0, 10**6) if good else rnd.choice(["x", "ff", -1])
    if kind == "lst":
        return rnd.choice([["a", "b"], ["xyz"], "ab"]) if good else rnd.choice([[], [1, 2], 5])
    if kind == "slashy":
        return "ab/cd" if good else rnd.choice(["a b", 5])
    return "v"


# --------------------------------------------------------------------------
# Rule options and whole maps.

METHODS = [
    None,
    None,
    None,
    None,
    ["GET"],
    ["POST"],
    ["GET", "POST"],
    ["put"],
    ["DELETE", "OPTIONS"],
    ["HEAD"],
    [],
]
WS_METHODS = [None, ["GET"], ["GET", "OPTIONS"], ["get"]]
SUBDOMAINS = [None, None, None, "", "www", "<user>", "<string(length=2):lang>", "<user>.api", "api"]
HOSTS = [
    None,
    "example.com",
    "example.com",
    "<sub>.example.com",
    "other.test",
    "example.com:8080",
    "<sub>.other.test",
    "<sub>.example.com",
]


def _good_default(rnd: random.Random, conv: Conv) -> t.Any:
    value = py_value(rnd, conv, True)
    if conv.kind == "even" and isinstance(value, int):
        value -= value % 2
    if conv.kind == "float":
        lo = conv.params.get("min")
        value = max(float(value), float(lo)) if lo is not None else value
    return value


@st.composite
def rule_kwargs(
    draw: t.Any, string: str, host_matching: bool, template: bool = False, websocket: bool | None = None
) -> dict[str, t.Any]:
    """Options for a rule with the rule string *string*."""
    kwargs: dict[str, t.Any] = {"endpoint": draw(st.sampled_from(ENDPOINTS))}
    if not template and draw(st.integers(0, 29)) == 0:
        kwargs["endpoint"] = 7  # endpoints need not be strings
    if template:
        kwargs["endpoint"] = "$name." + kwargs["endpoint"]
    ws = draw(st.integers(0, 9)) == 0 if websocket is None else websocket
    if ws:
        kwargs["websocket"] = True
        methods = draw(st.sampled_from(WS_METHODS))
    else:
        methods = draw(st.sampled_from(METHODS))
    if methods is not None:
        kwargs["methods"] = methods
    for key in ("strict_slashes", "merge_slashes"):
        value = draw(st.sampled_from([None, None, True, False]))
        if value is not None:
            kwargs[key] = value
    variables = [tok for tok in parse_template(string) if isinstance(tok, tuple)]
    rnd = draw(st.randoms(use_true_random=False))
    if draw(st.integers(0, 5)) == 0:
        defaults: dict[str, t.Any] = {}
        if variables and draw(st.booleans()):
            name, conv = rnd.choice(variables)
            defaults[name] = _good_default(rnd, conv)
        if draw(st.booleans()):
            defaults[draw(st.sampled_from(["page", "lang", "fmt"]))] = draw(
                st.sampled_from([1, "en", "json", None])
            )
        if template and draw(st.booleans()):
            defaults["tpl"] = "$name"
        if defaults or draw(st.booleans()):
            kwargs["defaults"] = defaults
    roll = draw(st.integers(0, 19))
    if roll == 0 and not template:
        target = draw(st.sampled_from(["new", "/abs", "http://other.test/x", "../up", ""]))
        for name, _ in variables:
            if draw(st.booleans()):
                target += f"/<{name}>"
        kwargs["redirect_to"] = target
    elif roll == 1 and not template:
        kwargs["redirect_to"] = redirect_callable
    elif roll == 2:
        kwargs["alias"] = True
    elif roll == 3:
        kwargs["build_only"] = True
    if host_matching:
        host = draw(st.sampled_from(HOSTS))
        if host is not None:
            kwargs["host"] = host
    else:
        sub = draw(st.sampled_from(SUBDOMAINS))
        if sub is not None:
            kwargs["subdomain"] = "$name" if template and sub == "api" else sub
    return kwargs


@st.composite
def random_rules(draw: t.Any, host_matching: bool) -> list[RuleSpec]:
    # A third of them fully static: maps (or domains) of static rules only
    # are answered from the path table alone in the compiled core.
    static = draw(st.integers(0, 2)) == 0
    string = draw(rule_strings(var_percent=0 if static else 45))
    cls = "FewestFirstRule" if draw(st.integers(0, 9)) == 0 else "Rule"
    return [RuleSpec(string, draw(rule_kwargs(string, host_matching)), cls)]


@st.composite
def pattern_rules(draw: t.Any, host_matching: bool) -> list[RuleSpec]:
    """Small groups of rules that exercise one feature on purpose."""
    ep = draw(st.sampled_from(ENDPOINTS))
    other = draw(st.sampled_from(ENDPOINTS))
    kind = draw(st.integers(0, 12))
    conv = draw(converter_exprs())
    var = var_token(conv, "x")
    rnd = draw(st.randoms(use_true_random=False))
    if kind == 0:  # defaults for the variable of a sibling rule (redirect_defaults)
        desc = parse_template(var)[0][1]
        return [
            RuleSpec("/all/", {"endpoint": ep, "defaults": {"x": _good_default(rnd, desc)}}),
            RuleSpec(f"/all/page/{var}", {"endpoint": ep}),
        ]
    if kind == 1:  # alias
        return [
            RuleSpec(f"/canon/{var}", {"endpoint": ep}),
            RuleSpec(f"/alias/{var}", {"endpoint": ep, "alias": True}),
        ]
    if kind == 2:  # websocket and http on the same path
        path = draw(st.sampled_from(["/ws", f"/ws/{var}", "/ws/"]))
        return [
            RuleSpec(path, {"endpoint": ep, "websocket": True, "methods": draw(st.sampled_from(WS_METHODS))}),
            RuleSpec(path, {"endpoint": other, "methods": draw(st.sampled_from(METHODS))}),
        ]
    if kind == 3:  # one path, several methods
        path = draw(rule_strings(max_segments=2))
        return [
            RuleSpec(path, {"endpoint": ep, "methods": ["GET"]}),
            RuleSpec(path, {"endpoint": other, "methods": ["POST", "put"]}),
        ]
    if kind == 4:  # leaf and branch of the same path
        strict = draw(st.sampled_from([None, True, False]))
        extra = {} if strict is None else {"strict_slashes": strict}
        return [RuleSpec(f"/p/{var}", {"endpoint": ep, **extra}), RuleSpec(f"/p/{var}/", {"endpoint": other})]
    if kind == 5:  # path converter in the middle, at the end, with a slash
        return [
            RuleSpec("/w/<path:p>/edit", {"endpoint": ep}),
            RuleSpec("/w/<path:p>", {"endpoint": other}),
            RuleSpec("/w/<path:p>/", {"endpoint": "c", "strict_slashes": draw(st.booleans())}),
        ]
    if kind == 6:  # several converters in one segment
        return [
            RuleSpec(
                f"/f/<name>.{var_token(draw(st.sampled_from(['any(json, xml)', 'string', 'int'])), 'fmt')}",
                {"endpoint": ep},
            ),
            RuleSpec("/f/<int:a>-<int:b>", {"endpoint": other}),
            RuleSpec(f"/f/{var}", {"endpoint": "c"}),
        ]
    if kind == 7:  # merge_slashes per rule
        merge = draw(st.sampled_from([None, True, False]))
        extra = {} if merge is None else {"merge_slashes": merge}
        return [
            RuleSpec(f"/m//{var}//n", {"endpoint": ep, **extra}),
            RuleSpec("/m/a", {"endpoint": other}),
            # No "//" in the rule, but requests get doubled slashes: the
            # merged path fits a rule that does not merge.
            RuleSpec(f"/mm/{var}/o", {"endpoint": "c", "merge_slashes": not draw(st.integers(0, 3))}),
        ]
    if kind == 8:  # redirect_to a string with placeholders, and a callable
        return [
            RuleSpec(f"/old/{var}", {"endpoint": ep, "redirect_to": "new/<x>"}),
            RuleSpec(f"/cb/{var}", {"endpoint": other, "redirect_to": redirect_callable}),
            RuleSpec(f"/new/{var}", {"endpoint": "c"}),
        ]
    if kind == 9:  # same-weight dynamic siblings, static siblings
        return [
            RuleSpec(f"/s/{var}/a", {"endpoint": ep}),
            RuleSpec("/s/<y>/b", {"endpoint": other}),
            RuleSpec("/s/static/<z>", {"endpoint": "c"}),
        ]
    if kind == 10:  # defaults on a rule and build-only duplicates
        return [
            RuleSpec(f"/d/{var}", {"endpoint": ep, "defaults": {"page": 1}}),
            RuleSpec(f"/d/{var}/p/<int:page>", {"endpoint": ep}),
            RuleSpec("/static/<path:file>", {"endpoint": "static", "build_only": True}),
        ]
    if kind == 12:  # more than ten converters in one part (group name order)
        many = "-".join(f"<int:v{i}>" for i in range(draw(st.integers(9, 13))))
        return [
            RuleSpec(f"/g/{many}", {"endpoint": ep}),
            RuleSpec(f"/h/<path:p>/{many.replace('-', '/')}", {"endpoint": other}),
        ]
    return [  # host/subdomain variables
        RuleSpec(
            "/",
            {
                "endpoint": ep,
                "host" if host_matching else "subdomain": "<sub>.example.com" if host_matching else "<user>",
            },
        ),
        RuleSpec(
            f"/u/{var}",
            {
                "endpoint": other,
                "host" if host_matching else "subdomain": "example.com" if host_matching else "",
            },
        ),
    ]


@st.composite
def template_rules(draw: t.Any, host_matching: bool) -> list[RuleSpec]:
    string = "/$name" + draw(rule_strings(literals=TEMPLATE_LITERALS, max_segments=2))
    return [RuleSpec(string, draw(rule_kwargs(string, host_matching, template=True)))]


@st.composite
def entries(draw: t.Any, host_matching: bool, depth: int = 0) -> list[t.Any]:
    """A list of rules and factories."""
    out: list[t.Any] = []
    for _ in range(draw(st.integers(1, 4))):
        roll = draw(st.integers(0, 9))
        if roll < 5:
            out.extend(draw(random_rules(host_matching)))
        elif roll < 8:
            out.extend(draw(pattern_rules(host_matching)))
        elif depth < 2:
            kind = draw(st.sampled_from(["Submount", "Subdomain", "EndpointPrefix", "RuleTemplate"]))
            if kind == "RuleTemplate":
                kids = draw(st.lists(template_rules(host_matching), min_size=1, max_size=3))
                arg = {"name": draw(st.sampled_from(["t", "users", "ü"]))}
                out.append(FactorySpec(kind, arg, [r for group in kids for r in group]))
                continue
            arg = {
                # The variable name depends on the depth: nested Submounts
                # must not repeat a variable name.
                "Submount": st.sampled_from(["/sub", "/sub/", f"/s/<sm{depth}>", "/api//v1", ""]),
                "Subdomain": st.sampled_from(["www", "<user>", "api", ""]),
                "EndpointPrefix": st.sampled_from(["p.", "q/"]),
            }[kind]
            out.append(FactorySpec(kind, draw(arg), draw(entries(host_matching, depth + 1))))
    return out


@st.composite
def map_specs(draw: t.Any, host_matching: bool | None = None) -> MapSpec:
    if host_matching is None:
        host_matching = draw(st.integers(0, 4)) == 0
    options: dict[str, t.Any] = {}
    for key, values in (
        ("strict_slashes", [True, True, False]),
        ("merge_slashes", [True, True, False]),
        ("redirect_defaults", [True, True, True, False]),
        ("sort_parameters", [False, False, True]),
    ):
        value = draw(st.sampled_from(values))
        if value is not values[0]:
            options[key] = value
    if options.get("sort_parameters"):
        sort_key = draw(st.sampled_from([None, sort_by_key, sort_by_key_desc]))
        if sort_key is not None:
            options["sort_key"] = sort_key
    if host_matching:
        options["host_matching"] = True
    elif draw(st.integers(0, 4)) == 0:
        options["default_subdomain"] = draw(st.sampled_from(["www", "api"]))
    found = draw(entries(host_matching))
    steps = []
    if draw(st.integers(0, 3)) == 0:
        left = len(found)
        for _ in range(draw(st.integers(1, 2))):
            changes = {}
            for key, values in (
                ("redirect_defaults", [True, False]),
                ("sort_parameters", [True, False]),
                ("sort_key", [None, sort_by_key_desc]),
                ("merge_slashes", [True, False]),
                ("strict_slashes", [True, False]),
                ("default_subdomain", ["", "www"]),
                ("host_matching", [host_matching, not host_matching]),
            ):
                if draw(st.integers(0, 3)) == 0:
                    changes[key] = draw(st.sampled_from(values))
            add = draw(st.integers(0, left))
            left -= add
            steps.append(Step(draw(st.booleans()), changes, add))
    return MapSpec(found, options, override_default=draw(st.integers(0, 9)) == 0, steps=steps)


def _mixed_entries(draw: t.Any, found: list[t.Any]) -> None:
    """Give each rule and factory of *found* (and their children) a drawn
    ``werkzeug`` flag."""
    for entry in found:
        entry.werkzeug = draw(st.booleans())
        children = getattr(entry, "children", None)
        if children is not None:
            _mixed_entries(draw, children)


@st.composite
def mixed_map_specs(draw: t.Any) -> MapSpec:
    """A rule set (random, host-matching or dense) whose fastroute map mixes
    werkzeug's rules, factories and converter classes with fastroute's (a
    choice per rule and factory); its werkzeug map is werkzeug's alone."""
    spec = draw(st.one_of(map_specs(), map_specs(host_matching=True), dense_map_specs()))
    _mixed_entries(draw, spec.entries)
    spec.werkzeug_converters = draw(st.sampled_from([0, 0, 1, 2]))
    return spec


# --------------------------------------------------------------------------
# Requests.

SERVER_NAMES = [
    "example.com", "Example.COM", "example.com:8080", "other.test", "xn--bcher-kva.example", "bücher.example",
    "example.com", "example.com", "bad..name", "x" * 64 + ".test", "",
]  # fmt: skip
BOUND_SUBDOMAINS = [None, None, "", "www", "alice", "de", "bob.api", "x.y", "api", "t", "ü", "a/b", "de/"]
SCHEMES = ["http", "http", "http", "https", "ws", "wss", ""]
SCRIPT_NAMES = [None, None, "/", "/app", "/app/", "/ü"]
REQUEST_METHODS = ["GET", "GET", "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "post", "PATCH"]
QUERY_ARGS: list[t.Any] = [
    None,
    None,
    None,
    "a=1&b",
    {"q": "x y"},
    MultiDict([("k", "1"), ("k", "2")]),
    {"n": None},
]

# Long noise stays short enough for werkzeug: its per-part regexes backtrack
# polynomially (n**k for k converters in one segment), and a 3,000-character
# path against three converters in a segment kept the reference busy for
# hours.  Huge inputs are tested against fastroute alone, in test_bad_input.
NOISE_PATHS = [
    "", "/", "//", "///", "a", "/a", "a/b", "/ü", "/١٢", "/%2F", "/a%20b", "/\n", "/a\nb", "/a/\n",
    "/" + "x" * 64, "/" + "/".join(["seg"] * 40), "/" + "é" * 48 + "/", "/all", "/all/", "/p/",
    "/w/", "/w/a/b/edit", "/f/a.json", "/f/1-2", "/m//a//n", "/old/1", "/cb/1", "/ws", "/ws/", "/s/static/x",
    "/d/x/p/1", "/static/x", "/sub/", "/sub", "/api/v1/", "/t/", "/$name", "/canon/a", "/alias/a",
]  # fmt: skip


def fill(
    rnd: random.Random, template: list[t.Any], good_ratio: float = 0.75, domain: bool = False
) -> tuple[str, dict[str, str]]:
    """Fill the variables of a parsed template with URL text: all accepted
    values (with probability *good_ratio*), else one near miss."""
    slots = [i for i, tok in enumerate(template) if isinstance(tok, tuple)]
    bad = rnd.choice(slots) if slots and rnd.random() >= good_ratio else None
    out = []
    values = {}
    for i, tok in enumerate(template):
        if isinstance(tok, tuple):
            name, conv = tok
            good = i != bad
            if domain and conv.kind in ("string", "lower") and good:
                lo, hi = conv.params["lo"], conv.params["hi"]
                words = [w for w in DOMAIN_WORDS if lo <= len(w) and (hi is None or len(w) <= hi)]
                text = rnd.choice(words) if words else url_text(rnd, conv, good)
            else:
                text = url_text(rnd, conv, good)
            values[name] = text
            out.append(text)
        else:
            out.append(tok)
    return "".join(out), values


def mutate(rnd: random.Random, path: str) -> str:
    """Noise on a derived path."""
    roll = rnd.randrange(14)
    if roll == 0:
        return path[:-1] if path.endswith("/") else path + "/"
    if roll == 1 and "/" in path:
        i = rnd.choice([i for i, c in enumerate(path) if c == "/"])
        return path[:i] + "/" + path[i:]
    if roll == 2:
        return path.lstrip("/")
    if roll == 3 and path:
        i = rnd.randrange(len(path))
        return path[:i] + f"%{ord(path[i]) % 256:02X}" + path[i + 1 :]
    if roll == 4:
        i = rnd.randrange(len(path) + 1)
        return path[:i] + rnd.choice(["ü", "١٢", "\n", "%0a", "\U0001f600", " ", "//", "%2F", "²"]) + path[i:]
    if roll == 5 and path:
        return path[: rnd.randrange(len(path))]
    if roll == 6:
        return path.upper()
    if roll == 7:
        return "//" + path.lstrip("/")
    if roll == 8:
        return path + rnd.choice(["/edit", "/x", "//", "/a/b"])
    if roll == 9:
        return path + "/" + "y" * rnd.choice([1, 100, 10000])
    return path


@dataclass
class Request:
    bind: dict[str, t.Any]
    match: dict[str, t.Any]


def request_for(rnd: random.Random, rules: list[t.Any], spec: MapSpec) -> Request:
    """One request: a bind and a match call, derived from a random rule."""
    host_matching = spec.option("host_matching", False)
    rule = rnd.choice(rules) if rules and rnd.random() < 0.9 else None
    bind: dict[str, t.Any] = {"server_name": rnd.choice(SERVER_NAMES)}
    script = rnd.choice(SCRIPT_NAMES)
    if script is not None:
        bind["script_name"] = script
    if rnd.random() < 0.1:
        bind["default_method"] = rnd.choice(REQUEST_METHODS)
    if rnd.random() < 0.15:
        bind["query_args"] = rnd.choice(QUERY_ARGS)
    method = rnd.choice(REQUEST_METHODS)
    if rule is not None:
        # Mostly a request the rule could accept: its scheme, method, domain.
        if rnd.random() < 0.85:
            bind["url_scheme"] = rnd.choice(["ws", "wss"] if rule.websocket else ["http", "https"])
        else:
            bind["url_scheme"] = rnd.choice(SCHEMES)
        if rule.methods and rnd.random() < 0.7:
            method = rnd.choice(sorted(rule.methods))
            method = method.lower() if rnd.random() < 0.1 else method
        template = parse_template(rule.rule, spec.override_default)
        if rnd.random() < 0.25 and spec.option("merge_slashes", True):
            template = [
                tok.replace("/", "//") if isinstance(tok, str) and rnd.random() < 0.5 else tok
                for tok in template
            ]
        path, _ = fill(rnd, template)
        for _ in range(rnd.choice([0, 0, 0, 0, 1, 1, 2])):
            path = mutate(rnd, path)
        domain = (rule.host if host_matching else rule.subdomain) or ""
        if rnd.random() < 0.85:
            text, _ = fill(rnd, parse_template(domain), 0.9, domain=True)
            if host_matching:
                bind["server_name"] = text.lower()
            else:
                bind["subdomain"] = text
        elif not host_matching and rnd.random() < 0.5:
            bind["subdomain"] = rnd.choice(BOUND_SUBDOMAINS)
    else:
        path = rnd.choice(NOISE_PATHS)
        if rnd.random() < 0.5:
            bind["url_scheme"] = rnd.choice(SCHEMES)
    if spec.dense:
        roll = rnd.random()
        if spec.targets and roll < 0.5:
            path = rnd.choice(spec.targets)
        elif roll < 0.4:
            path = dense_path(rnd)
        elif roll < 0.8 and rules:
            path = dense_fill(rnd, rnd.choice(rules))
        if not host_matching and rnd.random() < 0.3:
            bind["subdomain"] = rnd.choice(BOUND_SUBDOMAINS)
    if host_matching:
        bind.pop("subdomain", None)
    match: dict[str, t.Any] = {"path_info": path, "method": method}
    if rnd.random() < 0.3:
        match["return_rule"] = True
    if rnd.random() < 0.2:
        match["query_args"] = rnd.choice(QUERY_ARGS)
    if rnd.random() < 0.1:
        match["websocket"] = rnd.random() < 0.5
    if rnd.random() < 0.05:
        bind["path_info"] = match.pop("path_info")
    if rnd.random() < 0.15:
        bind = environ_bind(rnd, bind, match, host_matching)
    return Request(bind, match)


def _wsgi(text: str) -> str:
    """A WSGI string: UTF-8 bytes as latin-1 code points."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def environ_bind(
    rnd: random.Random, bind: dict[str, t.Any], match: dict[str, t.Any], host_matching: bool
) -> dict[str, t.Any]:
    """The same request for ``bind_to_environ``: ``{"environ": ..., ...}``."""
    server = bind.get("server_name", "example.com").lower()
    sub = bind.get("subdomain")
    host = f"{sub}.{server}" if sub and not host_matching else server
    scheme = bind.get("url_scheme", "http")
    environ: dict[str, t.Any] = {
        "wsgi.url_scheme": "https" if scheme in ("https", "wss") else "http",
        "REQUEST_METHOD": match.get("method") or "GET",
        "SERVER_NAME": server.partition(":")[0] or "localhost",
        "SERVER_PORT": rnd.choice(["80", "443", "8080"]),
    }
    if rnd.random() < 0.8:
        environ["HTTP_HOST"] = rnd.choice([host, host + ":80", host + ":443", host.upper()])
    if scheme in ("ws", "wss") or rnd.random() < 0.05:
        environ["HTTP_CONNECTION"] = rnd.choice(
            [
                "Upgrade",
                "keep-alive, upgrade",
                "upgradex",
                " upgrade\t",
                "upgrade\x0b",
                "Upgrade\r",
                "a,\x0cupgrade",
            ]
        )
        environ["HTTP_UPGRADE"] = rnd.choice(["websocket", "WebSocket", "h2c"])
    path = match.pop("path_info", bind.get("path_info"))
    if path is not None:
        environ["PATH_INFO"] = _wsgi(path)
    script = bind.get("script_name")
    if script is not None:
        environ["SCRIPT_NAME"] = _wsgi(script.rstrip("/"))
    query = bind.get("query_args")
    if isinstance(query, str) or rnd.random() < 0.1:
        environ["QUERY_STRING"] = _wsgi(query if isinstance(query, str) else "a=ü&b")
    out: dict[str, t.Any] = {"environ": environ}
    roll = rnd.random()
    if roll < 0.4:
        out["server_name"] = rnd.choice(
            [server, server + ":80", server + ":443", "other.test", server.upper()]
        )
    elif roll < 0.5 and not host_matching:
        out["subdomain"] = sub if sub is not None else ""
    return out


@dataclass
class BuildCase:
    bind: dict[str, t.Any]
    endpoint: t.Any
    values: t.Any
    kwargs: dict[str, t.Any]


def build_case(
    rnd: random.Random, rules: list[t.Any], spec: MapSpec, matched: list[tuple[t.Any, t.Any]]
) -> BuildCase:
    """One build: an endpoint of the map (or an unknown one) with values
    generated for one of its rules, or the values of an earlier match."""
    host_matching = spec.option("host_matching", False)
    bind: dict[str, t.Any] = {"server_name": rnd.choice(SERVER_NAMES[:4])}
    if rnd.random() < 0.5:
        bind["url_scheme"] = rnd.choice([*SCHEMES, ""])
    script = rnd.choice(SCRIPT_NAMES)
    if script is not None:
        bind["script_name"] = script
    if not host_matching and rnd.random() < 0.4:
        bind["subdomain"] = rnd.choice(BOUND_SUBDOMAINS)
    if rnd.random() < 0.1:
        bind["default_method"] = rnd.choice(["GET", "POST", "PUT"])
    values: t.Any
    if matched and rnd.random() < 0.3:
        endpoint, found = rnd.choice(matched)
        values = dict(found)
    elif rules and rnd.random() < 0.95:
        rule = rnd.choice(rules)
        endpoint = rule.endpoint
        values = {}
        domain = (rule.host if host_matching else rule.subdomain) or ""
        good = rnd.random() < 0.8
        for tok in parse_template(rule.rule, spec.override_default) + parse_template(domain):
            if isinstance(tok, tuple) and rnd.random() < 0.95:
                values[tok[0]] = py_value(rnd, tok[1], good or rnd.random() < 0.5)
        for key, value in (rule.defaults or {}).items():
            if rnd.random() < 0.3:
                values[key] = value if rnd.random() < 0.7 else "other"
        if host_matching and domain and rnd.random() < 0.5:
            text, _ = fill(rnd, parse_template(domain), 1.0, domain=True)
            bind["server_name"] = text.lower()
    else:
        endpoint = rnd.choice(["zz", "p.a", ""])
        values = {}
    for _ in range(rnd.choice([0, 0, 1, 2])):
        values[rnd.choice(["q", "page", "x", "k k", "ü", "skip"])] = rnd.choice(
            ["1", 2, None, ["a", "b"], ("c",), "a&b=c", ""]
        )
    if rnd.random() < 0.15:
        multi = MultiDict()
        for key, value in values.items():
            multi.add(key, value)
            if rnd.random() < 0.3:
                multi.add(key, "again")
        values = multi
    elif rnd.random() < 0.05:
        values = None
    kwargs: dict[str, t.Any] = {}
    if rnd.random() < 0.3:
        kwargs["method"] = rnd.choice(["GET", "POST", "PUT", "HEAD", "DELETE"])
    if rnd.random() < 0.3:
        kwargs["force_external"] = True
    if rnd.random() < 0.2:
        kwargs["append_unknown"] = False
    if rnd.random() < 0.2:
        kwargs["url_scheme"] = rnd.choice(["http", "https", "ws", "wss", ""])
    return BuildCase(bind, endpoint, values, kwargs)


# --------------------------------------------------------------------------
# Rule sets that may be invalid: both libraries must raise the same error
# (or both accept them).  Duplicate variable names are left out: werkzeug
# raises SyntaxError for them, fastroute a clearer ValueError.

BROKEN_STRINGS = [
    "/<a", "/<int:>", "/<1x>", "a", "", "/<int(fixed_digits=x):v>", "/<string(length=abc):v>",
    "/<any(:v>", "/<int(1 2):v>", "/<nope:v>", "/<int(min=-1):v>", "/<x>>", "/<<x>", "/<string(minlength=2, maxlength=1):v>",
    "/<int(fixed_digits=2,):v>", "/<any():v>", "/<any(a,,b):v>", "/<float(min=a):v>", "/<int(max=None):v>",
    "/<uuid(1):v>", "/<path(x=1):v>", "/$missing", "/ok/<x>", "/<x >", "/< x>", "/<int :x>",
]  # fmt: skip


@st.composite
def broken_rules(draw: t.Any) -> list[t.Any]:
    roll = draw(st.integers(0, 6))
    if roll == 0:  # methods given as a string, or websocket with POST
        return [
            RuleSpec(
                "/m",
                {"endpoint": "a", "methods": draw(st.sampled_from(["GET", ["POST"]])), "websocket": True},
            )
        ]
    if roll == 1:  # a default the rule's converter cannot build
        conv = draw(st.sampled_from(["int", "float", "any(a, b)", "uuid", "hex", "even"]))
        value = draw(st.sampled_from(["abc", "1.5", 3, None, "c"]))
        return [RuleSpec(f"/d/<{conv}:x>", {"endpoint": "a", "defaults": {"x": value}})]
    if roll == 2:  # a template placeholder that is not filled
        return [
            FactorySpec(
                "RuleTemplate",
                {"name": "t"},
                [
                    RuleSpec(
                        draw(st.sampled_from(["/$name/$other", "/$", "/$$name", "/${name}x"])),
                        {"endpoint": "$name"},
                    )
                ],
            )
        ]
    if roll == 3:  # EndpointPrefix on a non-string endpoint
        return [
            FactorySpec(
                "EndpointPrefix", "p.", [RuleSpec("/e", {"endpoint": draw(st.sampled_from([None, 5, "ok"]))})]
            )
        ]
    if roll == 4:  # a Submount prefix that is not a valid rule start
        return [
            FactorySpec(
                "Submount",
                draw(st.sampled_from(["sub", "/<s", "/s/<int:sm>"])),
                [RuleSpec("/x", {"endpoint": "a"})],
            )
        ]
    string = draw(st.sampled_from(BROKEN_STRINGS))
    return [RuleSpec(string, {"endpoint": "a"})]


@st.composite
def maybe_broken_map_specs(draw: t.Any) -> MapSpec:
    spec = draw(map_specs())
    at = draw(st.integers(0, len(spec.entries)))
    spec.entries[at:at] = draw(broken_rules())
    return spec
