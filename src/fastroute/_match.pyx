# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled matcher core: the C twin of ``fastroute._match_py``.

Same names, same answers (the module doc of ``_match_py`` explains the walk);
what changes is how it is done:

* nodes, edges and rules are typed ``cdef`` classes;
* the path is scanned in place by index: a segment becomes a string only for
  the static-children lookup and as a captured value, never a split list;
* lone built-in converters (string with length bounds, int, float, uuid,
  any, path) are checked in C without their regex, and so are parts with
  several built-in converters (the linear matcher, in C sweeps); other parts
  use a regex compiled once and owned by their edge;
* plain ``int`` values are converted in C;
* ``AdapterBase.match`` (the public ``MapAdapter.match``) runs here too, so a
  match crosses from Python into C once.
"""

cimport cython
from cpython.long cimport PyLong_FromLongLong
from cpython.dict cimport PyDict_Copy
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from cpython.unicode cimport (
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
    PyUnicode_READ_CHAR,
)
from libc.stdint cimport uint32_t, uint64_t, uintptr_t
from libc.stdlib cimport free, malloc
from cpython.mem cimport PyMem_Calloc, PyMem_Free
from libc.string cimport memchr, memcmp, memcpy, memset

cdef extern from "Python.h":
    bint Py_UNICODE_ISDECIMAL(Py_UCS4)
    bint PyUnicode_IS_COMPACT_ASCII(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    int PyUnicode_1BYTE_KIND
    # CPython's own slice: an ASCII text's pieces are copied without the
    # scan for their widest character that a generic slice makes.
    str PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)
    # An exact str of a str or str subclass (no __str__ call).
    str PyUnicode_FromObject(object obj)
    # The fields of an exception that _http_error fills in directly.
    ctypedef struct PyBaseExceptionObject:
        PyObject* dict
        char suppress_context

import copyreg
import re
import sys
from _sre import MAXREPEAT
from urllib.parse import quote
from weakref import WeakKeyDictionary

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.converters import ValidationError
from werkzeug.routing.exceptions import BuildError, RequestRedirect, WebsocketMismatch

from . import _spec

__all__ = ["HIT", "REDIRECT", "NOMATCH", "AdapterBase", "MapBase", "Matcher", "build_plans"]

HIT = _spec.HIT
REDIRECT = _spec.REDIRECT
NOMATCH = _spec.NOMATCH

cdef enum:
    _HIT = 0
    _REDIRECT = 1
    _NOMATCH = 2

# Converter kinds (fastroute.routing.converters)
cdef enum:
    K_CUSTOM = 0
    K_STRING = 1
    K_INT = 2
    K_FLOAT = 3
    K_UUID = 4
    K_ANY = 5
    K_PATH = 6

# Edge check modes
cdef enum:
    M_REGEX = 0
    M_LENGTH = 1
    M_DIGITS = 2
    M_SDIGITS = 3
    M_FLOAT = 4
    M_UUID = 5
    M_ANY = 6
    M_PATH = 7
    M_LINEAR = 8

# Per-value conversion
cdef enum:
    C_IDENTITY = 0
    C_CALL = 1
    C_INT = 2

cdef object _MERGE = re.compile("/{2,}")
cdef str _PATH_SAFE = _spec.PATH_SAFE
cdef object _SLASH = object()  # walk result: the rule needs a trailing slash

# werkzeug's HTTP exceptions cost two Python __init__ frames to create, more
# than a whole match.  When (as in werkzeug 3.1) __init__ only stores its
# arguments, make identical instances directly: the type's tp_new, then a
# copy of a template attribute dict (what __init__ would have stored, in its
# order) put in the instance's dict slot; checked once, here.
cdef bint _DIRECT_EXC = False


cdef tuple _NO_ARGS = ()
# Shared by every finished node but the root; a finished matcher is never
# changed (Matcher.add refuses), so nothing writes to it.
cdef dict _EMPTY_DICT = {}
# The values of a walk that can capture none (a static-only domain's).
cdef list _NO_VALUES = []
# The attribute dicts of werkzeug's NotFound() / MethodNotAllowed(methods) /
# RequestRedirect(url), copied per error (a copy of a small dict clones its
# keys in one go; setting the attributes one by one builds them).
cdef dict _ERROR_DICT = {"response": None}
cdef dict _NOT_ALLOWED_DICT = {"response": None, "valid_methods": None}
cdef dict _REDIRECT_DICT = {"description": None, "response": None, "new_url": None}


cdef inline object _new_error(type cls, dict attrs):
    """An instance of *cls* (an HTTPException) with *attrs* (a new dict) as
    its attributes, made without running ``__init__``."""
    exc = (<PyTypeObject*>cls).tp_new(cls, <PyObject*>_NO_ARGS, NULL)
    Py_INCREF(attrs)  # the slot's reference; tp_new left the slot NULL
    (<PyBaseExceptionObject*>exc).dict = <PyObject*>attrs
    return exc


cdef inline object _suppressed(exc):
    """*exc* as werkzeug's ``raise ... from None`` leaves it: no context
    shown in a traceback (``__suppress_context__``)."""
    (<PyBaseExceptionObject*>exc).suppress_context = 1
    return exc


cdef object _http_error(type cls, valid_methods=None):
    """werkzeug's ``cls()`` (``cls(valid_methods=...)`` for a 405) as
    ``MapAdapter.match`` raises it: ``from None``."""
    if not _DIRECT_EXC:
        exc = cls() if valid_methods is None else cls(valid_methods=valid_methods)
    elif valid_methods is None:
        exc = _new_error(cls, PyDict_Copy(_ERROR_DICT))
    else:
        attrs = PyDict_Copy(_NOT_ALLOWED_DICT)
        attrs["valid_methods"] = valid_methods
        exc = _new_error(cls, attrs)
    return _suppressed(exc)


cdef object _redirect_error(url):
    """werkzeug's ``RequestRedirect(url)`` for a slash or merge-slashes
    redirect (made directly as above), raised ``from None``."""
    if not _DIRECT_EXC:
        return _suppressed(RequestRedirect(url))
    attrs = PyDict_Copy(_REDIRECT_DICT)
    attrs["description"] = url
    attrs["new_url"] = url
    return _suppressed(_new_error(RequestRedirect, attrs))


def _check_direct_exceptions():
    global _DIRECT_EXC
    _DIRECT_EXC = True
    try:
        pairs = [
            (NotFound(), _http_error(NotFound)),
            (WebsocketMismatch(), _http_error(WebsocketMismatch)),
            (MethodNotAllowed(valid_methods=["GET"]), _http_error(MethodNotAllowed, ["GET"])),
            (RequestRedirect("http://h/a/"), _redirect_error("http://h/a/")),
        ]
        _DIRECT_EXC = all(
            type(a) is type(b)
            and type(a).__dictoffset__ == BaseException.__dictoffset__  # the slot we fill
            and a.args == b.args
            and list(a.__dict__.items()) == list(b.__dict__.items())
            and b.__suppress_context__
            for a, b in pairs
        )
    except Exception:
        _DIRECT_EXC = False


_check_direct_exceptions()

cdef str _GET = "GET"
cdef str _POST = "POST"
cdef str _HEAD = "HEAD"
cdef str _PUT = "PUT"
cdef str _DELETE = "DELETE"
cdef str _PATCH = "PATCH"
cdef str _OPTIONS = "OPTIONS"
# The canonical verbs are these very objects (_bit() compares identities;
# _standard_verb() returns them).


@cython.final
cdef class Leaf:
    """A rule as the matcher sees it."""

    # What a hit reads comes first, right after the object header (C fields
    # keep this order): on a large table each cache line of a Leaf is a
    # miss.  The method and websocket checks read the node's LeafE entries
    # in the matcher's block, not these fields.
    cdef object endpoint
    cdef dict defaults
    cdef unsigned int mask  # _bit() of each standard method in methods
    # Flags as bytes, not bint (an int each): with the mask, one 8-byte
    # word, and the Leaf one 16-byte size class smaller.
    cdef unsigned char strict_slashes
    cdef unsigned char alias
    cdef unsigned char redirects
    cdef unsigned char merge_slashes
    cdef Py_ssize_t nconv
    cdef tuple names
    cdef tuple conversions
    cdef object methods
    cdef object websocket
    cdef tuple converters
    cdef readonly object rule

    def __init__(self, rule, tuple names, tuple converters, methods, websocket,
                 strict_slashes, merge_slashes, defaults):
        cdef list conversions = []
        self.rule = rule
        self.names = names
        self.converters = converters
        for conv in converters:
            if conv is None:
                conversions.append(C_IDENTITY)
            elif _kind_of(conv) == (K_INT, (0, None, None, False)):
                conversions.append(C_INT)
            else:
                conversions.append(C_CALL)
        self.conversions = _interned(_SHARED_TUPLES, tuple(conversions))
        self.nconv = len(names)
        # A snapshot: the mask below must agree with it.
        self.methods = _frozen_methods(methods)
        self.mask = _method_mask(self.methods)
        self.websocket = websocket
        self.strict_slashes = <bint>strict_slashes
        self.merge_slashes = <bint>merge_slashes
        self.defaults = dict(defaults) if defaults else None
        # Rules do not change once bound (werkzeug's matcher relies on that
        # too); read what the adapter needs once.
        self.endpoint = getattr(rule, "endpoint", None)
        self.alias = <bint>getattr(rule, "alias", False)
        self.redirects = getattr(rule, "redirect_to", None) is not None


# Equal conversion tuples of the leaves, one object each (see _interned).
cdef dict _SHARED_TUPLES = {}


cdef tuple _kind_of(conv):
    kind = getattr(conv, "_kind", None)
    if kind is None:
        return (K_CUSTOM, ())
    try:
        return kind()
    except Exception:
        return (K_CUSTOM, ())


cdef inline uint64_t _hash_span(str text, Py_ssize_t start, Py_ssize_t end):
    """FNV-1a over code points: the same for a key and for a span of a
    longer string whatever their storage widths."""
    cdef uint64_t h = 14695981039346656037ULL
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    for i in range(start, end):
        h = (h ^ <uint64_t>PyUnicode_READ(kind, data, i)) * 1099511628211ULL
    return h


cdef inline bint _span_equals(str key, str text, Py_ssize_t start):
    """key == text[start:start + len(key)], without making the slice."""
    cdef Py_ssize_t i, n = len(key)
    cdef int kind = PyUnicode_KIND(key)
    cdef int tkind = PyUnicode_KIND(text)
    cdef void* kdata = PyUnicode_DATA(key)
    cdef void* tdata = PyUnicode_DATA(text)
    if kind == tkind:
        return memcmp(kdata, <char*>tdata + start * tkind, n * kind) == 0
    for i in range(n):
        if PyUnicode_READ(kind, kdata, i) != PyUnicode_READ(tkind, tdata, start + i):
            return False
    return True


cdef struct Slot_t:
    uint64_t hash       # of the key (_hash_span, or the str hash of a path table)
    uint32_t length     # len(key)
    uint32_t kind       # the key's str storage width: 1, 2 or 4 bytes
    const char* chars   # a copy of the key's characters; NULL marks a free slot
    void* node          # the child's NodeC


cdef inline bint _chars_equal(const Slot_t* slot, str text, Py_ssize_t start) noexcept:
    """The slot's key == text[start:start + slot.length] (the caller checked
    that the text is long enough)."""
    cdef Py_ssize_t i, n = slot.length
    cdef int kind = slot.kind
    cdef int tkind = PyUnicode_KIND(text)
    cdef void* tdata = PyUnicode_DATA(text)
    if kind == tkind:
        return memcmp(slot.chars, <char*>tdata + start * tkind, n * kind) == 0
    for i in range(n):
        if PyUnicode_READ(kind, slot.chars, i) != PyUnicode_READ(tkind, tdata, start + i):
            return False
    return True


cdef size_t _keys_size(list keys):
    """Bytes that copies of *keys*' characters take (see _fill_table), a
    multiple of 8 so that what follows stays aligned."""
    cdef size_t total = 0
    cdef str key
    if keys is None:
        return 0
    for key in keys:
        # Room to align a 2- or 4-byte key to its width, too.
        total += <size_t>len(key) * PyUnicode_KIND(key) + PyUnicode_KIND(key) - 1
    return (total + 7) & ~(<size_t>7)


# A finished tree is copied into one block of these C structs (see
# Matcher._lay_out), each node followed by its slot table, edges and leaf
# pointers, in depth-first order: a walk step reads one node's block, the
# key's characters and the next block, instead of a Node object, a separate
# slot table, two tuples and an Edge object.  Objects are borrowed: the
# Node, Edge and Leaf objects that own them live as long as the matcher.
cdef struct NodeC

cdef struct EdgeC:
    int mode
    Py_ssize_t lo
    Py_ssize_t hi
    NodeC* child
    PyObject* edge      # its Edge, for the modes that need more than the above

# A node's rule as its block holds it: what deciding whether the rule takes
# the request's method and websocket flag reads, so that the rules a walk
# passes over (PUT and DELETE on a path whose first rule is GET) cost no
# read of their Leaf objects.
cdef struct LeafE:
    PyObject* leaf      # the Leaf (which owns methods)
    PyObject* methods   # its frozen methods, or None
    unsigned int mask   # its _method_mask
    unsigned char ws    # its websocket: 0 False, 1 True, 2 anything else
    unsigned char strict_slashes
    unsigned char extra # methods has names the mask does not cover

cdef struct NodeC:
    Py_ssize_t smask    # -1: no static children
    Slot_t* slots
    Py_ssize_t nedges
    EdgeC* edges
    Py_ssize_t nleaves
    LeafE* leaves
    NodeC* slash        # the "" child (a trailing slash), or NULL


cdef Py_ssize_t _table_size(Py_ssize_t n):
    """Slots of an open-addressing table for *n* keys: the power of two at
    least twice *n*, or 0 for none."""
    cdef Py_ssize_t size = 1
    if n == 0:
        return 0
    while size < 2 * n:
        size <<= 1
    return size


cdef int _fill_table(list keys, list nodes, bint str_hash, Slot_t* slots, Py_ssize_t size,
                     char* chars) except -1:
    """Put *keys* (str) into the zeroed table *slots* of *size* slots, hashed
    by the str hash or by _hash_span, each with its node's NodeC.  The keys'
    characters are copied to *chars* (``_keys_size(keys)`` bytes): a probe
    reads them there, next to the table, not in str objects spread over the
    heap (on a large table, a cache miss per step of a walk)."""
    cdef Py_ssize_t i, j, n
    cdef size_t width
    cdef uint64_t h
    cdef str key
    for i in range(len(keys)):
        key = keys[i]
        n = len(key)
        width = PyUnicode_KIND(key)
        # Aligned to its width: the compare reads 2- or 4-byte characters.
        chars = <char*>((<uintptr_t>chars + width - 1) & ~(<uintptr_t>width - 1))
        if n > <Py_ssize_t>0xFFFFFFFF:
            raise ValueError("a URL rule segment of 4 GiB characters or more")
        h = <uint64_t>hash(key) if str_hash else _hash_span(key, 0, n)
        j = <Py_ssize_t>(h & <uint64_t>(size - 1))
        while slots[j].chars != NULL:
            j = (j + 1) & (size - 1)
        slots[j].hash = h
        slots[j].length = <uint32_t>n
        slots[j].kind = <uint32_t>width
        memcpy(chars, PyUnicode_DATA(key), n * width)
        slots[j].chars = chars  # also for "": a free slot is one with NULL
        chars += n * width
        slots[j].node = <void*>(<Node>nodes[i]).c
    return 0


# Path tables of more paths than this get a filter (Node.pfilter); smaller
# ones stay in the cache anyway.
cdef Py_ssize_t _FILTER_FROM = 256


cdef inline uint64_t _filter_bits(uint64_t h) noexcept:
    """The two bits a path of str hash *h* sets in its filter word (hash
    bits apart from those that pick the word and the table slot)."""
    return (<uint64_t>1 << ((h >> 24) & 63)) | (<uint64_t>1 << ((h >> 30) & 63))


@cython.final
cdef class Node:
    """A node while the tree is built; matching reads its NodeC (``c``)
    and, for a domain node, its path table."""

    cdef NodeC* c  # in the matcher's block, once finished
    # Lists while the matcher is built, tuples once finished.
    cdef object leaves
    cdef object dynamic
    cdef Node slash
    # The fully static paths below a domain node as a table too, by the
    # path's own str hash: a dynamic path, which misses it, costs one
    # probe of adjacent slots rather than a dict's index and entry reads.
    cdef Slot_t* pslots
    cdef Py_ssize_t pmask
    # In front of a large path table, a blocked Bloom filter of its paths
    # (two bits of one 64-bit word per path, about 13 bits per path): most
    # dynamic paths are turned away by a word that stays in the cache, not
    # by a probe of a table too large to (on a 10,000-rule map, a cache
    # miss per dynamic request).  NULL for small tables.
    cdef uint64_t* pfilter
    cdef uint64_t pfmask
    # A domain node with no dynamic part anywhere below it (nor at the
    # root): the walk can only go straight down the path's segments, so the
    # path table settles most paths alone (see Matcher._find_walk).
    cdef bint static_only
    # Whether a path in its table has an empty segment ("//"): if none
    # has, a path the table holds has no slashes to merge.
    cdef bint empty_segments
    cdef dict static
    # Once finished: the static children's names and nodes (None for none);
    # the names only until the slot table has copies of them.
    cdef list skeys
    cdef list snodes
    cdef list pnodes

    def __init__(self):
        self.static = {}
        self.dynamic = []
        self.leaves = []
        self.slash = None
        self.pmask = -1

    def __dealloc__(self):
        PyMem_Free(self.pslots)
        PyMem_Free(self.pfilter)

    cdef int freeze_paths(self, dict paths) except -1:
        """Build the path table from *paths* (path -> laid-out Node, keyed by
        the str hash), and its filter."""
        cdef Py_ssize_t size = _table_size(len(paths))
        cdef Py_ssize_t words
        cdef uint64_t h
        cdef list keys
        if size == 0:
            return 0
        keys = list(paths)
        self.pnodes = list(paths.values())
        self.pslots = <Slot_t*>PyMem_Calloc(size * sizeof(Slot_t) + _keys_size(keys), 1)
        if self.pslots == NULL:
            raise MemoryError()
        self.pmask = size - 1
        _fill_table(keys, self.pnodes, True, self.pslots, size, <char*>&self.pslots[size])
        if len(keys) > _FILTER_FROM:
            words = 1
            while words * 8 < len(keys):
                words <<= 1
            self.pfilter = <uint64_t*>PyMem_Calloc(words, sizeof(uint64_t))
            if self.pfilter == NULL:
                raise MemoryError()
            self.pfmask = words - 1
            for key in keys:
                h = <uint64_t>hash(key)
                self.pfilter[(h >> 12) & self.pfmask] |= _filter_bits(h)
        return 0

    cdef inline NodeC* path_node(self, str path) noexcept:
        """The node of the fully static *path*, or NULL."""
        cdef uint64_t h, bits
        cdef Py_ssize_t j, n
        cdef Slot_t* slot
        if self.pmask < 0:
            return NULL
        h = <uint64_t>hash(path)
        if self.pfilter != NULL:
            bits = _filter_bits(h)
            if self.pfilter[(h >> 12) & self.pfmask] & bits != bits:
                return NULL  # certainly not a static path
        n = len(path)
        j = <Py_ssize_t>(h & <uint64_t>self.pmask)
        while True:
            slot = &self.pslots[j]
            if slot.chars == NULL:
                return NULL
            if slot.hash == h and slot.length == n and _chars_equal(slot, path, 0):
                return <NodeC*>slot.node
            j = (j + 1) & self.pmask


cdef inline NodeC* _child(NodeC* node, str text, Py_ssize_t start, Py_ssize_t end) noexcept:
    """The static child of *node* named text[start:end], or NULL."""
    cdef uint64_t h
    cdef Py_ssize_t j
    cdef Slot_t* slot
    if node.smask < 0:
        return NULL
    h = _hash_span(text, start, end)
    j = <Py_ssize_t>(h & <uint64_t>node.smask)
    while True:
        slot = &node.slots[j]
        if slot.chars == NULL:
            return NULL
        if slot.hash == h and slot.length == end - start and _chars_equal(slot, text, start):
            return <NodeC*>slot.node
        j = (j + 1) & node.smask


@cython.final
cdef class Edge:
    # A finished matcher's walk reads an EdgeC (mode, bounds, child); the
    # Edge itself only for an any(), regex or several-converter part.
    cdef int mode
    cdef bint final
    cdef bint suffixed
    cdef Py_ssize_t lo
    cdef Py_ssize_t hi
    cdef Node node
    cdef frozenset items
    cdef object match
    cdef tuple groups
    cdef Py_ssize_t ngroups
    cdef object sfx
    cdef Linear linear
    cdef object key
    cdef object weight

    def __init__(self, part, bint at_root):
        cdef Py_ssize_t n
        self.key = (part.content, part.final, part.suffixed, part.weight)
        self.weight = part.weight
        self.node = Node()
        self.final = part.final
        self.suffixed = part.suffixed
        n = 0
        for piece in part.pieces:
            if not isinstance(piece, str):
                n += 1
        # Values in the order of the converters (werkzeug >= 3.1.9), by the
        # names the part gave its groups (a converter's regex may have its
        # own named groups); then the optional slash's group.
        self.groups = tuple(part.groups[:n])
        self.ngroups = n
        self.sfx = part.groups[n] if part.suffixed else None
        self.mode = M_REGEX
        self.lo = 0
        self.hi = -1
        self.items = None
        self._choose_mode(part, at_root)
        if self.mode == M_REGEX and n > 1:
            # Several converters: re would backtrack over their lengths.
            self.linear = _make_linear(part)
            if self.linear is not None:
                self.mode = M_LINEAR
        if self.mode == M_REGEX:
            try:
                self.match = re.compile(part.content + r"\Z").match
            except (re.error, OverflowError) as e:  # OverflowError: "{N}" too large
                # As werkzeug: an invalid converter regex fails the matches
                # that try this part, not the map.
                self.match = _InvalidPattern(e)

    cdef _choose_mode(self, part, bint at_root):
        """A regex-free check for a lone built-in converter below the root."""
        if at_root or len(part.pieces) != 1:
            return
        kind, args, _ = part.pieces[0]
        if part.final:
            if kind == K_PATH and not part.suffixed:
                self.mode = M_PATH
            return
        if kind == K_STRING and _plain_length_bounds(args[0], args[1]):
            self.mode = M_LENGTH
            self.lo = args[0]
            self.hi = -1 if args[1] is None else args[1]
        elif kind == K_INT:
            self.mode = M_SDIGITS if args[3] else M_DIGITS
        elif kind == K_FLOAT and not args[2]:
            self.mode = M_FLOAT
        elif kind == K_UUID:
            self.mode = M_UUID
        elif kind == K_ANY:
            self.mode = M_ANY
            # No items gives the regex "(?:)", which matches only "".
            self.items = frozenset(args) if args else frozenset([""])


cdef bint _plain_length_bounds(lo, hi):
    """Whether ``[^/]{lo,hi}`` compiles to "between lo and hi characters"
    (see ``_match_py.plain_length_bounds``)."""
    if not 0 <= lo < MAXREPEAT:
        return False
    return hi is None or lo <= hi < MAXREPEAT


class _InvalidPattern:
    """Stands for a regex that does not compile: raises when it is tried."""

    def __init__(self, error):
        self.error = error

    def __call__(self, text):
        raise self.error


# Made and dropped by every match that walks: kept on a free list, and not
# tracked by the collector (only the match's own C stack refers to one, so
# it is never part of a reference cycle).
@cython.final
@cython.no_gc
@cython.freelist(8)
cdef class Search:
    """Per-match state: the request, the mismatches seen so far, and the
    outcome (the hit's leaf and values, or a redirect path)."""

    cdef object method
    cdef unsigned int bit  # _bit(method), worked out once per match
    cdef object websocket
    # The methods of the rules passed over, for a 405: the standard verbs
    # as mask bits, other names in have (None, one leaf's frozen methods, or
    # a set; see _accept).
    cdef unsigned int have_mask
    cdef object have
    cdef bint wsm
    cdef Leaf leaf
    cdef dict result
    cdef str new_path


cdef bint _has_double_slash(str path):
    """``"//" in path``, without the generic substring search."""
    cdef Py_ssize_t i, n = len(path)
    cdef int kind = PyUnicode_KIND(path)
    cdef void* data = PyUnicode_DATA(path)
    cdef const char* at
    cdef const char* end
    if kind == PyUnicode_1BYTE_KIND:
        at = <const char*>data
        end = at + n - 1
        while at < end:
            at = <const char*>memchr(at, 47, <size_t>(end - at))
            if at == NULL:
                return False
            if at[1] == 47:
                return True
            at += 2
        return False
    for i in range(1, n):
        if PyUnicode_READ(kind, data, i) == 47 and PyUnicode_READ(kind, data, i - 1) == 47:
            return True
    return False


cdef inline Py_ssize_t _segment_end(str path, Py_ssize_t pos, Py_ssize_t n):
    """Index of the next "/" at or after *pos*, or *n*."""
    cdef int kind = PyUnicode_KIND(path)
    cdef void* data = PyUnicode_DATA(path)
    cdef const char* hit
    if kind == PyUnicode_1BYTE_KIND:
        hit = <const char*>memchr(<const char*>data + pos, 47, <size_t>(n - pos))
        return n if hit == NULL else <Py_ssize_t>(hit - <const char*>data)
    while pos < n and PyUnicode_READ(kind, data, pos) != 47:
        pos += 1
    return pos


cdef inline bint _same(a, b) except -1:
    if a is b:
        return True
    if type(a) is bool and type(b) is bool:
        return False
    return a == b


cdef inline object _standard_verb(str method):
    """The canonical object of GET, POST, HEAD, PUT, DELETE, PATCH or OPTIONS
    written in any case, found by its characters, or None.  A request's
    method is a new string each time: a dict lookup would first hash it."""
    cdef Py_ssize_t i, n
    cdef const char* d
    cdef char low[8]
    if not PyUnicode_IS_COMPACT_ASCII(method):
        return None
    n = PyUnicode_GET_LENGTH(method)
    if n < 3 or n > 7:
        return None
    d = <const char*>PyUnicode_DATA(method)
    for i in range(n):
        low[i] = d[i] | 0x20  # ASCII lower case; only letters fold onto letters
    if n == 3:
        if memcmp(low, b"get", 3) == 0:
            return _GET
        if memcmp(low, b"put", 3) == 0:
            return _PUT
    elif n == 4:
        if memcmp(low, b"post", 4) == 0:
            return _POST
        if memcmp(low, b"head", 4) == 0:
            return _HEAD
    elif n == 5:
        if memcmp(low, b"patch", 5) == 0:
            return _PATCH
    elif n == 6:
        if memcmp(low, b"delete", 6) == 0:
            return _DELETE
    elif memcmp(low, b"options", 7) == 0:
        return _OPTIONS
    return None


cdef inline object _canonical_verb(method):
    """The canonical object of a standard verb in any case, or None (also
    for None, "", other verbs and what is not a str)."""
    if method is _GET or method is _POST:
        return method  # the usual interned literals: nothing to compare
    if type(method) is not str:
        return None
    return _standard_verb(<str>method)


# The standard verbs' _bit()s, in the order a 405 lists them (the pure
# core's _VERB_ORDER).
cdef tuple _LISTED_VERBS = ((1, _GET), (4, _HEAD), (2, _POST), (8, _PUT), (16, _DELETE), (32, _PATCH),
                            (64, _OPTIONS))
# The standard verbs of each mask, in _LISTED_VERBS order: a 405 copies one
# of these tuples into its list instead of testing seven bits.
cdef tuple _VERBS_OF_MASK = tuple(
    tuple(verb for bit, verb in _LISTED_VERBS if mask & bit) for mask in range(128)
)


cdef list _passed_methods(Search s):
    """The methods of the rules a search passed over, as a new list (the
    standard verbs in a fixed order, then any others), or None."""
    cdef unsigned int mask = s.have_mask
    cdef list out
    if not mask and s.have is None:  # have is None or a non-empty set
        return None
    out = list(<tuple>_VERBS_OF_MASK[mask & 127])
    if s.have is not None:
        for name in s.have:
            canonical = _canonical_verb(name)
            if canonical is None or canonical != name:  # not one of the bits
                out.append(name)
    return out


cdef inline unsigned int _bit(method):
    """The mask bit of a canonical verb (the objects ``_standard_verb`` returns),
    found by identity; 0 for any other method."""
    if method is _GET:
        return 1
    if method is _POST:
        return 2
    if method is _HEAD:
        return 4
    if method is _PUT:
        return 8
    if method is _DELETE:
        return 16
    if method is _PATCH:
        return 32
    if method is _OPTIONS:
        return 64
    return 0


# Leaves and build plans keep a frozen copy of their rule's methods (their
# masks must agree with it); equal sets share one copy, since most rules
# have one of a handful.
cdef dict _FROZEN_METHODS = {}


cdef object _interned(dict cache, value):
    """One object for equal immutable values: the first one seen (at most
    4,096 kept per cache)."""
    found = cache.get(value)
    if found is not None:
        return found
    if len(cache) < 4096:
        cache[value] = value
    return value


cdef object _frozen_methods(methods):
    if methods is None:
        return None
    return _interned(_FROZEN_METHODS, frozenset(methods))


cdef unsigned int _method_mask(methods) except? 0:
    """The _bit() of each standard method in *methods* (None: 0)."""
    cdef unsigned int mask = 0
    if methods is not None:
        for verb in methods:
            canonical = _canonical_verb(verb)
            if canonical is not None and canonical == verb:
                mask |= _bit(canonical)
    return mask


cdef inline bint _allows(methods, unsigned int mask, method, unsigned int bit) except -1:
    """Whether *method* (whose ``_bit`` is *bit*) is in *methods* (with
    ``_method_mask`` *mask*; None allows every method)."""
    if methods is None:
        return True
    if bit:
        return (mask & bit) != 0
    return method in methods


cdef inline bint _method_ok(const LeafE* e, method, unsigned int bit) except -1:
    return _allows(<object>e.methods, e.mask, method, bit)


cdef inline bint _websocket_ok(const LeafE* e, websocket) except -1:
    """_same(rule's websocket, *websocket*) for the rule of entry *e*."""
    if e.ws < 2 and type(websocket) is bool:
        return (e.ws == 1) == (websocket is True)
    return _same((<Leaf>e.leaf).websocket, websocket)


cdef bint _accept(const LeafE* e, Search s) except -1:
    if not _method_ok(e, s.method, s.bit):
        # The methods of the leaves passed over, for a 405: an OR of masks,
        # and set unions only for rules with other methods.  Most searches
        # that pass one over still hit, and leaves share their (frozen)
        # method sets: keep the first one as it is, copy on a second one.
        s.have_mask |= e.mask
        if e.extra:
            methods = <object>e.methods
            if s.have is None:
                s.have = methods
            elif s.have is not methods:
                if type(s.have) is frozenset:
                    s.have = set(s.have)
                s.have |= methods  # set_ior in C, no method lookup
        return False
    if not _websocket_ok(e, s.websocket):
        s.wsm = True
        return False
    return True


cdef bint _digits(str text, Py_ssize_t start, Py_ssize_t end) except -1:
    if start >= end:
        return False
    cdef Py_ssize_t i
    for i in range(start, end):
        if not Py_UNICODE_ISDECIMAL(PyUnicode_READ_CHAR(text, i)):
            return False
    return True


cdef bint _is_float(str text, Py_ssize_t start, Py_ssize_t end) except -1:
    # r"\d+\.\d+"
    cdef Py_ssize_t i, dot = -1
    for i in range(start, end):
        if PyUnicode_READ_CHAR(text, i) == u'.':
            dot = i
            break
    if dot < 0:
        return False
    return _digits(text, start, dot) and _digits(text, dot + 1, end)


cdef inline bint _hex(long c):
    return (48 <= c <= 57) or (97 <= c <= 102) or (65 <= c <= 70)  # 0-9 a-f A-F


cdef bint _is_uuid(str text, Py_ssize_t start, Py_ssize_t end) except -1:
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    if end - start != 36:
        return False
    for i in range(36):
        c = PyUnicode_READ_CHAR(text, start + i)
        if i == 8 or i == 13 or i == 18 or i == 23:
            if c != u'-':
                return False
        elif not _hex(<long>c):
            return False
    return True


cdef bint _is_path(str text, Py_ssize_t start, Py_ssize_t end) except -1:
    # r"[^/].*?\Z": not empty, no leading slash, no newline after the first
    # character ("." does not match "\n").
    cdef Py_ssize_t i
    if start >= end or PyUnicode_READ_CHAR(text, start) == u'/':
        return False
    for i in range(start + 1, end):
        if PyUnicode_READ_CHAR(text, i) == u'\n':
            return False
    return True


# ---------------------------------------------------------------------------
# Parts with several converters, matched in linear time
#
# The algorithm and its reasons are described in ``_match_py`` (same section
# name).  Here the three steps are sweeps over the text in C: the forward
# sweep keeps, for each end position, the best start seen so far (the latest
# one, whose run of allowed characters is shortest); the backward sweep keeps
# the nearest feasible end; the walk scans each piece's candidate ends in the
# regex's order of preference.  Work and memory: O(pieces x length).

cdef enum:
    P_LIT = 0  # the other piece codes are the converter kinds
    _UUID_LEN = 36
    _NONE = -1

cdef struct Piece_t:
    int code
    bint signed
    Py_ssize_t lo
    Py_ssize_t hi        # -1: unbounded
    Py_ssize_t length    # P_LIT: len(text)
    PyObject* text       # P_LIT: the literal; P_ANY: the tuple of items (owned by Linear.keep)


@cython.final
cdef class Linear:
    """One part of built-in converters and literals, matched without its
    regex: ``match(text)`` gives what the part's anchored regex would."""

    cdef Piece_t* pieces
    cdef Py_ssize_t count
    cdef Py_ssize_t nconv
    cdef bint suffixed
    cdef list keep

    def __dealloc__(self):
        PyMem_Free(self.pieces)

    def match(self, str text):
        """``(values, slash)`` or None, as ``_match_py._Linear.match``."""
        cdef list values = []
        cdef int found = _linear_values(self, text, 0, len(text), values)
        if found < 0:
            return None
        return values, found == 1


cdef Linear _make_linear(part):
    """The linear matcher of *part*, or None when a piece has no linear form
    (a custom converter, or string bounds that are no plain repeat)."""
    cdef list merged = []
    cdef Linear lin
    cdef Piece_t* pc
    cdef Py_ssize_t i
    for piece in part.pieces:
        if isinstance(piece, str):
            if not piece:
                continue
            i = len(merged) - 1
            if i >= 0 and isinstance(merged[i], str):
                merged[i] = merged[i] + piece
            else:
                merged.append(piece)
            continue
        kind, args, _ = piece
        if kind == K_STRING and _plain_length_bounds(args[0], args[1]):
            merged.append((K_STRING, args[0], -1 if args[1] is None else args[1]))
        elif kind == K_INT:
            merged.append((K_INT, bool(args[3])))
        elif kind == K_FLOAT:
            merged.append((K_FLOAT, bool(args[2])))
        elif kind == K_UUID or kind == K_PATH:
            merged.append((kind,))
        elif kind == K_ANY:
            # "(?:)" (no items) matches the empty string; a repeated item
            # never changes the answer.
            items = tuple(dict.fromkeys(args)) or ("",)
            for item in items:
                if not isinstance(item, str):
                    return None
            merged.append((K_ANY, items))
        else:
            return None
    if not merged:
        return None
    lin = Linear.__new__(Linear)
    lin.count = len(merged)
    lin.suffixed = part.suffixed
    lin.keep = merged
    lin.pieces = <Piece_t*>PyMem_Calloc(lin.count, sizeof(Piece_t))
    if lin.pieces == NULL:
        raise MemoryError()
    for i in range(lin.count):
        piece = merged[i]
        pc = &lin.pieces[i]
        if isinstance(piece, str):
            pc.code = P_LIT
            pc.text = <PyObject*>piece
            pc.length = len(<str>piece)
            continue
        lin.nconv += 1
        pc.code = piece[0]
        if pc.code == K_STRING:
            pc.lo = piece[1]
            pc.hi = piece[2]
        elif pc.code == K_INT or pc.code == K_FLOAT:
            pc.signed = piece[1]
        elif pc.code == K_ANY:
            pc.text = <PyObject*>piece[1]
    return lin


def _linear_part(part):
    """The linear matcher of a dynamic part (``Linear``), or None: for tests,
    which compare it with the part's regex."""
    return _make_linear(part)


cdef inline bint _at(str key, str text, Py_ssize_t pos, Py_ssize_t limit):
    """text[pos:pos + len(key)] == key, within text[:limit]."""
    return pos + len(key) <= limit and _span_equals(key, text, pos)


cdef int _linear(Linear lin, str text, Py_ssize_t base, Py_ssize_t size, Py_ssize_t* spans) except -2:
    """Match text[base:base + size] against *lin*; on a hit fill *spans*
    (absolute start and end of each converter's value) and return 1 when a
    suffixed part's optional "/" was there, else 0; -1 for no match."""
    cdef Py_ssize_t count = lin.count
    cdef Py_ssize_t row = size + 1
    cdef Py_ssize_t goal, i, p, e, x, z, P, mark, near, near1, near2, q, run, run1, j
    cdef Py_ssize_t first, last, reach
    cdef Py_ssize_t limit = base + size
    cdef Py_ssize_t* starts
    cdef unsigned char* buf
    cdef unsigned char* cur
    cdef unsigned char* nxt
    cdef unsigned char* after
    cdef unsigned char* out
    cdef unsigned char local[2048]
    cdef Py_ssize_t local_starts[32]
    cdef bint heap = False, sheap = False, ok, armed, dot_ok, g, g_next, d
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef Piece_t* pc
    cdef tuple items
    cdef str lit

    # The end the pieces must reach: the end, or for a suffixed part
    # ("(?<!/)(?P<sfx>/?)", by default name) one before a final "/" not after another "/".
    goal = size
    if lin.suffixed and size > 0 and PyUnicode_READ(kind, data, limit - 1) == u'/':
        if size > 1 and PyUnicode_READ(kind, data, limit - 2) == u'/':
            return -1
        goal = size - 1
    # A literal at either end is checked first.
    pc = &lin.pieces[0]
    if pc.code == P_LIT and not _at(<str>pc.text, text, base, limit):
        return -1
    pc = &lin.pieces[count - 1]
    if pc.code == P_LIT and (goal - pc.length < 0 or not _at(<str>pc.text, text, base + goal - pc.length, limit)):
        return -1

    # count + 1 rows of size + 1 flags: rows 0 and 1 alternate in the forward
    # sweep, then row i holds feasible[i] (row count: the goal).
    if (count + 1) * row <= <Py_ssize_t>sizeof(local):
        buf = local
    else:
        buf = <unsigned char*>malloc((count + 1) * row)
        if buf == NULL:
            raise MemoryError()
        heap = True
    if count <= 32:
        starts = local_starts
    else:
        starts = <Py_ssize_t*>malloc(count * sizeof(Py_ssize_t))
        if starts == NULL:
            if heap:
                free(buf)
            raise MemoryError()
        sheap = True
    try:
        # 1. forward: starts[i] = the first position piece i can start at;
        # each sweep stops past the last start once no start is alive, so a
        # near miss that leaves few starts costs little.
        cur = buf
        memset(cur, 0, row)
        cur[0] = 1
        starts[0] = 0
        reach = 0  # the last position marked in cur
        for i in range(count):
            pc = &lin.pieces[i]
            nxt = buf + row if cur == buf else buf
            memset(nxt, 0, row)
            p = starts[i]
            first = _NONE  # the first and last positions marked in nxt
            last = _NONE
            if pc.code == P_LIT:
                lit = <str>pc.text
                for x in range(p, min(reach, size - pc.length) + 1):
                    if cur[x] and _span_equals(lit, text, base + x):
                        nxt[x + pc.length] = 1
                        last = x + pc.length
                        if first == _NONE:
                            first = last
            elif pc.code == K_STRING:
                # e is reachable from the latest start P <= e - lo when no
                # "/" lies in text[P:e] and e - P <= hi.
                P = _NONE
                mark = _NONE  # the last "/" before e
                for e in range(p, size + 1):
                    x = e - pc.lo
                    if x >= p and cur[x]:
                        P = x
                    if e > p and PyUnicode_READ(kind, data, base + e - 1) == u'/':
                        mark = e - 1
                    if P != _NONE and mark < P and (pc.hi < 0 or e - P <= pc.hi):
                        nxt[e] = 1
                        last = e
                        if first == _NONE:
                            first = e
                    elif x >= reach:
                        break  # no start left, and none to come
            elif pc.code == K_PATH:
                # from the latest start P < e that is not "/", when no
                # newline lies in text[P + 1:e]
                P = _NONE
                mark = _NONE  # the last newline before e
                for e in range(p + 1, size + 1):
                    x = e - 1
                    c = PyUnicode_READ(kind, data, base + x)
                    if cur[x] and c != u'/':
                        P = x
                    if c == u'\n':
                        mark = x
                    if P != _NONE and mark <= P:
                        nxt[e] = 1
                        last = e
                        if first == _NONE:
                            first = e
                    elif x >= reach:
                        break
            elif pc.code == K_INT:
                # from the latest digit start P < e, when text[P:e] is digits
                P = _NONE
                mark = _NONE  # the last non-digit before e
                for e in range(p + 1, size + 1):
                    x = e - 1
                    if Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, base + x)):
                        if cur[x] or (pc.signed and x > 0 and cur[x - 1]
                                      and PyUnicode_READ(kind, data, base + x - 1) == u'-'):
                            P = x
                    else:
                        mark = x
                    if P != _NONE and mark < P:
                        nxt[e] = 1
                        last = e
                        if first == _NONE:
                            first = e
                    elif x > reach:
                        break
            elif pc.code == K_FLOAT:
                # digits after a "." that ends a run of digits holding a start
                armed = False
                dot_ok = False
                for e in range(p + 1, size + 1):
                    x = e - 1
                    c = PyUnicode_READ(kind, data, base + x)
                    if Py_UNICODE_ISDECIMAL(c):
                        if cur[x] or (pc.signed and x > 0 and cur[x - 1]
                                      and PyUnicode_READ(kind, data, base + x - 1) == u'-'):
                            armed = True
                        if dot_ok:
                            nxt[e] = 1
                            last = e
                            if first == _NONE:
                                first = e
                    else:
                        dot_ok = c == u'.' and armed
                        armed = False
                    if x > reach and not armed and not dot_ok:
                        break
            elif pc.code == K_UUID:
                for x in range(p, min(reach, size - _UUID_LEN) + 1):
                    if cur[x] and _is_uuid(text, base + x, base + x + _UUID_LEN):
                        nxt[x + _UUID_LEN] = 1
                        last = x + _UUID_LEN
                        if first == _NONE:
                            first = last
            else:  # K_ANY
                items = <tuple>pc.text
                for x in range(p, reach + 1):
                    if cur[x]:
                        for item in items:
                            if _at(<str>item, text, base + x, limit):
                                e = x + len(<str>item)
                                nxt[e] = 1
                                if e > last:
                                    last = e
                                if first == _NONE or e < first:
                                    first = e
            if last == _NONE:
                return -1
            if i == count - 1:
                if not nxt[goal]:
                    return -1
                break
            starts[i + 1] = first
            reach = last
            cur = nxt

        # 2. backward: row i = the positions >= starts[i] from which pieces
        # i.. can match to the goal (exact at every reachable position).
        out = buf + count * row
        memset(out, 0, row)
        out[goal] = 1
        for i in range(count - 1, 0, -1):
            pc = &lin.pieces[i]
            after = buf + (i + 1) * row
            out = buf + i * row
            memset(out, 0, row)
            p = starts[i]
            if pc.code == P_LIT:
                lit = <str>pc.text
                for x in range(p, size - pc.length + 1):
                    if after[x + pc.length] and _span_equals(lit, text, base + x):
                        out[x] = 1
            elif pc.code == K_STRING:
                near = _NONE  # the first feasible end >= x + lo
                z = size      # the first "/" at or after x
                for x in range(size, p - 1, -1):
                    if x + pc.lo <= size and after[x + pc.lo]:
                        near = x + pc.lo
                    if x < size and PyUnicode_READ(kind, data, base + x) == u'/':
                        z = x
                    if near != _NONE:
                        q = z if pc.hi < 0 or x + pc.hi > z else x + pc.hi
                        if near <= q:
                            out[x] = 1
            elif pc.code == K_PATH:
                near = _NONE  # the first feasible end > x
                z = size      # the first newline after x
                for x in range(size - 1, p - 1, -1):
                    if after[x + 1]:
                        near = x + 1
                    if x + 1 < size and PyUnicode_READ(kind, data, base + x + 1) == u'\n':
                        z = x + 1
                    if near != _NONE and near <= z and PyUnicode_READ(kind, data, base + x) != u'/':
                        out[x] = 1
            elif pc.code == K_INT:
                near = _NONE  # the first feasible end > x
                run = size    # the end of the digits from x
                g_next = False
                for x in range(size - 1, p - 1, -1):
                    if after[x + 1]:
                        near = x + 1
                    c = PyUnicode_READ(kind, data, base + x)
                    d = Py_UNICODE_ISDECIMAL(c)
                    if not d:
                        run = x
                    g = d and near != _NONE and near <= run
                    if pc.signed and c == u'-':
                        out[x] = g_next
                    else:
                        out[x] = g
                    g_next = g
            elif pc.code == K_FLOAT:
                near = near1 = near2 = _NONE  # first feasible end >= x, x + 1, x + 2
                run = run1 = size  # the end of the digits from x, x + 1
                ok = False         # the run of digits from x is followed by a good "."
                g_next = False
                for x in range(size, p - 1, -1):
                    near2 = near1
                    near1 = near
                    if after[x]:
                        near = x
                    run1 = run
                    if x < size:
                        c = PyUnicode_READ(kind, data, base + x)
                        d = Py_UNICODE_ISDECIMAL(c)
                    else:
                        c = 0
                        d = False
                    if d:
                        g = ok
                    else:
                        run = x
                        g = False
                        ok = (c == u'.' and x + 1 < size
                              and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, base + x + 1))
                              and near2 != _NONE and near2 <= run1)
                    if pc.signed and c == u'-':
                        out[x] = g_next
                    else:
                        out[x] = g
                    g_next = g
            elif pc.code == K_UUID:
                for x in range(p, size - _UUID_LEN + 1):
                    if after[x + _UUID_LEN] and _is_uuid(text, base + x, base + x + _UUID_LEN):
                        out[x] = 1
            else:  # K_ANY
                items = <tuple>pc.text
                for x in range(p, size + 1):
                    for item in items:
                        j = len(<str>item)
                        if x + j <= size and after[x + j] and _span_equals(<str>item, text, base + x):
                            out[x] = 1
                            break

        # 3. walk: for each piece the first end, in the regex's order of
        # preference, from which the rest can match.
        p = 0
        j = 0
        for i in range(count):
            pc = &lin.pieces[i]
            after = buf + (i + 1) * row
            e = _NONE
            if pc.code == P_LIT:
                if _at(<str>pc.text, text, base + p, limit) and after[p + pc.length]:
                    e = p + pc.length
            elif pc.code == K_STRING:
                z = size if pc.hi < 0 or p + pc.hi > size else p + pc.hi
                x = p
                while x < z and PyUnicode_READ(kind, data, base + x) != u'/':
                    x += 1
                while x >= p + pc.lo:  # longest first
                    if after[x]:
                        e = x
                        break
                    x -= 1
            elif pc.code == K_PATH:
                if p < size and PyUnicode_READ(kind, data, base + p) != u'/':
                    x = p + 1
                    while True:  # shortest first, up to a newline
                        if after[x]:
                            e = x
                            break
                        if x == size or PyUnicode_READ(kind, data, base + x) == u'\n':
                            break
                        x += 1
            elif pc.code == K_INT or pc.code == K_FLOAT:
                x = p
                if pc.signed and x < size and PyUnicode_READ(kind, data, base + x) == u'-':
                    x += 1
                z = x
                while z < size and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, base + z)):
                    z += 1
                if z > x and pc.code == K_FLOAT:
                    if z < size and PyUnicode_READ(kind, data, base + z) == u'.':
                        x = z + 1
                        z = x
                        while z < size and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, base + z)):
                            z += 1
                    else:
                        z = x  # no match
                while z > x:  # longest first
                    if after[z]:
                        e = z
                        break
                    z -= 1
            elif pc.code == K_UUID:
                if (p + _UUID_LEN <= size and after[p + _UUID_LEN]
                        and _is_uuid(text, base + p, base + p + _UUID_LEN)):
                    e = p + _UUID_LEN
            else:  # K_ANY: the first alternative
                for item in <tuple>pc.text:
                    if _at(<str>item, text, base + p, limit) and after[p + len(<str>item)]:
                        e = p + len(<str>item)
                        break
            if e == _NONE:
                return -1
            if pc.code != P_LIT:
                spans[2 * j] = base + p
                spans[2 * j + 1] = base + e
                j += 1
            p = e
        return 1 if p < size else 0
    finally:
        if heap:
            free(buf)
        if sheap:
            free(starts)


