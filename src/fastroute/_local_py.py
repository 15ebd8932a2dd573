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

The cores import nothing from the package; they are leaves that can be
tested on their own.
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

__all__ = ["Local", "LocalManager", "LocalProxy", "LocalStack", "release_local"]

T = t.TypeVar("T")

# The stored dicts and lists are never changed in place (every write stores a
# new one), so a read of "nothing stored yet" can share one empty instance.
_NO_DATA: dict[str, t.Any] = {}
_NO_STACK: list[t.Any] = []
_MISSING: t.Any = object()

_DEFAULT_UNBOUND = "object is not bound"


def release_local(local: Local | LocalStack[t.Any]) -> None:
    """Drop the current context's (or ident's) data held by ``local``.

    Works with anything that has ``__release_local__``; a ``LocalManager``
    does this for several locals at once.
    """
    local.__release_local__()


def _check_mode(context_var: t.Any, ident_func: t.Any) -> None:
    if ident_func is not None:
        if context_var is not None:
            raise TypeError("pass either 'context_var' or 'ident_func', not both")
        if not callable(ident_func):
            raise TypeError("'ident_func' must be callable")
    elif context_var is not None and not isinstance(context_var, ContextVar):
        raise TypeError(f"'context_var' must be a ContextVar, not {type(context_var).__name__!r}")


class Local:
    """A namespace of attributes private to the current context.

    :param context_var: the ``ContextVar`` holding this local's dict; one is
        created when not given.  Create locals (and their variables) at module
        level: a ``ContextVar`` is never freed while a context refers to it.
    :param ident_func: use the ident-keyed mode instead: data is stored in
        ``__storage__[ident_func()]`` and lives until :func:`release_local`.

    ``local(name)`` returns a :class:`LocalProxy` for one attribute.
    """

    __slots__ = ("_fr_ident", "_fr_store", "_fr_var")

    def __init__(
        self,
        context_var: ContextVar[dict[str, t.Any]] | None = None,
        *,
        ident_func: t.Callable[[], t.Hashable] | None = None,
    ) -> None:
        _check_mode(context_var, ident_func)
        if ident_func is not None:
            _local_set_var(self, None)
            _local_set_ident(self, ident_func)
            _local_set_store(self, {})
        else:
            if context_var is None:
                context_var = ContextVar(f"fastroute.Local<{id(self):#x}>.storage")
            _local_set_var(self, context_var)
            _local_set_ident(self, None)
            _local_set_store(self, None)

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
        var = _local_var(self)
        if var is not None:
            var.set({})
        else:
            _local_store(self).pop(_local_ident(self)(), None)


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
    """A stack private to the current context.

    :param context_var: the ``ContextVar`` holding the list; one is created
        when not given.
    :param ident_func: use the ident-keyed mode instead (see :class:`Local`);
        an ident's entry is dropped when its stack is popped empty.

    The stored list is replaced, never changed in place, on ``push`` and
    ``pop``.  ``stack()`` / ``stack(name)`` return a :class:`LocalProxy` to
    the top item or to one of its attributes.
    """

    __slots__ = ("_fr_ident", "_fr_store", "_fr_var")

    def __init__(
        self,
        context_var: ContextVar[list[T]] | None = None,
        *,
        ident_func: t.Callable[[], t.Hashable] | None = None,
    ) -> None:
        _check_mode(context_var, ident_func)
        self._fr_var: ContextVar[list[T]] | None
        self._fr_ident: t.Callable[[], t.Hashable] | None
        self._fr_store: dict[t.Hashable, list[T]] | None
        if ident_func is not None:
            self._fr_var = None
            self._fr_ident = ident_func
            self._fr_store = {}
        else:
            if context_var is None:
                context_var = ContextVar(f"fastroute.LocalStack<{id(self):#x}>.storage")
            self._fr_var = context_var
            self._fr_ident = None
            self._fr_store = None

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
        var = self._fr_var
        if var is not None:
            var.set([])
        else:
            self._fr_store.pop(self._fr_ident(), None)  # type: ignore[union-attr,misc]


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
# LocalProxy

# The other locals a proxy understands without importing them: werkzeug's and
# the other core's (a proxy over them behaves as over this core's classes).
_FOREIGN_KINDS = {
    ("werkzeug.local", "Local"): "local",
    ("werkzeug.local", "LocalStack"): "stack",
    ("fastroute._local", "Local"): "local",
    ("fastroute._local", "LocalStack"): "stack",
    ("fastroute._local_py", "Local"): "local",
    ("fastroute._local_py", "LocalStack"): "stack",
}


def _foreign_kind(local: object) -> str | None:
    for cls in type(local).__mro__:
        kind = _FOREIGN_KINDS.get((cls.__module__, cls.__qualname__))
        if kind is not None:
            return kind
    return None


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
    """Forwards everything to the object a context-local currently holds.

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
        try:
            obj = _proxy_get(self)()
        except Exception:
            obj = _MISSING
        if obj is _MISSING:
            raise TypeError(f"unhashable type: '{type(self).__name__}'")
        return hash(obj)

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
        try:
            obj = _proxy_get(self)()
        except Exception:
            obj = _MISSING
        if obj is _MISSING:
            raise TypeError(f"'{type(self).__name__}' object is not iterable")
        return iter(obj)

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


_NUMBER_OPS = {
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


# name -> (what the attribute is, werkzeug's function, fallback when unbound)
#   "bind":    functools.partial(function, obj)
#   "swap":    the reflected operator bound to obj
#   "inplace": the in-place operator bound to obj, returning the proxy
#   "attr":    getattr(obj, name)
_HOOKS: dict[str, tuple[str, t.Any, t.Any]] = {
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
for _name, (_op, _iop) in _NUMBER_OPS.items():
    _HOOKS[f"__{_name}__"] = ("bind", _op, None)
    _HOOKS[f"__r{_name}__"] = ("swap", _op, None)
    if _iop is not None:
        _HOOKS[f"__i{_name}__"] = ("inplace", _iop, None)
del _name, _op, _iop

# Names werkzeug's proxy answers itself rather than forwarding (those this
# class has: the rest are forwarded).
_PROXY_OWN = frozenset(
    n
    for n in (
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
    if any(n in klass.__dict__ for klass in LocalProxy.__mro__)
)


def _defined_by_subclass(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if klass is LocalProxy:
            return False
        if name in klass.__dict__:
            return True
    return False


def _proxy_getattr_slow(proxy: LocalProxy[t.Any], name: str) -> t.Any:
    cls = type(proxy)
    if name in _PROXY_OWN or (cls is not LocalProxy and _defined_by_subclass(cls, name)):
        return object.__getattribute__(proxy, name)
    if name == "__class__":
        try:
            obj = _proxy_get(proxy)()
        except RuntimeError:
            return cls
        return obj.__class__
    if name == "__doc__":
        try:
            obj = _proxy_get(proxy)()
        except RuntimeError:
            return cls.__doc__
        return obj.__doc__
    if name == "__wrapped__":
        try:
            obj = _proxy_get(proxy)()
        except RuntimeError:
            return _proxy_local(proxy)
        return obj.__wrapped__
    if name == "_LocalProxy__wrapped":
        return _proxy_local(proxy)
    hook = _HOOKS.get(name)
    if hook is None:
        return getattr(_proxy_get(proxy)(), name)
    how, func, fallback = hook
    try:
        obj = _proxy_get(proxy)()
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
