"""What the two context-local cores share, stated once.

``fastroute._local`` (compiled) and ``fastroute._local_py`` (pure) import
this module: the code here is the same for both and on no fast path, so it
is plain Python.  It holds

* the storage mode of ``Local`` and ``LocalStack`` (a ``ContextVar``, or the
  older ident-keyed dict) and releasing it;
* ``release_local`` and ``LocalManager``;
* the locals of other modules a proxy understands (werkzeug's, the other
  core's);
* the proxy's own-attribute block: what ``proxy.__len__`` and the other
  data-model names answer when read as attributes, as werkzeug's proxy does,
  and the names a proxy answers itself instead of forwarding.

Like the cores, it imports nothing from the package.
"""

from __future__ import annotations

import copy
import math
import operator
import typing as t
from contextvars import ContextVar
from functools import partial, update_wrapper

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

DEFAULT_UNBOUND = "object is not bound"

# --------------------------------------------------------------------------
# Local and LocalStack: the storage mode


def storage_mode(
    kind: str, owner: object, context_var: t.Any, ident_func: t.Any
) -> tuple[ContextVar[t.Any] | None, t.Callable[[], t.Hashable] | None, dict[t.Hashable, t.Any] | None]:
    """``(variable, ident function, store)`` for a new ``Local``/``LocalStack``.

    A ``ContextVar`` (the one given, or a new one named after *kind* and
    *owner*) and no ident function or store; or, with *ident_func*, no
    variable and an empty ``{ident: data}`` store.  Both given, a non-callable
    *ident_func* or a *context_var* that is not a ``ContextVar`` is a
    ``TypeError``.
    """
    if ident_func is not None:
        if context_var is not None:
            raise TypeError("pass either 'context_var' or 'ident_func', not both")
        if not callable(ident_func):
            raise TypeError("'ident_func' must be callable")
        return None, ident_func, {}
    if context_var is None:
        return ContextVar(f"fastroute.{kind}<{id(owner):#x}>.storage"), None, None
    if not isinstance(context_var, ContextVar):
        raise TypeError(f"'context_var' must be a ContextVar, not {type(context_var).__name__!r}")
    return context_var, None, None


def release_storage(var: t.Any, ident_func: t.Any, store: t.Any, empty: t.Any) -> None:
    """Drop the current context's data: store *empty* in the variable, or
    the current ident's entry from the store."""
    if var is not None:
        var.set(empty)
    else:
        store.pop(ident_func(), None)


def release_local(local: t.Any) -> None:
    """Drop the current context's (or ident's) data held by ``local``.

    Works with anything that has ``__release_local__``; a ``LocalManager``
    does this for several locals at once.
    """
    local.__release_local__()


class LocalManager:
    """Releases the current context's data in several locals at once.

    :param locals: a :class:`Local` or :class:`LocalStack`, or an iterable
        of them.  (werkzeug takes a single ``Local`` but not a single
        ``LocalStack``; both are accepted here.)
    """

    __slots__ = ("locals",)

    def __init__(self, locals: t.Any = None) -> None:
        if locals is None:
            self.locals: list[t.Any] = []
        elif hasattr(type(locals), "__release_local__"):
            self.locals = [locals]
        else:
            self.locals = list(locals)

    def cleanup(self) -> None:
        """Release the current context's data in every managed local."""
        for local in self.locals:
            release_local(local)

    def make_middleware(self, app: WSGIApplication) -> WSGIApplication:
        """Wrap a WSGI app so the locals are released once its response is closed."""
        from werkzeug.wsgi import ClosingIterator

        cleanup = self.cleanup

        def application(environ: WSGIEnvironment, start_response: StartResponse) -> t.Iterable[bytes]:
            return ClosingIterator(app(environ, start_response), cleanup)

        return application

    def middleware(self, func: WSGIApplication) -> WSGIApplication:
        """Decorator form of :meth:`make_middleware`, keeping ``func``'s metadata."""
        return update_wrapper(self.make_middleware(func), func)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} storages: {len(self.locals)}>"


# --------------------------------------------------------------------------
# The public classes' documentation (both cores')

LOCAL_DOC = """A namespace of attributes private to the current context.

    :param context_var: the ``ContextVar`` holding this local's dict; one is
        created when not given.  Create locals (and their variables) at module
        level: a ``ContextVar`` is never freed while a context refers to it.
    :param ident_func: use the ident-keyed mode instead: data is stored in
        ``__storage__[ident_func()]`` and lives until :func:`release_local`.

    ``local(name)`` returns a :class:`LocalProxy` for one attribute.
    """

STACK_DOC = """A stack private to the current context.

    :param context_var: the ``ContextVar`` holding the list; one is created
        when not given.
    :param ident_func: use the ident-keyed mode instead (see :class:`Local`);
        an ident's entry is dropped when its stack is popped empty.

    The stored list is replaced, never changed in place, on ``push`` and
    ``pop``.  ``stack()`` / ``stack(name)`` return a :class:`LocalProxy` to
    the top item or to one of its attributes.
    """

