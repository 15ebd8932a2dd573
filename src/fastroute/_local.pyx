# cython: language_level=3, auto_pickle=False, boundscheck=True, wraparound=True
"""Compiled context locals: the C twin of ``fastroute._local_py``.

Same names, same behaviour (werkzeug.local 3.1's; the module doc of
``_local_py`` describes it).  What changes is how:

* ``LocalProxy`` is an extension type.  Its ``tp_getattro`` forwards a public
  attribute of a plain proxy with one ``PyContextVar_Get`` and one
  ``PyObject_GetAttr``: no Python frame, no failed lookup on the proxy
  first, no exception.  Every data-model hook is a C slot (or, for the hooks
  Python looks up by name, a C method) calling the same C accessor.
* ``Local`` and ``LocalStack`` keep their state in C fields; a proxy over
  them reads their variable directly.
* The public classes are thin Python subclasses (``__slots__ = ()``) of the
  extension types, so they carry werkzeug's names in messages
  (``'LocalProxy' object is not iterable``) and are generic like werkzeug's.
"""

from cpython.contextvars cimport PyContextVar_Get, PyContextVar_Set
from cpython.dict cimport PyDict_GetItemWithError
from cpython.number cimport (
    PyNumber_Absolute, PyNumber_Add, PyNumber_And, PyNumber_Divmod, PyNumber_Float,
    PyNumber_FloorDivide, PyNumber_Index, PyNumber_InPlaceAdd, PyNumber_InPlaceAnd,
    PyNumber_InPlaceFloorDivide, PyNumber_InPlaceLshift, PyNumber_InPlaceMatrixMultiply,
    PyNumber_InPlaceMultiply, PyNumber_InPlaceOr, PyNumber_InPlacePower,
    PyNumber_InPlaceRemainder, PyNumber_InPlaceRshift, PyNumber_InPlaceSubtract,
    PyNumber_InPlaceTrueDivide, PyNumber_InPlaceXor, PyNumber_Invert, PyNumber_Long,
    PyNumber_Lshift, PyNumber_MatrixMultiply, PyNumber_Multiply, PyNumber_Negative,
    PyNumber_Or, PyNumber_Positive, PyNumber_Power, PyNumber_Remainder, PyNumber_Rshift,
    PyNumber_Subtract, PyNumber_TrueDivide, PyNumber_Xor,
)
from cpython.object cimport (
    PyObject, PyObject_Bytes, PyObject_GenericGetAttr, PyObject_GetItem, PyObject_GetIter,
    PyObject_Repr, PyObject_Str,
)
from cpython.ref cimport Py_XDECREF
from cpython.unicode cimport PyUnicode_Check, PyUnicode_GET_LENGTH, PyUnicode_READ_CHAR

import builtins
import copy
import math
import operator
import typing as t
from contextvars import ContextVar

from ._local_common import DEFAULT_UNBOUND as _DEFAULT_UNBOUND
from ._local_common import LOCAL_DOC as _LOCAL_DOC
from ._local_common import PROXY_DOC as _PROXY_DOC
from ._local_common import STACK_DOC as _STACK_DOC
from ._local_common import HOOKS as _HOOKS_TABLE
from ._local_common import LocalManager, release_local
from ._local_common import defined_by_subclass as _defined_by_subclass
from ._local_common import foreign_kind as _foreign_kind
from ._local_common import hook_attribute as _hook_attribute
from ._local_common import proxy_own as _proxy_own
from ._local_common import release_storage as _release_storage
from ._local_common import storage_mode as _storage_mode

__all__ = ["Local", "LocalManager", "LocalProxy", "LocalStack", "release_local"]

T = t.TypeVar("T")

# Stored dicts and lists are replaced, never changed in place (ident mode
# excepted, which keeps its own dicts), so "nothing stored yet" can be one
# shared empty instance that is only ever read.
cdef dict _NO_DATA = {}
cdef list _NO_STACK = []
cdef object _MISSING = object()

_next = builtins.next

# The public classes, set once they are defined (end of module).
cdef object _LocalType = None
cdef object _ProxyType = None


cdef inline object _var_get(object var, object default):
    """``var.get(default)`` without the method call."""
    cdef PyObject* raw = NULL
    PyContextVar_Get(var, <PyObject*>default, &raw)
    value = <object>raw
    Py_XDECREF(raw)
    return value


