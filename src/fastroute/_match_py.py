"""Pure-Python matcher core (the twin of the compiled ``_match``).

The routing layer hands this module plain data: for every matchable rule its
parts (static text, or a regex plus a description of its converter slots), the
rule object as an opaque payload, and the rule's options.  :meth:`Matcher.finish`
freezes them into a tree; :meth:`Matcher.match` walks it.

The walk reproduces werkzeug 3.1's state machine result for result: per
segment, the static child first, then the dynamic children in weight order,
with backtracking; the leaf checks methods and websocket; a branch rule reached
without its trailing slash asks for a redirect; ``merge_slashes`` retries with
``//`` collapsed.  It differs only in how it gets there: the tree is built
once, each dynamic child owns a compiled pattern (or a regex-free check for the
common built-in converters), a part with several built-in converters is
matched in linear time without backtracking (see "Parts with several
converters" below), fully static paths are one dict lookup, and the walk
signals its outcome with return values, not exceptions.
"""

from __future__ import annotations

import copyreg
import re
import sys
import typing as t
from _sre import MAXREPEAT
from urllib.parse import quote
from weakref import WeakKeyDictionary

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.converters import ValidationError
from werkzeug.routing.exceptions import BuildError, RequestRedirect, WebsocketMismatch

from . import _spec

__all__ = ["HIT", "NOMATCH", "REDIRECT", "AdapterBase", "MapBase", "Matcher", "build_plans"]

# Status codes of Matcher.match(), converter kinds and edge check modes: the
# contract with routing/ (fastroute._spec).
HIT = _spec.HIT
REDIRECT = _spec.REDIRECT
NOMATCH = _spec.NOMATCH

_STRING = _spec.K_STRING
_INT = _spec.K_INT
_FLOAT = _spec.K_FLOAT
_UUID = _spec.K_UUID
_ANY = _spec.K_ANY
_PATH = _spec.K_PATH

# Edge check modes: how one dynamic child tests its segment (this core has
# four of the spec's modes; the compiled one has a C check per lone kind).
_BY_REGEX = _spec.M_REGEX
_BY_LENGTH = _spec.M_LENGTH  # a lone string converter: only the length matters
_BY_DIGITS = _spec.M_DIGITS  # a lone unsigned int converter: str.isdecimal() == r"\d+"
_BY_PIECES = _spec.M_LINEAR  # several built-in converters: _Linear, not the regex

_MERGE = re.compile("/{2,}")
_TRAILING_SLASH = [""]  # the parts left after a slash-suffixed final part


# Leaves and build plans keep a frozen copy of their rule's methods, read
# once like the rest of the rule (the compiled core derives a bit mask from
# it); equal sets share one copy, since most rules have one of a handful.
_FROZEN_METHODS: dict[frozenset[str], frozenset[str]] = {}


def frozen_methods(methods: t.AbstractSet[str] | None) -> frozenset[str] | None:
    if methods is None:
        return None
    frozen = frozenset(methods)
    return _FROZEN_METHODS.setdefault(frozen, frozen)


class _Leaf:
    """A rule as the matcher sees it."""

    __slots__ = (
        "converters",
        "defaults",
        "merge_slashes",
        "methods",
        "names",
        "plain",
        "rule",
        "strict_slashes",
        "websocket",
    )

    def __init__(
        self,
        rule: t.Any,
        names: tuple[str, ...],
        converters: tuple[t.Any, ...],
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        strict_slashes: bool,
        merge_slashes: bool,
        defaults: t.Mapping[str, t.Any] | None,
    ) -> None:
        self.rule = rule
        self.names = names
        # None marks a converter whose to_python is the identity.
        self.converters = converters
        self.methods = frozen_methods(methods)
        self.websocket = websocket
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.defaults = dict(defaults) if defaults else None
        # A hit on a plain rule needs no alias or redirect_to handling.
        self.plain = not getattr(rule, "alias", False) and getattr(rule, "redirect_to", None) is None