PROXY_DOC = """Forwards everything to the object a context-local currently holds.

    :param local: what gives the object: a ``ContextVar`` (its value), a
        :class:`Local` (its attribute ``name``, required), a
        :class:`LocalStack` (its top item; an empty stack or a ``None`` top
        is unbound) or any callable (its return value).
    :param name: an attribute (dotted path allowed) to take from that object.
    :param unbound_message: the ``RuntimeError`` message when nothing is
        bound; ``"object is not bound"`` by default.

    Attribute get/set/delete and the data model are forwarded, including
    ``__class__`` (so ``isinstance(proxy, cls)`` sees the object's class),
    ``repr``, operators with their reflected and in-place forms (an in-place
    operator changes the object in place where it can and leaves the proxy
    bound to the same local), containers, calls, context managers, awaiting
    and async iteration, ``dir``, ``copy.copy`` and ``copy.deepcopy``.
    ``issubclass(type(x), LocalProxy)`` tells a proxy apart.

    When nothing is bound, as werkzeug's proxy does: ``repr`` gives
    ``<LocalProxy unbound>``, ``bool`` is False, ``dir`` is empty,
    ``__class__`` and ``__doc__`` are the proxy's own, ``__wrapped__`` is the
    local; ``==``/``!=`` fall back to identity and ordering raises
    ``TypeError``; ``hash``/``iter`` raise ``TypeError``; ``await`` and
    ``async for`` raise ``AttributeError``; everything else raises
    ``RuntimeError(unbound_message)``.
    """


# --------------------------------------------------------------------------
# LocalProxy: the other locals a proxy understands without importing them

# werkzeug's and either core's (a core checks its own classes first).
_FOREIGN_KINDS = {
    ("werkzeug.local", "Local"): "local",
    ("werkzeug.local", "LocalStack"): "stack",
    ("fastroute._local", "Local"): "local",
    ("fastroute._local", "LocalStack"): "stack",
    ("fastroute._local_py", "Local"): "local",
    ("fastroute._local_py", "LocalStack"): "stack",
}


def foreign_kind(local: object) -> str | None:
    """``"local"`` or ``"stack"`` for another module's Local or LocalStack
    (or a subclass of one), else None."""
    for cls in type(local).__mro__:
        kind = _FOREIGN_KINDS.get((cls.__module__, cls.__qualname__))
        if kind is not None:
            return kind
    return None


# --------------------------------------------------------------------------
# LocalProxy: explicit attribute access to the proxy's own names
#
# ``proxy.__len__`` and friends answer as werkzeug's proxy does: the function
# werkzeug uses for that hook, bound to the current object.  (The data model
# itself never comes here: Python looks hooks up on the type.)


def _swap(op: t.Callable[[t.Any, t.Any], t.Any], obj: t.Any, other: t.Any) -> t.Any:
    return op(other, obj)


def _apply_inplace(op: t.Callable[[t.Any, t.Any], t.Any], obj: t.Any, proxy: t.Any, other: t.Any) -> t.Any:
    op(obj, other)
    return proxy


