"""The walk (the twin of ``_match_parts/walk.pxi``).

A depth-first search of the tree that reproduces werkzeug 3.1's state
machine result for result: per segment, the static child first, then the
dynamic children in weight order, with backtracking; the leaf checks methods
and websocket; a branch rule reached without its trailing slash asks for a
redirect.  The path comes split into segments, the domain first
(``[domain, *path.split("/")]``); the walk returns a ``(leaf, values)``
pair, ``_SLASH`` or None and records 405 and websocket mismatches in the
search state *ctx* (see ``methods._accept``).
"""

from __future__ import annotations

import typing as t

from werkzeug.routing.converters import ValidationError

from .._spec import (
    M_DIGITS,
    M_LENGTH,
    M_LINEAR,
)
from .linear import _linear_values
from .methods import _accept

if t.TYPE_CHECKING:
    from .tree import Edge, Leaf, Node


_SLASH: t.Any = object()  # walk result: the rule needs a trailing slash
_TRAILING_SLASH = [""]  # the parts left after a slash-suffixed final part


def _walk(node: Node, parts: list[str], i: int, n: int, values: list[str], ctx: list[t.Any]) -> t.Any:
    """Depth-first search from *node* for ``parts[i:]``, with every
    alternative werkzeug tries.

    While a level offers one way down (only static children, or a lone
    regex-free edge) and no trailing-slash fallback can apply, descend in a
    loop (the compiled walk recurses per level).  On failure the values
    this call added are removed, so callers can backtrack.
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
            if mode == M_LENGTH:
                size = len(part)
                if size < edge.lo or (edge.hi is not None and size > edge.hi):
                    del values[start:]
                    return None
            elif mode == M_DIGITS:
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
    if i == n:
        for leaf in node.leaves:
            if _accept(leaf, ctx):
                return leaf, values
        slash_node = node.static.get("")
        if slash_node is not None:
            leaf = _fitting_leaf(slash_node, ctx[0], ctx[1])
            if leaf is not None:
                return _SLASH if leaf.strict_slashes else (leaf, values)
        del values[start:]
        return None
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, n, values, ctx)
        if found is not None:
            return found
    # The compiled _edge_walk, inline: a call per edge tried would cost
    # more than the length and digit checks.
    for edge in node.dynamic:
        mode = edge.mode
        if mode == M_LENGTH:
            size = len(part)
            if size < edge.lo or (edge.hi is not None and size > edge.hi):
                continue
        elif mode == M_DIGITS:
            if not part.isdecimal():
                continue
        else:
            target = "/".join(parts[i:]) if edge.final else part
            if mode == M_LINEAR and len(target) > edge.short:
                found = _linear_edge(edge, parts, i, n, target, values, ctx)
            else:
                found = _regex_edge(edge, parts, i, n, target, values, ctx)
            if found is not None:
                return found
            continue
        values.append(part)
        found = _walk(edge.node, parts, i + 1, n, values, ctx)
        if found is not None:
            return found
        values.pop()
    if i == n - 1 and part == "":
        for leaf in node.leaves:
            if not leaf.strict_slashes and _accept(leaf, ctx):
                return leaf, values
    del values[start:]
    return None


def _fitting_leaf(node: Node, method: str, websocket: bool) -> Leaf | None:
    """The first rule of *node* that accepts *method* and *websocket*, or
    None; unlike ``_accept``, records nothing for a 405."""
    for leaf in node.leaves:
        if leaf.websocket == websocket and (leaf.methods is None or method in leaf.methods):
            return leaf
    return None


# C only: _edge_walk (one dynamic child by its C mode; the pure _walk tries length and digit edges inline)


def _regex_edge(
    edge: Edge, parts: list[str], i: int, n: int, target: str, values: list[str], ctx: list[t.Any]
) -> t.Any:
    """Try the dynamic child *edge*, by its regex, on *target* (the segment
    ``parts[i]``, or the rest of the path for a final part)."""
    hit = edge.match(target)
    if hit is None:
        return None
    size = len(values)
    groups = edge.groups
    if len(groups) == 1:
        values.append(hit.group(groups[0]))
    else:
        values.extend(hit.group(*groups))
    if edge.final:
        if edge.suffixed and hit.group(edge.sfx) == "/":
            found = _walk(edge.node, _TRAILING_SLASH, 0, 1, values, ctx)
        else:
            found = _walk(edge.node, parts, n, n, values, ctx)
    else:
        found = _walk(edge.node, parts, i + 1, n, values, ctx)
    if found is None:
        del values[size:]
    return found


def _linear_edge(
    edge: Edge, parts: list[str], i: int, n: int, target: str, values: list[str], ctx: list[t.Any]
) -> t.Any:
    """Try the dynamic child *edge*, a part of several converters, with its
    linear matcher (see the ``linear`` part)."""
    size = len(values)
    hit = _linear_values(edge.linear, target, values)  # type: ignore[arg-type]
    if hit < 0:
        return None
    if not edge.final:
        found = _walk(edge.node, parts, i + 1, n, values, ctx)
    elif hit == 1:
        found = _walk(edge.node, _TRAILING_SLASH, 0, 1, values, ctx)
    else:
        found = _walk(edge.node, parts, n, n, values, ctx)
    if found is None:
        del values[size:]
    return found


# C only: _walk_root (the domain level; the pure walk takes the domain as its first segment)
# C only: _int_value (int() of ASCII digits in C)


def _convert(leaf: Leaf, values: list[str]) -> dict[str, t.Any] | None:
    """The values dict of a hit, or None when a converter refuses a value."""
    result = {}
    try:
        for name, conv, value in zip(leaf.names, leaf.converters, values, strict=False):
            result[name] = value if conv is None else conv.to_python(value)
    except ValidationError:
        return None
    if leaf.defaults:
        result.update(leaf.defaults)
    return result
