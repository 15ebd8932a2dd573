"""URL converters: turn one matched piece of a URL into a Python value and back.

The seven built-in converters behave like werkzeug's (same regexes, weights,
arguments and errors), so rules sort and match identically.  Each built-in also
carries a *kind* code and plain arguments, which the matcher cores use to check
and convert values without a regex.  Any other converter (a subclass of ours,
of werkzeug's ``BaseConverter``, or any class with ``regex``, ``weight``,
``part_isolating``, ``to_python`` and ``to_url``) is matched through its regex,
or like a built-in when its regex is a built-in's (see :func:`converter_kind`).
"""

from __future__ import annotations

import re
import typing as t
import uuid
from urllib.parse import quote

from werkzeug.routing.converters import ValidationError

from .. import _spec

if t.TYPE_CHECKING:
    from .map import Map

__all__ = [
    "DEFAULT_CONVERTERS",
    "PATH_SAFE",
    "AnyConverter",
    "BaseConverter",
    "FloatConverter",
    "IntegerConverter",
    "NumberConverter",
    "PathConverter",
    "UUIDConverter",
    "UnicodeConverter",
    "ValidationError",
]

#: Characters left unquoted in a URL path segment (WHATWG path-segment set).
PATH_SAFE = _spec.PATH_SAFE

# Repetition counts from here on do not compile ("[^/]{N}" raises OverflowError).
_MAXREPEAT = 2**32 - 1


class BaseConverter:
    """Base class for converters.

    ``regex`` is what one value looks like in a URL, ``weight`` orders rules
    (lower matches first), and ``part_isolating`` says whether the value stays
    inside one path segment.  A subclass that sets ``regex`` without setting
    ``part_isolating`` gets ``part_isolating = "/" not in regex``.
    """

    regex = "[^/]+"
    weight = 100
    part_isolating = True

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__
        if "regex" in own and "part_isolating" not in own:
            cls.part_isolating = "/" not in cls.regex

    def __init__(self, map: Map, *args: t.Any, **kwargs: t.Any) -> None:
        self.map = map

    def to_python(self, value: str) -> t.Any:
        """Convert the matched text to the value handed to the view."""
        return value

    def to_url(self, value: t.Any) -> str:
        """Convert a value to its quoted URL form when building."""
        return quote(str(value), safe=PATH_SAFE)

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        """The matcher kind code and its arguments; custom unless overridden."""
        return _spec.K_CUSTOM, ()


def _exact_builtin(conv: BaseConverter, cls: type) -> bool:
    # A subclass may change to_python/to_url/regex: only the class itself
    # may be matched without its regex, and only while the instance keeps
    # the class's methods (a rule's get_converter may set its own on it;
    # a regex set on it is checked by converter_kind).
    own = conv.__dict__
    return type(conv) is cls and "to_python" not in own and "to_url" not in own


class UnicodeConverter(BaseConverter):
    """The default converter: one path segment of any text.

    ``Rule('/pages/<page>')``, ``Rule('/<string(length=2):lang>')``.

    :param minlength: minimum length (default 1).
    :param maxlength: maximum length (default unbounded).
    :param length: exact length; overrides the other two.
    """

    def __init__(
        self,
        map: Map,
        minlength: int = 1,
        maxlength: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(map)
        hi: int | None
        if length is not None:
            lo, hi = int(length), int(length)
            self.regex = f"[^/]{{{lo}}}"
        else:
            # maxlength is converted first, as in werkzeug: with both
            # invalid, its error is the one raised.
            hi = None if maxlength is None else int(maxlength)
            lo = int(minlength)
            self.regex = f"[^/]{{{lo},{'' if hi is None else hi}}}"
        self._bounds = (lo, hi)

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, UnicodeConverter):
            return _spec.K_CUSTOM, ()
        lo, hi = self._bounds
        if lo < 0 or lo >= _MAXREPEAT or (hi is not None and not lo <= hi < _MAXREPEAT):
            # Bounds that make an invalid regex ("[^/]{2,1}"): leave them to
            # the regex path, which fails like werkzeug's when a match tries
            # the part (and only then).
            return _spec.K_CUSTOM, ()
        return _spec.K_STRING, self._bounds


