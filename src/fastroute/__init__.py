"""fastroute: a compiled, werkzeug-compatible URL router.

``fastroute.routing`` is a drop-in replacement for ``werkzeug.routing`` and
``fastroute.local`` for ``werkzeug.local``.  ``COMPILED`` is True when both
Cython cores are in use; it is False when ``FASTROUTE_NO_EXTENSIONS`` is set or
no extension was built for this interpreter, and the pure-Python twins (same
behaviour, slower) are running.
"""

from .local import COMPILED as _LOCAL_COMPILED
from .routing.matcher import COMPILED as _ROUTING_COMPILED

COMPILED: bool = _ROUTING_COMPILED and _LOCAL_COMPILED

__version__ = "0.1.0.dev0"
