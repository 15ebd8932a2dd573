# walk.pxi: the walk: _walk, _fitting_leaf, _edge_walk, _regex_edge, _linear_edge, _walk_root,
# _convert.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


cdef object _SLASH = object()  # walk result: the rule needs a trailing slash


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
