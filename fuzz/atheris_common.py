"""Shared parts of the atheris harnesses (``atheris_match.py``, ``atheris_rules.py``).

Importing this module instruments fastroute's Python modules for coverage
(``atheris.instrument_imports``), so it must be imported before anything
else imports fastroute.  The compiled core (``fastroute._match``) is native
code and not instrumented; maps are built with it and, for the coverage
feedback of the matcher logic and as a second oracle, with the instrumented
pure-Python twin as well.

What a harness may see from fastroute is fixed here (:func:`check_allowed`
and friends); anything else is a finding, raised as :class:`Finding` (or as
the original exception) so that libFuzzer saves the input as a crash.
"""

from __future__ import annotations

import os
import re
import sys
import typing as t
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["fastroute"]):
    import fastroute.routing as fr
    from fastroute import _cores

import werkzeug.routing as wr  # after the instrumented import
from tests import test_differential as td  # the comparison helpers of the differential tests
from tests.support import cores
from werkzeug.exceptions import HTTPException

if _cores.compiled_match is None:  # pragma: no cover - depends on the build
    raise SystemExit("the compiled core (fastroute._match) is not built; the harnesses fuzz it")

COMPILED, PURE = _cores.compiled_match, _cores.pure_match

#: CPU seconds werkzeug may spend on one call before the comparison is given
#: up for the input (its regex matcher backtracks exponentially on some rule
#: sets; that is the reference being slow, not a finding).
REFERENCE_SECONDS = 0.5

#: Construction errors fastroute documents (tests/test_bad_input.py,
#: docs/compat.md): ValueError for malformed rules and arguments (and for a
#: variable used twice, where werkzeug raises SyntaxError), TypeError for
#: wrong types and unknown converter keywords, LookupError for unknown
#: converters.
CONSTRUCTION_ERRORS = (ValueError, TypeError, LookupError)

#: Exceptions werkzeug raises while matching with an invalid converter regex
#: (``string(minlength=2, maxlength=1)``, a huge repeat count); fastroute
#: raises the same, and only for the matches that try that part.
REGEX_ERRORS = {re.error.__name__, "OverflowError"}


#: Zero-filling to ``fixed_digits`` allocates that many characters, in
#: werkzeug as in fastroute (``<int(1212121212):x>`` builds a 1.2 GB string):
#: a size the rule's author asked for, not a finding.  Inputs with a larger
#: ``fixed_digits`` are not built (libFuzzer's -rss_limit_mb would stop).
MAX_FIXED_DIGITS = 10_000


def builds_huge(converters: t.Iterable[t.Any]) -> bool:
    """Whether building with one of *converters* may zero-fill to more than
    :data:`MAX_FIXED_DIGITS` characters."""
    for conv in converters:
        digits = getattr(conv, "fixed_digits", 0)
        if isinstance(digits, int) and digits > MAX_FIXED_DIGITS:
            return True
    return False


def map_builds_huge(m: t.Any) -> bool:
    return builds_huge(conv for rule in m.iter_rules() for conv in rule._converters.values())


class Finding(AssertionError):
    """fastroute did something it must not: a divergence or a crash."""


SlowReference = td.SlowReference


def reference(fn: t.Callable[[], t.Any]) -> t.Any:
    """``fn()`` (a werkzeug call) with a CPU-time budget of
    :data:`REFERENCE_SECONDS`; raises :class:`SlowReference` when it runs out."""
    return td.reference(fn, REFERENCE_SECONDS)


def attempt(fn: t.Callable[[], t.Any]) -> tuple[t.Any, Exception | None]:
    try:
        return fn(), None
    except Exception as e:
        return None, e


def with_core(core: t.Any, fn: t.Callable[[], t.Any]) -> t.Any:
    """``fn()`` with *core* as the matcher core of the maps it creates."""
    with cores.using(core):
        return fn()