cdef inline bint _is_public(object name):
    # tp_getattro gets a str (or a subclass); the empty name counts as public
    return PyUnicode_GET_LENGTH(name) == 0 or PyUnicode_READ_CHAR(name, 0) != 95  # "_"


# --------------------------------------------------------------------------
# Local

cdef class _LocalBase:
    """The extension type behind ``Local``."""

    cdef object _var      # the ContextVar, or None in ident mode
    cdef object _ident    # ident mode: the ident function
    cdef dict _store      # ident mode: {ident: {name: value}}

    def __init__(self, context_var=None, *, ident_func=None):
        self._var, self._ident, self._store = _storage_mode("Local", self, context_var, ident_func)

    cdef dict _data(self):
        """The current context's dict (read only; may be the shared empty one)."""
        if self._var is not None:
            # an explicit default, as werkzeug's var.get({}): the variable's own
            # default is not used
            return _var_get(self._var, _NO_DATA)
        data = self._store.get(self._ident())
        return _NO_DATA if data is None else data

    cdef object _lookup(self, name):
        # ``data`` holds the dict until the item is ours: the lookup may run a
        # key's ``__eq__`` that replaces this context's dict, and the item is
        # only borrowed from it.  (A lookup error is raised by Cython.)
        cdef dict data = self._data()
        cdef PyObject* raw = PyDict_GetItemWithError(data, name)
        if raw == NULL:
            raise AttributeError(name)
        return <object>raw

    def __getattribute__(self, name):
        # The type has no public attributes, so a public name on a plain Local
        # is always stored data; anything else takes werkzeug's order:
        # the class first, then the data.
        if type(self) is _LocalType and PyUnicode_Check(name) and _is_public(name):
            return self._lookup(name)
        try:
            return PyObject_GenericGetAttr(self, name)
        except AttributeError:
            pass
        if self._var is None:
            if name == "__storage__":
                return self._store
            if name == "__ident_func__":
                return self._ident
        return self._lookup(name)

    def __setattr__(self, name, value):
        cdef dict data
        if self._var is not None:
            data = self._data().copy()
            data[name] = value
            PyContextVar_Set(self._var, data)
            return
        ident = self._ident()
        data = self._store.get(ident)
        if data is None:
            self._store[ident] = {name: value}
        else:
            data[name] = value

    def __delattr__(self, name):
        cdef dict data = self._data()
        if name not in data:
            raise AttributeError(name)
        if self._var is not None:
            data = data.copy()
            del data[name]
            PyContextVar_Set(self._var, data)
        else:
            del data[name]

    def __iter__(self):
        """Iterate over ``(name, value)`` pairs of the current context."""
        if self._var is not None:
            return iter(self._data().items())
        # ident mode changes its dicts in place: iterate over a snapshot
        return iter(list(self._data().items()))

    def __call__(self, name, *, unbound_message=None):
        """A :class:`LocalProxy` to the attribute ``name`` of this local."""
        return _ProxyType(self, name, unbound_message=unbound_message)

    def __release_local__(self):
        _release_storage(self._var, self._ident, self._store, {})


# --------------------------------------------------------------------------
# LocalStack

cdef class _StackBase:
    """The extension type behind ``LocalStack``."""

    cdef object _var      # the ContextVar, or None in ident mode
    cdef object _ident    # ident mode: the ident function
    cdef dict _store      # ident mode: {ident: [items]}

    def __init__(self, context_var=None, *, ident_func=None):
        self._var, self._ident, self._store = _storage_mode("LocalStack", self, context_var, ident_func)

    cdef object _stack(self):
        if self._var is not None:
            return _var_get(self._var, _NO_STACK)
        return self._store.get(self._ident(), _NO_STACK)

    cdef object _top(self):
        stack = self._stack()
        return stack[-1] if stack else None

    @property
    def _storage(self):
        """The ``ContextVar`` holding the stack (``None`` in ident mode)."""
        return self._var

    def push(self, obj):
        """Put ``obj`` on top of the stack; returns the new stack."""
        stack = list(self._stack())
        stack.append(obj)
        if self._var is not None:
            PyContextVar_Set(self._var, stack)
        else:
            self._store[self._ident()] = stack
        return stack

    def pop(self):
        """Remove and return the top item; ``None`` when the stack is empty."""
        if self._var is not None:
            stack = self._stack()
            if not stack:
                return None
            PyContextVar_Set(self._var, stack[:-1])
            return stack[-1]
        ident = self._ident()
        stack = self._store.get(ident, _NO_STACK)
        if not stack:
            return None
        if len(stack) == 1:
            del self._store[ident]
        else:
            self._store[ident] = stack[:-1]
        return stack[-1]

    @property
    def top(self):
        """The top item, or ``None`` when the stack is empty."""
        return self._top()

    def __call__(self, name=None, *, unbound_message=None):
        """A :class:`LocalProxy` to the top item (or its attribute ``name``)."""
        return _ProxyType(self, name, unbound_message=unbound_message)

    def __release_local__(self):
        _release_storage(self._var, self._ident, self._store, [])


