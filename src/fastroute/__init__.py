"""fastroute: a compiled, werkzeug-compatible URL router.

``fastroute.routing`` is a drop-in replacement for ``werkzeug.routing``.
``COMPILED`` tells whether the Cython core is in use (``False`` means the
pure-Python twin: ``FASTROUTE_NO_EXTENSIONS`` is set, or no extension was
built for this interpreter).
"""

from .routing.matcher import COMPILED as COMPILED

__version__ = "0.1.0.dev0"
