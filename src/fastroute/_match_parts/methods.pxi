# methods.pxi: verbs and method masks, canonical verbs, the methods a 405 lists, a leaf's method
# and websocket checks.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


cdef str _GET = "GET"
cdef str _POST = "POST"
cdef str _HEAD = "HEAD"
cdef str _PUT = "PUT"
cdef str _DELETE = "DELETE"
cdef str _PATCH = "PATCH"
cdef str _OPTIONS = "OPTIONS"
# The canonical verbs are these very objects (_bit() compares identities;
# _standard_verb() returns them).


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