class _Node:
    __slots__ = ("dynamic", "leaves", "paths", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.dynamic: list[_Edge] = []
        self.leaves: list[_Leaf] = []
        # On the root's static children only: whole static path -> node.
        self.paths: dict[str, _Node] = {}


class _Edge:
    """A dynamic transition: a pattern for one segment (or the rest)."""

    __slots__ = (
        "final", "groups", "hi", "key", "linear", "lo", "mode", "node", "pattern", "sfx", "short",
        "suffixed", "weight",
    )  # fmt: skip

    def __init__(self, part: t.Any, at_root: bool) -> None:
        self.key = (part.content, part.final, part.suffixed, part.weight)
        self.weight = part.weight
        self.node = _Node()
        self.final = part.final
        self.suffixed = part.suffixed
        n = sum(1 for p in part.pieces if p.__class__ is not str)
        # Values in the order of the converters (werkzeug >= 3.1.9), by the
        # names the part gave its groups (a converter's regex may have its
        # own named groups); then the optional slash's group.
        self.groups = tuple(part.groups[:n])
        self.sfx = part.groups[n] if part.suffixed else None
        self.mode = _BY_REGEX
        self.lo = 0
        self.hi: int | None = None
        # Path segments never hold "/", the domain may: at the root only the
        # regex is exact.
        if not part.final and not at_root and len(part.pieces) == 1:
            kind, args, _ = part.pieces[0]
            if kind == _STRING and plain_length_bounds(*args):
                self.mode = _BY_LENGTH
                self.lo, self.hi = args
            elif kind == _INT and not args[3]:
                self.mode = _BY_DIGITS
        self.pattern: t.Any = None
        self.linear: _Linear | None = None
        self.short = -1
        if self.mode == _BY_REGEX and n > 1:
            # Several converters: re would backtrack over their lengths.
            pieces = linear_pieces(part.pieces)
            if pieces is not None:
                self.mode = _BY_PIECES
                self.linear = _Linear(pieces, part.suffixed)
                self.short = regex_limit(pieces)
        if self.mode == _BY_REGEX or self.short >= 0:
            self.pattern = _compile(part.content)


def plain_length_bounds(lo: int, hi: int | None) -> bool:
    """Whether ``[^/]{lo,hi}`` compiles to "between lo and hi characters".

    Otherwise the regex is what werkzeug uses, with its quirks: bounds past
    sre's MAXREPEAT raise OverflowError and ``lo > hi`` raises re.error when
    the part is tried, and a negative bound is not a repeat at all.
    """
    if not 0 <= lo < MAXREPEAT:
        return False
    return hi is None or lo <= hi < MAXREPEAT


def _compile(content: str) -> t.Any:
    """The part's anchored pattern.  werkzeug compiles a part's regex only
    when a match tries that part: an invalid converter regex fails those
    matches, not the whole map (building and other paths still work)."""
    try:
        return re.compile(content + r"\Z")
    except (re.error, OverflowError) as e:  # OverflowError: "{N}" too large
        return _InvalidPattern(e)


class _InvalidPattern:
    """Stands for a regex that does not compile: raises when it is tried."""

    __slots__ = ("error",)

    def __init__(self, error: re.error) -> None:
        self.error = error

    def match(self, text: str) -> t.NoReturn:
        raise self.error


# ---------------------------------------------------------------------------
# Parts with several converters, matched in linear time
#
# A part such as ``<a>-<b>.html`` or ``<path:a>/x/<path:b>`` is, for werkzeug,
# one regex: ``re`` tries the converters' possible lengths in backtracking
# order, which on a near miss costs a power of the length.  For the built-in
# converters the same answer is computed here without backtracking.
#
# The part is a sequence of pieces (literals and converters); from a start
# position each piece can end at a set of positions, tried by the regex in a
# fixed order of preference: greedy runs (``[^/]{lo,hi}``, ``\d+``) longest
# first, ``path`` (``[^/].*?``) shortest first, ``any`` in the order of its
# alternatives.  ``re`` returns the first assignment in that order for which
# the rest of the part matches to the end.  So:
#
# 1. forward: the positions each piece can start at (reached from 0); a near
#    miss usually stops here, when no position is left;
# 2. backward: ``feasible[i][p]``, whether pieces i.. can match text[p:];
# 3. a walk from 0 that takes, for each piece, the first end in preference
#    order from which the rest is feasible.
#
# Each step is a few passes over the text per piece, with the candidate ends
# of a converter forming one interval (or a few fixed lengths), so the whole
# match is linear in the text.

# Piece codes: the converter kinds above, and a literal.
_LIT = 0

_DIGIT_RUN = re.compile(r"\d+")  # re's \d: any Unicode decimal digit
_UUID_TEXT = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
_UUID_AT = re.compile(f"(?={_UUID_TEXT})")
_UUID_LEN = 36


#: On texts this short the pure core matches a part of several converters
#: with its regex: re's backtracking is bounded by the product of the
#: converters' choices (REGEX_TRIES at most; a few microseconds), and costs
#: less in Python than setting up the linear matcher.
REGEX_TRIES = _spec.REGEX_TRIES


def regex_limit(pieces: tuple[tuple[t.Any, ...], ...]) -> int:
    """The longest text on which the part's regex tries at most
    :data:`REGEX_TRIES` assignments of its converters (-1: none)."""
    fixed = 1  # any and uuid: a choice per alternative, whatever the length
    runs = 0  # the others: a choice per end position
    for piece in pieces:
        if piece[0] == _ANY:
            fixed *= len(piece[1])
        elif piece[0] != _LIT and piece[0] != _UUID:
            runs += 1
    if fixed > REGEX_TRIES:
        return -1
    if not runs:
        return sys.maxsize
    size = -1
    while fixed * (size + 2) ** runs <= REGEX_TRIES:
        size += 1
    return size


def linear_pieces(pieces: t.Sequence[t.Any]) -> tuple[tuple[t.Any, ...], ...] | None:
    """The part's pieces for :class:`_Linear`, adjacent literals merged, or
    None when a converter has no linear form (custom, or odd bounds).

    ``(_LIT, text)``, ``(_STRING, lo, hi_or_None)``, ``(_INT, signed)``,
    ``(_FLOAT, signed)``, ``(_UUID,)``, ``(_ANY, items)``, ``(_PATH,)``.
    """
    out: list[tuple[t.Any, ...]] = []
    for piece in pieces:
        if piece.__class__ is str:
            if not piece:
                continue
            if out and out[-1][0] == _LIT:
                out[-1] = (_LIT, out[-1][1] + piece)
            else:
                out.append((_LIT, piece))
            continue
        kind, args, _ = piece
        if kind == _STRING and plain_length_bounds(*args):
            out.append((_STRING, args[0], args[1]))
        elif kind == _INT:
            out.append((_INT, bool(args[3])))
        elif kind == _FLOAT:
            out.append((_FLOAT, bool(args[2])))
        elif kind == _UUID:
            out.append((_UUID,))
        elif kind == _ANY:
            # "(?:)" (no items) matches the empty string; a repeated item
            # never changes the answer.
            out.append((_ANY, tuple(dict.fromkeys(args)) or ("",)))
        elif kind == _PATH:
            out.append((_PATH,))
        else:
            return None
    return tuple(out)


def _linear_part(part: t.Any) -> _Linear | None:
    """The linear matcher of a dynamic part, or None: for tests, which
    compare it with the part's regex."""
    pieces = linear_pieces(part.pieces)
    return None if pieces is None else _Linear(pieces, part.suffixed)


def _digits_end(text: str, pos: int) -> int:
    """The end of the run of digits (re's \\d) from *pos*."""
    run = _DIGIT_RUN.match(text, pos)
    return pos if run is None else run.end()


def _ones(n: int) -> bytes:
    return b"\x01" * n


# Sets of positions are bytearrays of 0/1 flags, one per position 0..size
# (find and rfind give the nearest position, slices fill intervals), and for
# bulk set operations the same bytes read as an int (``int.from_bytes``, so
# position p is bit 8p): everything runs in C but the loops over groups.


def _as_int(flags: bytearray) -> int:
    return int.from_bytes(flags, "little")


def _as_flags(bits: int, size: int) -> bytearray:
    return bytearray(bits.to_bytes(size + 1, "little"))


class _Text:
    """The text being matched, with the positions of its characters and
    literals (as ints, see above), computed once per match when needed."""

    __slots__ = ("ascii", "masks", "size", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.masks: dict[str, int] = {}
        self.ascii: bytes | None = None

    def char(self, char: str) -> int:
        """The positions of *char*."""
        mask = self.masks.get(char)
        if mask is None:
            if self.ascii is None and self.text.isascii():
                self.ascii = self.text.encode("ascii")
            if self.ascii is not None:
                table = bytearray(256)
                if ord(char) < 128:
                    table[ord(char)] = 1
                flags = self.ascii.translate(table)
            else:  # a 1 byte between the pieces split makes
                flags = b"\x01".join(map(bytes, map(len, self.text.split(char))))
            mask = self.masks[char] = int.from_bytes(flags, "little")
        return mask

    def literal(self, lit: str) -> int:
        """The positions where *lit* starts (overlapping ones too)."""
        mask = self.masks.get(lit)
        if mask is None:
            mask = self.char(lit[0])
            for i in range(1, len(lit)):
                mask &= self.char(lit[i]) >> (8 * i)
            self.masks[lit] = mask
        return mask


# -- forward: the positions the next piece can start at ----------------------

_FEW = 64  # starts within this span are tried one by one, not as bit sets


def _reach(piece: tuple[t.Any, ...], at: _Text, reach: bytearray, start: int) -> bytearray:
    """Ends of *piece* from the positions marked in *reach* (the first at *start*)."""
    text = at.text
    size = at.size
    code = piece[0]
    if code in (_LIT, _ANY) and reach.rfind(1) - start < _FEW:
        # A few starts (as after a near miss): try them one by one.
        out = bytearray(size + 1)
        items = (piece[1],) if code == _LIT else piece[1]
        for p in range(start, reach.rfind(1) + 1):
            if reach[p]:
                for item in items:
                    if text.startswith(item, p):
                        out[p + len(item)] = 1
        return out
    if code == _LIT:
        return _as_flags((_as_int(reach) & at.literal(piece[1])) << (8 * len(piece[1])), size)
    if code == _ANY:
        bits = 0
        marks = _as_int(reach)
        for item in piece[1]:
            bits |= (marks & at.literal(item)) << (8 * len(item)) if item else marks
        return _as_flags(bits, size)
    out = bytearray(size + 1)
    if code == _STRING:
        lo, hi = piece[1], piece[2]
        covered = -1
        p = start
        while p >= 0:
            stop = text.find("/", p)
            if stop < 0:
                stop = size
            # Every start in p..stop can run to stop at most (no "/" before).
            if hi is None:
                if p + lo <= stop:
                    out[p + lo : stop + 1] = _ones(stop + 1 - p - lo)
            else:
                q = p
                while q >= 0:
                    first = max(q + lo, covered + 1)
                    last = min(q + hi, stop)
                    if first <= last:
                        out[first : last + 1] = _ones(last + 1 - first)
                        covered = last
                    q = reach.find(1, q + 1, stop + 1)
            p = reach.find(1, stop + 1)
    elif code == _PATH:
        p = start
        while 0 <= p < size:
            if text[p] == "/":
                p = reach.find(1, p + 1)
                continue
            newline = text.find("\n", p + 1)
            if newline < 0:
                newline = size
            out[p + 1 : newline + 1] = _ones(newline - p)
            p = reach.find(1, newline)
    elif code in (_INT, _FLOAT):
        signed = piece[1]
        last = reach.rfind(1)
        for run in _DIGIT_RUN.finditer(text, start):
            a, r = run.span()
            if a > last + 1:
                break
            # The first start in the run (a "-" before it, when signed); the
            # later ones end the same way, on shorter values.
            first = a if signed and a and reach[a - 1] and text[a - 1] == "-" else reach.find(1, a, r)
            if first < 0:
                continue
            if code == _INT:
                out[first + 1 : r + 1] = _ones(r - first)
            elif text.startswith(".", r):
                end = _digits_end(text, r + 1)
                if end > r + 1:
                    out[r + 2 : end + 1] = _ones(end - r - 1)
    elif code == _UUID:
        for hit in _UUID_AT.finditer(text, start):
            if reach[hit.start()]:
                out[hit.start() + _UUID_LEN] = 1
    return out


# -- backward: where the rest of the part can match ---------------------------


def _feasible(
    piece: tuple[t.Any, ...], at: _Text, after: bytearray, reach: bytearray, start: int
) -> bytearray:
    """Positions p >= start (exact where *reach* is set) from which *piece*
    can end at a position marked in *after*."""
    text = at.text
    size = at.size
    code = piece[0]
    if code == _LIT:
        return _as_flags(at.literal(piece[1]) & (_as_int(after) >> (8 * len(piece[1]))), size)
    if code == _ANY:
        bits = 0
        marks = _as_int(after)
        for item in piece[1]:
            bits |= at.literal(item) & (marks >> (8 * len(item))) if item else marks
        return _as_flags(bits, size)
    out = bytearray(size + 1)
    if code == _STRING:
        lo, hi = piece[1], piece[2]
        if hi is None:
            p = start
            while True:
                stop = text.find("/", p)
                if stop < 0:
                    stop = size
                # Starts p..stop: the last feasible end <= stop decides.
                last = after.rfind(1, p + lo, stop + 1)
                if last >= 0:
                    out[p : last - lo + 1] = _ones(last - lo + 1 - p)
                if stop >= size:
                    break
                p = stop + 1
        else:
            nearest = -1  # the first feasible end >= below
            below = size + 1
            stop = -1  # the first "/" at or after p
            stop_from = size + 1
            p = reach.rfind(1, start)
            while p >= 0:
                first = p + lo
                if first < below and first <= size:
                    found = after.find(1, first, below)
                    if found >= 0:
                        nearest = found
                    below = first
                if p < stop_from:
                    found = text.find("/", p, stop_from)
                    if found >= 0:
                        stop = found
                    elif stop < 0:
                        stop = size
                    stop_from = p
                if nearest >= 0 and nearest <= min(p + hi, stop):
                    out[p] = 1
                p = reach.rfind(1, start, p)
    elif code == _PATH:
        p = start
        while p < size:
            newline = text.find("\n", p + 1)
            if newline < 0:
                newline = size
            # Starts p..newline-1 may end anywhere up to the newline.
            last = after.rfind(1, p + 1, newline + 1)
            if last >= 0:
                out[p:last] = _ones(last - p)
            p = newline
        if "/" in text:  # a path value does not start with "/"
            out = _as_flags(_as_int(out) & ~at.char("/"), size)
    elif code == _INT:
        signed = piece[1]
        for run in _DIGIT_RUN.finditer(text, start):
            a, r = run.span()
            last = after.rfind(1, a + 1, r + 1)
            if last >= 0:
                out[a:last] = _ones(last - a)
                if signed and a and text[a - 1] == "-":
                    out[a - 1] = 1
    elif code == _FLOAT:
        signed = piece[1]
        previous = None
        for run in _DIGIT_RUN.finditer(text, start):
            a, r = run.span()
            if previous is not None:
                a0, r0 = previous
                if a == r0 + 1 and text[r0] == "." and after.find(1, a + 1, r + 1) >= 0:
                    out[a0:r0] = _ones(r0 - a0)
                    if signed and a0 and text[a0 - 1] == "-":
                        out[a0 - 1] = 1
            previous = (a, r)
    elif code == _UUID:
        for hit in _UUID_AT.finditer(text, start):
            if after[hit.start() + _UUID_LEN]:
                out[hit.start()] = 1
    return out


# -- the walk: the first end in the regex's order of preference ---------------


def _choose(piece: tuple[t.Any, ...], text: str, size: int, p: int, after: bytearray) -> int:
    """The end of *piece* from *p* that re would keep, or -1."""
    code = piece[0]
    if code == _LIT:
        lit = piece[1]
        end = p + len(lit)
        return end if text.startswith(lit, p) and after[end] else -1
    if code == _STRING:
        lo, hi = piece[1], piece[2]
        stop = text.find("/", p)
        if stop < 0:
            stop = size
        if hi is not None and p + hi < stop:
            stop = p + hi
        return after.rfind(1, p + lo, stop + 1) if p + lo <= stop else -1
    if code == _PATH:
        if p >= size or text[p] == "/":
            return -1
        newline = text.find("\n", p + 1)
        return after.find(1, p + 1, (size if newline < 0 else newline) + 1)
    if code in (_INT, _FLOAT):
        first = p + 1 if piece[1] and text.startswith("-", p) else p
        stop = _digits_end(text, first)
        if stop == first:
            return -1
        if code == _INT:
            return after.rfind(1, first + 1, stop + 1)
        if not text.startswith(".", stop):
            return -1
        end = _digits_end(text, stop + 1)
        return after.rfind(1, stop + 2, end + 1) if end > stop + 1 else -1
    if code == _UUID:
        end = p + _UUID_LEN
        return end if end <= size and after[end] and _UUID_AT.match(text, p) else -1
    for item in piece[1]:  # _ANY
        end = p + len(item)
        if text.startswith(item, p) and after[end]:
            return end
    return -1


class _Linear:
    """Matches one part given as :func:`linear_pieces`, with the groups the
    part's regex (anchored at both ends) would capture."""

    __slots__ = ("head", "pieces", "suffixed", "tail")

    def __init__(self, pieces: tuple[tuple[t.Any, ...], ...], suffixed: bool) -> None:
        self.pieces = pieces
        self.suffixed = suffixed
        # Necessary conditions, checked first: a literal at either end.
        self.head = pieces[0][1] if pieces[0][0] == _LIT else ""
        self.tail = pieces[-1][1] if pieces[-1][0] == _LIT and not suffixed else ""

    def match(self, text: str) -> tuple[list[str], bool] | None:
        """``(values, slash)`` or None; *slash*: the optional trailing slash
        of a suffixed part was there."""
        if not text.startswith(self.head) or not text.endswith(self.tail):
            return None
        size = len(text)
        # The end the pieces must reach: the end of the text, or for a
        # suffixed part ("(?<!/)(?P<sfx>/?)", by default name) one before a final "/" that
        # does not follow another "/".
        goal = size
        if self.suffixed and size and text[size - 1] == "/":
            if size > 1 and text[size - 2] == "/":
                return None
            goal = size - 1
        pieces = self.pieces
        count = len(pieces)
        at = _Text(text)
        # 1. forward
        reaches = [bytearray(size + 1)]
        reaches[0][0] = 1
        starts = [0]
        for i in range(count - 1):
            reach = _reach(pieces[i], at, reaches[i], starts[i])
            first = reach.find(1)
            if first < 0:
                return None
            reaches.append(reach)
            starts.append(first)
        last = _reach(pieces[-1], at, reaches[-1], starts[-1])
        if not last[goal]:
            return None
        accept = bytearray(size + 1)
        accept[goal] = 1
        # 2. backward
        feasible: list[bytearray] = [accept] * (count + 1)
        for i in range(count - 1, 0, -1):
            feasible[i] = _feasible(pieces[i], at, feasible[i + 1], reaches[i], starts[i])
        # 3. walk
        values = []
        p = 0
        for i in range(count):
            piece = pieces[i]
            end = _choose(piece, text, size, p, feasible[i + 1])
            if end < 0:
                return None
            if piece[0] != _LIT:
                values.append(text[p:end])
            p = end
        return values, p < size


# werkzeug searches its rule tree recursively (``update`` sorts it, ``match``
# walks it: a Python frame per level), so a rule deeper than the recursion
# limit allows raises RecursionError at the first match or build.  The cores
# raise the same at the same call: when the tree's depth plus the caller's
# frames (fastroute's own not counted) plus _WERKZEUG_FRAMES passes the limit.
# _WERKZEUG_FRAMES is werkzeug 3.1's frames between the caller and its
# deepest level; _MAX_DEPTH bounds the C walk's recursion (C stack) whatever
# the recursion limit is set to.
_WERKZEUG_FRAMES = _spec.WERKZEUG_FRAMES
_MAX_DEPTH = _spec.MAX_DEPTH


def _check_depth(depth: int) -> None:
    """Raise RecursionError where werkzeug would for a tree *depth* levels
    deep (see above)."""
    frames = 0
    frame: t.Any = sys._getframe(0)
    while frame is not None:
        if not str(frame.f_globals.get("__name__", "")).startswith("fastroute."):
            frames += 1
        frame = frame.f_back
    if depth > _MAX_DEPTH or frames + depth + _WERKZEUG_FRAMES > sys.getrecursionlimit():
        raise RecursionError(f"maximum recursion depth exceeded: a rule {depth - 2} segments deep")


def _collect_paths(node: _Node, paths: dict[str, _Node]) -> None:
    """Put the nodes below the domain node *node* that end a path into
    *paths*: those with rules, and those whose trailing-slash child has
    rules (as the compiled core, whose static-only domains answer from this
    table).  A loop with its own stack, as deep rules need no recursion
    check."""
    stack = [(node, "", True)]
    while stack:
        node, prefix, top = stack.pop()
        slash = node.static.get("")
        if node.leaves or (slash is not None and slash.leaves):
            paths[prefix] = node
        for text, child in node.static.items():
            stack.append((child, text if top else f"{prefix}/{text}", False))


class Matcher:
    """All matchable rules of one map, frozen into a tree."""

    __slots__ = ("_edges", "_root", "merge_slashes")

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        self._root = _Node()
        # Dynamic edges of each node, by key, while rules are being added.
        self._edges: dict[int, dict[t.Any, _Edge]] | None = {}

    def add(self, leaf: _spec.RuleLeaf) -> None:
        """Add one rule; equal dynamic parts share a node, as in werkzeug.

        A finished matcher is frozen (the compiled core shares its empty
        containers): build a new one instead of adding to it."""
        if self._edges is None:
            raise RuntimeError("this matcher is finished; build a new one")
        node = self._root
        for part in leaf.parts:
            if part.static:
                child = node.static.get(part.content)
                if child is None:
                    child = node.static[part.content] = _Node()
                node = child
                continue
            edges = self._edges.setdefault(id(node), {})
            key = (part.content, part.final, part.suffixed, part.weight)
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = _Edge(part, node is self._root)
                node.dynamic.append(edge)
            node = edge.node
        node.leaves.append(_Leaf(*leaf[1:]))

    def finish(self) -> None:
        """Sort dynamic children by weight and index the fully static paths."""
        if self._edges is None:
            raise RuntimeError("this matcher is already finished")
        self._edges = None
        stack = [self._root]
        depths = [0]
        deepest = 0
        while stack:
            node = stack.pop()
            depth = depths.pop()
            deepest = max(deepest, depth)
            node.dynamic.sort(key=_edge_weight)
            stack.extend(node.static.values())
            stack.extend(edge.node for edge in node.dynamic)
            depths.extend([depth + 1] * (len(stack) - len(depths)))
        _check_depth(deepest)
        for domain_node in self._root.static.values():
            _collect_paths(domain_node, domain_node.paths)

    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """Match ``domain`` + ``path`` (``"/..."`` or ``""``).

        Returns ``(HIT, rule, values)``, ``(REDIRECT, new_path, None)`` or
        ``(NOMATCH, methods_or_None, websocket_mismatch)``.
        """
        found = self._find(domain, path, method, websocket)
        if found[0] == HIT:
            return HIT, found[1].rule, found[2]
        if found[0] == NOMATCH:
            return NOMATCH, ordered_methods(found[1]) if found[1] else None, found[2]
        return found

    def static_path_known(self, domain: str, path: str) -> bool:
        """Whether the shortcut table of fully static paths under *domain*
        holds *path*: a path with rules, or one whose only rules are below
        its trailing slash (the walk finds the same rules without it); for
        tests and diagnostics."""
        domain_node = self._root.static.get(domain)
        return domain_node is not None and path in domain_node.paths

    def _find(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """:meth:`match`, with the hit's leaf instead of its rule."""
        # Fast path: the all-static route is the first leaf werkzeug's walk
        # reaches, so a suitable rule there is the answer.
        domain_node = self._root.static.get(domain)
        if domain_node is not None:
            node = domain_node.paths.get(path)
            if node is not None:
                for leaf in node.leaves:
                    if leaf.websocket == websocket and (leaf.methods is None or method in leaf.methods):
                        return HIT, leaf, dict(leaf.defaults) if leaf.defaults else {}
        ctx = [method, websocket, None, False]
        parts = [domain, *path.split("/")]
        found = _walk(self._root, parts, 0, len(parts), [], ctx)
        if found is _SLASH:
            return REDIRECT, f"{path}/", None
        if found is None and self.merge_slashes:
            if "//" not in path:
                return NOMATCH, ctx[2], ctx[3]
            path = _MERGE.sub("/", path)
            parts = [domain, *path.split("/")]
            found = _walk(self._root, parts, 0, len(parts), [], ctx)
            if found is _SLASH:
                return REDIRECT, f"{path}/", None
            if found is None or not found[0].merge_slashes:
                return NOMATCH, ctx[2], ctx[3]
            return REDIRECT, path, None
        if found is None:
            return NOMATCH, ctx[2], ctx[3]
        leaf, values = found
        result = {}
        try:
            for name, conv, value in zip(leaf.names, leaf.converters, values, strict=False):
                result[name] = value if conv is None else conv.to_python(value)
        except ValidationError:
            return NOMATCH, ctx[2], ctx[3]
        if leaf.defaults:
            result.update(leaf.defaults)
        return HIT, leaf, result


# A 405's methods: werkzeug lists a set (in an order that varies with the
# hash seed); both cores list these verbs first, in this order, then the
# others.  (The compiled core collects these as mask bits.)
_VERB_ORDER = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def ordered_methods(methods: t.AbstractSet[str]) -> list[str]:
    """The methods of a 405 as a new list: the standard verbs first, in
    ``_VERB_ORDER``, then the others in the set's order."""
    out = [verb for verb in _VERB_ORDER if verb in methods]
    if len(out) < len(methods):
        out += [name for name in methods if name not in _VERB_ORDER]
    return out


def _edge_weight(edge: _Edge) -> t.Any:
    return edge.weight


_SLASH: t.Any = object()  # walk result: the rule needs a trailing slash


def _accept(leaf: _Leaf, ctx: list[t.Any]) -> bool:
    """The leaf check: record method and websocket mismatches on the way."""
    if leaf.methods is not None and ctx[0] not in leaf.methods:
        if ctx[2] is None:
            ctx[2] = set()
        ctx[2].update(leaf.methods)
        return False
    if leaf.websocket != ctx[1]:
        ctx[3] = True
        return False
    return True


def _walk(node: _Node, parts: list[str], i: int, n: int, values: list[str], ctx: list[t.Any]) -> t.Any:
    """Depth-first search from *node* for ``parts[i:]``; see the module doc.

    While a level offers one way down (only static children, or a lone
    regex-free edge) and no trailing-slash fallback can apply, descend in a
    loop; branch points go to :func:`_branch`.  On failure the values this
    call added are removed, so callers can backtrack.
    """
    start = len(values)
    while i < n:
        part = parts[i]
        if i == n - 1 and part == "":
            break  # the trailing-slash fallback may apply
        dynamic = node.dynamic
        if not dynamic:
            child = node.static.get(part)
            if child is None:
                del values[start:]
                return None
            node = child
        elif len(dynamic) == 1 and not node.static:
            edge = dynamic[0]
            mode = edge.mode
            if mode == _BY_LENGTH:
                size = len(part)
                if size < edge.lo or (edge.hi is not None and size > edge.hi):
                    del values[start:]
                    return None
            elif mode == _BY_DIGITS:
                if not part.isdecimal():
                    del values[start:]
                    return None
            else:
                break
            values.append(part)
            node = edge.node
        else:
            break
        i += 1
    found = _branch(node, parts, i, n, values, ctx)
    if found is None:
        del values[start:]
    return found


def _branch(node: _Node, parts: list[str], i: int, n: int, values: list[str], ctx: list[t.Any]) -> t.Any:
    """One level of the search with every alternative werkzeug tries."""
    if i == n:
        for leaf in node.leaves:
            if _accept(leaf, ctx):
                return leaf, values
        slash_node = node.static.get("")
        if slash_node is not None:
            method, websocket = ctx[0], ctx[1]
            for leaf in slash_node.leaves:
                if leaf.websocket == websocket and (leaf.methods is None or method in leaf.methods):
                    return _SLASH if leaf.strict_slashes else (leaf, values)
        return None
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, n, values, ctx)
        if found is not None:
            return found
    for edge in node.dynamic:
        mode = edge.mode
        if mode == _BY_LENGTH:
            size = len(part)
            if size < edge.lo or (edge.hi is not None and size > edge.hi):
                continue
            values.append(part)
            found = _walk(edge.node, parts, i + 1, n, values, ctx)
        elif mode == _BY_DIGITS:
            if not part.isdecimal():
                continue
            values.append(part)
            found = _walk(edge.node, parts, i + 1, n, values, ctx)
        else:
            target = "/".join(parts[i:]) if edge.final else part
            if mode == _BY_PIECES and len(target) > edge.short:
                linear = edge.linear.match(target)  # type: ignore[union-attr]
                if linear is None:
                    continue
                size = len(values)
                values.extend(linear[0])
                slash = linear[1]
            else:
                hit = edge.pattern.match(target)
                if hit is None:
                    continue
                size = len(values)
                groups = edge.groups
                if len(groups) == 1:
                    values.append(hit.group(groups[0]))
                else:
                    values.extend(hit.group(*groups))
                slash = edge.suffixed and hit.group(edge.sfx) == "/"
            if edge.final:
                if slash:
                    found = _walk(edge.node, _TRAILING_SLASH, 0, 1, values, ctx)
                else:
                    found = _walk(edge.node, parts, n, n, values, ctx)
            else:
                found = _walk(edge.node, parts, i + 1, n, values, ctx)
            if found is not None:
                return found
            del values[size:]
            continue
        if found is not None:
            return found
        values.pop()
    if i == n - 1 and part == "":
        for leaf in node.leaves:
            if not leaf.strict_slashes and _accept(leaf, ctx):
                return leaf, values
    return None


_PATH_SAFE = _spec.PATH_SAFE


class MapBase:
    """Base of ``Map``: the state ``AdapterBase.match`` reads.

    ``_matcher`` (a core ``Matcher``), ``_remap``, ``host_matching``,
    ``redirect_defaults`` and ``_default_sources`` (rule id -> rules whose
    defaults may redirect it) are plain attributes here; the compiled twin
    keeps them in C fields.
    """

    __slots__ = ("__dict__",)

    def __reduce__(self) -> tuple[t.Any, ...]:
        """``copy.copy`` and pickling as werkzeug's Map: a new map of the
        same class with this one's attributes (a shallow copy shares the
        rules; ``deepcopy`` and pickling fail with ``TypeError``, as
        werkzeug's do).  The compiled twin's C fields are plain attributes
        here: none go beside the __dict__."""
        return (copyreg.__newobj__, (type(self),), (vars(self), ()))

    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None:
        attributes, _fields = state
        vars(self).update(attributes)


class AdapterBase:
    """Base of ``MapAdapter``: the bound state and :meth:`match`.

    Redirect URLs and alias/default redirects are delegated to methods of the
    ``MapAdapter`` subclass (``make_redirect_url``, ``make_alias_redirect_url``,
    ``get_default_redirect``, ``_redirect_to``).
    """

    __slots__ = ("__dict__",)

    def __init__(
        self,
        map: t.Any,
        server_name: str,
        script_name: str,
        subdomain: str | None,
        url_scheme: str,
        path_info: str,
        default_method: str,
        query_args: t.Any = None,
    ) -> None:
        self.map = map
        self.server_name = server_name
        if not script_name.endswith("/"):
            script_name += "/"
        self.script_name = script_name
        self.subdomain = subdomain
        self.url_scheme = url_scheme
        self.path_info = path_info
        self.default_method = default_method
        self.query_args = query_args
        self.websocket = url_scheme in ("ws", "wss")

    def __reduce__(self) -> tuple[t.Any, ...]:
        """``copy.copy`` and pickling as werkzeug's MapAdapter (see
        ``MapBase.__reduce__``): deep copies and pickles fail on the map."""
        return (copyreg.__newobj__, (type(self),), (vars(self), ()))

    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None:
        attributes, _fields = state
        vars(self).update(attributes)

    def _match_outcome(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Any = None,
        websocket: bool | None = None,
    ) -> t.Any:
        """Like :meth:`match`, but a routing error (404, 405, redirect,
        websocket mismatch) is returned, not raised.  Other errors raise."""
        try:
            return self.match(path_info, method, return_rule, query_args, websocket)
        except HTTPException as e:
            # Returned as a value, like the compiled core's: no traceback,
            # whose frames would tie the caller's locals into a cycle.
            e.__traceback__ = None
            return e

    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Any = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]:
        """Match a path to ``(endpoint, values)`` (``(rule, values)`` with
        *return_rule*).

        Raises werkzeug's ``NotFound``, ``MethodNotAllowed`` (with the valid
        methods), ``RequestRedirect`` (slash, merge-slash, default, alias and
        ``redirect_to`` redirects; code 308) and ``WebsocketMismatch``.
        *path_info* and *method* default to the values given to ``bind``;
        *query_args* are appended to redirect URLs; *websocket* overrides the
        scheme's ``ws``/``wss`` detection.
        """
        map = self.map
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if path_info is None:
            path_info = self.path_info
        path_info = _exact_str(path_info, "path_info")
        method = (method or self.default_method).upper()
        if websocket is None:
            websocket = self.websocket
        domain = self.server_name if map.host_matching or self.subdomain is None else self.subdomain
        # A str subclass matches as its text (werkzeug's matcher slices and
        # compares it, which gives plain strs).
        domain_part = _exact_str(domain, "the domain")
        # Hits skip get_default_redirect only while it is MapAdapter's own
        # and no rule has defaults for another (_default_sources).
        plain_hits = not (map._default_sources or _hooks_of(type(self)) & H_DEFAULT_REDIRECT)
        if path_info[:1] == "/" and path_info[1:2] != "/":
            path_part = path_info  # already "/" + path_info.lstrip("/")
        else:
            path_part = f"/{path_info.lstrip('/')}" if path_info else ""
        matcher = map._matcher
        if matcher.__class__ is Matcher:
            status, found, values = matcher._find(domain_part, path_part, method, websocket)
            if status == HIT:
                if plain_hits and found.plain:
                    return (found.rule if return_rule else found.rule.endpoint), values
                found = found.rule
        else:
            status, found, values = matcher.match(domain_part, path_part, method, websocket)
        if query_args is None:
            query_args = self.query_args or {}
        if status == HIT:
            rule = found
            if map.redirect_defaults:
                if rule.alias:
                    raise RequestRedirect(
                        self.make_alias_redirect_url(  # type: ignore[attr-defined]
                            f"{domain_part}|{path_part}", rule.endpoint, values, method, query_args
                        )
                    ) from None  # as werkzeug (not the redirects below)
                if id(rule) in map._default_sources or _hooks_of(type(self)) & H_DEFAULT_REDIRECT:
                    url = self.get_default_redirect(rule, method, values, query_args)  # type: ignore[attr-defined]
                    if url is not None:
                        raise RequestRedirect(url)
            if rule.redirect_to is not None:
                self._redirect_to(rule, values)  # type: ignore[attr-defined]
            if return_rule:
                return rule, values
            return rule.endpoint, values
        if status == REDIRECT:
            raise RequestRedirect(
                self.make_redirect_url(quote(found, safe=_PATH_SAFE), query_args)  # type: ignore[attr-defined]
            ) from None
        if found:
            raise MethodNotAllowed(valid_methods=ordered_methods(found)) from None
        if values:
            raise WebsocketMismatch() from None
        raise NotFound() from None

    def build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any] | None = None,
        method: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
        url_scheme: str | None = None,
    ) -> str:
        """Build the URL of *endpoint* from *values*.

        The URL is relative to the host unless the rule lives on another
        subdomain or host, it is a websocket rule, or *force_external* is
        set.  Values that are not rule variables become the query string
        (unless *append_unknown* is false); ``None`` values are dropped;
        MultiDict values with several items become repeated arguments.
        Raises ``BuildError`` when no rule fits.
        """
        map = self.map
        hooks = _hooks_of(type(self))
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if values:
            if isinstance(values, MultiDict):
                values = {k: (v[0] if len(v) == 1 else v) for k, v in dict.items(values) if len(v) != 0}
            else:
                values = {k: v for k, v in values.items() if v is not None}
        else:
            values = {}
        host_matching = map.host_matching
        if hooks & H_PARTIAL_BUILD:
            found = self._partial_build(endpoint, values, method, append_unknown)  # type: ignore[attr-defined]
        else:
            plans = map._build_index.get(endpoint)
            if plans is None:
                plans = map._plans_for(endpoint)
            found = None
            if plans is not None:
                found = _plans_build(self, plans, values, method, append_unknown, host_matching)
        if found is None:
            raise BuildError(endpoint, values, method, self)
        domain_part, path, websocket = found
        host = self.get_host(domain_part)  # type: ignore[attr-defined]
        if url_scheme is None:
            url_scheme = self.url_scheme
        secure = url_scheme in ("https", "wss")
        if websocket:
            force_external = True
            url_scheme = "wss" if secure else "ws"
        elif url_scheme:
            url_scheme = "https" if secure else "http"
        if not force_external and (
            (map.host_matching and host == self.server_name)
            or (not map.host_matching and domain_part == self.subdomain)
        ):
            return f"{self.script_name.rstrip('/')}/{path.lstrip('/')}"
        scheme = f"{url_scheme}:" if url_scheme else ""
        return f"{scheme}//{host}{self.script_name[:-1]}/{path.lstrip('/')}"


