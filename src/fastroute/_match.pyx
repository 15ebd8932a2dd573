# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled matcher core: the C twin of ``fastroute._match_py``.

Same names, same answers (the module doc of ``_match_py`` explains the walk);
what changes is how it is done:

* nodes, edges and rules are typed ``cdef`` classes;
* the path is scanned in place by index: a segment becomes a string only for
  the static-children lookup and as a captured value, never a split list;
* lone built-in converters (string with length bounds, int, float, uuid,
  any, path) are checked in C without their regex, and so are parts with
  several built-in converters (the linear matcher, in C sweeps); other parts
  use a regex compiled once and owned by their edge;
* plain ``int`` values are converted in C;
* ``AdapterBase.match`` (the public ``MapAdapter.match``) runs here too, so a
  match crosses from Python into C once.

The code is in ``_match_parts/*.pxi``, one file per concern in the order of
the pure twin's modules, included below into this one C module;
``_match.pxd`` declares the C structs, the enums and the cdef classes'
attributes and C methods.
"""

cimport cython
from cpython.long cimport PyLong_FromLongLong
from cpython.dict cimport PyDict_Copy
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from cpython.unicode cimport (
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
    PyUnicode_READ_CHAR,
)
from libc.stdint cimport uint32_t, uint64_t, uintptr_t
from libc.stdlib cimport free, malloc
from cpython.mem cimport PyMem_Calloc, PyMem_Free
from libc.string cimport memchr, memcmp, memcpy, memset

cdef extern from "Python.h":
    bint Py_UNICODE_ISDECIMAL(Py_UCS4)
    bint PyUnicode_IS_COMPACT_ASCII(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    int PyUnicode_1BYTE_KIND
    # CPython's own slice: an ASCII text's pieces are copied without the
    # scan for their widest character that a generic slice makes.
    str PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)
    # An exact str of a str or str subclass (no __str__ call).
    str PyUnicode_FromObject(object obj)
    # The fields of an exception that _http_error fills in directly.
    ctypedef struct PyBaseExceptionObject:
        PyObject* dict
        char suppress_context

import copyreg
import re
import sys
from _sre import MAXREPEAT
from urllib.parse import quote
from weakref import WeakKeyDictionary

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing.converters import ValidationError
from werkzeug.routing.exceptions import BuildError, RequestRedirect, WebsocketMismatch

from . import _spec

__all__ = ["HIT", "REDIRECT", "NOMATCH", "AdapterBase", "MapBase", "Matcher", "build_plans", "select_plan"]


HIT = _spec.HIT
REDIRECT = _spec.REDIRECT
NOMATCH = _spec.NOMATCH


# The core, by concern, in the order of the pure twin's modules (_match.pxd
# declares the structs, enums and classes):
include "_match_parts/scan.pxi"
include "_match_parts/methods.pxi"
include "_match_parts/tree.pxi"
include "_match_parts/walk.pxi"
include "_match_parts/linear.pxi"
include "_match_parts/errors.pxi"
include "_match_parts/adapter.pxi"
include "_match_parts/build.pxi"


# -- The C method MapAdapter.match (its entry, _match_entry, is in adapter.pxi)


cdef extern from *:
    """
    typedef PyObject* (*fr_entry_t)(PyObject*, PyObject**, Py_ssize_t, PyObject*);
    static fr_entry_t fr_entry = NULL;

    static PyObject* fr_match_method(PyObject* self, PyObject* const* args,
                                     Py_ssize_t nargsf, PyObject* kwnames) {
        PyObject* r = fr_entry(self, (PyObject**)args, PyVectorcall_NARGS(nargsf),
                               kwnames ? kwnames : Py_None);
        if (r == NULL || PyTuple_CheckExact(r)) return r;
        PyErr_SetObject((PyObject*)Py_TYPE(r), r);
        Py_DECREF(r);
        return NULL;
    }

    static PyMethodDef fr_match_def = {
        "match", (PyCFunction)(void(*)(void))fr_match_method, METH_FASTCALL | METH_KEYWORDS,
        "match($self, /, path_info=None, method=None, return_rule=False, query_args=None, websocket=None)\\n--\\n\\n"
        "Match a path to ``(endpoint, values)`` (``(rule, values)`` with *return_rule*).\\n\\n"
        "Raises werkzeug's ``NotFound``, ``MethodNotAllowed`` (with the valid methods), "
        "``RequestRedirect`` (slash, merge-slash, default, alias and ``redirect_to`` "
        "redirects; code 308) and ``WebsocketMismatch``. *path_info* and *method* default "
        "to the values given to ``bind``; *query_args* are appended to redirect URLs; "
        "*websocket* overrides the scheme's ``ws``/``wss`` detection."
    };

    static int fr_install_match(PyTypeObject* type, fr_entry_t entry) {
        PyObject* descr;
        int rc;
        fr_entry = entry;
        descr = PyDescr_NewMethod(type, &fr_match_def);
        if (descr == NULL) return -1;
        rc = PyDict_SetItemString(type->tp_dict, "match", descr);
        Py_DECREF(descr);
        PyType_Modified(type);
        return rc;
    }
    """
    ctypedef PyObject* (*fr_entry_t)(PyObject*, PyObject**, Py_ssize_t, PyObject*)
    int fr_install_match(PyTypeObject* type, fr_entry_t entry) except -1


# _match_entry's C function returns a new reference, or NULL with the error
# set: exactly what the C method needs.
fr_install_match(<PyTypeObject*>AdapterBase, <fr_entry_t>_match_entry)


def _check_spec():
    """Refuse to load when a C enum differs from ``fastroute._spec``.

    C enums must be compile-time constants, so this core cannot take them
    from the spec as the pure twin does; instead it checks them, once, here.
    """
    mine = {
        "HIT": _HIT, "REDIRECT": _REDIRECT, "NOMATCH": _NOMATCH,
        "K_CUSTOM": K_CUSTOM, "K_STRING": K_STRING, "K_INT": K_INT, "K_FLOAT": K_FLOAT,
        "K_UUID": K_UUID, "K_ANY": K_ANY, "K_PATH": K_PATH,
        "M_REGEX": M_REGEX, "M_LENGTH": M_LENGTH, "M_DIGITS": M_DIGITS, "M_SDIGITS": M_SDIGITS,
        "M_FLOAT": M_FLOAT, "M_UUID": M_UUID, "M_ANY": M_ANY, "M_PATH": M_PATH, "M_LINEAR": M_LINEAR,
        "C_IDENTITY": C_IDENTITY, "C_CALL": C_CALL, "C_INT": C_INT,
        "S_QUOTE": S_QUOTE, "S_INT": S_INT, "S_CALL": S_CALL,
        "H_KNOWN": H_KNOWN, "H_STANDARD_UNKNOWN": H_STANDARD_UNKNOWN, "H_GET_HOST": H_GET_HOST,
        "H_DEFAULT_REDIRECT": H_DEFAULT_REDIRECT, "H_REDIRECT_URL": H_REDIRECT_URL,
        "H_MATCH": H_MATCH, "H_PARTIAL_BUILD": H_PARTIAL_BUILD, "H_UPDATE": H_UPDATE,
    }
    wrong = sorted(set(mine) ^ set(_spec.ENUMS))
    wrong += [name for name in sorted(mine) if name in _spec.ENUMS and mine[name] != getattr(_spec, name)]
    if wrong:
        raise ImportError(f"fastroute._match was built against another fastroute._spec: {', '.join(wrong)}")
    return mine


_check_spec()
