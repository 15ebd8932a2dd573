"""Pure-Python matcher core (the twin of the compiled ``_match``).

The routing layer hands this package plain data (``fastroute._spec``): for
every matchable rule its parts (static text, or a regex plus a description
of its converter slots), the rule object as an opaque payload, and the
rule's options.  :meth:`Matcher.finish` freezes them into a tree;
:meth:`Matcher.match` walks it.

The walk reproduces werkzeug 3.1's state machine result for result: per
segment, the static child first, then the dynamic children in weight order,
with backtracking; the leaf checks methods and websocket; a branch rule
reached without its trailing slash asks for a redirect; ``merge_slashes``
retries with ``//`` collapsed.  It differs only in how it gets there: the
tree is built once, each dynamic child owns a compiled pattern (or a
regex-free check for the common built-in converters), a part with several
built-in converters is matched in linear time without backtracking (the
``linear`` part), fully static paths are one dict lookup, and the walk
signals its outcome with return values, not exceptions.

The modules are the compiled core's parts (``_match_parts/*.pxi``), in the
same order, with the same names; where the compiled core has a C-only
shortcut, its part here names it in a ``# C only: name (why)`` comment at
the same place:

1. ``scan``: text scanning;
2. ``methods``: verbs and method sets, the leaf's accept check;
3. ``tree``: ``Leaf``, ``Node``, ``Edge`` and the ``Matcher``;
4. ``walk``: the search of the tree;
5. ``linear``: parts with several converters (``Linear``);
6. ``errors``: werkzeug's routing exceptions;
7. ``adapter``: ``MapBase``, ``AdapterBase`` and subclass overrides;
8. ``build``: URL building (``Slot``, ``BuildPlan``, ``build_plans``, ``select_plan``).
"""

from __future__ import annotations

from .._spec import (
    HIT,
    NOMATCH,
    REDIRECT,
)
from .adapter import AdapterBase, MapBase, register_standard
from .build import BuildPlan, Slot, build_plans, select_plan

# Not public, read by tests as the package's: REGEX_TRIES (the pure core's
# regex shortcut for short texts, turned off by setting it here) and
# _linear_part (a dynamic part's linear matcher).
from .linear import REGEX_TRIES as REGEX_TRIES, Linear, _linear_part as _linear_part
from .tree import Edge, Leaf, Matcher, Node

__all__ = ["HIT", "NOMATCH", "REDIRECT", "AdapterBase", "MapBase", "Matcher", "build_plans", "select_plan"]

# Status codes of Matcher.match(): the contract with routing/ (fastroute._spec).

# The public classes and functions answer to this module, as the compiled
# core's answer to ``fastroute._match`` (reprs, pickles by reference).
for _public in (
    AdapterBase, BuildPlan, Edge, Leaf, Linear, MapBase, Matcher, Node, Slot, build_plans, register_standard,
    select_plan,
):  # fmt: skip
    _public.__module__ = __name__
del _public