# -- Methods a subclass overrides -------------------------------------------
#
# werkzeug calls the adapter's get_host, get_default_redirect,
# make_redirect_url, _partial_build and match, and the map's update, where it
# needs them, and a subclass may override any of them.  The shortcuts above
# skip such a call only while the class keeps fastroute's own method (and
# then give what it would give).  What a class overrides is worked out once
# per class, against MapAdapter and Map as fastroute.routing.map registers
# them.  (This core calls get_host, make_redirect_url and match always.)

H_KNOWN = _spec.H_KNOWN
H_STANDARD_UNKNOWN = _spec.H_STANDARD_UNKNOWN
H_GET_HOST = _spec.H_GET_HOST
H_DEFAULT_REDIRECT = _spec.H_DEFAULT_REDIRECT
H_REDIRECT_URL = _spec.H_REDIRECT_URL
H_MATCH = _spec.H_MATCH
H_PARTIAL_BUILD = _spec.H_PARTIAL_BUILD
H_UPDATE = _spec.H_UPDATE

_ADAPTER_HOOKS = _spec.ADAPTER_HOOKS
_MAP_HOOKS = _spec.MAP_HOOKS
_STANDARD_ADAPTER: t.Any = None
_STANDARD_MAP: t.Any = None
_CLASS_HOOKS: WeakKeyDictionary[type, int] = WeakKeyDictionary()  # classes come and go (tests make many)


