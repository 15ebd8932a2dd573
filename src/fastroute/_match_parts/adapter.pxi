# adapter.pxi: MapBase, AdapterBase (match, build), the methods a subclass overrides, the match
# entry.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


cdef class MapBase:
    """Base of ``Map``: the state ``AdapterBase.match`` reads, in C fields."""

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
        else:  # a map's update() makes it with the map's own core
            raise TypeError(f"the map's matcher is a {type(m).__name__}, not this core's Matcher")
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