cdef int _linear_values(Linear lin, str text, Py_ssize_t base, Py_ssize_t size, list values) except -2:
    """``_linear``, appending the captured values to *values* on a hit."""
    cdef Py_ssize_t local[32]
    cdef Py_ssize_t* spans = local
    cdef Py_ssize_t j
    cdef int found
    if lin.nconv > 16:
        spans = <Py_ssize_t*>malloc(2 * lin.nconv * sizeof(Py_ssize_t))
        if spans == NULL:
            raise MemoryError()
    try:
        found = _linear(lin, text, base, size, spans)
        if found >= 0:
            for j in range(lin.nconv):
                values.append(PyUnicode_Substring(text, spans[2 * j], spans[2 * j + 1]))
        return found
    finally:
        if spans != local:
            free(spans)


cdef object _walk(NodeC* node, str path, Py_ssize_t pos, Py_ssize_t n, list values, Search s):
    """Search from *node* for the rest of *path*.

    ``pos`` is where the current segment starts; ``pos == n`` means only an
    empty segment is left (a trailing slash) and ``pos > n`` that nothing is.
    Returns a Leaf, ``_SLASH`` or None; on a hit ``values`` holds the
    captured strings.
    """
    cdef NodeC* child
    cdef Leaf fit
    cdef Py_ssize_t end, i
    cdef str part
    cdef object found

    if pos > n:
        for i in range(node.nleaves):
            if _accept(&node.leaves[i], s):
                return <Leaf>node.leaves[i].leaf
        if node.slash != NULL:
            fit = _fitting_leaf(node.slash, s.method, s.bit, s.websocket)
            if fit is not None:
                return _SLASH if fit.strict_slashes else fit
        return None

    end = _segment_end(path, pos, n)
    child = _child(node, path, pos, end)
    if child != NULL:
        found = _walk(child, path, end + 1, n, values, s)
        if found is not None:
            return found
    if node.nedges:
        part = PyUnicode_Substring(path, pos, end)
        for i in range(node.nedges):
            found = _edge_walk(&node.edges[i], path, pos, end, n, part, values, s)
            if found is not None:
                return found
    if pos == n:
        for i in range(node.nleaves):
            if not node.leaves[i].strict_slashes and _accept(&node.leaves[i], s):
                return <Leaf>node.leaves[i].leaf
    return None