# --------------------------------------------------------------------------
# LocalProxy

cdef enum:
    K_VAR = 0          # a ContextVar
    K_LOCAL = 1        # this module's Local
    K_STACK = 2        # this module's LocalStack
    K_CALL = 3         # any callable
    K_OTHER_LOCAL = 4  # werkzeug's or the pure twin's Local
    K_OTHER_STACK = 5  # werkzeug's or the pure twin's LocalStack

# -- the recursion guard -------------------------------------------------------
#
# A proxy hands its object to C code (PyObject_GetAttr, PyNumber_Add, ...) that
# calls the object's own slots.  When the object is a proxy again -- one bound
# to itself (``g.user = current_user`` where ``current_user`` reads
# ``g.user``) or a cycle of proxies -- that is C calling C with no Python frame
# in between, which CPython's recursion limit never sees: the C stack
# overflows.  So each operation makes its one call on the object through a
# helper below that counts one level with CPython's own guard
# (Py_EnterRecursiveCall), and a cycle ends in RecursionError as werkzeug's
# Python-level proxy does.  The operations that answer an unbound proxy anyway
# (repr, bool, dir, hash, iter, comparisons, ``__class__``...) first check,
# inside the ``try`` around the lookup, that the level fits: werkzeug's proxy
# treats a RecursionError met there (a RuntimeError) as unbound, and so does
# this one.  The helpers are C so that the fast path stays one call deep and
# an error (a missing attribute) adds no traceback entry of its own.

