"""The contract between :mod:`fastroute.routing` and the matcher cores.

``routing/`` parses rules and hands each core plain data; the cores
(``_match`` and its pure twin ``_match_py``) match and build with it.  Every
code, limit and record shape that crosses that line is stated here once:
``routing/`` and the pure core import it, and the compiled core, whose C
enums must be compile-time constants, checks at import that its values are
these (``_match._check_spec``), so the two cannot drift apart silently.
"""

from __future__ import annotations

import typing as t

# --- Match statuses --------------------------------------------------------
# ``Matcher.match()`` returns ``(status, found, values)``; the adapter turns
# them into werkzeug's answers: HIT -> (rule, values); REDIRECT -> a
# RequestRedirect to the path in *found*; NOMATCH -> MethodNotAllowed /
# WebsocketMismatch / NotFound from the methods in *found*.
HIT = 0
REDIRECT = 1
NOMATCH = 2

# --- Converter kinds -------------------------------------------------------
# ``converter._kind()`` returns ``(kind, arguments)``: what a built-in
# converter checks, so a core can test a segment without its regex.  Any
# converter whose regex or methods were changed is K_CUSTOM (regex only).
K_CUSTOM = 0
K_STRING = 1  # arguments: (minlength, maxlength or None) of a [^/] run
K_INT = 2  # (fixed_digits, min, max, signed)
K_FLOAT = 3  # (min, max, signed)
K_UUID = 4  # ()
K_ANY = 5  # (items, longest first)
K_PATH = 6  # ()

# --- Edge check modes ------------------------------------------------------
# How one dynamic child of a node tests its text.  The pure core uses
# M_REGEX, M_LENGTH, M_DIGITS and M_LINEAR; the compiled core has a C check
# for each kind of a lone converter as well.
M_REGEX = 0  # the part's compiled regex
M_LENGTH = 1  # a lone string converter: only the segment length matters
M_DIGITS = 2  # a lone unsigned int converter: decimal digits only
M_SDIGITS = 3  # a lone signed int converter: an optional "-", then digits
M_FLOAT = 4  # a lone float converter
M_UUID = 5  # a lone uuid converter
M_ANY = 6  # a lone any converter: one of its items
M_PATH = 7  # a lone path converter
M_LINEAR = 8  # several built-in converters and literals: the linear matcher

# --- Value conversion ------------------------------------------------------
# What a leaf does with each matched text before the rule sees it.
C_IDENTITY = 0  # BaseConverter.to_python: the text itself
C_CALL = 1  # converter.to_python(text)
C_INT = 2  # an int converter without bounds: int(text)

# --- URL-building steps ----------------------------------------------------
# How a build plan turns one value into URL text.
S_QUOTE = 0  # BaseConverter.to_url: quote(str(value), safe=PATH_SAFE)
S_INT = 1  # IntegerConverter.to_url without fixed digits: str(int(value))
S_CALL = 2  # anything else: converter.to_url(value)

# --- Methods a subclass overrides -----------------------------------------
# Bit flags the cores work out once per adapter/map class: which of
# werkzeug's overridable methods the class replaces, so the fast paths call
# each override where werkzeug calls it and skip the call otherwise.
H_KNOWN = 1  # the flags below are worked out
H_STANDARD_UNKNOWN = 2  # the standard classes are not registered yet: call every method
H_GET_HOST = 4
H_DEFAULT_REDIRECT = 8
H_REDIRECT_URL = 16  # make_redirect_url
H_MATCH = 32
H_PARTIAL_BUILD = 64
H_UPDATE = 128  # the map's

#: Adapter methods by flag, and the map's.
ADAPTER_HOOKS: tuple[tuple[str, int], ...] = (
    ("get_host", H_GET_HOST),
    ("get_default_redirect", H_DEFAULT_REDIRECT),
    ("make_redirect_url", H_REDIRECT_URL),
    ("match", H_MATCH),
    ("_partial_build", H_PARTIAL_BUILD),
)
MAP_HOOKS: tuple[tuple[str, int], ...] = (("update", H_UPDATE),)

# --- Text ------------------------------------------------------------------
#: Characters left unquoted in a URL path segment (werkzeug's to_url safe set).
PATH_SAFE = "!$&'()*+,/:;=@"
#: What ``quote(text, safe=PATH_SAFE)`` never changes: ASCII letters, digits,
#: ``_.-~`` and PATH_SAFE.
PATH_SAFE_RE = r"[A-Za-z0-9_.\-~!$&'()*+,/:;=@]*"

# --- Limits ----------------------------------------------------------------
#: Tree depth (segments of one rule) beyond which the C walk would risk the
#: C stack; deeper maps raise RecursionError as werkzeug's would.
MAX_DEPTH = 10000
#: werkzeug 3.1's Python frames between a caller and its deepest matcher
#: level: a match raises RecursionError where werkzeug's would.
WERKZEUG_FRAMES = 5
#: Regex tries a core makes for a part of several converters before it falls
#: back to the part's regex (a few microseconds at most).
REGEX_TRIES = 4096
#: Entries a per-process text cache (quoted literals, group names) keeps.
REMEMBERED_TEXT_MAX = 65536
#: Distinct converter pieces (class, arguments) a map shares between rules.
SHARED_PIECES_MAX = 4096
#: Entries a map's per-host caches keep before they start over, and the
#: longest host name they remember (a valid one is 253 characters and a port).
REMEMBERED_HOSTS_MAX = 512
REMEMBERED_HOST_LENGTH = 300


# --- What routing/ hands a core --------------------------------------------
class RuleLeaf(t.NamedTuple):
    """One rule for ``Matcher.add``: its parsed parts and what the leaf checks."""

    parts: t.Sequence[t.Any]  # RulePart-likes: .static, .content, .suffixed, ...
    rule: t.Any  # what a hit returns (ours, werkzeug's or a subclass)
    names: tuple[str, ...]  # the variables, in part order
    converters: tuple[t.Any, ...]  # per variable: None (identity) or the converter
    methods: t.Collection[str] | None  # a set, or the rule's shared tuple of names
    websocket: bool
    strict_slashes: bool | None
    merge_slashes: bool | None
    defaults: t.Mapping[str, t.Any] | None


class BuildEntry(t.NamedTuple):
    """One rule for ``build_plans``, in build order.

    A chunk is literal URL text or a ``(name,)`` slot.  A rule whose class
    overrides ``suitable_for``, ``build`` or ``_encode_query_vars`` (*plain*
    false), or that is not one of ours, builds through those methods: its
    chunks are empty.
    """

    rule: t.Any
    plain: bool
    methods: t.Collection[str] | None
    websocket: bool
    arguments: t.Collection[str]
    defaults: t.Mapping[str, t.Any] | None
    converters: t.Mapping[str, t.Any]
    domain_chunks: tuple[t.Any, ...]
    path_chunks: tuple[t.Any, ...]
    params: t.AbstractSet[str]
    required: tuple[str, ...]


#: The names whose values the compiled core's C enums must equal.
ENUMS: tuple[str, ...] = (
    *[name for name in list(globals()) if name[:2] in ("K_", "M_", "C_", "S_", "H_") and name[2:].isupper()],
    "HIT",
    "REDIRECT",
    "NOMATCH",
)