cdef Leaf _fitting_leaf(NodeC* node, method, unsigned int bit, websocket):
    """The first rule of *node* that accepts *method* and *websocket*, or
    None; unlike ``_accept``, records nothing for a 405."""
    cdef Py_ssize_t i
    if node == NULL:  # no node (a path the table does not hold)
        return None
    for i in range(node.nleaves):
        if _websocket_ok(&node.leaves[i], websocket) and _method_ok(&node.leaves[i], method, bit):
            return <Leaf>node.leaves[i].leaf
    return None


cdef inline object _edge_walk(EdgeC* edge, str path, Py_ssize_t pos, Py_ssize_t end,
                              Py_ssize_t n, str part, list values, Search s):
    """Try one dynamic child for the segment path[pos:end] (*part*); like
    ``_walk``, a Leaf, ``_SLASH`` or None."""
    cdef int mode = edge.mode
    cdef Py_ssize_t size
    cdef object found
    if mode == M_LENGTH:
        size = end - pos
        if size < edge.lo or (edge.hi >= 0 and size > edge.hi):
            return None
    elif mode == M_DIGITS:
        if not _digits(path, pos, end):
            return None
    elif mode == M_SDIGITS:
        if end > pos and PyUnicode_READ_CHAR(path, pos) == u'-':
            if not _digits(path, pos + 1, end):
                return None
        elif not _digits(path, pos, end):
            return None
    elif mode == M_FLOAT:
        if not _is_float(path, pos, end):
            return None
    elif mode == M_UUID:
        if not _is_uuid(path, pos, end):
            return None
    elif mode == M_ANY:
        if part not in (<Edge>edge.edge).items:
            return None
    elif mode == M_PATH:
        if not _is_path(path, pos, n):
            return None
        values.append(PyUnicode_Substring(path, pos, n))
        found = _walk(edge.child, path, n + 1, n, values, s)
        if found is None:
            values.pop()
        return found
    elif mode == M_LINEAR:
        return _linear_edge(<Edge>edge.edge, edge.child, path, pos, end, n, values, s)
    else:
        return _regex_edge(<Edge>edge.edge, edge.child, path, pos, end, n, part, values, s)
    values.append(part)
    found = _walk(edge.child, path, end + 1, n, values, s)
    if found is None:
        values.pop()
    return found


