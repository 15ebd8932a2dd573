"""``fastroute.Flask``: Flask itself, routing on fastroute's compiled router.

:class:`Flask` is a subclass of :class:`flask.Flask`.  Everything an app or an
extension touches is Flask's own: the application and request contexts and
their ``ContextVar`` objects (so ``flask.request``, ``flask.g`` and
``flask.current_app`` are bound inside a fastroute app), blueprints,
templates, signals, the CLI (``flask run``, ``flask routes``), ``app.json``,
the test client and runner, logging.  The subclass changes only what makes a
request slow, each change giving Flask's answer:

* ``url_map_class`` is :class:`fastroute.routing.Map` and ``url_rule_class``
  :class:`fastroute.routing.Rule`: matching and ``url_for`` run on the
  compiled core, with werkzeug's answers (the router's own test suite checks
  them against werkzeug);
* the URL adapter is still made by Flask's ``create_url_adapter`` (the
  ``TRUSTED_HOSTS`` check, ``SERVER_NAME``, ``subdomain_matching``,
  ``host_matching`` and ``APPLICATION_ROOT`` handled exactly as Flask does),
  which calls ``url_map.bind_to_environ``/``bind``; fastroute's ``Map``
  answers those from a cache of what it worked out for each host, so the
  per-request cost drops without a second copy of Flask's logic that could
  drift from it;
* ``wsgi_app`` is :class:`fastroute._request_path.FastRequestPath`'s: Flask's
  steps in Flask's order, on Flask's own context objects and ContextVars,
  with signals sent only when they have receivers, no object built that
  nothing reads, a list body the server writes at once, and every Flask
  method a subclass overrides called where Flask calls it;
* ``session_interface`` is :class:`fastroute.sessions.SecureCookieSessionInterface`:
  Flask's cookies byte for byte, with the signing serializer and its keys
  made once per app and secret.

The other way to get the same router is to keep ``flask.Flask`` and set the
two class attributes (Flask reads them in ``__init__``, so on a class)::

    class App(flask.Flask):
        url_map_class = fastroute.routing.Map
        url_rule_class = fastroute.routing.Rule

The module also holds :data:`request`, :data:`session`, :data:`g` and
:data:`current_app`: :class:`fastroute.local.LocalProxy` objects over
Flask's own ``ContextVar`` objects (``flask.globals._cv_request`` and
``_cv_app``).  They stand for exactly the objects ``flask.request`` and the
others stand for, with the same errors outside a context; an attribute read
through them is cheaper than through werkzeug's proxy.
"""

from __future__ import annotations

import typing as t

import flask
from flask.globals import _cv_app, _cv_request, _no_app_msg, _no_req_msg

from ._request_path import FastRequestPath
from .local import LocalProxy
from .routing import Map, Rule
from .sessions import SecureCookieSessionInterface

if t.TYPE_CHECKING:  # pragma: no cover
    from flask.ctx import _AppCtxGlobals
    from flask.sessions import SessionMixin
    from flask.wrappers import Request

__all__ = ["Blueprint", "Flask", "current_app", "g", "request", "session"]


class Flask(FastRequestPath, flask.Flask):
    """A :class:`flask.Flask` whose URL map is fastroute's.

    Use it wherever ``flask.Flask`` is used; it takes the same arguments and
    behaves the same (Flask 3.1.3's own test suite passes against it).
    Subclass it as you would subclass Flask.
    """

    #: The rule class ``add_url_rule`` makes: fastroute's, compiled into
    #: the map's matcher.  A subclass may set its own ``Rule`` subclass.
    url_rule_class = Rule  # type: ignore[assignment]  # werkzeug's API, not a subclass of its Rule
    #: The map class each app makes in ``__init__``
    #: (``url_map_class(host_matching=...)``, as Flask does).
    url_map_class = Map  # type: ignore[assignment]  # werkzeug's API, not a subclass of its Map
    #: Flask's cookie sessions, byte for byte, with the signing serializer and
    #: its derived keys made once per app and secret (``fastroute.sessions``).
    #: Set another interface on a subclass or an instance as with Flask.
    session_interface = SecureCookieSessionInterface()


#: Flask's blueprint: blueprints record their rules and register them on the
#: app with ``app.add_url_rule``, so they need no change to use the app's map.
Blueprint = flask.Blueprint

#: The current app (``flask.current_app``'s object), over Flask's ``_cv_app``.
current_app: Flask = LocalProxy(_cv_app, "app", unbound_message=_no_app_msg)  # type: ignore[assignment]
#: The app context's ``g`` (``flask.g``'s object).
g: _AppCtxGlobals = LocalProxy(_cv_app, "g", unbound_message=_no_app_msg)  # type: ignore[assignment]
#: The current request (``flask.request``'s object), over Flask's ``_cv_request``.
request: Request = LocalProxy(_cv_request, "request", unbound_message=_no_req_msg)  # type: ignore[assignment]
#: The current session (``flask.session``'s object).
session: SessionMixin = LocalProxy(_cv_request, "session", unbound_message=_no_req_msg)  # type: ignore[assignment]