cdef extern from *:
    """
    #define FR_LOCAL_WHERE " while forwarding through a LocalProxy"

    /* RecursionError unless *levels* more levels fit: one for the operation
       and one spare, so that the unbound answer is made below the limit (a
       TypeError to create; CPython's own count in repr() and comparisons,
       which comes between two proxies' levels, must not be the one that
       meets it).  Py_EnterRecursiveCall reports an error as nonzero. */
    static CYTHON_INLINE int fr_local_check_levels(int levels) {
        int entered = 0;
        while (entered < levels) {
            if (Py_EnterRecursiveCall(FR_LOCAL_WHERE)) break;
            entered++;
        }
        for (int i = 0; i < entered; i++) Py_LeaveRecursiveCall();
        return entered == levels ? 0 : -1;
    }
    static CYTHON_INLINE int fr_local_check_depth(void) {
        return fr_local_check_levels(2);
    }
    /* A comparison takes one more: PyObject_RichCompare counts a level of
       its own before the next proxy's check, and since CPython 3.12 the
       TypeError it raises for two NotImplemented answers is created at once
       (a call, one more level), so a spare must be left below both. */
    static CYTHON_INLINE int fr_local_check_compare_depth(void) {
        return fr_local_check_levels(3);
    }

    /* One call on the object, counted as one level: NULL / -1 with
       RecursionError past the limit, else the call's own result. */
    #define FR_LOCAL_GUARDED(type, error, call) { \
        type result; \
        if (Py_EnterRecursiveCall(FR_LOCAL_WHERE)) return error; \
        result = call; \
        Py_LeaveRecursiveCall(); \
        return result; \
    }
    static CYTHON_INLINE PyObject* fr_local_unary(unaryfunc f, PyObject* a)
        FR_LOCAL_GUARDED(PyObject*, NULL, f(a))
    static CYTHON_INLINE PyObject* fr_local_binary(binaryfunc f, PyObject* a, PyObject* b)
        FR_LOCAL_GUARDED(PyObject*, NULL, f(a, b))
    static CYTHON_INLINE PyObject* fr_local_getattr(PyObject* o, PyObject* name) {
        /* The hot path.  An object of a type with the generic lookup (any
           class without __getattr__/__getattribute__) cannot come back to a
           proxy from here without a Python frame, which is counted anyway. */
        if (Py_TYPE(o)->tp_getattro == PyObject_GenericGetAttr)
            return PyObject_GenericGetAttr(o, name);
        FR_LOCAL_GUARDED(PyObject*, NULL, PyObject_GetAttr(o, name))
    }
    static CYTHON_INLINE PyObject* fr_local_call(PyObject* f, PyObject* args, PyObject* kwargs)
        FR_LOCAL_GUARDED(PyObject*, NULL, PyObject_Call(f, args, kwargs))
    static CYTHON_INLINE PyObject* fr_local_richcompare(PyObject* a, PyObject* b, int op)
        FR_LOCAL_GUARDED(PyObject*, NULL, PyObject_RichCompare(a, b, op))
    static CYTHON_INLINE int fr_local_setattr(PyObject* o, PyObject* name, PyObject* value) {
        /* As for getattr: the generic store cannot come back to a proxy from C. */
        if (Py_TYPE(o)->tp_setattro == PyObject_GenericSetAttr && PyUnicode_Check(name))
            return PyObject_GenericSetAttr(o, name, value);
        FR_LOCAL_GUARDED(int, -1, PyObject_SetAttr(o, name, value))
    }
    static CYTHON_INLINE int fr_local_setitem(PyObject* o, PyObject* key, PyObject* value)
        FR_LOCAL_GUARDED(int, -1, value ? PyObject_SetItem(o, key, value) : PyObject_DelItem(o, key))
    static CYTHON_INLINE int fr_local_contains(PyObject* o, PyObject* item)
        FR_LOCAL_GUARDED(int, -1, PySequence_Contains(o, item))
    static CYTHON_INLINE int fr_local_istrue(PyObject* o)
        FR_LOCAL_GUARDED(int, -1, PyObject_IsTrue(o))
    static CYTHON_INLINE Py_ssize_t fr_local_length(PyObject* o)
        FR_LOCAL_GUARDED(Py_ssize_t, -1, PyObject_Length(o))
    static CYTHON_INLINE Py_hash_t fr_local_hash(PyObject* o)
        FR_LOCAL_GUARDED(Py_hash_t, -1, PyObject_Hash(o))
    """
    ctypedef object (*_unary_t)(object)
    ctypedef object (*_binary_t)(object, object)
    # RecursionError unless two more levels fit (see above).
    int _check_depth "fr_local_check_depth" () except -1
    # The same for a comparison: three levels (see above).
    int _check_compare_depth "fr_local_check_compare_depth" () except -1
    # One operation on the object, counted as one level.
    object _unary "fr_local_unary" (_unary_t func, object a)
    object _binary "fr_local_binary" (_binary_t func, object a, object b)
    object _getattr "fr_local_getattr" (object obj, object name)
    object _call_guarded "fr_local_call" (object func, object args, object kwargs)
    object _richcompare "fr_local_richcompare" (object a, object b, int op)
    int _setattr "fr_local_setattr" (object obj, object name, PyObject* value) except -1
    int _setitem "fr_local_setitem" (object obj, object key, PyObject* value) except -1
    int _contains "fr_local_contains" (object obj, object item) except -1
    bint _istrue "fr_local_istrue" (object obj) except -1
    Py_ssize_t _length "fr_local_length" (object obj) except -1
    Py_hash_t _hash "fr_local_hash" (object obj) except -1


cdef inline object _apply(object func, tuple args):
    return _call_guarded(func, args, None)


def _method(obj, name, *args):
    return getattr(obj, name)(*args)


