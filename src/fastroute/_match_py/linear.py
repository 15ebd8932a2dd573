r"""Parts with several converters, matched in linear time (the twin of
``_match_parts/linear.pxi``).

A part such as ``<a>-<b>.html`` or ``<path:a>/x/<path:b>`` is, for werkzeug,
one regex: ``re`` tries the converters' possible lengths in backtracking
order, which on a near miss costs a power of the length.  For the built-in
converters the same answer is computed here without backtracking.

The part is a sequence of pieces (literals and converters); from a start
position each piece can end at a set of positions, tried by the regex in a
fixed order of preference: greedy runs (``[^/]{lo,hi}``, ``\d+``) longest
first, ``path`` (``[^/].*?``) shortest first, ``any`` in the order of its
alternatives.  ``re`` returns the first assignment in that order for which
the rest of the part matches to the end.  So:

1. forward: the positions each piece can start at (reached from 0); a near
   miss usually stops here, when no position is left (:func:`_reach`);
2. backward: ``feasible[i][p]``, whether pieces i.. can match text[p:]
   (:func:`_feasible`);
3. a walk from 0 that takes, for each piece, the first end in preference
   order from which the rest is feasible (:func:`_choose`).

Each step is a few passes over the text per piece, with the candidate ends
of a converter forming one interval (or a few fixed lengths), so the whole
match is linear in the text.  The compiled core has the same three steps,
with the same names, as C sweeps over arrays of flags where these work on
bit sets.
"""

from __future__ import annotations

import re
import sys
import typing as t

from .. import _spec
from .._spec import (
    K_ANY,
    K_FLOAT,
    K_INT,
    K_PATH,
    K_STRING,
    K_UUID,
)

# Piece codes: the converter kinds above, and a literal.
_LIT = 0

_DIGIT_RUN = re.compile(r"\d+")  # re's \d: any Unicode decimal digit
_UUID_TEXT = r"[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}"
_UUID_AT = re.compile(f"(?={_UUID_TEXT})")
_UUID_LEN = 36


#: On texts this short the pure core matches a part of several converters
#: with its regex: re's backtracking is bounded by the product of the
#: converters' choices (REGEX_TRIES at most; a few microseconds), and costs
#: less in Python than setting up the linear matcher.  The compiled core has
#: no such shortcut.  :func:`_regex_limit` reads it from the package
#: (``fastroute._match_py.REGEX_TRIES``), where tests turn it off.
REGEX_TRIES = _spec.REGEX_TRIES


class Linear:
    """Matches one part given as :func:`_linear_pieces`, with the groups the
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
        return _linear(self, text)


def _make_linear(part: t.Any) -> Linear | None:
    """The linear matcher of *part*, or None when a piece has no linear form
    (a custom converter, or string bounds that are no plain repeat)."""
    pieces = _linear_pieces(part.pieces)
    return None if pieces is None else Linear(pieces, part.suffixed)


def _linear_part(part: t.Any) -> Linear | None:
    """The linear matcher of a dynamic part (``Linear``), or None: for tests,
    which compare it with the part's regex."""
    return _make_linear(part)


# C only: _at (a literal at a position, in place)


def _linear(lin: Linear, text: str) -> tuple[list[str], bool] | None:
    """Match *text* against *lin*: the values the part's anchored regex
    would capture and whether a suffixed part's optional "/" was there, or
    None (the compiled ``_linear`` gives the values' spans instead)."""
    if not text.startswith(lin.head) or not text.endswith(lin.tail):
        return None
    size = len(text)
    # The end the pieces must reach: the end of the text, or for a
    # suffixed part ("(?<!/)(?P<sfx>/?)", by default name) one before a final "/" that
    # does not follow another "/".
    goal = size
    if lin.suffixed and size and text[size - 1] == "/":
        if size > 1 and text[size - 2] == "/":
            return None
        goal = size - 1
    pieces = lin.pieces
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


def _linear_values(lin: Linear, text: str, values: list[str]) -> int:
    """:func:`_linear`, appending the captured values to *values* on a hit:
    1 when a suffixed part's optional "/" was there, else 0; -1 for no
    match."""
    found = _linear(lin, text)
    if found is None:
        return -1
    values.extend(found[0])
    return 1 if found[1] else 0


# -- the pure core's own steps ----------------------------------------------