cdef object _regex_edge(Edge edge, NodeC* below, str path, Py_ssize_t pos, Py_ssize_t end,
                        Py_ssize_t n, str part, list values, Search s):
    cdef Py_ssize_t size = len(values)
    cdef object hit, found
    if edge.final:
        hit = edge.match(path[pos:])
    else:
        hit = edge.match(part)
    if hit is None:
        return None
    if edge.ngroups == 1:
        values.append(hit.group(edge.groups[0]))
    elif edge.ngroups:
        values.extend(hit.group(*edge.groups))
    if edge.final:
        if edge.suffixed and hit.group(edge.sfx) == "/":
            found = _walk(below, "", 0, 0, values, s)
        else:
            found = _walk(below, path, n + 1, n, values, s)
    else:
        found = _walk(below, path, end + 1, n, values, s)
    if found is None:
        del values[size:]
    return found


cdef object _linear_edge(Edge edge, NodeC* below, str path, Py_ssize_t pos, Py_ssize_t end,
                         Py_ssize_t n, list values, Search s):
    cdef Py_ssize_t size = len(values)
    cdef object found
    cdef int hit = _linear_values(edge.linear, path, pos, (n if edge.final else end) - pos, values)
    if hit < 0:
        return None
    if not edge.final:
        found = _walk(below, path, end + 1, n, values, s)
    elif hit == 1:
        found = _walk(below, "", 0, 0, values, s)
    else:
        found = _walk(below, path, n + 1, n, values, s)
    if found is None:
        del values[size:]
    return found


