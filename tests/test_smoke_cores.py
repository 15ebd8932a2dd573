"""The core fixture really switches the whole core: a test's maps, adapters
and matchers are all of the core under test."""

import copy

import fastroute
import fastroute.routing as fr
from fastroute import _cores, _spec
from fastroute.routing import Rule


def test_map_uses_selected_core(core):
    # fr.Map, not a Map imported at collection: the fixture switches the
    # module's classes.  In a compiled build the "pure" case must run the
    # pure twin's AdapterBase and MapBase, not only its Matcher.
    m = fr.Map([Rule("/a/<int:x>", endpoint="a")])
    adapter = m.bind("h")
    assert adapter.match("/a/1") == ("a", {"x": 1})
    assert m._core is core
    assert isinstance(m, core.MapBase)
    assert isinstance(adapter, core.AdapterBase) and isinstance(adapter, fr.MapAdapter)
    assert type(adapter).match is core.AdapterBase.match
    assert type(m._matcher) is core.Matcher
    assert fr.map.classes_for(core) == (type(m), type(adapter))


def test_each_core_has_one_pair_of_classes(core):
    """Named and copied as the public classes, made once per core, and a
    map of one core never gets an adapter of the other."""
    classes = fr.map.classes_for(core)
    assert classes is fr.map.classes_for(core)
    assert (classes.Map.__qualname__, classes.MapAdapter.__qualname__) == ("Map", "MapAdapter")
    m = fr.Map([Rule("/", endpoint="i")])
    assert type(copy.copy(m.bind("h"))) is classes.MapAdapter and type(copy.copy(m)) is classes.Map
    other = [c for c in (_cores.pure_match, _cores.compiled_match) if c is not None and c is not core]
    for module in other:
        theirs = fr.map.classes_for(module)
        assert not issubclass(theirs.Map, classes.Map) and not issubclass(classes.Map, theirs.Map)
        assert type(theirs.Map([Rule("/", endpoint="i")]).bind("h")) is theirs.MapAdapter


def test_compiled_flag_matches_default_core():
    assert (_cores.match_core is not _cores.pure_match) == fastroute.COMPILED


def test_the_environment_decides_which_cores_run():
    """CI runs the suite twice: with FASTROUTE_REQUIRE_COMPILED=1 both compiled
    cores must be loaded, with FASTROUTE_NO_EXTENSIONS=1 neither may be."""
    import os

    from fastroute import local

    no_ext = os.environ.get("FASTROUTE_NO_EXTENSIONS", "") not in ("", "0")
    require = os.environ.get("FASTROUTE_REQUIRE_COMPILED", "") not in ("", "0")
    if no_ext:
        assert fastroute.COMPILED is False
        assert _cores.match_core is _cores.pure_match
        assert local.core is local.pure_core
    elif require:
        assert fastroute.COMPILED is True
        assert _cores.match_core.__name__ == "fastroute._match"
        assert local.core.__name__ == "fastroute._local"
    assert (
        _cores.match_core is not _cores.pure_match and local.core is not local.pure_core
    ) == fastroute.COMPILED


def test_finished_matcher_refuses_changes(core):
    """A finished matcher is frozen (the compiled core lays it out in one C
    block that the walk reads without references): adding a rule or
    finishing again raises, and matching is unaffected."""
    import pytest

    m = fr.Map([Rule("/a/<int:x>", endpoint="a"), Rule("/b/", endpoint="b")])
    adapter = m.bind("h")
    assert adapter.match("/a/1") == ("a", {"x": 1})
    matcher = m._matcher
    rule = m._rules[0]
    with pytest.raises(RuntimeError, match="finished"):
        matcher.add(_spec.RuleLeaf(rule._parts, rule, ("x",), (None,), None, False, True, True, None))
    with pytest.raises(RuntimeError, match="finished"):
        matcher.finish()
    assert adapter.match("/a/2") == ("a", {"x": 2})
    assert adapter.match("/b/") == ("b", {})