def _call(obj: t.Any, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
    return obj(*args, **kwargs)


def _instancecheck(cls: t.Any, instance: t.Any) -> bool:
    return isinstance(instance, cls)


def _subclasscheck(cls: t.Any, subclass: t.Any) -> bool:
    return issubclass(subclass, cls)


def _unbound_repr(proxy: t.Any) -> str:
    return f"<{type(proxy).__name__} unbound>"


def _unbound_bool(proxy: t.Any) -> bool:
    return False


def _unbound_dir(proxy: t.Any) -> list[str]:
    return []


# The binary operators: name -> (operator, in-place operator or None).
NUMBER_OPS: dict[str, tuple[t.Callable[[t.Any, t.Any], t.Any], t.Any]] = {
    "add": (operator.add, operator.iadd),
    "sub": (operator.sub, operator.isub),
    "mul": (operator.mul, operator.imul),
    "matmul": (operator.matmul, operator.imatmul),
    "truediv": (operator.truediv, operator.itruediv),
    "floordiv": (operator.floordiv, operator.ifloordiv),
    "mod": (operator.mod, operator.imod),
    "divmod": (divmod, None),
    "lshift": (operator.lshift, operator.ilshift),
    "rshift": (operator.rshift, operator.irshift),
    "and": (operator.and_, operator.iand),
    "xor": (operator.xor, operator.ixor),
    "or": (operator.or_, operator.ior),
}

# name -> (what the attribute is, werkzeug's function, fallback when unbound)
#   "bind":    functools.partial(function, obj)
#   "swap":    the reflected operator bound to obj
#   "inplace": the in-place operator bound to obj, returning the proxy
#   "attr":    getattr(obj, name)
HOOKS: dict[str, tuple[str, t.Any, t.Any]] = {
    "__repr__": ("bind", repr, _unbound_repr),
    "__str__": ("bind", str, None),
    "__bytes__": ("bind", bytes, None),
    "__format__": ("attr", None, None),
    "__lt__": ("bind", operator.lt, None),
    "__le__": ("bind", operator.le, None),
    "__eq__": ("bind", operator.eq, None),
    "__ne__": ("bind", operator.ne, None),
    "__gt__": ("bind", operator.gt, None),
    "__ge__": ("bind", operator.ge, None),
    "__hash__": ("bind", hash, None),
    "__bool__": ("bind", bool, _unbound_bool),
    "__getattr__": ("bind", getattr, None),
    "__setattr__": ("bind", setattr, None),
    "__delattr__": ("bind", delattr, None),
    "__dir__": ("bind", dir, _unbound_dir),
    "__instancecheck__": ("bind", _instancecheck, None),
    "__subclasscheck__": ("bind", _subclasscheck, None),
    "__call__": ("bind", _call, None),
    "__len__": ("bind", len, None),
    "__length_hint__": ("bind", operator.length_hint, None),
    "__getitem__": ("bind", operator.getitem, None),
    "__setitem__": ("bind", operator.setitem, None),
    "__delitem__": ("bind", operator.delitem, None),
    "__iter__": ("bind", iter, None),
    "__next__": ("bind", next, None),
    "__reversed__": ("bind", reversed, None),
    "__contains__": ("bind", operator.contains, None),
    "__pow__": ("bind", pow, None),
    "__rpow__": ("swap", pow, None),
    "__ipow__": ("inplace", operator.ipow, None),
    "__neg__": ("bind", operator.neg, None),
    "__pos__": ("bind", operator.pos, None),
    "__abs__": ("bind", abs, None),
    "__invert__": ("bind", operator.invert, None),
    "__complex__": ("bind", complex, None),
    "__int__": ("bind", int, None),
    "__float__": ("bind", float, None),
    "__index__": ("bind", operator.index, None),
    "__round__": ("bind", round, None),
    "__trunc__": ("bind", math.trunc, None),
    "__floor__": ("bind", math.floor, None),
    "__ceil__": ("bind", math.ceil, None),
    "__enter__": ("attr", None, None),
    "__exit__": ("attr", None, None),
    "__await__": ("attr", None, None),
    "__aiter__": ("attr", None, None),
    "__anext__": ("attr", None, None),
    "__aenter__": ("attr", None, None),
    "__aexit__": ("attr", None, None),
    "__copy__": ("bind", copy.copy, None),
    "__deepcopy__": ("bind", copy.deepcopy, None),
}
for _name, (_op, _iop) in NUMBER_OPS.items():
    HOOKS[f"__{_name}__"] = ("bind", _op, None)
    HOOKS[f"__r{_name}__"] = ("swap", _op, None)
    if _iop is not None:
        HOOKS[f"__i{_name}__"] = ("inplace", _iop, None)
del _name, _op, _iop


def hook_attribute(proxy: t.Any, name: str, hook: tuple[str, t.Any, t.Any], current: t.Any) -> t.Any:
    """The attribute *name* of *proxy*, a hook of ``HOOKS``; *current* looks
    the proxy's object up.  Unbound: the hook's fallback bound to the proxy,
    or the lookup's ``RuntimeError`` when it has none."""
    how, func, fallback = hook
    try:
        obj = current()
    except RuntimeError:
        if fallback is None:
            raise
        return partial(fallback, proxy)
    if how == "bind":
        return partial(func, obj)
    if how == "swap":
        return partial(_swap, func, obj)
    if how == "inplace":
        return partial(_apply_inplace, func, obj, proxy)
    return getattr(obj, name)


# Names werkzeug's proxy answers itself rather than forwarding (those the
# class has: the rest are forwarded); see ``proxy_own``.
_PROXY_OWN_NAMES = (
    "__init__",
    "__new__",
    "__getattribute__",
    "__getstate__",
    "__reduce__",
    "__reduce_ex__",
    "__sizeof__",
    "__subclasshook__",
    "__init_subclass__",
    "__class_getitem__",
    "__module__",
    "__orig_bases__",
    "__parameters__",
    "__slots__",
    "__annotations__",
    "_is_protocol",
    "_get_current_object",
)


def proxy_own(proxy_type: type) -> frozenset[str]:
    """The names of ``_PROXY_OWN_NAMES`` that *proxy_type* (a core's
    ``LocalProxy``) or one of its bases has."""
    return frozenset(n for n in _PROXY_OWN_NAMES if any(n in klass.__dict__ for klass in proxy_type.__mro__))


def defined_by_subclass(cls: type, proxy_type: type, name: str) -> bool:
    """Whether a subclass of *proxy_type* between *cls* and it defines *name*
    (then the subclass's own attribute answers, not the object)."""
    for klass in cls.__mro__:
        if klass is proxy_type:
            return False
        if name in klass.__dict__:
            return True
    return False