class AnyConverter(BaseConverter):
    """One of a fixed set of strings: ``<any(about, help, "a,b"):page>``.

    Building a URL with a value outside the set raises ``ValueError``.
    """

    def __init__(self, map: Map, *items: str) -> None:
        super().__init__(map)
        self.items = set(items)
        self._ordered = tuple(items)
        alternatives = "|".join(re.escape(x) for x in items)
        self.regex = f"(?:{alternatives})"

    def to_url(self, value: t.Any) -> str:
        if value in self.items:
            return str(value)
        allowed = ", ".join(f"'{x}'" for x in sorted(self.items))
        raise ValueError(f"'{value}' is not one of {allowed}")

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, AnyConverter):
            return _spec.K_CUSTOM, ()
        return _spec.K_ANY, self._ordered


class PathConverter(BaseConverter):
    """Like the default converter but also matches slashes: ``<path:page>``."""

    part_isolating = False
    regex = "[^/].*?"
    weight = 200

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, PathConverter):
            return _spec.K_CUSTOM, ()
        return _spec.K_PATH, ()


class NumberConverter(BaseConverter):
    """Shared behaviour of ``int`` and ``float``: digits, bounds, sign."""

    weight = 50
    num_convert: t.Callable[[t.Any], t.Any] = int

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        if signed:
            self.regex = self.signed_regex
        super().__init__(map)
        self.fixed_digits = fixed_digits
        self.min = min
        self.max = max
        self.signed = signed

    def to_python(self, value: str) -> t.Any:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError()
        try:
            number = self.num_convert(value)
        except ValueError as e:
            # Not a number after all (e.g. past int's digit limit): no match.
            raise ValidationError() from e
        if self.min is not None and number < self.min:
            raise ValidationError()
        if self.max is not None and number > self.max:
            raise ValidationError()
        return number

    def to_url(self, value: t.Any) -> str:
        text = str(self.num_convert(value))
        if self.fixed_digits:
            text = text.zfill(self.fixed_digits)
        return text

    @property
    def signed_regex(self) -> str:
        return f"-?{self.regex}"


class IntegerConverter(NumberConverter):
    """Unsigned integers by default: ``<int:page>``; ``<int(signed=True):n>``.

    :param fixed_digits: exact number of digits (``4`` matches ``0042``).
    :param min: smallest accepted value.
    :param max: largest accepted value.
    :param signed: accept a leading ``-``.
    """

    regex = r"\d+"

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, IntegerConverter):
            return _spec.K_CUSTOM, ()
        return _spec.K_INT, (self.fixed_digits, self.min, self.max, bool(self.signed))


class FloatConverter(NumberConverter):
    """Floats written with a dot: ``<float:ratio>``; ``<float(signed=True):x>``.

    :param min: smallest accepted value.
    :param max: largest accepted value.
    :param signed: accept a leading ``-``.
    """

    regex = r"\d+\.\d+"
    num_convert = float

    def __init__(
        self,
        map: Map,
        min: float | None = None,
        max: float | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, min=min, max=max, signed=signed)  # type: ignore[arg-type]

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, FloatConverter):
            return _spec.K_CUSTOM, ()
        return _spec.K_FLOAT, (self.min, self.max, bool(self.signed))


class UUIDConverter(BaseConverter):
    """A UUID in its 8-4-4-4-12 hex form, converted to ``uuid.UUID``."""

    regex = (
        r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-"
        r"[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
    )

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID) -> str:
        return str(value)

    def _kind(self) -> tuple[int, tuple[t.Any, ...]]:
        if not _exact_builtin(self, UUIDConverter):
            return _spec.K_CUSTOM, ()
        return _spec.K_UUID, ()