cdef class _ProxyBase:
    """The extension type behind ``LocalProxy``."""

    cdef object _wrapped   # the local as given
    cdef object _source    # ContextVar / Local / LocalStack / callable
    cdef object _name      # None, or the first attribute of ``name``
    cdef tuple _rest       # the rest of a dotted ``name``, or None
    cdef object _message
    cdef int _kind
    cdef bint _direct      # K_LOCAL: a plain Local and a public name (a dict lookup)

    def __init__(self, local, name=None, *, unbound_message=None):
        cdef int kind
        if name is not None and not isinstance(name, str):
            raise TypeError("attribute name must be a string")
        if isinstance(local, ContextVar):
            kind = K_VAR
        elif isinstance(local, _LocalBase):
            kind = K_LOCAL
        elif isinstance(local, _StackBase):
            kind = K_STACK
        else:
            other = _foreign_kind(local)
            if other == "local":
                kind = K_OTHER_LOCAL
            elif other == "stack":
                kind = K_OTHER_STACK
            elif callable(local):
                kind = K_CALL
            else:
                raise TypeError(f"Don't know how to proxy '{type(local)}'.")
        if name is None and (kind == K_LOCAL or kind == K_OTHER_LOCAL):
            raise TypeError("'name' is required when proxying a 'Local' object.")
        self._kind = kind
        self._wrapped = local
        self._source = local
        self._message = _DEFAULT_UNBOUND if unbound_message is None else unbound_message
        if name is None:
            self._name = None
            self._rest = None
        else:
            parts = name.split(".")
            self._name = parts[0]
            self._rest = tuple(parts[1:]) if len(parts) > 1 else None
        self._direct = (
            kind == K_LOCAL and type(local) is _LocalType and _is_public(self._name)
        )

    cdef inline object _follow(self, obj):
        obj = getattr(obj, self._name)
        if self._rest is not None:
            for part in self._rest:
                obj = getattr(obj, part)
        return obj

    cdef object _current(self):
        """The bound object, or ``RuntimeError(unbound_message)``."""
        cdef PyObject* raw = NULL
        cdef object obj
        cdef dict data
        cdef int kind = self._kind
        if kind == K_VAR:
            PyContextVar_Get(self._source, NULL, &raw)
            if raw == NULL:
                raise RuntimeError(self._message) from None
            obj = <object>raw
            Py_XDECREF(raw)
        elif kind == K_CALL:
            obj = self._source()
        elif kind == K_STACK or kind == K_OTHER_STACK:
            if kind == K_STACK:
                obj = (<_StackBase>self._source)._top()
            else:
                obj = self._source.top
            if obj is None:
                raise RuntimeError(self._message)
        else:
            # a Local: werkzeug reads the whole path under one
            # ``except AttributeError`` that means "unbound"
            if self._direct:
                data = (<_LocalBase>self._source)._data()  # held: the item is borrowed
                raw = PyDict_GetItemWithError(data, self._name)
                if raw == NULL:
                    raise RuntimeError(self._message) from None
                obj = <object>raw
                if self._rest is None:
                    return obj
                try:
                    for part in self._rest:
                        obj = getattr(obj, part)
                except AttributeError:
                    raise RuntimeError(self._message) from None
                return obj
            try:
                return self._follow(self._source)
            except AttributeError:
                raise RuntimeError(self._message) from None
        if self._name is None:
            return obj
        return self._follow(obj)

    def _get_current_object(self):
        """The object this proxy stands for right now (``RuntimeError`` if unbound).

        Use it to hand the real object to code that must not see a proxy, or
        to skip the forwarding when touching the object many times.
        """
        return self._current()

    # attribute access ------------------------------------------------------

    def __getattribute__(self, name):
        # Hot path: a public name on a plain proxy is always the object's.
        if type(self) is _ProxyType and PyUnicode_Check(name) and _is_public(name):
            return _getattr(self._current(), name)
        return _proxy_getattr_slow(self, name)

    def __setattr__(self, name, value):
        _setattr(self._current(), name, <PyObject*>value)

    def __delattr__(self, name):
        _setattr(self._current(), name, NULL)

    def __dir__(self):
        try:
            obj = self._current()
            _check_depth()
        except RuntimeError:  # unbound (a RecursionError too, as werkzeug's)
            return []
        return _apply(dir, (obj,))

    # representation ----------------------------------------------------------

    def __repr__(self):
        try:
            obj = self._current()
            _check_depth()
        except RuntimeError:
            return f"<{type(self).__name__} unbound>"
        except Exception:
            # werkzeug's proxy shows object's default repr here
            return f"<{type(self).__name__} object at {id(self):#x}>"
        return _unary(PyObject_Repr, obj)

    def __str__(self):
        return _unary(PyObject_Str, self._current())

    def __bytes__(self):
        return _unary(PyObject_Bytes, self._current())

    def __format__(self, format_spec):
        return _apply(_method, (self._current(), "__format__", format_spec))

    def __bool__(self):
        try:
            obj = self._current()
            _check_depth()
        except RuntimeError:
            return False
        return _istrue(obj)

    def __hash__(self):
        return _hash(_object_or_type_error(self, "unhashable type: '{}'"))

    def __richcmp__(self, other, int op):
        # an unbound proxy compares by identity: NotImplemented, as werkzeug's
        try:
            obj = (<_ProxyBase>self)._current()
            _check_compare_depth()
        except Exception:
            return NotImplemented
        return _richcompare(obj, other, op)

    # classes -----------------------------------------------------------------

    def __instancecheck__(self, instance):
        return _apply(isinstance, (instance, self._current()))

    def __subclasscheck__(self, subclass):
        return _apply(issubclass, (subclass, self._current()))

    # calls and containers ----------------------------------------------------

    def __call__(self, *args, **kwargs):
        return _call_guarded(self._current(), args, kwargs)

    def __len__(self):
        return _length(self._current())

    def __length_hint__(self):
        return _apply(operator.length_hint, (self._current(),))

    def __getitem__(self, key):
        return _binary(PyObject_GetItem, self._current(), key)

    def __setitem__(self, key, value):
        _setitem(self._current(), key, <PyObject*>value)

    def __delitem__(self, key):
        _setitem(self._current(), key, NULL)

    def __contains__(self, item):
        return _contains(self._current(), item)

    def __iter__(self):
        return _unary(PyObject_GetIter, _object_or_type_error(self, "'{}' object is not iterable"))

    def __next__(self):
        return _apply(_next, (self._current(),))  # the builtin's messages, not Cython's inlined next()

    def __reversed__(self):
        return _apply(reversed, (self._current(),))

    # numbers: forward, reflected (operands swapped) and in-place ------------
    # An in-place operator changes the object in place where it can, drops
    # the result and returns the proxy, so the name keeps the proxy.

    def __add__(self, other):
        return _binary(PyNumber_Add, self._current(), other)

    def __radd__(self, other):
        return _binary(PyNumber_Add, other, self._current())

    def __iadd__(self, other):
        _binary(PyNumber_InPlaceAdd, self._current(), other)
        return self

    def __sub__(self, other):
        return _binary(PyNumber_Subtract, self._current(), other)

    def __rsub__(self, other):
        return _binary(PyNumber_Subtract, other, self._current())

    def __isub__(self, other):
        _binary(PyNumber_InPlaceSubtract, self._current(), other)
        return self

    def __mul__(self, other):
        return _binary(PyNumber_Multiply, self._current(), other)

    def __rmul__(self, other):
        return _binary(PyNumber_Multiply, other, self._current())

    def __imul__(self, other):
        _binary(PyNumber_InPlaceMultiply, self._current(), other)
        return self

    def __matmul__(self, other):
        return _binary(PyNumber_MatrixMultiply, self._current(), other)

    def __rmatmul__(self, other):
        return _binary(PyNumber_MatrixMultiply, other, self._current())

    def __imatmul__(self, other):
        _binary(PyNumber_InPlaceMatrixMultiply, self._current(), other)
        return self

    def __truediv__(self, other):
        return _binary(PyNumber_TrueDivide, self._current(), other)

    def __rtruediv__(self, other):
        return _binary(PyNumber_TrueDivide, other, self._current())

    def __itruediv__(self, other):
        _binary(PyNumber_InPlaceTrueDivide, self._current(), other)
        return self

    def __floordiv__(self, other):
        return _binary(PyNumber_FloorDivide, self._current(), other)

    def __rfloordiv__(self, other):
        return _binary(PyNumber_FloorDivide, other, self._current())

    def __ifloordiv__(self, other):
        _binary(PyNumber_InPlaceFloorDivide, self._current(), other)
        return self

    def __mod__(self, other):
        return _binary(PyNumber_Remainder, self._current(), other)

    def __rmod__(self, other):
        return _binary(PyNumber_Remainder, other, self._current())

    def __imod__(self, other):
        _binary(PyNumber_InPlaceRemainder, self._current(), other)
        return self

    def __divmod__(self, other):
        return _binary(PyNumber_Divmod, self._current(), other)

    def __rdivmod__(self, other):
        return _binary(PyNumber_Divmod, other, self._current())

    def __pow__(self, other, modulo):
        if modulo is None:
            return _apply(pow, (self._current(), other))
        return _apply(pow, (self._current(), other, modulo))

    def __rpow__(self, other, modulo):
        if modulo is not None:  # three-argument pow never uses __rpow__
            return NotImplemented
        return _apply(pow, (other, self._current()))

    def __ipow__(self, other, modulo):
        _apply(operator.ipow, (self._current(), other))
        return self

    def __lshift__(self, other):
        return _binary(PyNumber_Lshift, self._current(), other)

    def __rlshift__(self, other):
        return _binary(PyNumber_Lshift, other, self._current())

    def __ilshift__(self, other):
        _binary(PyNumber_InPlaceLshift, self._current(), other)
        return self

    def __rshift__(self, other):
        return _binary(PyNumber_Rshift, self._current(), other)

    def __rrshift__(self, other):
        return _binary(PyNumber_Rshift, other, self._current())

    def __irshift__(self, other):
        _binary(PyNumber_InPlaceRshift, self._current(), other)
        return self

    def __and__(self, other):
        return _binary(PyNumber_And, self._current(), other)

    def __rand__(self, other):
        return _binary(PyNumber_And, other, self._current())

    def __iand__(self, other):
        _binary(PyNumber_InPlaceAnd, self._current(), other)
        return self

    def __xor__(self, other):
        return _binary(PyNumber_Xor, self._current(), other)

    def __rxor__(self, other):
        return _binary(PyNumber_Xor, other, self._current())

    def __ixor__(self, other):
        _binary(PyNumber_InPlaceXor, self._current(), other)
        return self

    def __or__(self, other):
        return _binary(PyNumber_Or, self._current(), other)

    def __ror__(self, other):
        return _binary(PyNumber_Or, other, self._current())

    def __ior__(self, other):
        _binary(PyNumber_InPlaceOr, self._current(), other)
        return self

    def __neg__(self):
        return _unary(PyNumber_Negative, self._current())

    def __pos__(self):
        return _unary(PyNumber_Positive, self._current())

    def __abs__(self):
        return _unary(PyNumber_Absolute, self._current())

    def __invert__(self):
        return _unary(PyNumber_Invert, self._current())

    def __complex__(self):
        return _apply(complex, (self._current(),))

    def __int__(self):
        return _unary(PyNumber_Long, self._current())

    def __float__(self):
        return _unary(PyNumber_Float, self._current())

    def __index__(self):
        return _unary(PyNumber_Index, self._current())

    def __round__(self, *ndigits):
        return _apply(round, (self._current(),) + ndigits)

    def __trunc__(self):
        return _apply(math.trunc, (self._current(),))

    def __floor__(self):
        return _apply(math.floor, (self._current(),))

    def __ceil__(self):
        return _apply(math.ceil, (self._current(),))

    # context managers, awaiting and async iteration --------------------------

    def __enter__(self):
        return _apply(_method, (self._current(), "__enter__"))

    def __exit__(self, *exc_info):
        return _apply(_method, (self._current(), "__exit__") + exc_info)

    def __aenter__(self):
        return _apply(_method, (self._current(), "__aenter__"))

    def __aexit__(self, *exc_info):
        return _apply(_method, (self._current(), "__aexit__") + exc_info)

    def __await__(self):
        return self._async_hook("__await__")()

    def __aiter__(self):
        return self._async_hook("__aiter__")()

    def __anext__(self):
        return self._async_hook("__anext__")()

    cdef object _async_hook(self, str hook):
        # werkzeug's proxy reports any failure to find these hooks (unbound, or
        # the object lacks them) as the interpreter does for a missing slot
        try:
            return _getattr(self._current(), hook)
        except Exception:
            pass
        raise AttributeError(f"object {type(self).__name__} does not have {hook} method")

    # copying -----------------------------------------------------------------

    def __copy__(self):
        return _apply(copy.copy, (self._current(),))

    def __deepcopy__(self, memo):
        return _apply(copy.deepcopy, (self._current(), memo))