def _regex_limit(pieces: tuple[tuple[t.Any, ...], ...]) -> int:
    """The longest text on which the part's regex tries at most
    :data:`REGEX_TRIES` assignments of its converters (-1: none)."""
    fixed = 1  # any and uuid: a choice per alternative, whatever the length
    runs = 0  # the others: a choice per end position
    for piece in pieces:
        if piece[0] == K_ANY:
            fixed *= len(piece[1])
        elif piece[0] != _LIT and piece[0] != K_UUID:
            runs += 1
    tries = sys.modules[__package__].REGEX_TRIES  # the package's (see REGEX_TRIES)
    if fixed > tries:
        return -1
    if not runs:
        return sys.maxsize
    size = -1
    while fixed * (size + 2) ** runs <= tries:
        size += 1
    return size


def _linear_pieces(pieces: t.Sequence[t.Any]) -> tuple[tuple[t.Any, ...], ...] | None:
    """The part's pieces for :class:`Linear`, adjacent literals merged, or
    None when a converter has no linear form (custom, or odd bounds).

    ``(_LIT, text)``, ``(K_STRING, lo, hi_or_None)``, ``(K_INT, signed)``,
    ``(K_FLOAT, signed)``, ``(K_UUID,)``, ``(K_ANY, items)``, ``(K_PATH,)``.
    """
    from .tree import _plain_length_bounds  # the tree part imports this one

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
        if kind == K_STRING and _plain_length_bounds(*args):
            out.append((K_STRING, args[0], args[1]))
        elif kind == K_INT:
            out.append((K_INT, bool(args[3])))
        elif kind == K_FLOAT:
            out.append((K_FLOAT, bool(args[2])))
        elif kind == K_UUID:
            out.append((K_UUID,))
        elif kind == K_ANY:
            # "(?:)" (no items) matches the empty string; a repeated item
            # never changes the answer.
            out.append((K_ANY, tuple(dict.fromkeys(args)) or ("",)))
        elif kind == K_PATH:
            out.append((K_PATH,))
        else:
            return None
    return tuple(out)


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
    if code in (_LIT, K_ANY) and reach.rfind(1) - start < _FEW:
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
    if code == K_ANY:
        bits = 0
        marks = _as_int(reach)
        for item in piece[1]:
            bits |= (marks & at.literal(item)) << (8 * len(item)) if item else marks
        return _as_flags(bits, size)
    out = bytearray(size + 1)
    if code == K_STRING:
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
    elif code == K_PATH:
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
    elif code in (K_INT, K_FLOAT):
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
            if code == K_INT:
                out[first + 1 : r + 1] = _ones(r - first)
            elif text.startswith(".", r):
                end = _digits_end(text, r + 1)
                if end > r + 1:
                    out[r + 2 : end + 1] = _ones(end - r - 1)
    elif code == K_UUID:
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
    if code == K_ANY:
        bits = 0
        marks = _as_int(after)
        for item in piece[1]:
            bits |= at.literal(item) & (marks >> (8 * len(item))) if item else marks
        return _as_flags(bits, size)
    out = bytearray(size + 1)
    if code == K_STRING:
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
    elif code == K_PATH:
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
    elif code == K_INT:
        signed = piece[1]
        for run in _DIGIT_RUN.finditer(text, start):
            a, r = run.span()
            last = after.rfind(1, a + 1, r + 1)
            if last >= 0:
                out[a:last] = _ones(last - a)
                if signed and a and text[a - 1] == "-":
                    out[a - 1] = 1
    elif code == K_FLOAT:
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
    elif code == K_UUID:
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
    if code == K_STRING:
        lo, hi = piece[1], piece[2]
        stop = text.find("/", p)
        if stop < 0:
            stop = size
        if hi is not None and p + hi < stop:
            stop = p + hi
        return after.rfind(1, p + lo, stop + 1) if p + lo <= stop else -1
    if code == K_PATH:
        if p >= size or text[p] == "/":
            return -1
        newline = text.find("\n", p + 1)
        return after.find(1, p + 1, (size if newline < 0 else newline) + 1)
    if code in (K_INT, K_FLOAT):
        first = p + 1 if piece[1] and text.startswith("-", p) else p
        stop = _digits_end(text, first)
        if stop == first:
            return -1
        if code == K_INT:
            return after.rfind(1, first + 1, stop + 1)
        if not text.startswith(".", stop):
            return -1
        end = _digits_end(text, stop + 1)
        return after.rfind(1, stop + 2, end + 1) if end > stop + 1 else -1
    if code == K_UUID:
        end = p + _UUID_LEN
        return end if end <= size and after[end] and _UUID_AT.match(text, p) else -1
    for item in piece[1]:  # K_ANY
        end = p + len(item)
        if text.startswith(item, p) and after[end]:
            return end
    return -1
