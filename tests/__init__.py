"""fastroute's test suite; a package so that ``tests.support`` is importable
from the repository root (``fuzz/`` and ``scripts/`` run with ``python -m``)."""