def register_standard(adapter_class: type, map_class: type) -> None:
    """Tell the core which classes are fastroute's own ``MapAdapter`` and
    ``Map``: a subclass's overrides of their methods get called."""
    global _STANDARD_ADAPTER, _STANDARD_MAP
    _STANDARD_ADAPTER = adapter_class
    _STANDARD_MAP = map_class
    _CLASS_HOOKS.clear()


def _hooks_of(cls: type) -> int:
    """The H_ flags of the methods *cls* overrides."""
    hooks = _CLASS_HOOKS.get(cls)
    return _class_hooks(cls) if hooks is None else hooks


def _class_hooks(cls: type) -> int:
    if _STANDARD_ADAPTER is None:
        return H_KNOWN | H_STANDARD_UNKNOWN
    hooks = H_KNOWN
    for standard, names in ((_STANDARD_ADAPTER, _ADAPTER_HOOKS), (_STANDARD_MAP, _MAP_HOOKS)):
        for name, flag in names:
            if getattr(cls, name, None) is not getattr(standard, name):
                hooks |= flag
    _CLASS_HOOKS[cls] = hooks
    return hooks


def _map_hooks(map: t.Any) -> int:
    """The H_ flags of *map*'s class, worked out with its first match."""
    hooks: int = map.__dict__.get("_hooks", 0)
    if not hooks:
        hooks = map._hooks = _class_hooks(type(map))
    return hooks


