"""The tree: rules, nodes, edges and the Matcher (the twin of
``_match_parts/tree.pxi``).

:meth:`Matcher.add` puts each rule's parts into a tree of :class:`Node`\\ s
(static children by text, dynamic children as :class:`Edge`\\ s, rules as
:class:`Leaf`\\ s); :meth:`Matcher.finish` sorts and freezes it;
:meth:`Matcher.match` walks it (see the ``walk`` part).  The compiled core
then copies the tree into one block of C structs with open-addressing slot
tables; this core keeps the objects and their dicts.
"""

from __future__ import annotations

import re
import sys
import typing as t
from _sre import MAXREPEAT

from .. import _spec
from .._spec import (
    HIT,
    K_INT,
    K_STRING,
    M_DIGITS,
    M_LENGTH,
    M_LINEAR,
    M_REGEX,
    MAX_DEPTH as _MAX_DEPTH,
    NOMATCH,
    REDIRECT,
    WERKZEUG_FRAMES as _WERKZEUG_FRAMES,
)
from .linear import Linear, _linear_pieces, _regex_limit
from .methods import _frozen_methods, _passed_methods
from .scan import _MERGE
from .walk import _SLASH, _convert, _walk

# Edge check modes: how one dynamic child tests its segment (this core has
# four of the spec's modes; the compiled one has a C check per lone kind).


class Leaf:
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
        self.methods = _frozen_methods(methods)
        self.websocket = websocket
        self.strict_slashes = strict_slashes
        self.merge_slashes = merge_slashes
        self.defaults = dict(defaults) if defaults else None
        # A hit on a plain rule needs no alias or redirect_to handling.
        self.plain = not getattr(rule, "alias", False) and getattr(rule, "redirect_to", None) is None


# C only: _kind_of (a converter's kind for the leaf's C conversion codes; the pure leaf calls to_python)
# C only: _keys_size (bytes of a slot table's copied keys)
# C only: _table_size (slots of an open-addressing table)
# C only: _fill_table (fills a slot table; the pure tree keeps its dicts)
# C only: _filter_bits (the Bloom filter in front of a large path table)


class Node:
    __slots__ = ("dynamic", "leaves", "paths", "static")

    def __init__(self) -> None:
        self.static: dict[str, Node] = {}
        self.dynamic: list[Edge] = []
        self.leaves: list[Leaf] = []
        # On the root's static children only: whole static path -> node.
        self.paths: dict[str, Node] = {}


# C only: _child (a static child by a span of the path; here node.static.get(segment))


class Edge:
    """A dynamic transition: a pattern for one segment (or the rest)."""

    __slots__ = (
        "final", "groups", "hi", "key", "linear", "lo", "match", "mode", "node", "sfx", "short",
        "suffixed", "weight",
    )  # fmt: skip

    def __init__(self, part: t.Any, at_root: bool) -> None:
        self.key = (part.content, part.final, part.suffixed, part.weight)
        self.weight = part.weight
        self.node = Node()
        self.final = part.final
        self.suffixed = part.suffixed
        n = sum(1 for p in part.pieces if p.__class__ is not str)
        # Values in the order of the converters (werkzeug >= 3.1.9), by the
        # names the part gave its groups (a converter's regex may have its
        # own named groups); then the optional slash's group.
        self.groups = tuple(part.groups[:n])
        self.sfx = part.groups[n] if part.suffixed else None
        self.mode = M_REGEX
        self.lo = 0
        self.hi: int | None = None
        # Path segments never hold "/", the domain may: at the root only the
        # regex is exact.
        if not part.final and not at_root and len(part.pieces) == 1:
            kind, args, _ = part.pieces[0]
            if kind == K_STRING and _plain_length_bounds(*args):
                self.mode = M_LENGTH
                self.lo, self.hi = args
            elif kind == K_INT and not args[3]:
                self.mode = M_DIGITS
        self.match: t.Any = None
        self.linear: Linear | None = None
        # Texts up to this long go to the regex, not the linear matcher
        # (see linear.REGEX_TRIES; -1: none do).
        self.short = -1
        if self.mode == M_REGEX and n > 1:
            # Several converters: re would backtrack over their lengths.
            pieces = _linear_pieces(part.pieces)
            if pieces is not None:
                self.mode = M_LINEAR
                self.linear = Linear(pieces, part.suffixed)
                self.short = _regex_limit(pieces)
        if self.mode == M_REGEX or self.short >= 0:
            try:
                self.match = re.compile(part.content + r"\Z").match
            except (re.error, OverflowError) as e:  # OverflowError: "{N}" too large
                # As werkzeug, which compiles a part's regex only when a
                # match tries that part: an invalid converter regex fails
                # those matches, not the whole map.
                self.match = _InvalidPattern(e)


