# build.pxi: URL building: quoting, Slot, BuildPlan, build_plans, _plans_build, query encoding.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


cdef str _PATH_SAFE = _spec.PATH_SAFE


# -- URL building ------------------------------------------------------------


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
    if method is None:
        found = _plans_build(adapter, plans, values, adapter.default_method, append_unknown,
                             host_matching, websocket)
        if found is not None:
            return found
    return _plans_select(adapter, plans, values, method, append_unknown, host_matching, websocket)


cdef object _plans_select(AdapterBase adapter, tuple plans, dict values, method,
                          bint append_unknown, bint host_matching, bint* websocket):
    """The first plan suitable for *values* and *method* that builds (with
    host matching, one on the bound host first): werkzeug's loop over an
    endpoint's rules in ``_partial_build``."""
    cdef BuildPlan plan
    cdef object first = None
    cdef bint first_ws = False
    cdef unsigned int bit = _bit(method)  # once, not per plan
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


def select_plan(AdapterBase adapter, tuple plans, dict values, method, bint append_unknown):
    """``(domain, path, websocket)`` of the first of an endpoint's *plans*
    that builds from *values* for *method*, or None: the selection of
    ``MapAdapter._partial_build``, which makes werkzeug's retry with the
    default method itself (through ``self``, so an override sees it)."""
    cdef bint websocket = False
    found = _plans_select(adapter, plans, values, method, append_unknown,
                          bool(adapter.map.host_matching), &websocket)
    return None if found is None else (found[0], found[1], websocket)