def same_error(werkzeug: Exception | None, fastroute: Exception | None) -> bool:
    """Whether the two construction outcomes agree (the same exception type),
    counting the documented difference: fastroute rejects a variable used
    twice in one rule with a clear ValueError, as soon as it reads the second
    one.  werkzeug fails later with a SyntaxError from its generated code,
    with another error of the rule found first, or -- when the variable also
    has a default, so that its builder takes no argument for it -- not at
    all."""
    if type(fastroute) is ValueError and "appears twice" in str(fastroute):
        return True
    if werkzeug is None or fastroute is None:
        return werkzeug is fastroute
    return type(werkzeug) is type(fastroute)


#: Findings already reported, each with a failing test in tests/: skipped so
#: that fuzzing goes on past them (libFuzzer stops at the first finding).
#: ``FUZZ_REPORT_KNOWN=1`` reports them again.  Remove an entry once fixed.
#: An entry is a function ``(what, werkzeug_error, fastroute_error) -> bool``
#: that recognises the finding, with the name of its test in a comment.
KNOWN: list[t.Callable[[str, t.Any, t.Any], bool]] = []
KNOWN_CONSTRUCTION_FINDINGS = [] if os.environ.get("FUZZ_REPORT_KNOWN") else KNOWN


def check_construction(what: str, werkzeug: t.Any, fastroute: Exception | None) -> None:
    """fastroute may only raise a documented error -- or what werkzeug raises
    for the same input (``OverflowError`` for ``string(1e999)``) -- and must
    agree with werkzeug (*werkzeug* is ``...`` when the reference was not run)."""
    undocumented = fastroute is not None and not isinstance(fastroute, CONSTRUCTION_ERRORS)
    if undocumented and (werkzeug is ... or type(werkzeug) is not type(fastroute)):
        raise fastroute
    if werkzeug is not ... and not same_error(werkzeug, fastroute):
        if any(known(what, werkzeug, fastroute) for known in KNOWN_CONSTRUCTION_FINDINGS):
            return
        raise Finding(f"{what}: werkzeug {werkzeug!r}, fastroute {fastroute!r}")


def check_cores(what: str, compiled: Exception | None, pure: Exception | None) -> None:
    """The two cores must fail (or not) in exactly the same way."""
    if repr(compiled) != repr(pure) or type(compiled) is not type(pure):
        raise Finding(f"{what}: compiled {compiled!r}, pure {pure!r}")


def check_outcome(
    kind: str, what: str, werkzeug: t.Any, fastroute: t.Any, rerun: t.Callable[[], t.Any]
) -> None:
    """Compare outcomes of ``test_differential.do_*`` for a call of *kind*
    (``match``, ``build``, ...; *werkzeug* is ``...`` when the reference was
    not run).  An exception that is not an HTTP error or a BuildError is only
    allowed where werkzeug raised the same (without the reference: the regex
    errors, and the ValueError/TypeError a converter's ``to_url`` raises for
    a value it cannot convert); else the fastroute call is run again,
    unguarded, so that the finding has its traceback."""
    tag = fastroute[0] if isinstance(fastroute, tuple) and fastroute else None
    if tag == "error":
        name = fastroute[1]
        if werkzeug is ...:
            allowed = name in REGEX_ERRORS or (kind == "build" and name in ("ValueError", "TypeError"))
        else:
            allowed = werkzeug == fastroute
        if not allowed:
            rerun()  # raises the exception itself, with its traceback
            raise Finding(f"{what}: fastroute raised {name} (werkzeug: {werkzeug!r}), not again on a rerun")
    if werkzeug is not ... and werkzeug != fastroute:
        raise Finding(f"{what}: werkzeug {werkzeug!r}\n  fastroute {fastroute!r}")


__all__ = [
    "COMPILED",
    "PURE",
    "Finding",
    "HTTPException",
    "SlowReference",
    "atheris",
    "attempt",
    "builds_huge",
    "check_construction",
    "check_cores",
    "check_outcome",
    "cores",
    "fr",
    "map_builds_huge",
    "reference",
    "td",
    "with_core",
    "wr",
]


def main(test_one_input: t.Callable[[bytes], None], make_corpus: t.Callable[[Path], None]) -> None:
    """A harness's entry point: ``--make-corpus DIR`` writes the seed corpus,
    anything else goes to atheris/libFuzzer."""
    if len(sys.argv) == 3 and sys.argv[1] == "--make-corpus":
        make_corpus(Path(sys.argv[2]))
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