def _update(map: t.Any) -> None:
    """``map.update()``, as werkzeug calls it before each match and build.
    A subclass's update that does not compile the rules (werkzeug's matcher
    takes rules as they are added) still gets them compiled."""
    map.update()
    if map._remap and _STANDARD_MAP is not None:
        _STANDARD_MAP.update(map)


def _exact_str(value: t.Any, what: str) -> str:
    """*value* as a plain str: a str subclass matches as its text."""
    if value.__class__ is str:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return str.__str__(value)
    raise TypeError(f"{what} must be a str, not {type(value).__name__}")


def build_plans(entries: list[_spec.BuildEntry], slots: dict[t.Any, t.Any]) -> tuple[t.Any, ...]:
    """The build plans of one endpoint for ``AdapterBase.build``.

    *entries* holds a :class:`~fastroute._spec.BuildEntry` per rule, in
    build order.  *slots* is the map's cache of
    equal variable slots, which the compiled core shares between plans (this
    core keeps ``(name,)`` chunks as they are).
    """
    return tuple(_Plan(*entry) for entry in entries)


# Text that quote(text, safe=PATH_SAFE) returns unchanged.
_URL_SAFE = re.compile(_spec.PATH_SAFE_RE)


def _quote_value(value: t.Any) -> str:
    text = value if value.__class__ is str else str(value)
    return text if _URL_SAFE.fullmatch(text) else quote(text, safe=_PATH_SAFE)


