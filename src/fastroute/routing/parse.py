"""Rule text: its tokens, converter arguments and the parts the cores take.

What parsing works out per piece of text (tokens, literal segments, quoted
literals, group names, static parts) repeats from rule to rule, so it is
remembered here, process-wide and bounded; :class:`~.rules.Rule` puts the
pieces together per rule.
"""

from __future__ import annotations

import re
import typing as t
from urllib.parse import quote

from .. import _spec
from .converters import PATH_SAFE

__all__ = ["PartSpec", "parse_converter_args"]

_SHARED_PIECES_MAX = _spec.SHARED_PIECES_MAX

# One token of a rule string: a slash, a run of literal text, or a variable
# ``<converter(arguments):name>`` with the converter part optional.
_TOKEN = re.compile(
    r"(?P<slash>/)"
    r"|(?P<text>[^</]+)"
    r"|<(?:(?P<conv>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<var>[a-zA-Z_]\w*)>",
    re.ASCII,
)


# One converter argument followed by its comma: ``[name=]value,``.  The value
# forms (constants, numbers, bare words, quoted strings with an optional
# prefix) and their order are the grammar werkzeug accepts.
_ARG = re.compile(
    r"""\s*(?:(?P<key>\w+)\s*=\s*)?
    (?P<value>True|False|\d+.\d+|\d+.|\d+|[\w\d_.]+
        |[urUR]?(?P<quoted>"[^"]*?"|'[^']*'))\s*,""",
    re.VERBOSE,
)

_CONSTANTS: dict[str, t.Any] = {"None": None, "True": True, "False": False}


def _to_python_literal(text: str) -> t.Any:
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    if text[:1] == text[-1:] and text[:1] in ("'", '"'):
        text = text[1:-1]
    return str(text)


def parse_converter_args(argstr: str) -> tuple[tuple[t.Any, ...], dict[str, t.Any]]:
    """Parse ``"1, 'a', max=5"`` into ``((1, 'a'), {'max': 5})``.

    Raises ``ValueError`` for text between arguments that is not an argument.
    """
    args: list[t.Any] = []
    kwargs: dict[str, t.Any] = {}
    expected = 0
    for found in _ARG.finditer(argstr + ","):
        if found.start() != expected:
            bad = (argstr + ",")[expected : found.start()]
            raise ValueError(f"Cannot parse converter argument '{bad}'")
        raw = found.group("quoted")
        value = _to_python_literal(raw if raw is not None else found.group("value"))
        key = found.group("key")
        if key:
            kwargs[key] = value
        else:
            args.append(value)
        expected = found.end()
    return tuple(args), kwargs


class PartSpec(t.NamedTuple):
    """One matchable part of a rule, as handed to a matcher core.

    ``static`` parts match their ``content`` literally.  Dynamic parts match
    ``content``, a regex anchored by the core whose converter groups are
    named ``groups[0]``, ``groups[1]``, ... (``v0``, ``v1``, ... unless a
    converter's own regex has a group of that name); ``pieces`` describes
    the same part as literal strings and converter slots ``(kind,
    kind_args, converter)`` so a core can match it without the regex.  A
    ``final`` part swallows the rest of the path (a converter that is not
    part-isolating), and a ``suffixed`` one ends in an optional slash
    captured by the last group of ``groups`` (``sfx``).  ``weight`` orders
    dynamic siblings as werkzeug does.
    """

    static: bool
    content: str
    final: bool
    suffixed: bool
    weight: tuple[t.Any, ...]
    pieces: tuple[t.Any, ...]
    groups: tuple[str, ...] = ()


_K = t.TypeVar("_K")
_V = t.TypeVar("_V")
# What parsing works out per text is remembered: literals, segments and parts
# repeat from rule to rule.  Bounded, so odd workloads cannot grow it without
# limit.
_REMEMBERED_MAX = _spec.REMEMBERED_TEXT_MAX


class _Remembered(dict[_K, _V]):
    """``cache[key]`` works a missing value out with *make* and keeps at most
    ``_REMEMBERED_MAX`` of them; a hit is a plain dict lookup."""

    def __init__(self, make: t.Callable[[_K], _V]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: _K) -> _V:
        value = self.make(key)
        if len(self) < _REMEMBERED_MAX:
            self[key] = value
        return value


# The group names of a part, by (prefix, converters, suffixed): one tuple each.
_GROUP_NAMES: _Remembered[tuple[str, int, bool], tuple[str, ...]] = _Remembered(
    lambda key: _make_group_names(key)
)
_SLASH_TOKEN = (False, "/")
_BAR_TOKEN = (False, "|")
# The shared ``_trace`` entries of literals and variables.
_LITERAL_TOKENS: _Remembered[str, tuple[bool, str]] = _Remembered(lambda text: (False, text))
_VARIABLE_TOKENS: _Remembered[str, tuple[bool, str]] = _Remembered(lambda name: (True, name))
# Static parts, by (text, weight): immutable, so shared.
_STATIC_PARTS: _Remembered[tuple[str, t.Any], PartSpec] = _Remembered(
    lambda key: PartSpec(True, key[0], False, False, key[1], ())
)
_EMPTY_PART = _STATIC_PARTS["", (0, (), 0, ())]


