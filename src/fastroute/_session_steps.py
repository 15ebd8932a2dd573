"""The session steps of the request path (``_request_path``), with less work.

Which sessions ``process_response`` would leave alone, which are known not to
be the null session, and the empty ``SecureCookieSession`` a request without a
cookie opens, made without its two constructors.  Each answers as Flask's own
step does, for every session interface and class: what is not Flask's or
fastroute's stock object is asked, as Flask asks it.
"""

from __future__ import annotations

import typing as t
from operator import attrgetter

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from ._cores import local_core
from .sessions import SecureCookieSessionInterface as _FastSessions

#: CPython's version tag of a class (new on any change to it or a base), or
#: 0 when unknown (always, for the pure-Python core).
_class_version: t.Callable[[type], int] = local_core.class_version
#: ``check(cls)`` remembered per version of the class (``_responses._remembered``).
_remembered = local_core.remembered
#: Session interfaces whose answers the shortcuts below know: Flask's cookie
#: sessions and fastroute's (the same cookies, answers and hooks; it
#: overrides only how the serializer is made and the cookie written).
#: Exact types: a subclass may change any step.
_STOCK_SESSIONS = (SecureCookieSessionInterface, _FastSessions)
#: The interface methods and attributes the shortcuts stand in for, and each
#: stock class's own, as this module found them.
_interface_steps = attrgetter(
    "open_session",
    "save_session",
    "get_signing_serializer",
    "get_cookie_name",
    "make_null_session",
    "is_null_session",
    "null_session_class",
)
_STOCK_STEPS = {cls: _interface_steps(cls) for cls in _STOCK_SESSIONS}
_stock_interfaces: dict[type, tuple[int, bool]] = {}


def _has_stock_steps(cls: type) -> bool:
    return cls in _STOCK_STEPS and _interface_steps(cls) == _STOCK_STEPS[cls]


def _is_stock(interface: t.Any) -> bool:
    """*interface* does each step as the stock class did when imported: an
    exact ``_STOCK_SESSIONS`` class whose steps (``_interface_steps``) no
    patch replaced (remembered per version of the class, in
    ``_stock_interfaces``, for any class), and nothing set on the instance
    (which could replace a step, or a value a step reads)."""
    return _remembered(_stock_interfaces, type(interface), _has_stock_steps) and not getattr(
        interface, "__dict__", True
    )


#: What ``SecureCookieSession()`` runs, as this module found it: per class of
#: its MRO, the names that take part in making one (constructors, how
#: ``on_update`` is set); and how its metaclass calls it.
_SESSION_MAKING = ("__init__", "__new__", "__setattr__", "on_update")


def _session_making(cls: type) -> tuple[t.Any, ...]:
    return (
        type(cls).__call__,
        *((klass, *(vars(klass).get(name) for name in _SESSION_MAKING)) for klass in cls.__mro__),
    )


_STOCK_SESSION_MAKING = _session_making(SecureCookieSession)
#: The versions of ``SecureCookieSession`` and its metaclass for which it was
#: last found to be made as imported (0: never).
_plain_session = [0, 0]
_new_dict = dict.__new__


def _session_updated(self: t.Any) -> None:
    # The ``on_update`` Flask's ``SecureCookieSession.__init__`` passes to
    # ``CallbackDict``: any change to the dict marks the session modified.
    self.modified = True


def _new_session(cls: type) -> t.Any:
    """``cls()`` for a session interface's ``session_class``.

    ``SecureCookieSession()`` is an empty dict whose ``on_update`` marks it
    modified (Flask's constructor, then werkzeug's ``CallbackDict``); made
    without the two calls while neither the class, a base nor its metaclass
    changed since it was last found as imported (version tags; with them
    unknown, the pure-Python core, the constructor runs).
    """
    if cls is SecureCookieSession:
        version = _class_version(cls)
        meta = _class_version(type(cls))
        if version and meta:
            if _plain_session[0] != version or _plain_session[1] != meta:
                if _session_making(cls) != _STOCK_SESSION_MAKING:
                    return cls()
                _plain_session[:] = version, meta
            session = _new_dict(cls)
            session.on_update = _session_updated
            return session
    return cls()


def _session_is_idle(interface: t.Any, session: t.Any) -> bool:
    """``process_response``'s session step would do nothing (and need no response)."""
    stock = _is_stock(interface)
    if not stock or type(session) is not SecureCookieSession:
        # (The stock interface's exact session class is never its null session.)
        if interface.is_null_session(session):
            return True
        if not stock:
            return False
    # The stock interfaces write no cookie and no Vary for an empty session
    # that was neither read nor written.
    return not session and not session.accessed and not session.modified


def _not_null(interface: t.Any, session: t.Any) -> bool:
    """``interface.is_null_session(session)`` is known to be ``False``: the
    stock method (``isinstance(session, null_session_class)``, an ABC check)
    with Flask's ``NullSession``, which the exact ``SecureCookieSession`` is not."""
    return type(session) is SecureCookieSession and _is_stock(interface)
