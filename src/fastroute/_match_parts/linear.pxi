# linear.pxi: the linear matcher of parts with several converters: Linear, _make_linear,
# _linear, _linear_values, and its three steps _reach, _feasible, _choose.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


# ---------------------------------------------------------------------------
# Parts with several converters, matched in linear time
#
# The algorithm and its reasons are described in ``_match_py`` (same section
# name).  Here the three steps are sweeps over the text in C: the forward
# sweep keeps, for each end position, the best start seen so far (the latest
# one, whose run of allowed characters is shortest); the backward sweep keeps
# the nearest feasible end; the walk scans each piece's candidate ends in the
# regex's order of preference.  Work and memory: O(pieces x length).
#
# Its piece codes and Piece_t are in _match.pxd.


@cython.final
cdef class Linear:
    """One part of built-in converters and literals, matched without its
    regex: ``match(text)`` gives what the part's anchored regex would."""

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
    cdef Py_ssize_t goal, i, p, e, j
    cdef Py_ssize_t first = _NONE, reach
    cdef Py_ssize_t limit = base + size
    cdef Py_ssize_t* starts
    cdef unsigned char* buf
    cdef unsigned char* cur
    cdef unsigned char* nxt
    cdef unsigned char* out
    cdef unsigned char local[2048]
    cdef Py_ssize_t local_starts[32]
    cdef bint heap = False, sheap = False
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Piece_t* pc

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
            nxt = buf + row if cur == buf else buf
            reach = _reach(&lin.pieces[i], text, base, size, cur, starts[i], reach, nxt, &first)
            if reach == _NONE:
                return -1
            if i == count - 1:
                if not nxt[goal]:
                    return -1
                break
            starts[i + 1] = first
            cur = nxt

        # 2. backward: row i = the positions >= starts[i] from which pieces
        # i.. can match to the goal (exact at every reachable position).
        out = buf + count * row
        memset(out, 0, row)
        out[goal] = 1
        for i in range(count - 1, 0, -1):
            _feasible(&lin.pieces[i], text, base, size, buf + (i + 1) * row, starts[i], buf + i * row)

        # 3. walk: for each piece the first end, in the regex's order of
        # preference, from which the rest can match.
        p = 0
        j = 0
        for i in range(count):
            pc = &lin.pieces[i]
            e = _choose(pc, text, base, size, p, buf + (i + 1) * row)
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


# -- forward: the positions the next piece can start at ----------------------


cdef Py_ssize_t _reach(Piece_t* pc, str text, Py_ssize_t base, Py_ssize_t size, unsigned char* cur,
                       Py_ssize_t p, Py_ssize_t reach, unsigned char* nxt, Py_ssize_t* first_end) except -2:
    """Mark in *nxt* the ends of the piece *pc* from the positions marked in
    *cur* (the first at *p*, the last at *reach*); set *first_end* to the
    first and return the last, or _NONE when there is none."""
    cdef Py_ssize_t limit = base + size
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t e, x, P, mark, first = _NONE, last = _NONE
    cdef bint armed, dot_ok
    cdef Py_UCS4 c
    cdef tuple items
    cdef str lit
    memset(nxt, 0, size + 1)
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
    first_end[0] = first
    return last


# -- backward: where the rest of the part can match ---------------------------


cdef int _feasible(Piece_t* pc, str text, Py_ssize_t base, Py_ssize_t size, unsigned char* after,
                   Py_ssize_t p, unsigned char* out) except -2:
    """Mark in *out* the positions x >= *p* (exact where the forward sweep
    reached) from which the piece *pc* can end at a position marked in *after*."""
    cdef Py_ssize_t limit = base + size
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t x, z, near, near1, near2, q, run, run1, j
    cdef bint ok, g, g_next, d
    cdef Py_UCS4 c
    cdef tuple items
    cdef str lit
    memset(out, 0, size + 1)
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
    return 0


# -- the walk: the first end in the regex's order of preference ---------------


cdef Py_ssize_t _choose(Piece_t* pc, str text, Py_ssize_t base, Py_ssize_t size, Py_ssize_t p,
                        unsigned char* after) except -2:
    """The end of the piece *pc* from *p* that re would keep (one marked in
    *after*), or _NONE."""
    cdef Py_ssize_t limit = base + size
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t e = _NONE, x, z
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
    return e
