"""Context-local storage in pure Python: the twin of the compiled ``fastroute._local``.

Both modules define the same names with the same behaviour, which is the
behaviour of ``werkzeug.local`` 3.1 (``fastroute.local`` picks one of them):

``Local``
    A namespace whose attributes belong to the current execution context.
    By default the data lives in a :class:`~contextvars.ContextVar` holding a
    ``dict``, so threads, asyncio tasks and greenlets (each with their own
    context) see their own values.  The dict is copied on every write, never
    changed in place: a context copied with :func:`contextvars.copy_context`
    keeps the values it had and its writes stay its own.
    ``Local(ident_func=...)`` is the older ident-keyed mode: ``__storage__`` is
    ``{ident: {name: value}}`` keyed by ``ident_func()`` (for example
    ``threading.get_ident`` or ``greenlet.getcurrent``) and
    :func:`release_local` drops the current ident's entry.

``LocalStack``
    A context-local list with ``push``/``pop``/``top``.

``LocalProxy``
    Forwards attribute access and the whole data model to the object it is
    bound to: the value of a ``ContextVar``, an attribute of a ``Local``, the
    top of a ``LocalStack`` or the return value of a callable, optionally
    followed by an attribute path (``name``).  When nothing is bound it raises
    ``RuntimeError(unbound_message)``, except where werkzeug's proxy answers
    anyway (``repr``, ``bool``, ``dir``, ``__class__``, ``__doc__``,
    ``__wrapped__``, ``==``, ``hash``, ``iter`` and the async hooks; see
    ``LocalProxy``).

``LocalManager`` / ``release_local``
    Release the current context's data, by hand or after each WSGI request.

The cores import nothing from the package but ``_local_common``, the code
they share (the storage mode, ``LocalManager``, the proxy's own-attribute
block); they are leaves that can be tested on their own.
"""

from __future__ import annotations

import copy
import math
import operator
import typing as t
from contextvars import ContextVar

from ._local_common import (
    DEFAULT_UNBOUND as _DEFAULT_UNBOUND,
    HOOKS as _HOOKS,
    LOCAL_DOC as _LOCAL_DOC,
    NUMBER_OPS as _NUMBER_OPS,
    PROXY_DOC as _PROXY_DOC,
    STACK_DOC as _STACK_DOC,
    LocalManager,
    defined_by_subclass as _defined_by_subclass,
    foreign_kind as _foreign_kind,
    hook_attribute as _hook_attribute,
    proxy_own as _proxy_own,
    release_local,
    release_storage as _release_storage,
    storage_mode as _storage_mode,
)

__all__ = ["Local", "LocalManager", "LocalProxy", "LocalStack", "release_local"]

T = t.TypeVar("T")

# The stored dicts and lists are never changed in place (every write stores a
# new one), so a read of "nothing stored yet" can share one empty instance.
_NO_DATA: dict[str, t.Any] = {}
_NO_STACK: list[t.Any] = []
_MISSING: t.Any = object()


