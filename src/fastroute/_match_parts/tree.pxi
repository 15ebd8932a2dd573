# tree.pxi: Leaf, Node, Edge, Search, the slot tables and the C block layout, Matcher (add,
# finish, match), depth limits.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


cdef object _MERGE = re.compile("/{2,}")


# Shared by every finished node but the root; a finished matcher is never
# changed (Matcher.add refuses), so nothing writes to it.
cdef dict _EMPTY_DICT = {}
# The values of a walk that can capture none (a static-only domain's).
cdef list _NO_VALUES = []


@cython.final
cdef class Leaf:
    """A rule as the matcher sees it."""

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
