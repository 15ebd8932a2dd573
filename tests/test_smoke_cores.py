"""The core fixture really switches the matcher used by new maps."""

import fastroute
from fastroute.routing import Map, Rule
from fastroute.routing import matcher as cores


def test_map_uses_selected_core(core):
    m = Map([Rule("/a/<int:x>", endpoint="a")])
    assert m.bind("h").match("/a/1") == ("a", {"x": 1})
    assert m._core is core
    assert type(m._matcher).__module__ == core.__name__


def test_compiled_flag_matches_default_core():
    assert fastroute.COMPILED == (cores.core is not cores.pure_core)
