"""Regressions found by the coverage-guided fuzzers (``fuzz/atheris_*.py``).

Each test is the minimal reproducer of one finding, compared with werkzeug
3.1.9 (the spec).  Divergences found by ``fuzz/differential.py`` are saved
as case files in ``tests/regressions/`` instead.
"""

from __future__ import annotations

import typing as t

import pytest
import werkzeug.routing as wr

import fastroute.routing as fr


def construction_error(mod: t.Any, rule: str) -> type[BaseException] | None:
    try:
        mod.Map([mod.Rule(rule, endpoint="e")])
    except Exception as e:
        return type(e)
    return None


# Found by fuzz/atheris_rules.py (target_converter): werkzeug's
# UnicodeConverter converts ``maxlength`` with int() before ``minlength``, so
# when both are invalid the error is the one of ``maxlength`` -- ValueError
# for int('x') -- where fastroute converts ``minlength`` first and raises
# TypeError for int(None).
STRING_ARGUMENTS = [
    "/<string(None, 'x'):v>",
    "/<string(None, x):v>",
    "/<string(minlength=None, maxlength=''):v>",
    "/<default(None, 'x'):v>",
    "/<string(None, 'x', None):v>",
]


@pytest.mark.parametrize("rule", STRING_ARGUMENTS)
def test_string_converter_argument_errors_in_werkzeugs_order(core: t.Any, rule: str) -> None:
    assert construction_error(wr, rule) is ValueError
    assert construction_error(fr, rule) is ValueError


def test_unicode_converter_converts_maxlength_first(core: t.Any) -> None:
    with pytest.raises(ValueError):
        wr.UnicodeConverter(wr.Map(), None, "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        fr.UnicodeConverter(fr.Map(), None, "x")  # type: ignore[arg-type]