cdef object _walk_root(Node root, Node child, str domain, str path, list values, Search s):
    """The first level: the domain part (a whole subdomain or host), whose
    static node (or None) the caller has looked up."""
    cdef Edge edge
    cdef object hit, found
    cdef str target
    cdef Py_ssize_t n = len(path), size
    cdef int sfx
    if child is not None:
        found = _walk(child.c, path, 0, n, values, s)
        if found is not None:
            return found
    for edge in root.dynamic:
        # "/".join([domain, *path.split("/")]) is domain + "/" + path.
        target = f"{domain}/{path}" if edge.final else domain
        size = len(values)
        if edge.mode == M_LINEAR:
            sfx = _linear_values(edge.linear, target, 0, len(target), values)
            if sfx < 0:
                continue
            if not edge.final:
                found = _walk(edge.node.c, path, 0, n, values, s)
            elif sfx == 1:
                found = _walk(edge.node.c, "", 0, 0, values, s)
            else:
                found = _walk(edge.node.c, "", 1, 0, values, s)
            if found is not None:
                return found
            del values[size:]
            continue
        hit = edge.match(target)
        if hit is None:
            continue
        if edge.ngroups == 1:
            values.append(hit.group(edge.groups[0]))
        elif edge.ngroups:
            values.extend(hit.group(*edge.groups))
        if edge.final:
            if edge.suffixed and hit.group(edge.sfx) == "/":
                found = _walk(edge.node.c, "", 0, 0, values, s)
            else:
                found = _walk(edge.node.c, "", 1, 0, values, s)
        else:
            found = _walk(edge.node.c, path, 0, n, values, s)
        if found is not None:
            return found
        del values[size:]
    return None


cdef object _int_value(str text):
    cdef Py_ssize_t i, n = len(text)
    cdef long long v = 0
    cdef long long c
    if 0 < n <= 18:
        for i in range(n):
            c = <long long>PyUnicode_READ_CHAR(text, i)
            if c < 48 or c > 57:  # not ASCII 0-9
                return int(text)
            v = v * 10 + (c - 48)
        return PyLong_FromLongLong(v)
    return int(text)


cdef dict _convert(Leaf leaf, list values):
    """The values dict of a hit, or None when a converter refuses a value."""
    cdef dict result = {}
    cdef Py_ssize_t i, count = min(leaf.nconv, len(values))
    cdef int how
    for i in range(count):
        how = leaf.conversions[i]
        value = values[i]
        if how == C_IDENTITY:
            result[leaf.names[i]] = value
        elif how == C_INT:
            try:
                result[leaf.names[i]] = _int_value(value)
            except ValueError:  # e.g. past int's digit limit: a 404, as werkzeug
                return None
        else:
            try:
                result[leaf.names[i]] = leaf.converters[i].to_python(value)
            except ValidationError:
                return None
    if leaf.defaults:
        result.update(leaf.defaults)
    return result


# werkzeug searches its rule tree recursively (``update`` sorts it, ``match``
# walks it: a Python frame per level), so a rule deeper than the recursion
# limit allows raises RecursionError at the first match or build.  The cores
# raise the same at the same call: when the tree's depth plus the caller's
# frames (fastroute's own not counted) plus _WERKZEUG_FRAMES passes the limit.
# _WERKZEUG_FRAMES is werkzeug 3.1's frames between the caller and its
# deepest level; _MAX_DEPTH bounds the C walk's recursion (C stack) whatever
# the recursion limit is set to.
cdef Py_ssize_t _WERKZEUG_FRAMES = _spec.WERKZEUG_FRAMES
cdef Py_ssize_t _MAX_DEPTH = _spec.MAX_DEPTH


cdef int _check_depth(Py_ssize_t depth) except -1:
    """Raise RecursionError where werkzeug would for a tree *depth* levels
    deep (see above)."""
    cdef Py_ssize_t frames = 0
    frame = sys._getframe(0)
    while frame is not None:
        if not str(frame.f_globals.get("__name__", "")).startswith("fastroute."):
            frames += 1
        frame = frame.f_back
    if depth > _MAX_DEPTH or frames + depth + _WERKZEUG_FRAMES > sys.getrecursionlimit():
        raise RecursionError(f"maximum recursion depth exceeded: a rule {depth - 2} segments deep")
    return 0


cdef int _collect_paths(Node node, dict paths) except -1:
    """Put the nodes below the domain node *node* that end a path into
    *paths*, by path: those with rules, and those whose trailing-slash child
    has rules (the walk answers those paths with a slash redirect).  A loop
    with its own stack, as deep rules need no recursion check."""
    cdef list stack = [(node, "", True)]
    cdef str prefix
    while stack:
        node, prefix, top = stack.pop()
        if node.leaves or (node.slash is not None and node.slash.leaves):
            paths[prefix] = node
        for text, child in node.static.items():
            stack.append((child, text if top else f"{prefix}/{text}", False))
    return 0


cdef bint _all_static(Node node) except -1:
    """Whether no node below *node* (itself included) has a dynamic child."""
    cdef list stack = [node]
    while stack:
        node = stack.pop()
        if node.dynamic:
            return False
        stack.extend(node.static.values())
    return True


cdef inline bint _ends_in_segment(str path):
    """Whether *path* is not empty and does not end with a slash: below a
    static-only domain node, the walk for such a path goes down its segments
    to one node (the path table's, or none) and looks at that node's rules
    and trailing-slash child.  (A path ending with a slash may also be taken
    by its parent's rules with strict_slashes off.)"""
    cdef Py_ssize_t n = len(path)
    return n > 0 and PyUnicode_READ_CHAR(path, n - 1) != u'/'


cdef inline NodeC* _table_node(Node dnode, str path) noexcept:
    """The path table's node for *path* below the domain node *dnode* (None
    for an unknown domain), or NULL."""
    return dnode.path_node(path) if dnode is not None else NULL


cdef inline bint _settled_miss(Node dnode, str path, bint merge_slashes) except -1:
    """Whether *path*, which the path table of *dnode* does not hold, is
    certainly no match: a static-only domain and a path that neither ends
    with a slash nor has slashes to merge (see _ends_in_segment)."""
    return (dnode is not None and dnode.static_only and _ends_in_segment(path)
            and not (merge_slashes and _has_double_slash(path)))


cdef inline size_t _block_size(Node node):
    """Bytes of *node*'s part of the matcher's block: its NodeC, slot
    table, edges, leaf pointers and the characters of its children's names."""
    return (sizeof(NodeC) + <size_t>_table_size(len(node.skeys) if node.skeys else 0) * sizeof(Slot_t)
            + len(node.dynamic) * sizeof(EdgeC) + len(node.leaves) * sizeof(LeafE)
            + _keys_size(node.skeys))


def _edge_weight(Edge edge):
    return edge.weight


