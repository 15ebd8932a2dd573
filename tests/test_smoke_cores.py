"""The core fixture really switches the matcher used by new maps."""

import fastroute
from fastroute.routing import Map, Rule, matcher as cores


def test_map_uses_selected_core(core):
    m = Map([Rule("/a/<int:x>", endpoint="a")])
    assert m.bind("h").match("/a/1") == ("a", {"x": 1})
    assert m._core is core
    assert type(m._matcher).__module__ == core.__name__


def test_compiled_flag_matches_default_core():
    assert (cores.core is not cores.pure_core) == fastroute.COMPILED


def test_the_environment_decides_which_cores_run():
    """CI runs the suite twice: with FASTROUTE_REQUIRE_COMPILED=1 both compiled
    cores must be loaded, with FASTROUTE_NO_EXTENSIONS=1 neither may be."""
    import os

    from fastroute import local

    no_ext = os.environ.get("FASTROUTE_NO_EXTENSIONS", "") not in ("", "0")
    require = os.environ.get("FASTROUTE_REQUIRE_COMPILED", "") not in ("", "0")
    if no_ext:
        assert fastroute.COMPILED is False
        assert cores.core is cores.pure_core
        assert local.core is local.pure_core
    elif require:
        assert fastroute.COMPILED is True
        assert cores.core.__name__ == "fastroute._match"
        assert local.core.__name__ == "fastroute._local"
    assert (cores.core is not cores.pure_core and local.core is not local.pure_core) == fastroute.COMPILED


def test_finished_matcher_refuses_changes(core):
    """A finished matcher is frozen (the compiled core lays it out in one C
    block that the walk reads without references): adding a rule or
    finishing again raises, and matching is unaffected."""
    import pytest

    from fastroute._spec import RuleLeaf

    m = Map([Rule("/a/<int:x>", endpoint="a"), Rule("/b/", endpoint="b")])
    adapter = m.bind("h")
    assert adapter.match("/a/1") == ("a", {"x": 1})
    matcher = m._matcher
    rule = m._rules[0]
    with pytest.raises(RuntimeError, match="finished"):
        matcher.add(RuleLeaf(rule._parts, rule, ("x",), (None,), None, False, True, True, None))
    with pytest.raises(RuntimeError, match="finished"):
        matcher.finish()
    assert adapter.match("/a/2") == ("a", {"x": 2})
    assert adapter.match("/b/") == ("b", {})