class Local:
    __doc__ = _LOCAL_DOC

    __slots__ = ("_fr_ident", "_fr_store", "_fr_var")

    def __init__(
        self,
        context_var: ContextVar[dict[str, t.Any]] | None = None,
        *,
        ident_func: t.Callable[[], t.Hashable] | None = None,
    ) -> None:
        var, ident, store = _storage_mode("Local", self, context_var, ident_func)
        _local_set_var(self, var)
        _local_set_ident(self, ident)
        _local_set_store(self, store)

    def __getattribute__(self, name: str) -> t.Any:
        # The type has no public attributes, so a public name on a plain Local
        # is always stored data; anything else takes werkzeug's order:
        # the class first, then the data.
        if name[:1] != "_" and type(self) is Local:
            var = _local_var(self)
            data = var.get(_NO_DATA) if var is not None else _local_data(self)
            value = data.get(name, _MISSING)
            if value is _MISSING:
                raise AttributeError(name)
            return value
        return _local_getattr_slow(self, name)

    def __setattr__(self, name: str, value: t.Any) -> None:
        var = _local_var(self)
        if var is not None:
            data = var.get(_NO_DATA).copy()
            data[name] = value
            var.set(data)
            return
        store = _local_store(self)
        ident = _local_ident(self)()
        data = store.get(ident)
        if data is None:
            store[ident] = {name: value}
        else:
            data[name] = value

    def __delattr__(self, name: str) -> None:
        var = _local_var(self)
        if var is not None:
            data = var.get(_NO_DATA)
            if name not in data:
                raise AttributeError(name)
            data = data.copy()
            del data[name]
            var.set(data)
            return
        data = _local_store(self).get(_local_ident(self)())
        if data is None or name not in data:
            raise AttributeError(name)
        del data[name]

    def __iter__(self) -> t.Iterator[tuple[str, t.Any]]:
        """Iterate over ``(name, value)`` pairs of the current context."""
        if _local_var(self) is not None:
            return iter(_local_data(self).items())
        # ident mode changes its dicts in place: iterate over a snapshot
        return iter(list(_local_data(self).items()))

    def __call__(self, name: str, *, unbound_message: str | None = None) -> LocalProxy[t.Any]:
        """A :class:`LocalProxy` to the attribute ``name`` of this local."""
        return LocalProxy(self, name, unbound_message=unbound_message)

    def __release_local__(self) -> None:
        _release_storage(_local_var(self), _local_ident(self), _local_store(self), {})


_local_var = Local.__dict__["_fr_var"].__get__
_local_ident = Local.__dict__["_fr_ident"].__get__
_local_store = Local.__dict__["_fr_store"].__get__
_local_set_var = Local.__dict__["_fr_var"].__set__
_local_set_ident = Local.__dict__["_fr_ident"].__set__
_local_set_store = Local.__dict__["_fr_store"].__set__
_LOCAL_PRIVATE = frozenset(Local.__slots__)


def _local_data(local: Local) -> dict[str, t.Any]:
    """The current context's dict (read only; may be the shared empty one)."""
    var = _local_var(local)
    if var is not None:
        return var.get(_NO_DATA)  # type: ignore[no-any-return]
    data = _local_store(local).get(_local_ident(local)())
    return _NO_DATA if data is None else data


def _local_getattr_slow(local: Local, name: str) -> t.Any:
    if name not in _LOCAL_PRIVATE:  # the twins keep their internals out of sight
        try:
            return object.__getattribute__(local, name)
        except AttributeError:
            pass
    if _local_var(local) is None:
        if name == "__storage__":
            return _local_store(local)
        if name == "__ident_func__":
            return _local_ident(local)
    value = _local_data(local).get(name, _MISSING)
    if value is _MISSING:
        raise AttributeError(name)
    return value