def converter_kind(conv: t.Any) -> tuple[int, tuple[t.Any, ...]]:
    """Kind code and arguments the cores use to match *conv*'s text.

    A built-in converter gives its own; any other converter (a subclass of
    ours or werkzeug's, a foreign class) is matched like a built-in when its
    ``regex`` is, character for character, one the built-ins write (say a
    subclass that only changes ``to_python``), and through its regex
    otherwise.  Values are converted by the converter object either way.
    """
    kind = getattr(conv, "_kind", None)
    by_regex = regex_kind(getattr(conv, "regex", None))
    if kind is not None and isinstance(conv, BaseConverter):
        found: tuple[int, tuple[t.Any, ...]] = kind()
        if found[0] != _spec.K_CUSTOM and _same_text(found, by_regex):
            return found
    return by_regex


def _same_text(kind: tuple[int, tuple[t.Any, ...]], by_regex: tuple[int, tuple[t.Any, ...]]) -> bool:
    """Whether a built-in's kind matches the text its regex matches: a regex
    set on the instance after ``__init__`` (say by a rule's
    ``get_converter``) is what werkzeug matches with."""
    code, args = kind
    if code != by_regex[0]:
        return False
    if code == _spec.K_INT:
        return bool(bool(args[3]) == by_regex[1][3])  # signed; the rest is checked by to_python
    if code == _spec.K_FLOAT:
        return bool(bool(args[2]) == by_regex[1][2])
    return code in (_spec.K_UUID, _spec.K_PATH) or args == by_regex[1]


# The built-in regexes as werkzeug's converters (and ours) write them.
# (Repeat counts are ASCII digits for re, and past 10 digits no valid count.)
_STRING_REGEX = re.compile(
    r"\[\^/\](?:(?P<plus>\+)|(?P<star>\*)|\{(?P<lo>[0-9]{1,10})(?P<comma>,(?P<hi>[0-9]{0,10}))?\})"
)
_FIXED_KINDS: dict[str, tuple[int, tuple[t.Any, ...]]] = {
    r"\d+": (_spec.K_INT, (0, None, None, False)),
    r"-?\d+": (_spec.K_INT, (0, None, None, True)),
    r"\d+\.\d+": (_spec.K_FLOAT, (None, None, False)),
    r"-?\d+\.\d+": (_spec.K_FLOAT, (None, None, True)),
    UUIDConverter.regex: (_spec.K_UUID, ()),
    PathConverter.regex: (_spec.K_PATH, ()),
}


def regex_kind(regex: t.Any) -> tuple[int, tuple[t.Any, ...]]:
    """The kind of a converter regex: a built-in kind when *regex* is exactly
    the text of a built-in converter's regex (``[^/]{2,5}``, ``-?\\d+``,
    ``(?:a|b)`` with escaped items...), else custom."""
    if regex.__class__ is not str:
        return _spec.K_CUSTOM, ()
    fixed = _FIXED_KINDS.get(regex)
    if fixed is not None:
        return fixed
    found = _STRING_REGEX.fullmatch(regex)
    if found is not None:
        if found.group("plus"):
            lo, hi = 1, None
        elif found.group("star"):
            lo, hi = 0, None
        else:
            lo = int(found.group("lo"))
            hi = lo if not found.group("comma") else int(found.group("hi")) if found.group("hi") else None
        if lo >= _MAXREPEAT or (hi is not None and not lo <= hi < _MAXREPEAT):
            return _spec.K_CUSTOM, ()
        return _spec.K_STRING, (lo, hi)
    if regex.startswith("(?:") and regex.endswith(")"):
        items = _escaped_alternatives(regex[3:-1])
        if items is not None:
            return _spec.K_ANY, items
    return _spec.K_CUSTOM, ()


def _escaped_alternatives(text: str) -> tuple[str, ...] | None:
    """The items x, y... when *text* is exactly ``re.escape(x)|re.escape(y)...``."""
    items = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            char = next(chars, "")
            if not char:
                return None
        elif char == "|":
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    if "|".join(re.escape(item) for item in items) != text:
        return None
    return tuple(items)


DEFAULT_CONVERTERS: t.Mapping[str, type[BaseConverter]] = {
    "default": UnicodeConverter,
    "string": UnicodeConverter,
    "any": AnyConverter,
    "path": PathConverter,
    "int": IntegerConverter,
    "float": FloatConverter,
    "uuid": UUIDConverter,
}
