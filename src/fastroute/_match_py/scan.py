"""Text scanning (the twin of ``_match_parts/scan.pxi``).

The compiled core scans the path in place by index, in C; this core splits
the path into segments and lets ``str`` methods and ``re`` do the scanning,
so most of the compiled part's functions have no counterpart here: each is
named below at its place, with what stands for it in this core.
"""

from __future__ import annotations

import re

#: Runs of slashes that ``merge_slashes`` collapses.
_MERGE = re.compile("/{2,}")

# C only: _hash_span (hashes a span of the path for the C slot tables; the pure tree keys dicts by str)
# C only: _span_equals (compares a span in place; here a segment is a str of its own)
# C only: _chars_equal (a slot's key against a span of the path, in place)
# C only: _has_double_slash ("//" in path, without the generic substring search; the pure core uses "in")
# C only: _segment_end (the next "/" by memchr; the pure core splits the path once)
# C only: _digits (a lone unsigned int's check; the pure walk uses str.isdecimal())
# C only: _is_float (M_FLOAT: the pure core checks a lone float with its regex)
# C only: _hex (a uuid character; see _is_uuid)
# C only: _is_uuid (M_UUID: the pure core checks a lone uuid with its regex)
# C only: _is_path (M_PATH: the pure core checks a lone path with its regex)
