# errors.pxi: werkzeug's exceptions, made as MapAdapter.match raises them.
# Included by _match.pyx (one C module); _match.pxd declares its structs and classes.


# werkzeug's HTTP exceptions cost two Python __init__ frames to create, more
# than a whole match.  When (as in werkzeug 3.1) __init__ only stores its
# arguments, make identical instances directly: the type's tp_new, then a
# copy of a template attribute dict (what __init__ would have stored, in its
# order) put in the instance's dict slot; checked once, here.
cdef bint _DIRECT_EXC = False


cdef tuple _NO_ARGS = ()
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


cdef object _no_match_error(have, bint wsm):
    """The error of a match that found no rule: 405 with the methods the
    path has, or a websocket mismatch, or 404."""
    if have:
        return _http_error(MethodNotAllowed, have if type(have) is list else list(have))
    if wsm:
        return _http_error(WebsocketMismatch)
    return _http_error(NotFound)