cdef class Matcher:
    """All matchable rules of one map, frozen into a tree."""

    cdef public bint merge_slashes
    cdef Node root
    cdef dict _edges
    # A map without host or subdomain rules has one domain node ("" or the
    # server name) and nothing dynamic at the root: the common case skips
    # the root's dict (a pointer or string compare instead of a lookup).
    cdef str _sole_domain
    cdef Node _sole_node
    cdef char* _block  # every node's NodeC (see _lay_out)

    def __init__(self, merge_slashes):
        self.merge_slashes = merge_slashes
        self.root = Node()
        self._edges = {}

    def __dealloc__(self):
        PyMem_Free(self._block)

    def add(self, leaf):
        """Add one rule (a ``_spec.RuleLeaf``); equal dynamic parts share a
        node, as in werkzeug."""
        cdef Node node = self.root
        cdef Node child
        cdef Edge edge
        cdef dict edges
        if self._edges is None:
            raise RuntimeError("this matcher is finished; build a new one")
        parts, rule, names, converters, methods, websocket, strict_slashes, merge_slashes, defaults = leaf
        for part in parts:
            if part.static:
                child = node.static.get(part.content)
                if child is None:
                    child = Node()
                    node.static[part.content] = child
                node = child
                continue
            edges = self._edges.setdefault(id(node), {})
            key = (part.content, part.final, part.suffixed, part.weight)
            edge = edges.get(key)
            if edge is None:
                edge = Edge(part, node is self.root)
                edges[key] = edge
                node.dynamic.append(edge)
            node = edge.node
        node.leaves.append(Leaf(rule, names, converters, methods, websocket,
                                bool(strict_slashes), bool(merge_slashes), defaults))

    def finish(self):
        """Sort dynamic children by weight and index the fully static paths."""
        cdef Node node
        cdef Edge edge
        cdef list stack = [self.root]
        cdef list depths = [0]
        cdef list nodes = []
        cdef Py_ssize_t depth, deepest = 0
        if self._edges is None:
            raise RuntimeError("this matcher is already finished")
        self._edges = None
        while stack:
            node = stack.pop()
            depth = depths.pop()
            if depth > deepest:
                deepest = depth
            nodes.append(node)
            node.dynamic.sort(key=_edge_weight)
            node.slash = node.static.get("")
            if node.static:
                node.skeys = list(node.static)
                node.snodes = list(node.static.values())
            stack.extend(node.static.values())
            for edge in node.dynamic:
                stack.append(edge.node)
            depths.extend([depth + 1] * (len(stack) - len(depths)))
        _check_depth(deepest)
        domain_paths = []
        for node in self.root.static.values():
            paths = {}
            _collect_paths(node, paths)
            domain_paths.append((node, paths))
            node.static_only = not self.root.dynamic and _all_static(node)
            node.empty_segments = any("//" in path for path in paths)
        if len(self.root.static) == 1 and not self.root.dynamic:
            for key, node in self.root.static.items():
                self._sole_domain = key
                self._sole_node = node
        # Matching reads a node's children through its slot table (snodes
        # keeps the child Nodes) and only the root's dict: drop what is left
        # empty or duplicated.  Most nodes are leaves, and four empty
        # containers each were most of the tree's memory.
        for node in nodes:
            if node is not self.root:
                node.static = _EMPTY_DICT
            # tuple() of an empty list is the shared empty tuple.
            node.dynamic = tuple(node.dynamic)
            node.leaves = tuple(node.leaves)
        self._lay_out()
        for node, paths in domain_paths:
            node.freeze_paths(paths)

    cdef int _lay_out(self) except -1:
        """Lay the finished tree out in one block of NodeC structs, each
        followed by its static children's slot table, its edges and its leaf
        pointers, in depth-first order (a node's first child right after
        it)."""
        cdef list order = []
        cdef list stack = [self.root]
        cdef list kids
        cdef Node node, child
        cdef Edge edge
        cdef Leaf leaf
        cdef NodeC* c
        cdef char* at
        cdef size_t total = 0
        cdef Py_ssize_t j, nslots
        while stack:
            node = stack.pop()
            order.append(node)
            kids = list(node.snodes) if node.snodes else []
            for edge in node.dynamic:
                kids.append(edge.node)
            kids.reverse()
            stack.extend(kids)
            total += _block_size(node)
        self._block = <char*>PyMem_Calloc(total, 1)
        if self._block == NULL:
            raise MemoryError()
        at = self._block
        for node in order:
            node.c = <NodeC*>at
            at += _block_size(node)
        for node in order:
            c = node.c
            at = <char*>c + sizeof(NodeC)
            nslots = _table_size(len(node.skeys)) if node.skeys else 0
            c.smask = nslots - 1
            c.slots = <Slot_t*>at if nslots else NULL
            at += nslots * sizeof(Slot_t)
            c.nedges = len(node.dynamic)
            c.edges = <EdgeC*>at if c.nedges else NULL
            for j in range(c.nedges):
                edge = node.dynamic[j]
                c.edges[j].mode = edge.mode
                c.edges[j].lo = edge.lo
                c.edges[j].hi = edge.hi
                c.edges[j].child = edge.node.c
                c.edges[j].edge = <PyObject*>edge
            at += c.nedges * sizeof(EdgeC)
            c.nleaves = len(node.leaves)
            c.leaves = <LeafE*>at if c.nleaves else NULL
            for j in range(c.nleaves):
                leaf = node.leaves[j]
                c.leaves[j].leaf = <PyObject*>leaf
                c.leaves[j].methods = <PyObject*>leaf.methods
                c.leaves[j].mask = leaf.mask
                c.leaves[j].ws = 0 if leaf.websocket is False else 1 if leaf.websocket is True else 2
                c.leaves[j].strict_slashes = leaf.strict_slashes
                c.leaves[j].extra = leaf.methods is not None and len(leaf.methods) != bin(leaf.mask).count("1")
            at += c.nleaves * sizeof(LeafE)
            if nslots:
                _fill_table(node.skeys, node.snodes, False, c.slots, nslots, at)
                node.skeys = None  # the table has the names now
            c.slash = node.slash.c if node.slash is not None else NULL
        return 0

    def match(self, str domain, str path, method, websocket):
        """Match ``domain`` + ``path``; see ``_match_py.Matcher.match``."""
        cdef Search s = Search.__new__(Search)
        s.method = method
        s.bit = _bit(method)
        s.websocket = websocket
        status = self._find(domain, path, s)
        if status == _HIT:
            return (HIT, s.leaf.rule, s.result)
        if status == _REDIRECT:
            return (REDIRECT, s.new_path, None)
        return (NOMATCH, _passed_methods(s), s.wsm)

    cdef inline Node _domain_node(self, str domain):
        """The root's static child for *domain*, or None."""
        if self._sole_node is not None:
            if domain == self._sole_domain:  # identity is checked first
                return self._sole_node
            return None
        return self.root.static.get(domain)

    def static_path_known(self, str domain, str path):
        """Whether the shortcut table of fully static paths under *domain*
        (and the filter in front of it) holds *path*: a path with rules, or
        one whose only rules are below its trailing slash.  The walk finds
        the same rules without it.  For tests and diagnostics."""
        cdef Node dnode = self._domain_node(domain)
        return dnode is not None and dnode.path_node(path) != NULL

    cdef int _find(self, str domain, str path, Search s) except -1:
        """Match into *s* (which holds the method and websocket flag);
        returns the status."""
        cdef Node dnode = self._domain_node(domain)
        cdef NodeC* pnode = _table_node(dnode, path)
        cdef Leaf leaf = _fitting_leaf(pnode, s.method, s.bit, s.websocket)
        if leaf is not None:
            s.leaf = leaf
            s.result = dict(leaf.defaults) if leaf.defaults else {}
            return _HIT
        return self._find_walk(dnode, pnode, domain, path, s)

    cdef int _find_walk(self, Node dnode, NodeC* pnode, str domain, str path,
                        Search s) except -1:
        """``_find`` past a path-table hit: *dnode* is
        ``_domain_node(domain)``, *pnode* the table's node for *path* (or
        NULL).  A static-only domain answers from *pnode* alone unless the
        path ends with a slash or has slashes to merge (a second walk);
        otherwise walk the tree."""
        cdef list values
        cdef object found
        cdef Py_ssize_t n
        if pnode == NULL:
            if _settled_miss(dnode, path, self.merge_slashes):
                return _NOMATCH
        elif dnode.static_only and _ends_in_segment(path):
            # What the walk does once it is down at pnode (past the end):
            # no dynamic part, so no values (_NO_VALUES stays empty).
            values = _NO_VALUES
            n = len(path)
            found = _walk(pnode, path, n + 1, n, values, s)
            if found is _SLASH:
                s.new_path = path + "/"
                return _REDIRECT
            if found is not None:
                s.result = _convert(<Leaf>found, values)
                if s.result is None:
                    return _NOMATCH
                s.leaf = <Leaf>found
                return _HIT
            if not (self.merge_slashes and dnode.empty_segments and _has_double_slash(path)):
                return _NOMATCH
            # Slashes to merge: the walks below (the first finds what the
            # table found again; what it records for a 405 is the same).
        values = []
        found = _walk_root(self.root, dnode, domain, path, values, s)
        if found is _SLASH:
            s.new_path = path + "/"
            return _REDIRECT
        if found is None:
            if not self.merge_slashes or not _has_double_slash(path):
                return _NOMATCH
            path = _MERGE.sub("/", path)
            values = []
            found = _walk_root(self.root, dnode, domain, path, values, s)
            if found is _SLASH:
                s.new_path = path + "/"
                return _REDIRECT
            if found is None or not (<Leaf>found).merge_slashes:
                return _NOMATCH
            s.new_path = path
            return _REDIRECT
        s.result = _convert(<Leaf>found, values)
        if s.result is None:
            return _NOMATCH
        s.leaf = <Leaf>found
        return _HIT


cdef class MapBase:
    """Base of ``Map``: the state ``AdapterBase.match`` reads, in C fields."""

    cdef public object _matcher
    cdef public bint _remap
    cdef public object host_matching
    cdef public object redirect_defaults
    cdef public dict _default_sources
    cdef public dict _build_index
    cdef int _hooks  # the methods its class overrides (_map_hooks)
    cdef dict __dict__

    def __cinit__(self, *args, **kwargs):
        self._remap = True
        self._default_sources = {}
        self._build_index = {}
        self.host_matching = False
        self.redirect_defaults = True

    def __reduce__(self):
        """``copy.copy`` and pickling as werkzeug's Map: a new map of the
        same class with this one's attributes (a shallow copy shares the
        rules; ``deepcopy`` and pickling fail with ``TypeError`` on the
        map's lock, as werkzeug's do).  The C fields go with the __dict__."""
        return (copyreg.__newobj__, (type(self),), (vars(self), (
            self._matcher, self._remap, self.host_matching, self.redirect_defaults,
            self._default_sources, self._build_index)))

    def __setstate__(self, state):
        attributes, fields = state
        vars(self).update(attributes)
        (self._matcher, self._remap, self.host_matching, self.redirect_defaults,
         self._default_sources, self._build_index) = fields