class _Plan:
    """One rule's build recipe, the pure twin of the compiled ``BuildPlan``."""

    __slots__ = (
        "arguments",
        "defaults",
        "domain",
        "methods",
        "params",
        "path",
        "plain",
        "required",
        "rule",
        "websocket",
    )

    def __init__(
        self,
        rule: t.Any,
        plain: bool,
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        arguments: t.AbstractSet[str],
        defaults: t.Mapping[str, t.Any] | None,
        converters: t.Mapping[str, t.Any],
        domain: tuple[t.Any, ...],
        path: tuple[t.Any, ...],
        params: t.AbstractSet[str],
        required: tuple[str, ...],
    ) -> None:
        self.rule = rule
        self.plain = plain
        self.methods = frozen_methods(methods)
        self.websocket = websocket
        self.arguments = arguments
        self.defaults = dict(defaults) if defaults else None
        self.domain = _slots(domain, converters)
        self.path = _slots(path, converters)
        self.params = params
        self.required = required

    def suitable(self, values: dict[str, t.Any], method: str | None) -> bool:
        """Rule.suitable_for."""
        if not self.plain:
            return bool(self.rule.suitable_for(values, method))
        if method is not None and self.methods is not None and method not in self.methods:
            return False
        defaults = self.defaults
        for key in self.arguments:
            if key not in values and (defaults is None or key not in defaults):
                return False
        if defaults:
            for key, value in defaults.items():
                if key in values and value != values[key]:
                    return False
        return True

    def build(self, values: dict[str, t.Any], append_unknown: bool) -> tuple[str, str] | None:
        """Rule.build: ``(domain_part, path)``, or None on ValidationError."""
        if not self.plain:
            return self.rule.build(values, append_unknown)  # type: ignore[no-any-return]
        for key in values:
            if key.__class__ is not str and not isinstance(key, str):
                raise TypeError("keywords must be strings")  # as werkzeug's **values
        for name in self.required:
            if name not in values:
                raise TypeError(f"missing value for {name!r} to build {self.rule.rule!r}")
        query = ""
        if append_unknown and len(values) > len(self.required):
            params = self.params
            extra = {k: v for k, v in values.items() if k not in params}
            if extra:
                query = self.rule._encode_query_vars(extra)
        try:
            domain = _fill(self.domain, values)
            path = _fill(self.path, values)
        except ValidationError:
            return None
        if query:
            path = f"{path}?{query}"
        return domain, path