cdef object _object_or_type_error(_ProxyBase proxy, str message):
    # hash() and iter() of werkzeug's proxy: TypeError(message, with the
    # proxy's type name) when looking the object up fails in any way
    try:
        obj = proxy._current()
        _check_depth()
    except Exception:
        obj = _MISSING
    if obj is _MISSING:
        raise TypeError(message.format(type(proxy).__name__))
    return obj


# -- explicit attribute access to the proxy's own names ----------------------
#
# ``proxy.__len__`` and friends answer as werkzeug's proxy does: the function
# werkzeug uses for that hook, bound to the current object.  (The data model
# itself never comes here: Python looks hooks up on the type.)

cdef dict _HOOKS = _HOOKS_TABLE
cdef frozenset _PROXY_OWN = frozenset()  # filled in once LocalProxy exists


cdef object _proxy_getattr_slow(_ProxyBase proxy, name):
    cls = type(proxy)
    if name in _PROXY_OWN or (cls is not _ProxyType and _defined_by_subclass(cls, _ProxyType, name)):
        return PyObject_GenericGetAttr(proxy, name)
    if name == "__class__" or name == "__doc__" or name == "__wrapped__":
        try:
            obj = proxy._current()
            _check_depth()
        except RuntimeError:  # the proxy's own; no Python call here: it may run at the limit
            if name == "__class__":
                return cls
            return cls.__doc__ if name == "__doc__" else proxy._wrapped
        return _getattr(obj, name)
    if name == "_LocalProxy__wrapped":
        return proxy._wrapped
    hook = _HOOKS.get(name)
    if hook is None:
        return _getattr(proxy._current(), name)
    return _hook_attribute(proxy, name, hook, proxy._get_current_object)


