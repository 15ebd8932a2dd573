"""Verbs and method sets (the twin of ``_match_parts/methods.pxi``).

The compiled core turns the seven standard verbs into mask bits and compares
verb objects by identity; this core keeps each rule's methods as a frozen
set and tests membership.
"""

from __future__ import annotations

import typing as t

# C only: _same (the websocket compare without bool/int confusion; the pure core compares with ==, the same here)
# C only: _standard_verb (a canonical verb object found by its characters, for the mask bits)
# C only: _canonical_verb (see _standard_verb)

# A 405's methods: werkzeug lists a set (in an order that varies with the
# hash seed); both cores list these verbs first, in this order, then the
# others.  (The compiled core's _LISTED_VERBS, as mask bits.)
_VERB_ORDER = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def _passed_methods(methods: t.AbstractSet[str]) -> list[str]:
    """The methods of a 405 as a new list: the standard verbs first, in
    ``_VERB_ORDER``, then the others in the set's order."""
    out = [verb for verb in _VERB_ORDER if verb in methods]
    if len(out) < len(methods):
        out += [name for name in methods if name not in _VERB_ORDER]
    return out


# C only: _bit (a standard verb's mask bit)

# Leaves and build plans keep a frozen copy of their rule's methods, read
# once like the rest of the rule (the compiled core derives a bit mask from
# it); equal sets share one copy, since most rules have one of a handful.
_FROZEN_METHODS: dict[frozenset[str], frozenset[str]] = {}

# C only: _interned (one object for equal values, at most 4,096 kept; here dict.setdefault in _frozen_methods)


def _frozen_methods(methods: t.AbstractSet[str] | None) -> frozenset[str] | None:
    if methods is None:
        return None
    frozen = frozenset(methods)
    return _FROZEN_METHODS.setdefault(frozen, frozen)


# C only: _method_mask (the mask bits of a method set)
# C only: _allows (a method against a set and its mask)
# C only: _method_ok (_allows for a laid-out leaf entry)
# C only: _websocket_ok (_same for a laid-out leaf entry)


def _accept(leaf: t.Any, ctx: list[t.Any]) -> bool:
    """The leaf check: record method and websocket mismatches on the way.

    *ctx* is the search state (the compiled core's ``Search``): ``[method,
    websocket, methods of the rules passed over or None, websocket
    mismatch seen]``.
    """
    if leaf.methods is not None and ctx[0] not in leaf.methods:
        if ctx[2] is None:
            ctx[2] = set()
        ctx[2].update(leaf.methods)
        return False
    if leaf.websocket != ctx[1]:
        ctx[3] = True
        return False
    return True