def _tokenize(text: str, trace: list[tuple[bool, str]]) -> None:
    """Append the ``_trace`` tokens of *text* (a rule text that parsed)."""
    pos = 0
    end = len(text)
    while pos < end:
        token = _TOKEN.match(text, pos)
        if token is None:  # (only texts that parsed get here)
            raise ValueError(f"malformed url rule: {text!r}")
        pos = token.end()
        if token.group("slash") is not None:
            trace.append(_SLASH_TOKEN)
        elif token.group("text") is not None:
            trace.append(_LITERAL_TOKENS[token.group("text")])
        else:
            trace.append(_VARIABLE_TOKENS[token.group("var")])


# Text that quote(text, safe=PATH_SAFE) leaves as it is.
_PATH_SAFE_TEXT = re.compile(_spec.PATH_SAFE_RE)
# A literal as a URL path holds it (quote() leaves safe text as it is).
_QUOTED: _Remembered[str, str] = _Remembered(
    lambda text: text if _PATH_SAFE_TEXT.fullmatch(text) else quote(text, safe=PATH_SAFE)
)


def _parse_segment(text: str) -> t.Any:
    """What a whole path segment (no slash) holds: ``(True, part)`` for a
    literal, ``(False, name, converter, arguments)`` for a lone
    variable, None for anything else."""
    if "<" not in text:
        return (True, _STATIC_PARTS[text, (-1, ((0, -len(text)),), 0, ())])
    # The tokeniser's own reading: one variable token spanning the whole
    # text (a greedier pattern could take two for one).
    var = _TOKEN.match(text)
    if var is None or var.end() != len(text) or var["var"] is None:
        return None
    return (False, var["var"], var["conv"] or "default", var["args"] or "")


_SEGMENTS: _Remembered[str, t.Any] = _Remembered(_parse_segment)


def _lone_variable_part(piece: tuple[t.Any, ...], key: t.Any, shared: dict[t.Any, t.Any] | None) -> PartSpec:
    """The part of a segment that is one part-isolating variable (shared
    with the other rules of the map when the converter is)."""
    if key is None or shared is None:
        return _make_part([piece], False, [], [piece[2].weight])
    key = (key, "part")
    part = shared.get(key)
    if part is None:
        part = _make_part([piece], False, [], [piece[2].weight])
        if len(shared) < _SHARED_PIECES_MAX:
            shared[key] = part
    return t.cast(PartSpec, part)


def _make_part(
    pieces: list[t.Any],
    final: bool,
    static_weights: list[tuple[int, int]],
    arg_weights: list[t.Any],
    suffixed: bool = False,
) -> PartSpec:
    weight = (-len(static_weights), tuple(static_weights), -len(arg_weights), tuple(arg_weights))
    if not arg_weights:
        return _STATIC_PARTS["".join(pieces), weight]
    if suffixed:
        pieces = pieces[:-1]
    groups = _group_names([piece[2].regex for piece in pieces if piece.__class__ is not str], suffixed)
    regex = []
    slot = 0
    for piece in pieces:
        if piece.__class__ is str:
            regex.append(re.escape(piece))
        else:
            regex.append(f"(?P<{groups[slot]}>{piece[2].regex})")
            slot += 1
    if suffixed:
        regex.append(f"(?<!/)(?P<{groups[-1]}>/?)")
    return PartSpec(False, "".join(regex), final, suffixed, weight, tuple(pieces), groups)


# The text that opens a named group; found anywhere in a converter's regex
# (even escaped), it only makes the names below more careful.
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")


def _group_names(regexes: list[t.Any], suffixed: bool) -> tuple[str, ...]:
    """Names for the groups of a part's converters (and of its optional
    slash): ``v0``, ``v1``... and ``sfx``, with as many leading underscores
    as it takes to be none of the groups the converters' own regexes name
    (werkzeug reads only its own group names, so any other is the user's)."""
    taken: set[str] = set()
    for regex in regexes:
        if regex.__class__ is str and "(?P<" in regex:
            taken.update(_NAMED_GROUP.findall(regex))
    prefix = ""
    while True:
        names = _GROUP_NAMES[prefix, len(regexes), suffixed]
        if taken.isdisjoint(names):
            return names
        prefix += "_"


def _make_group_names(key: tuple[str, int, bool]) -> tuple[str, ...]:
    prefix, count, suffixed = key
    names = tuple(f"{prefix}v{i}" for i in range(count))
    return (*names, f"{prefix}sfx") if suffixed else names
