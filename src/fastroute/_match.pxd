# Declarations of fastroute._match: its C structs, enums and cdef classes
# (their attributes and C methods).  The code is in _match_parts/*.pxi,
# which _match.pyx includes; the comment above each says which part.


cimport cython
from cpython.object cimport PyObject
from libc.stdint cimport uint32_t, uint64_t


# -- Enums (_check_spec() checks them against fastroute._spec at import) ----


# Match outcomes (tree: Matcher._find)
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


# Override flags (adapter: methods a subclass overrides)
cdef enum:
    H_KNOWN = 1  # the flags below are worked out
    H_STANDARD_UNKNOWN = 2  # not registered yet: call every method
    H_GET_HOST = 4
    H_DEFAULT_REDIRECT = 8
    H_REDIRECT_URL = 16  # make_redirect_url
    H_MATCH = 32
    H_PARTIAL_BUILD = 64
    H_UPDATE = 128  # the map's


# How a build slot fills its value (build: Slot)
cdef enum:
    S_QUOTE = 0   # BaseConverter.to_url: quote(str(value), safe=PATH_SAFE)
    S_INT = 1     # IntegerConverter.to_url without fixed digits: str(int(value))
    S_CALL = 2    # anything else: converter.to_url(value)


# -- C structs ---------------------------------------------------------------


# A static child's entry in a slot table (tree: _fill_table, _child; Node.path_node)
cdef struct Slot_t:
    uint64_t hash       # of the key (_hash_span, or the str hash of a path table)
    uint32_t length     # len(key)
    uint32_t kind       # the key's str storage width: 1, 2 or 4 bytes
    const char* chars   # a copy of the key's characters; NULL marks a free slot
    void* node          # the child's NodeC


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


# The linear matcher's pieces (linear: _make_linear, _linear)
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


# -- cdef classes ------------------------------------------------------------


# tree
@cython.final
cdef class Leaf:
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


@cython.final
cdef class Node:
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
    cdef int freeze_paths(self, dict paths) except -1
    cdef inline NodeC* path_node(self, str path) noexcept


# linear
@cython.final
cdef class Linear:
    cdef Piece_t* pieces
    cdef Py_ssize_t count
    cdef Py_ssize_t nconv
    cdef bint suffixed
    cdef list keep


# tree
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
    cdef _choose_mode(self, part, bint at_root)


# Made and dropped by every match that walks: kept on a free list, and not
# tracked by the collector (see the class in tree.pxi).
@cython.final
@cython.no_gc
@cython.freelist(8)
cdef class Search:
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


cdef class Matcher:
    cdef public bint merge_slashes
    cdef Node root
    cdef dict _edges
    # A map without host or subdomain rules has one domain node ("" or the
    # server name) and nothing dynamic at the root: the common case skips
    # the root's dict (a pointer or string compare instead of a lookup).
    cdef str _sole_domain
    cdef Node _sole_node
    cdef char* _block  # every node's NodeC (see _lay_out)
    cdef int _lay_out(self) except -1
    cdef inline Node _domain_node(self, str domain)
    cdef int _find(self, str domain, str path, Search s) except -1
    cdef int _find_walk(self, Node dnode, NodeC* pnode, str domain, str path, Search s) except -1


# adapter
cdef class MapBase:
    cdef public object _matcher
    cdef public bint _remap
    cdef public object host_matching
    cdef public object redirect_defaults
    cdef public dict _default_sources
    cdef public dict _build_index
    cdef int _hooks  # the methods its class overrides (_map_hooks)
    cdef dict __dict__


cdef class AdapterBase:
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
    cdef object _outcome(self, path_info, method, return_rule, query_args, websocket)
    cdef object _url(self, domain_part, path, bint websocket, force_external, url_scheme, host)
    cdef object _finish(self, tuple found, str domain_part, str path_part, verb, return_rule, query_args)
    cdef object _redirect_url(self, str path_info, query_args)


# build
@cython.final
cdef class Slot:
    cdef str name
    cdef object converter
    cdef int how
    cdef str fill(self, value)


@cython.final
cdef class BuildPlan:
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
                  tuple domain, tuple path, params, tuple required, dict slots) except -1
    cdef bint suitable(self, dict values, method, unsigned int bit) except -1
    cdef object build(self, dict values, bint append_unknown)