cdef class AdapterBase:
    """Base of ``MapAdapter``: the bound state and the compiled ``match``."""

    cdef public object map
    cdef public object server_name
    cdef public object script_name
    cdef public object subdomain
    cdef public object url_scheme
    cdef public object path_info
    cdef public object default_method
    cdef public object query_args
    cdef public object websocket
    cdef dict __dict__

    def __init__(self, map, server_name, script_name, subdomain, url_scheme,
                 path_info, default_method, query_args=None):
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

    def __reduce__(self):
        """``copy.copy`` and pickling as werkzeug's MapAdapter (see
        ``MapBase.__reduce__``): deep copies and pickles fail on the map."""
        return (copyreg.__newobj__, (type(self),), (vars(self), (
            self.map, self.server_name, self.script_name, self.subdomain, self.url_scheme,
            self.path_info, self.default_method, self.query_args, self.websocket)))

    def __setstate__(self, state):
        attributes, fields = state
        vars(self).update(attributes)
        (self.map, self.server_name, self.script_name, self.subdomain, self.url_scheme,
         self.path_info, self.default_method, self.query_args, self.websocket) = fields

    def _match_outcome(self, path_info=None, method=None, return_rule=False, query_args=None,
                       websocket=None):
        """Like :meth:`match`, but a routing error (404, 405, redirect,
        websocket mismatch) is returned, not raised: the app layer saves a
        raise and a catch per failed request.  Other errors still raise."""
        try:
            if _hooks_of(type(self)) & H_MATCH:
                return self.match(path_info, method, return_rule, query_args, websocket)
            return self._outcome(path_info, method, return_rule, query_args, websocket)
        except HTTPException as e:
            e.__traceback__ = None  # a value now: no frames to tie into a cycle
            return e

    # match() is a C-level method installed below (_install_match).

    cdef object _outcome(self, path_info, method, return_rule, query_args, websocket):
        """The match result, or the routing exception to raise."""
        cdef MapBase map = <MapBase?>self.map
        cdef str path, path_part, domain_part
        cdef Py_ssize_t n
        cdef tuple found
        cdef Leaf leaf
        cdef Node dnode
        cdef NodeC* pnode
        cdef unsigned int bit
        cdef object rule, values, m, verb, outcome, domain
        cdef Search s
        cdef int status
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if path_info is None:
            path_info = self.path_info
        path = _as_str(path_info, "path_info")
        verb = _canonical_verb(method)
        if verb is None:
            if method is None or not method:
                method = self.default_method
                verb = _canonical_verb(method)
            if verb is None:
                verb = method.upper()
        if websocket is None:
            websocket = self.websocket
        if map.host_matching or self.subdomain is None:
            domain = self.server_name
        else:
            domain = self.subdomain
        # A str subclass matches as its text (werkzeug's matcher slices and
        # compares it, which gives plain strs).
        domain_part = _as_str(domain, "the domain")
        n = len(path)
        if n == 0:
            path_part = ""
        elif path[0] == u'/' and (n == 1 or path[1] != u'/'):
            path_part = path
        else:
            path_part = "/" + path.lstrip("/")
        m = map._matcher
        if type(m) is Matcher:
            # Static paths first, before anything is allocated for the walk.
            dnode = (<Matcher>m)._domain_node(domain_part)
            bit = _bit(verb)
            pnode = _table_node(dnode, path_part)
            if pnode == NULL and _settled_miss(dnode, path_part, (<Matcher>m).merge_slashes):
                return _http_error(NotFound)  # as _find_walk would find
            leaf = _fitting_leaf(pnode, verb, bit, websocket)
            if leaf is not None:
                values = dict(leaf.defaults) if leaf.defaults else {}
                if not (leaf.alias or leaf.redirects or _default_redirects(self, map)):
                    if return_rule:
                        return (leaf.rule, values)
                    return (leaf.endpoint, values)
                return self._finish((HIT, leaf.rule, values), domain_part, path_part, verb,
                                    return_rule, query_args)
            s = Search.__new__(Search)
            s.method = verb
            s.bit = bit
            s.websocket = websocket
            status = (<Matcher>m)._find_walk(dnode, pnode, domain_part, path_part, s)
            if status == _HIT:
                leaf = s.leaf
                if not (leaf.alias or leaf.redirects or _default_redirects(self, map)):
                    if return_rule:
                        return (leaf.rule, s.result)
                    return (leaf.endpoint, s.result)
                found = (HIT, leaf.rule, s.result)
            elif status == _REDIRECT:
                found = (REDIRECT, s.new_path, None)
            else:
                # Straight to the error (as _finish would): no result tuple.
                return _no_match_error(_passed_methods(s), s.wsm)
        else:
            found = m.match(domain_part, path_part, verb, websocket)
        return self._finish(found, domain_part, path_part, verb, return_rule, query_args)

    def build(self, endpoint, values=None, method=None, force_external=False,
              append_unknown=True, url_scheme=None):
        """Build the URL of *endpoint* from *values*.

        The URL is relative to the host unless the rule lives on another
        subdomain or host, it is a websocket rule, or *force_external* is
        set.  Values that are not rule variables become the query string
        (unless *append_unknown* is false); ``None`` values are dropped;
        MultiDict values with several items become repeated arguments.
        Raises ``BuildError`` when no rule fits.
        """
        cdef MapBase map = <MapBase?>self.map
        cdef dict vals
        cdef bint host_matching, websocket = False
        cdef int hooks = _hooks_of(type(self))
        cdef str spath, host
        if map._remap or _map_hooks(map) & H_UPDATE:
            _update(map)
        if not values:
            vals = {}
        elif type(values) is dict:
            # Read-only from here on: copy only when there is a None to drop.
            vals = <dict>values
            for v in vals.values():
                if v is None:
                    vals = {k: v for k, v in vals.items() if v is not None}
                    break
        elif isinstance(values, MultiDict):
            vals = {k: (v[0] if len(v) == 1 else v) for k, v in dict.items(values) if len(v) != 0}
        else:
            vals = {k: v for k, v in values.items() if v is not None}
        host_matching = bool(map.host_matching)
        if hooks & H_PARTIAL_BUILD:
            if vals is values:
                vals = dict(vals)  # theirs to change, as werkzeug's copy
            found = self._partial_build(endpoint, vals, method, append_unknown)
            if found is None:
                raise BuildError(endpoint, vals, method, self)
            domain_part, path, websocket = found
        else:
            plans = map._build_index.get(endpoint)
            if plans is None:
                plans = map._plans_for(endpoint)
            found = None
            if plans is not None:
                if vals is values and (<BuildPlan>(<tuple>plans)[0]).copies:
                    vals = dict(vals)  # theirs to change, as werkzeug's copy
                found = _plans_build(self, <tuple>plans, vals, method, append_unknown, host_matching,
                                     &websocket)
            if found is None:
                raise BuildError(endpoint, dict(vals), method, self)
            domain_part, path = <tuple>found
        if hooks & H_GET_HOST:
            return self._url(domain_part, path, websocket, force_external, url_scheme,
                             self.get_host(domain_part))
        if not websocket and not force_external and (
            (host_matching and (domain_part is None or domain_part == self.server_name))
            or (not host_matching and domain_part == self.subdomain)
        ):
            # Relative to this host: answered before the host and scheme
            # are worked out (a websocket or forced URL is always external).
            if type(path) is str and self.script_name == "/":
                spath = <str>path
                if len(spath) >= 1 and spath[0] == u"/" and (len(spath) == 1 or spath[1] != u"/"):
                    return spath  # already "/" + path.lstrip("/")
            return f"{self.script_name.rstrip('/')}/{path.lstrip('/')}"
        # get_host()
        if host_matching:
            host = _as_str(self.server_name if domain_part is None else domain_part, "the host")
        else:
            subdomain = self.subdomain if domain_part is None else domain_part
            host = f"{subdomain}.{self.server_name}" if subdomain else _as_str(self.server_name, "the host")
        if url_scheme is None:
            url_scheme = self.url_scheme
        secure = url_scheme == "https" or url_scheme == "wss"
        if websocket:
            url_scheme = "wss" if secure else "ws"
        elif url_scheme:
            url_scheme = "https" if secure else "http"
        # (A str subclass's own lstrip may give a subclass: its text.)
        if type(path) is str:
            spath = <str>path
        else:
            spath = _exact_str(path.lstrip("/"), "path")
        spath = spath.lstrip("/")
        scheme = f"{url_scheme}:" if url_scheme else ""
        root = self.script_name  # ends with "/" (see __init__)
        return f"{scheme}//{host}{root[:len(root) - 1]}/{spath}"

    cdef object _url(self, domain_part, path, bint websocket, force_external, url_scheme, host):
        """The end of ``build`` with *host* from an overridden ``get_host``,
        step by step as werkzeug: whether the URL is relative to this host
        is decided by that host."""
        if url_scheme is None:
            url_scheme = self.url_scheme
        secure = url_scheme == "https" or url_scheme == "wss"
        if websocket:
            force_external = True
            url_scheme = "wss" if secure else "ws"
        elif url_scheme:
            url_scheme = "https" if secure else "http"
        if not force_external and (
            (self.map.host_matching and host == self.server_name)
            or (not self.map.host_matching and domain_part == self.subdomain)
        ):
            return f"{self.script_name.rstrip('/')}/{path.lstrip('/')}"
        scheme = f"{url_scheme}:" if url_scheme else ""
        root = self.script_name
        return f"{scheme}//{host}{root[:len(root) - 1]}/{path.lstrip('/')}"

    cdef object _finish(self, tuple found, str domain_part, str path_part, verb,
                        return_rule, query_args):
        """Everything but the plain hit: the result, or the exception to raise
        (returned, so that only ``match`` adds a traceback entry)."""
        status = found[0]
        if status != _NOMATCH and query_args is None:  # only redirects read it
            query_args = self.query_args or {}
        if status == _HIT:
            rule = found[1]
            values = found[2]
            map = self.map
            if map.redirect_defaults:
                if rule.alias:  # werkzeug raises this one "from None", the next not
                    return _suppressed(RequestRedirect(self.make_alias_redirect_url(
                        f"{domain_part}|{path_part}", rule.endpoint, values, verb, query_args)))
                if id(rule) in map._default_sources or _hooks_of(type(self)) & H_DEFAULT_REDIRECT:
                    url = self.get_default_redirect(rule, verb, values, query_args)
                    if url is not None:
                        return RequestRedirect(url)
            if rule.redirect_to is not None:
                self._redirect_to(rule, values)
            if return_rule:
                return (rule, values)
            return (rule.endpoint, values)
        if status == _REDIRECT:
            return _redirect_error(self._redirect_url(_quote(found[1]), query_args))
        return _no_match_error(found[1], found[2])

    cdef object _redirect_url(self, str path_info, query_args):
        """``self.make_redirect_url(path_info, query_args)``, worked out here
        while the adapter's class keeps MapAdapter's own ``make_redirect_url``
        and ``get_host`` and the URL has no query string (a slash redirect,
        usually): the same string without the Python calls."""
        cdef str path
        if query_args or _hooks_of(type(self)) & (H_STANDARD_UNKNOWN | H_REDIRECT_URL | H_GET_HOST):
            return self.make_redirect_url(path_info, query_args)
        # get_host(None)
        if self.map.host_matching:
            host = self.server_name
        elif self.subdomain:
            host = f"{self.subdomain}.{self.server_name}" if type(self.subdomain) is str else None
        else:
            host = self.server_name
        scheme = self.url_scheme or "http"
        if not (type(host) is str and host and type(scheme) is str
                and type(self.script_name) is str):
            return self.make_redirect_url(path_info, query_args)
        # urlunsplit((scheme, host, path, None, None)) with a host: the path
        # gets a leading slash if it has none.
        path = "/".join(((<str>self.script_name).strip("/"), path_info.lstrip("/")))
        if path[0] != u"/":
            path = "/" + path
        return f"{scheme}://{host}{path}"


# -- Methods a subclass overrides -------------------------------------------
#
# werkzeug calls the adapter's get_host, get_default_redirect,
# make_redirect_url, _partial_build and match, and the map's update, where it
# needs them, and a subclass may override any of them.  The shortcuts above
# skip such a call only while the class keeps fastroute's own method (and
# then give what it would give).  What a class overrides is worked out once
# per class, against MapAdapter and Map as fastroute.routing.map registers
# them.

cdef enum:
    H_KNOWN = 1  # the flags below are worked out
    H_STANDARD_UNKNOWN = 2  # not registered yet: call every method
    H_GET_HOST = 4
    H_DEFAULT_REDIRECT = 8
    H_REDIRECT_URL = 16  # make_redirect_url
    H_MATCH = 32
    H_PARTIAL_BUILD = 64
    H_UPDATE = 128  # the map's

cdef tuple _ADAPTER_HOOKS = _spec.ADAPTER_HOOKS
cdef tuple _MAP_HOOKS = _spec.MAP_HOOKS
cdef object _STANDARD_ADAPTER = None
cdef object _STANDARD_MAP = None
cdef object _CLASS_HOOKS = WeakKeyDictionary()  # classes come and go (tests make many)
# The class asked about last: an application has one adapter class.
cdef object _LAST_CLASS = None
cdef int _LAST_HOOKS = 0


def register_standard(adapter_class, map_class):
    """Tell the core which classes are fastroute's own ``MapAdapter`` and
    ``Map``: a subclass's overrides of their methods get called."""
    global _STANDARD_ADAPTER, _STANDARD_MAP, _LAST_CLASS
    _STANDARD_ADAPTER = adapter_class
    _STANDARD_MAP = map_class
    _CLASS_HOOKS.clear()
    _LAST_CLASS = None


cdef inline int _hooks_of(cls) except -1:
    """The H_ flags of the methods *cls* overrides."""
    if cls is _LAST_CLASS:
        return _LAST_HOOKS
    return _class_hooks(cls)


cdef int _class_hooks(cls) except -1:
    global _LAST_CLASS, _LAST_HOOKS
    cdef int hooks
    found = _CLASS_HOOKS.get(cls)
    if found is None:
        if _STANDARD_ADAPTER is None:
            hooks = H_KNOWN | H_STANDARD_UNKNOWN
        else:
            hooks = H_KNOWN
            for standard, names in ((_STANDARD_ADAPTER, _ADAPTER_HOOKS), (_STANDARD_MAP, _MAP_HOOKS)):
                for name, flag in <tuple>names:
                    if getattr(cls, name, None) is not getattr(standard, name):
                        hooks |= <int>flag
            _CLASS_HOOKS[cls] = hooks
    else:
        hooks = found
    _LAST_CLASS = cls
    _LAST_HOOKS = hooks
    return hooks


cdef inline int _map_hooks(MapBase map) except -1:
    """The H_ flags of *map*'s class, worked out with its first match."""
    if not map._hooks:
        map._hooks = _class_hooks(type(map))
    return map._hooks


cdef int _update(MapBase map) except -1:
    """``map.update()``, as werkzeug calls it before each match and build.
    A subclass's update that does not compile the rules (werkzeug's matcher
    takes rules as they are added) still gets them compiled."""
    map.update()
    if map._remap and _STANDARD_MAP is not None:
        _STANDARD_MAP.update(map)
    return 0


cdef inline bint _default_redirects(AdapterBase adapter, MapBase map) except -1:
    """Whether a hit may redirect to a rule with defaults: some rule has
    defaults for another (_default_sources), or the class overrides
    get_default_redirect, which werkzeug calls on every hit."""
    return bool(map._default_sources) or _hooks_of(type(adapter)) & H_DEFAULT_REDIRECT


cdef inline str _as_str(value, what):
    return <str>value if type(value) is str else _exact_str(value, what)


cdef str _exact_str(value, what):
    """*value* as a plain str: a str subclass matches as its text."""
    if type(value) is str:
        return <str>value
    if isinstance(value, str):
        return PyUnicode_FromObject(value)
    raise TypeError(f"{what} must be a str, not {type(value).__name__}")


cdef object _no_match_error(have, bint wsm):
    """The error of a match that found no rule: 405 with the methods the
    path has, or a websocket mismatch, or 404."""
    if have:
        return _http_error(MethodNotAllowed, have if type(have) is list else list(have))
    if wsm:
        return _http_error(WebsocketMismatch)
    return _http_error(NotFound)


# -- URL building ------------------------------------------------------------

cdef enum:
    S_QUOTE = 0   # BaseConverter.to_url: quote(str(value), safe=PATH_SAFE)
    S_INT = 1     # IntegerConverter.to_url without fixed digits: str(int(value))
    S_CALL = 2    # anything else: converter.to_url(value)

# Bytes that quote(..., safe=PATH_SAFE) leaves alone.
cdef bint _SAFE[128]
for _c in range(128):
    _SAFE[_c] = chr(_c).isascii() and (chr(_c).isalnum() or chr(_c) in "_.-~" + _spec.PATH_SAFE)


cdef str _quote(value):
    """quote(str(value), safe=PATH_SAFE), without the call for safe ASCII."""
    cdef str text = value if type(value) is str else str(value)
    cdef Py_ssize_t i, n = len(text)
    cdef const unsigned char* data
    if PyUnicode_KIND(text) == PyUnicode_1BYTE_KIND:
        data = <const unsigned char*>PyUnicode_DATA(text)
        for i in range(n):
            if data[i] >= 128 or not _SAFE[data[i]]:
                return quote(text, safe=_PATH_SAFE)
        return text
    return quote(text, safe=_PATH_SAFE)


@cython.final
cdef class Slot:
    """A variable in a build plan: its name, converter and how to call it."""

    cdef str name
    cdef object converter
    cdef int how

    def __init__(self, str name, converter):
        self.name = name
        self.converter = converter
        kind = _kind_of(converter)
        if kind[0] in (K_STRING, K_PATH):
            self.how = S_QUOTE
        elif kind[0] == K_INT and not kind[1][0]:
            self.how = S_INT
        else:
            self.how = S_CALL

    cdef str fill(self, value):
        if self.how == S_QUOTE:
            return _quote(value)
        if self.how == S_INT:
            return str(value if type(value) is int else int(value))
        return self.converter.to_url(value)