# --------------------------------------------------------------------------
# The public classes

class Local(_LocalBase):
    __doc__ = _LOCAL_DOC

    __slots__ = ()


class LocalStack(_StackBase, t.Generic[T]):
    __doc__ = _STACK_DOC

    __slots__ = ()


class LocalProxy(_ProxyBase, t.Generic[T]):
    __doc__ = _PROXY_DOC

    __slots__ = ()


_LocalType = Local
_ProxyType = LocalProxy

# The names werkzeug's proxy answers itself (those this class has).
_PROXY_OWN = _proxy_own(LocalProxy)


# -- class versions, for the app layer's caches --------------------------------

cdef extern from "Python.h":
    ctypedef struct _VersionedType "PyTypeObject":
        unsigned int tp_version_tag
    # The type-cache lookup (no user code, no error): it hands out a tag.
    PyObject* _PyType_Lookup(_VersionedType* type, object name)


def class_version(cls):
    """CPython's version tag of the class *cls*, or 0 when it has none.

    CPython gives a class a new tag, never used before, whenever the class
    or a class in its MRO is changed (an attribute set or deleted,
    ``__bases__`` assigned), so ``(cls, class_version(cls))`` keys an answer
    worked out from anything the class holds; 0 (CPython ran out of tags)
    means the answer must not be remembered.
    """
    if not isinstance(cls, type):
        raise TypeError(f"class_version() takes a class, not {type(cls).__name__!r}")
    cdef _VersionedType* tp = <_VersionedType*>cls
    if tp.tp_version_tag == 0:
        _PyType_Lookup(tp, "__init__")
    return tp.tp_version_tag