def _slots(chunks: tuple[t.Any, ...], converters: t.Mapping[str, t.Any]) -> t.Any:
    """Literal chunks stay strings; a slot becomes ``(name, to_url)``, with
    None for the built-in string and path converters, whose to_url is the
    quoting _quote_value does; an all-literal plan becomes one string."""
    out: list[t.Any] = []
    for chunk in chunks:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            conv = converters[chunk[0]]
            kind = getattr(conv, "_kind", None)
            quoted = kind is not None and kind()[0] in (_STRING, _PATH)
            out.append((chunk[0], None if quoted else conv.to_url))
    if all(c.__class__ is str for c in out):
        return "".join(out)
    return tuple(out)


def _fill(plan: t.Any, values: dict[str, t.Any]) -> str:
    if plan.__class__ is str:
        return plan  # type: ignore[no-any-return]
    out = []
    for chunk in plan:
        if chunk.__class__ is str:
            out.append(chunk)
        else:
            name, to_url = chunk
            out.append(_quote_value(values[name]) if to_url is None else to_url(values[name]))
    return "".join(out)


def _plans_build(
    adapter: t.Any,
    plans: tuple[_Plan, ...],
    values: dict[str, t.Any],
    method: str | None,
    append_unknown: bool,
    host_matching: bool,
) -> tuple[str, str, bool] | None:
    """MapAdapter._partial_build over the plans: (domain, path, websocket)."""
    if method is None:
        found = _plans_build(adapter, plans, values, adapter.default_method, append_unknown, host_matching)
        if found is not None:
            return found
    first = None
    for plan in plans:
        if plan.suitable(values, method):
            built = plan.build(values, append_unknown)
            if built is not None:
                found = (built[0], built[1], plan.websocket)
                if not host_matching or built[0] == adapter.server_name:
                    return found
                if first is None:
                    first = found
    return first