cdef tuple _plan_chunks(tuple chunks, dict converters, dict slots):
    """*chunks* with a Slot for each variable; *slots* shares equal Slots
    (same name and converter object) between the plans of one map."""
    cdef list out = []
    cdef bint changed = False
    for c in chunks:
        if type(c) is str:
            out.append(c)
            continue
        conv = converters[c[0]]
        key = (c[0], id(conv))  # the Slot keeps conv alive, so its id stays
        slot = slots.get(key)
        if slot is None:
            slot = Slot(c[0], conv)
            slots[key] = slot
        out.append(slot)
        changed = True
    return tuple(out) if changed else chunks


@cython.final
cdef class BuildPlan:
    """One rule's build recipe: literal chunks and slots, computed once."""

    cdef object rule
    cdef bint plain
    cdef object methods
    cdef unsigned int mask  # as Leaf.mask
    cdef bint websocket  # the rule's flag, as build() reads it
    cdef object arguments
    cdef dict defaults
    cdef tuple domain
    cdef tuple path
    cdef object params
    cdef tuple required
    cdef tuple fixed  # (domain, path) of a plan without slots, built once
    # On an endpoint's first plan: some plan calls the rule's own
    # suitable_for or build (not plain), which get a copy of the values.
    cdef bint copies

    cdef int _init(self, rule, plain, methods, websocket, arguments, defaults, dict converters,
                   tuple domain, tuple path, params, tuple required, dict slots) except -1:
        self.rule = rule
        self.plain = plain
        self.methods = _frozen_methods(methods)
        self.mask = _method_mask(self.methods)
        self.websocket = bool(websocket)
        self.arguments = arguments
        self.defaults = dict(defaults) if defaults else None
        self.domain = _plan_chunks(domain, converters, slots)
        self.path = _plan_chunks(path, converters, slots)
        self.params = params
        self.required = required
        self.fixed = None
        if not any(type(c) is not str for c in self.domain + self.path):
            self.fixed = (_fill(self.domain, {}), _fill(self.path, {}))
        return 0


    cdef bint suitable(self, dict values, method, unsigned int bit) except -1:
        """Rule.suitable_for (*bit* is ``_bit(method)``)."""
        if not self.plain:
            return self.rule.suitable_for(values, method)
        if method is not None and not _allows(self.methods, self.mask, method, bit):
            return False
        for key in self.arguments:
            if key not in values and (self.defaults is None or key not in self.defaults):
                return False
        if self.defaults:
            for key, value in self.defaults.items():
                if key in values and value != values[key]:
                    return False
        return True

    cdef object build(self, dict values, bint append_unknown):
        """Rule.build: (domain_part, path), or None on ValidationError."""
        cdef str query = ""
        cdef dict extra
        if not self.plain:
            return self.rule.build(values, append_unknown)
        if not values and self.fixed is not None:
            return self.fixed  # no values, no slots: nothing to check or fill
        for key in values:
            if type(key) is not str and not isinstance(key, str):
                # werkzeug passes the values as keyword arguments.
                raise TypeError("keywords must be strings")
        for name in self.required:
            if name not in values:
                raise TypeError(f"missing value for {name!r} to build {self.rule.rule!r}")
        if append_unknown and len(values) > len(self.required):
            extra = {k: v for k, v in values.items() if k not in self.params}
            if extra:
                # sort_parameters may be switched on after the map was built.
                query = None if self.rule.map.sort_parameters else _simple_query(extra)
                if query is None:
                    query = self.rule._encode_query_vars(extra)
        try:
            domain = _fill(self.domain, values)
            path = _fill(self.path, values)
        except ValidationError:
            return None
        if query:
            path = f"{path}?{query}"
        return (domain, path)


# Bytes urlencode(..., safe="!$'()*,/:;?@") leaves alone.
cdef bint _QSAFE[128]
for _c in range(128):
    _QSAFE[_c] = chr(_c).isalnum() or chr(_c) in "_.-~" + "!$'()*,/:;?@"


cdef bint _query_safe(str text):
    cdef Py_ssize_t i, n = len(text)
    cdef const unsigned char* data
    if PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND:
        return False
    data = <const unsigned char*>PyUnicode_DATA(text)
    for i in range(n):
        if data[i] >= 128 or not _QSAFE[data[i]]:
            return False
    return True


cdef object _simple_query(dict extra):
    """The query string of str/int pairs that need no quoting, in the order
    urlencode gives; None when any pair needs the general encoder."""
    parts = []
    for key, value in extra.items():
        if type(key) is not str or not _query_safe(<str>key):
            return None
        if type(value) is int:
            value = str(value)
        elif type(value) is not str or not _query_safe(<str>value):
            return None
        parts.append(f"{key}={value}")
    return "&".join(parts)


cdef str _fill(tuple chunks, dict values):
    cdef Py_ssize_t n = len(chunks)
    cdef Slot slot
    if n == 0:
        return ""
    if n == 1 and type(chunks[0]) is str:
        return chunks[0]
    parts = []
    for chunk in chunks:
        if type(chunk) is str:
            parts.append(chunk)
        else:
            slot = <Slot>chunk
            parts.append(slot.fill(values[slot.name]))
    return "".join(parts)


def build_plans(list entries, dict slots):
    """Typed build plans of one endpoint; see ``_match_py.build_plans``."""
    cdef list built = []
    cdef BuildPlan plan
    for entry in entries:
        if not isinstance(entry, tuple):
            raise TypeError(f"build_plans takes _spec.BuildEntry records, not {type(entry).__name__}")
        e = <tuple>entry  # a BuildEntry: a tuple subclass
        plan = BuildPlan.__new__(BuildPlan)
        plan._init(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9], e[10], slots)
        built.append(plan)
    if built:
        (<BuildPlan>built[0]).copies = not all([(<BuildPlan>p).plain for p in built])
    return tuple(built)


cdef object _plans_build(AdapterBase adapter, tuple plans, dict values, method,
                         bint append_unknown, bint host_matching, bint* websocket):
    """MapAdapter._partial_build over the plans: ``(domain, path)`` or None;
    the plan's websocket flag goes to *websocket*."""
    cdef BuildPlan plan
    cdef object first = None
    cdef bint first_ws = False
    cdef unsigned int bit = _bit(method)  # once, not per plan
    if method is None:
        found = _plans_build(adapter, plans, values, adapter.default_method, append_unknown,
                             host_matching, websocket)
        if found is not None:
            return found
    for plan in plans:
        if plan.suitable(values, method, bit):
            built = plan.build(values, append_unknown)
            if built is not None:
                if not host_matching or built[0] == adapter.server_name:
                    websocket[0] = plan.websocket
                    return built
                if first is None:
                    first = built
                    first_ws = plan.websocket
    websocket[0] = first_ws
    return first


# -- MapAdapter.match as a C-level method ---------------------------------------
#
# A Cython ``def`` method that raises adds a traceback entry (a frame object)
# for itself: for a 404 that costs as much as the match.  Builtin methods add
# none, so ``match`` is a plain METH_FASTCALL method whose C body gets the
# outcome from ``_match_entry`` and raises it with PyErr_SetObject.

cdef tuple _MATCH_ARGS = ("path_info", "method", "return_rule", "query_args", "websocket")


cdef object _match_entry(object self, PyObject** args, Py_ssize_t nargs, object kwnames):
    """Parse match()'s arguments; return its result or the error to raise."""
    cdef Py_ssize_t i, j
    cdef object path_info = None, method = None, return_rule = False
    cdef object query_args = None, websocket = None
    if not isinstance(self, AdapterBase):
        raise TypeError("match() needs a MapAdapter")
    if nargs > 5:
        raise TypeError(f"match() takes at most 5 arguments ({nargs} given)")
    if nargs > 0:
        path_info = <object>args[0]
        if nargs > 1:
            method = <object>args[1]
            if nargs > 2:
                return_rule = <object>args[2]
                if nargs > 3:
                    query_args = <object>args[3]
                    if nargs > 4:
                        websocket = <object>args[4]
    if kwnames is not None:
        for j in range(len(<tuple>kwnames)):
            name = (<tuple>kwnames)[j]
            try:
                i = _MATCH_ARGS.index(name)
            except ValueError:
                raise TypeError(f"match() got an unexpected keyword argument {name!r}") from None
            if i < nargs:
                raise TypeError(f"match() got multiple values for argument {name!r}")
            value = <object>args[nargs + j]
            if i == 0:
                path_info = value
            elif i == 1:
                method = value
            elif i == 2:
                return_rule = value
            elif i == 3:
                query_args = value
            else:
                websocket = value
    return (<AdapterBase>self)._outcome(path_info, method, return_rule, query_args, websocket)


cdef extern from *:
    """
    typedef PyObject* (*fr_entry_t)(PyObject*, PyObject**, Py_ssize_t, PyObject*);
    static fr_entry_t fr_entry = NULL;

    static PyObject* fr_match_method(PyObject* self, PyObject* const* args,
                                     Py_ssize_t nargsf, PyObject* kwnames) {
        PyObject* r = fr_entry(self, (PyObject**)args, PyVectorcall_NARGS(nargsf),
                               kwnames ? kwnames : Py_None);
        if (r == NULL || PyTuple_CheckExact(r)) return r;
        PyErr_SetObject((PyObject*)Py_TYPE(r), r);
        Py_DECREF(r);
        return NULL;
    }

    static PyMethodDef fr_match_def = {
        "match", (PyCFunction)(void(*)(void))fr_match_method, METH_FASTCALL | METH_KEYWORDS,
        "match($self, /, path_info=None, method=None, return_rule=False, query_args=None, websocket=None)\\n--\\n\\n"
        "Match a path to ``(endpoint, values)`` (``(rule, values)`` with *return_rule*).\\n\\n"
        "Raises werkzeug's ``NotFound``, ``MethodNotAllowed`` (with the valid methods), "
        "``RequestRedirect`` (slash, merge-slash, default, alias and ``redirect_to`` "
        "redirects; code 308) and ``WebsocketMismatch``. *path_info* and *method* default "
        "to the values given to ``bind``; *query_args* are appended to redirect URLs; "
        "*websocket* overrides the scheme's ``ws``/``wss`` detection."
    };

    static int fr_install_match(PyTypeObject* type, fr_entry_t entry) {
        PyObject* descr;
        int rc;
        fr_entry = entry;
        descr = PyDescr_NewMethod(type, &fr_match_def);
        if (descr == NULL) return -1;
        rc = PyDict_SetItemString(type->tp_dict, "match", descr);
        Py_DECREF(descr);
        PyType_Modified(type);
        return rc;
    }
    """
    ctypedef PyObject* (*fr_entry_t)(PyObject*, PyObject**, Py_ssize_t, PyObject*)
    int fr_install_match(PyTypeObject* type, fr_entry_t entry) except -1


# _match_entry's C function returns a new reference, or NULL with the error
# set: exactly what the C method needs.
fr_install_match(<PyTypeObject*>AdapterBase, <fr_entry_t>_match_entry)


def _check_spec():
    """Refuse to load when a C enum differs from ``fastroute._spec``.

    C enums must be compile-time constants, so this core cannot take them
    from the spec as the pure twin does; instead it checks them, once, here.
    """
    mine = {
        "HIT": _HIT, "REDIRECT": _REDIRECT, "NOMATCH": _NOMATCH,
        "K_CUSTOM": K_CUSTOM, "K_STRING": K_STRING, "K_INT": K_INT, "K_FLOAT": K_FLOAT,
        "K_UUID": K_UUID, "K_ANY": K_ANY, "K_PATH": K_PATH,
        "M_REGEX": M_REGEX, "M_LENGTH": M_LENGTH, "M_DIGITS": M_DIGITS, "M_SDIGITS": M_SDIGITS,
        "M_FLOAT": M_FLOAT, "M_UUID": M_UUID, "M_ANY": M_ANY, "M_PATH": M_PATH, "M_LINEAR": M_LINEAR,
        "C_IDENTITY": C_IDENTITY, "C_CALL": C_CALL, "C_INT": C_INT,
        "S_QUOTE": S_QUOTE, "S_INT": S_INT, "S_CALL": S_CALL,
        "H_KNOWN": H_KNOWN, "H_STANDARD_UNKNOWN": H_STANDARD_UNKNOWN, "H_GET_HOST": H_GET_HOST,
        "H_DEFAULT_REDIRECT": H_DEFAULT_REDIRECT, "H_REDIRECT_URL": H_REDIRECT_URL,
        "H_MATCH": H_MATCH, "H_PARTIAL_BUILD": H_PARTIAL_BUILD, "H_UPDATE": H_UPDATE,
    }
    wrong = sorted(set(mine) ^ set(_spec.ENUMS))
    wrong += [name for name in sorted(mine) if name in _spec.ENUMS and mine[name] != getattr(_spec, name)]
    if wrong:
        raise ImportError(f"fastroute._match was built against another fastroute._spec: {', '.join(wrong)}")
    return mine


_check_spec()