#: How many classes one ``remembered`` cache holds at most: a program that
#: makes classes in a loop cannot grow one without bound.
REMEMBERED_MAX = 1024


def remembered(cache, cls, check):
    """``check(cls)``, remembered in the dict *cache* with ``class_version(cls)``.

    For a *check* that reads only *cls* and its bases (and what its module
    found at import), the answer holds while the version does: any change
    to the class or a base gives it a new version and *check* runs again.
    With no version (0) it runs every time.  One C call where the app
    layer's hot path would otherwise run a lookup, a version read and a
    comparison in Python.
    """
    if not isinstance(cache, dict):
        raise TypeError(f"remembered() takes a dict, not {type(cache).__name__!r}")
    if not isinstance(cls, type):
        raise TypeError(f"remembered() takes a class, not {type(cls).__name__!r}")
    cdef _VersionedType* tp = <_VersionedType*>cls
    if tp.tp_version_tag == 0:
        _PyType_Lookup(tp, "__init__")
    version = tp.tp_version_tag
    known = (<dict>cache).get(cls)
    if known is not None and known[0] == version:
        return known[1]
    ok = check(cls)
    if version and (known is not None or len(<dict>cache) < REMEMBERED_MAX):
        (<dict>cache)[cls] = (version, ok)
    return ok