def _plain_length_bounds(lo: int, hi: int | None) -> bool:
    """Whether ``[^/]{lo,hi}`` compiles to "between lo and hi characters".

    Otherwise the regex is what werkzeug uses, with its quirks: bounds past
    sre's MAXREPEAT raise OverflowError and ``lo > hi`` raises re.error when
    the part is tried, and a negative bound is not a repeat at all.
    """
    if not 0 <= lo < MAXREPEAT:
        return False
    return hi is None or lo <= hi < MAXREPEAT


class _InvalidPattern:
    """Stands for a regex that does not compile: raises when it is tried."""

    __slots__ = ("error",)

    def __init__(self, error: re.error | OverflowError) -> None:
        self.error = error

    def __call__(self, text: str) -> t.NoReturn:
        raise self.error


# C only: Search (the per-match state; the pure walk keeps it in a list, ctx, cheaper to make per match: see _accept)


# werkzeug searches its rule tree recursively (``update`` sorts it, ``match``
# walks it: a Python frame per level), so a rule deeper than the recursion
# limit allows raises RecursionError at the first match or build.  The cores
# raise the same at the same call: when the tree's depth plus the caller's
# frames (fastroute's own not counted) plus _WERKZEUG_FRAMES passes the limit.
# _WERKZEUG_FRAMES is werkzeug 3.1's frames between the caller and its
# deepest level; _MAX_DEPTH bounds the C walk's recursion (C stack) whatever
# the recursion limit is set to.


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


def _collect_paths(node: Node, paths: dict[str, Node]) -> None:
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


# C only: _all_static (marks static-only domains, whose misses the C path table settles alone)
# C only: _ends_in_segment (see _all_static)
# C only: _table_node (the C path table's node; here domain_node.paths.get(path))
# C only: _settled_miss (see _all_static)
# C only: _block_size (bytes of a node in the C block)


def _edge_weight(edge: Edge) -> t.Any:
    return edge.weight


class Matcher:
    """All matchable rules of one map, frozen into a tree."""

    __slots__ = ("_edges", "_root", "merge_slashes")

    def __init__(self, merge_slashes: bool) -> None:
        self.merge_slashes = merge_slashes
        self._root = Node()
        # Dynamic edges of each node, by key, while rules are being added.
        self._edges: dict[int, dict[t.Any, Edge]] | None = {}

    def add(self, leaf: _spec.RuleLeaf) -> None:
        """Add one rule (a ``_spec.RuleLeaf``); equal dynamic parts share a
        node, as in werkzeug.

        A finished matcher is frozen (the compiled core shares its empty
        containers): build a new one instead of adding to it."""
        if self._edges is None:
            raise RuntimeError("this matcher is finished; build a new one")
        node = self._root
        for part in leaf.parts:
            if part.static:
                child = node.static.get(part.content)
                if child is None:
                    child = node.static[part.content] = Node()
                node = child
                continue
            edges = self._edges.setdefault(id(node), {})
            key = (part.content, part.final, part.suffixed, part.weight)
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = Edge(part, node is self._root)
                node.dynamic.append(edge)
            node = edge.node
        node.leaves.append(Leaf(*leaf[1:]))

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

    # C only: _lay_out (copies the finished tree into the C block)

    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """Match ``domain`` + ``path`` (``"/..."`` or ``""``).

        Returns ``(HIT, rule, values)``, ``(REDIRECT, new_path, None)`` or
        ``(NOMATCH, methods_or_None, websocket_mismatch)``.
        """
        found = self._find(domain, path, method, websocket)
        if found[0] == HIT:
            return HIT, found[1].rule, found[2]
        if found[0] == NOMATCH:
            return NOMATCH, _passed_methods(found[1]) if found[1] else None, found[2]
        return found

    def static_path_known(self, domain: str, path: str) -> bool:
        """Whether the shortcut table of fully static paths under *domain*
        holds *path*: a path with rules, or one whose only rules are below
        its trailing slash (the walk finds the same rules without it); for
        tests and diagnostics."""
        domain_node = self._root.static.get(domain)
        return domain_node is not None and path in domain_node.paths

    def _find(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]:
        """:meth:`match`, with the hit's leaf instead of its rule (the
        compiled ``_find`` and ``_find_walk``)."""
        # Fast path: the all-static route is the first leaf werkzeug's walk
        # reaches, so a suitable rule there is the answer (_fitting_leaf,
        # inline: the hot path).
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
        result = _convert(leaf, values)
        if result is None:
            return NOMATCH, ctx[2], ctx[3]
        return HIT, leaf, result