class LocalStack(t.Generic[T]):
    __doc__ = _STACK_DOC

    __slots__ = ("_fr_ident", "_fr_store", "_fr_var")

    def __init__(
        self,
        context_var: ContextVar[list[T]] | None = None,
        *,
        ident_func: t.Callable[[], t.Hashable] | None = None,
    ) -> None:
        self._fr_var: ContextVar[list[T]] | None
        self._fr_ident: t.Callable[[], t.Hashable] | None
        self._fr_store: dict[t.Hashable, list[T]] | None
        self._fr_var, self._fr_ident, self._fr_store = _storage_mode(
            "LocalStack", self, context_var, ident_func
        )

    @property
    def _storage(self) -> ContextVar[list[T]] | None:
        """The ``ContextVar`` holding the stack (``None`` in ident mode)."""
        return self._fr_var

    def _stack(self) -> list[T]:
        var = self._fr_var
        if var is not None:
            return var.get(_NO_STACK)
        return self._fr_store.get(self._fr_ident(), _NO_STACK)  # type: ignore[union-attr,misc]

    def push(self, obj: T) -> list[T]:
        """Put ``obj`` on top of the stack; returns the new stack."""
        var = self._fr_var
        if var is not None:
            stack = list(var.get(_NO_STACK))
            stack.append(obj)
            var.set(stack)
            return stack
        ident = self._fr_ident()  # type: ignore[misc]
        stack = list(self._fr_store.get(ident, _NO_STACK))  # type: ignore[union-attr]
        stack.append(obj)
        self._fr_store[ident] = stack  # type: ignore[index]
        return stack

    def pop(self) -> T | None:
        """Remove and return the top item; ``None`` when the stack is empty."""
        var = self._fr_var
        if var is not None:
            stack = var.get(_NO_STACK)
            if not stack:
                return None
            var.set(stack[:-1])
            return stack[-1]
        store = self._fr_store
        ident = self._fr_ident()  # type: ignore[misc]
        stack = store.get(ident, _NO_STACK)  # type: ignore[union-attr]
        if not stack:
            return None
        if len(stack) == 1:
            del store[ident]  # type: ignore[union-attr]
        else:
            store[ident] = stack[:-1]  # type: ignore[index]
        return stack[-1]

    @property
    def top(self) -> T | None:
        """The top item, or ``None`` when the stack is empty."""
        stack = self._stack()
        return stack[-1] if stack else None

    def __call__(self, name: str | None = None, *, unbound_message: str | None = None) -> LocalProxy[t.Any]:
        """A :class:`LocalProxy` to the top item (or its attribute ``name``)."""
        return LocalProxy(self, name, unbound_message=unbound_message)

    def __release_local__(self) -> None:
        _release_storage(self._fr_var, self._fr_ident, self._fr_store, [])


# --------------------------------------------------------------------------
# LocalProxy


def _make_getter(local: t.Any, name: str | None, message: t.Any) -> t.Callable[[], t.Any]:
    """The zero-argument function returning the proxied object (or raising)."""
    if name is not None and not isinstance(name, str):
        raise TypeError("attribute name must be a string")
    get_name = None if name is None else operator.attrgetter(name)
    if message is None:
        message = _DEFAULT_UNBOUND

    kind = None
    if isinstance(local, ContextVar):
        kind = "var"
    elif isinstance(local, Local):
        kind = "local"
    elif isinstance(local, LocalStack):
        kind = "stack"
    else:
        kind = _foreign_kind(local)

    if kind == "var":
        var_get = local.get
        if get_name is None:

            def current() -> t.Any:
                try:
                    return var_get()
                except LookupError:
                    raise RuntimeError(message) from None

        else:

            def current() -> t.Any:
                try:
                    obj = var_get()
                except LookupError:
                    raise RuntimeError(message) from None
                return get_name(obj)

        return current

    if kind == "local":
        if get_name is None:
            raise TypeError("'name' is required when proxying a 'Local' object.")

        def current() -> t.Any:
            try:
                return get_name(local)
            except AttributeError:
                raise RuntimeError(message) from None

        return current

    if kind == "stack":

        def current() -> t.Any:
            obj = local.top
            if obj is None:
                raise RuntimeError(message)
            return obj if get_name is None else get_name(obj)

        return current

    if callable(local):
        if get_name is None:
            return local  # type: ignore[no-any-return]

        def current() -> t.Any:
            return get_name(local())

        return current

    raise TypeError(f"Don't know how to proxy '{type(local)}'.")


# -- the recursion guard -------------------------------------------------------
#
# A proxy bound to itself (``g.user = current_user`` where ``current_user``
# reads ``g.user``), or a cycle of proxies, goes round through this class's
# Python methods, so the interpreter's recursion limit ends it with
# RecursionError as with werkzeug's proxy; the compiled twin counts its C
# levels with CPython's guard to the same end.  The operations that answer
# an unbound proxy catch a RecursionError met while looking up the object as
# "unbound" (it is a RuntimeError), as werkzeug's do; their handlers call no
# Python function, since they may run at the limit.


