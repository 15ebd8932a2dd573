# scan.pxi: text scanning: segment ends, double slashes, digit/float/uuid/path checks, span
# hashing and equality.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


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