class LocalProxy(t.Generic[T]):
    __doc__ = _PROXY_DOC

    __slots__ = ("_fr_get", "_fr_local")

    def __init__(
        self,
        local: ContextVar[T] | Local | LocalStack[T] | t.Callable[[], T],
        name: str | None = None,
        *,
        unbound_message: str | None = None,
    ) -> None:
        _proxy_set_get(self, _make_getter(local, name, unbound_message))
        _proxy_set_local(self, local)

    def _get_current_object(self) -> T:
        """The object this proxy stands for right now (``RuntimeError`` if unbound).

        Use it to hand the real object to code that must not see a proxy, or
        to skip the forwarding when touching the object many times.
        """
        return _proxy_get(self)()  # type: ignore[no-any-return]

    # attribute access ------------------------------------------------------

    def __getattribute__(self, name: str) -> t.Any:
        # Hot path: a public name on a plain proxy is always the object's.
        if name[:1] != "_" and type(self) is LocalProxy:
            return getattr(_proxy_get(self)(), name)
        return _proxy_getattr_slow(self, name)

    def __setattr__(self, name: str, value: t.Any) -> None:
        setattr(_proxy_get(self)(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(_proxy_get(self)(), name)

    def __dir__(self) -> list[str]:
        try:
            obj = _proxy_get(self)()
        except RuntimeError:
            return []
        return dir(obj)

    # representation ----------------------------------------------------------

    def __repr__(self) -> str:
        try:
            obj = _proxy_get(self)()
        except RuntimeError:
            return f"<{type(self).__name__} unbound>"
        except Exception:
            # werkzeug's proxy shows object's default repr here
            return f"<{type(self).__name__} object at {id(self):#x}>"
        return repr(obj)

    def __str__(self) -> str:
        return str(_proxy_get(self)())

    def __bytes__(self) -> bytes:
        return bytes(_proxy_get(self)())

    def __format__(self, format_spec: str) -> str:
        return _proxy_get(self)().__format__(format_spec)  # type: ignore[no-any-return]

    def __bool__(self) -> bool:
        try:
            obj = _proxy_get(self)()
        except RuntimeError:
            return False
        return bool(obj)

    def __hash__(self) -> int:
        return hash(_object_or_type_error(self, "unhashable type: '{}'"))

    # comparisons: an unbound proxy compares by identity (NotImplemented) ----

    def __eq__(self, other: object) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj == other

    def __ne__(self, other: object) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj != other

    def __lt__(self, other: t.Any) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj < other

    def __le__(self, other: t.Any) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj <= other

    def __gt__(self, other: t.Any) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj > other

    def __ge__(self, other: t.Any) -> t.Any:
        try:
            obj = _proxy_get(self)()
        except Exception:
            return NotImplemented
        return obj >= other

    # classes -----------------------------------------------------------------

    def __instancecheck__(self, instance: t.Any) -> bool:
        return isinstance(instance, _proxy_get(self)())

    def __subclasscheck__(self, subclass: t.Any) -> bool:
        return issubclass(subclass, _proxy_get(self)())

    # calls and containers ----------------------------------------------------

    def __call__(self, /, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return _proxy_get(self)()(*args, **kwargs)

    def __len__(self) -> int:
        return len(_proxy_get(self)())

    def __length_hint__(self) -> int:
        return operator.length_hint(_proxy_get(self)())

    def __getitem__(self, key: t.Any) -> t.Any:
        return _proxy_get(self)()[key]

    def __setitem__(self, key: t.Any, value: t.Any) -> None:
        _proxy_get(self)()[key] = value

    def __delitem__(self, key: t.Any) -> None:
        del _proxy_get(self)()[key]

    def __contains__(self, item: t.Any) -> bool:
        return item in _proxy_get(self)()

    def __iter__(self) -> t.Iterator[t.Any]:
        return iter(_object_or_type_error(self, "'{}' object is not iterable"))

    def __next__(self) -> t.Any:
        return next(_proxy_get(self)())

    def __reversed__(self) -> t.Iterator[t.Any]:
        return reversed(_proxy_get(self)())

    # numbers (binary, reflected and in-place forms are set below) -----------

    def __pow__(self, other: t.Any, modulo: t.Any = None) -> t.Any:
        if modulo is None:
            return pow(_proxy_get(self)(), other)
        return pow(_proxy_get(self)(), other, modulo)

    def __rpow__(self, other: t.Any, modulo: t.Any = None) -> t.Any:
        if modulo is not None:  # three-argument pow never uses __rpow__
            return NotImplemented
        return pow(other, _proxy_get(self)())

    def __ipow__(self, other: t.Any, modulo: t.Any = None) -> LocalProxy[T]:
        operator.ipow(_proxy_get(self)(), other)
        return self

    def __neg__(self) -> t.Any:
        return -_proxy_get(self)()

    def __pos__(self) -> t.Any:
        return +_proxy_get(self)()

    def __abs__(self) -> t.Any:
        return abs(_proxy_get(self)())

    def __invert__(self) -> t.Any:
        return ~_proxy_get(self)()

    def __complex__(self) -> complex:
        return complex(_proxy_get(self)())

    def __int__(self) -> int:
        return int(_proxy_get(self)())

    def __float__(self) -> float:
        return float(_proxy_get(self)())

    def __index__(self) -> int:
        return operator.index(_proxy_get(self)())

    def __round__(self, *ndigits: t.Any) -> t.Any:
        return round(_proxy_get(self)(), *ndigits)

    def __trunc__(self) -> t.Any:
        return math.trunc(_proxy_get(self)())

    def __floor__(self) -> t.Any:
        return math.floor(_proxy_get(self)())

    def __ceil__(self) -> t.Any:
        return math.ceil(_proxy_get(self)())

    # context managers, awaiting and async iteration --------------------------

    def __enter__(self) -> t.Any:
        return _proxy_get(self)().__enter__()

    def __exit__(self, *exc_info: t.Any) -> t.Any:
        return _proxy_get(self)().__exit__(*exc_info)

    def __aenter__(self) -> t.Any:
        return _proxy_get(self)().__aenter__()

    def __aexit__(self, *exc_info: t.Any) -> t.Any:
        return _proxy_get(self)().__aexit__(*exc_info)

    def __await__(self) -> t.Any:
        return _proxy_async_hook(self, "__await__")()

    def __aiter__(self) -> t.Any:
        return _proxy_async_hook(self, "__aiter__")()

    def __anext__(self) -> t.Any:
        return _proxy_async_hook(self, "__anext__")()

    # copying -----------------------------------------------------------------

    def __copy__(self) -> t.Any:
        return copy.copy(_proxy_get(self)())

    def __deepcopy__(self, memo: dict[int, t.Any]) -> t.Any:
        return copy.deepcopy(_proxy_get(self)(), memo)


_proxy_get = LocalProxy.__dict__["_fr_get"].__get__
_proxy_local = LocalProxy.__dict__["_fr_local"].__get__
_proxy_set_get = LocalProxy.__dict__["_fr_get"].__set__
_proxy_set_local = LocalProxy.__dict__["_fr_local"].__set__


def _object_or_type_error(proxy: LocalProxy[t.Any], message: str) -> t.Any:
    # hash() and iter() of werkzeug's proxy: TypeError(message, with the
    # proxy's type name) when looking the object up fails in any way
    try:
        obj = _proxy_get(proxy)()
    except Exception:
        obj = _MISSING
    if obj is _MISSING:
        raise TypeError(message.format(type(proxy).__name__))
    return obj


def _proxy_async_hook(proxy: LocalProxy[t.Any], hook: str) -> t.Any:
    # werkzeug's proxy reports any failure to find these hooks (unbound, or
    # the object lacks them) as the interpreter does for a missing slot
    try:
        return getattr(_proxy_get(proxy)(), hook)
    except Exception:
        pass
    raise AttributeError(f"object {type(proxy).__name__} does not have {hook} method")


def _binary(op: t.Callable[[t.Any, t.Any], t.Any], name: str) -> t.Callable[..., t.Any]:
    def method(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return op(_proxy_get(self)(), other)

    method.__name__ = method.__qualname__ = name
    return method


def _reflected(op: t.Callable[[t.Any, t.Any], t.Any], name: str) -> t.Callable[..., t.Any]:
    def method(self: LocalProxy[t.Any], other: t.Any) -> t.Any:
        return op(other, _proxy_get(self)())

    method.__name__ = method.__qualname__ = name
    return method


def _inplace(op: t.Callable[[t.Any, t.Any], t.Any], name: str) -> t.Callable[..., t.Any]:
    # The result is dropped and the proxy returned, so the name keeps the proxy:
    # mutable objects change in place, immutable ones stay as they are.
    def method(self: LocalProxy[t.Any], other: t.Any) -> LocalProxy[t.Any]:
        op(_proxy_get(self)(), other)
        return self

    method.__name__ = method.__qualname__ = name
    return method


for _name, (_op, _iop) in _NUMBER_OPS.items():
    setattr(LocalProxy, f"__{_name}__", _binary(_op, f"__{_name}__"))
    setattr(LocalProxy, f"__r{_name}__", _reflected(_op, f"__r{_name}__"))
    if _iop is not None:
        setattr(LocalProxy, f"__i{_name}__", _inplace(_iop, f"__i{_name}__"))
del _name, _op, _iop


# -- explicit attribute access to the proxy's own names ----------------------
#
# ``proxy.__len__`` and friends answer as werkzeug's proxy does: the function
# werkzeug uses for that hook, bound to the current object.  (The data model
# itself never comes here: Python looks hooks up on the type.)


# The names werkzeug's proxy answers itself (those this class has).
_PROXY_OWN = _proxy_own(LocalProxy)


def _proxy_getattr_slow(proxy: LocalProxy[t.Any], name: str) -> t.Any:
    cls = type(proxy)
    if name in _PROXY_OWN or (cls is not LocalProxy and _defined_by_subclass(cls, LocalProxy, name)):
        return object.__getattribute__(proxy, name)
    if name == "__class__" or name == "__doc__" or name == "__wrapped__":
        try:
            obj = _proxy_get(proxy)()
        except RuntimeError:  # the proxy's own; no Python call here: it may run at the limit
            if name == "__class__":
                return cls
            return cls.__doc__ if name == "__doc__" else _proxy_local(proxy)
        return getattr(obj, name)
    if name == "_LocalProxy__wrapped":
        return _proxy_local(proxy)
    hook = _HOOKS.get(name)
    if hook is None:
        return getattr(_proxy_get(proxy)(), name)
    return _hook_attribute(proxy, name, hook, _proxy_get(proxy))


# -- class versions, for the app layer's caches --------------------------------


def class_version(cls: type) -> int:
    """CPython's version tag of the class *cls*, or 0 when it has none.

    C only: the tag (``tp_version_tag``, new whenever the class or a class in
    its MRO changes) is not readable from Python, so this twin always answers
    0, which means "do not remember an answer worked out from this class":
    the app layer then works each one out again, as Flask does.
    """
    if not isinstance(cls, type):
        raise TypeError(f"class_version() takes a class, not {type(cls).__name__!r}")
    return 0


#: How many classes one ``remembered`` cache holds at most: a program that
#: makes classes in a loop cannot grow one without bound.
REMEMBERED_MAX = 1024


def remembered(cache: dict[type, tuple[int, t.Any]], cls: type, check: t.Callable[[type], t.Any]) -> t.Any:
    """``check(cls)``, remembered in the dict *cache* with ``class_version(cls)``.

    For a *check* that reads only *cls* and its bases (and what its module
    found at import), the answer holds while the version does: any change
    to the class or a base gives it a new version and *check* runs again.
    With no version (0, always here) it runs every time.
    """
    if not isinstance(cache, dict):
        raise TypeError(f"remembered() takes a dict, not {type(cache).__name__!r}")
    if not isinstance(cls, type):
        raise TypeError(f"remembered() takes a class, not {type(cls).__name__!r}")
    version = class_version(cls)
    known = cache.get(cls)
    if known is not None and known[0] == version:
        return known[1]
    ok = check(cls)
    if version and (known is not None or len(cache) < REMEMBERED_MAX):
        cache[cls] = (version, ok)
    return ok
