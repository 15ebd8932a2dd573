"""``copy.copy``, ``copy.deepcopy`` and pickling of maps, rules, adapters,
factories and converters, as werkzeug's.

werkzeug's answers are asked, not written out: each object is made with both
libraries, each operation either works for both or fails for both with the
same exception class (werkzeug's deep copies and pickles of anything that
reaches a map fail on the map's lock), and what works must then answer the
same (match, build, repr, conversions), before and after the copy or the
original is changed, on both matcher cores.  The compiled core's ``Map``
used to fail even ``copy.copy`` (Cython's "no default __reduce__ due to
non-trivial __cinit__").
"""

from __future__ import annotations

import copy
import functools
import pickle
import typing as t

import pytest
import werkzeug.routing as wz

import fastroute.routing as fr
from tests.support.outcomes import outcome

OPERATIONS: dict[str, t.Callable[[t.Any], t.Any]] = {
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),
    "pickle-0": lambda obj: pickle.loads(pickle.dumps(obj, protocol=0)),
    "pickle-5": lambda obj: pickle.loads(pickle.dumps(obj, protocol=5)),
}


def rules(mod: t.Any) -> list[t.Any]:
    return [
        mod.Rule("/", endpoint="index"),
        mod.Rule("/u/<int:id>", endpoint="user", methods=["GET", "POST"]),
        mod.Rule("/list/", endpoint="list", defaults={"page": 1}),
        mod.Rule("/list/<int:page>", endpoint="list"),
        mod.Rule("/f/<float:x>/<string(length=2):s>/<any(a, b):a>/<uuid:u>/<path:p>", endpoint="many"),
        mod.Submount("/s", [mod.Rule("/<x>", endpoint="sub")]),
    ]


PATHS = ["/", "/u/3", "/u/x", "/list/", "/list/1", "/list/2", "/f/1.5/ab/a/12345678-1234-1234-1234-123456789abc/x/y",
         "/s/q", "/nope", "/list"]  # fmt: skip
BUILDS: list[tuple[str, dict[str, t.Any]]] = [
    ("index", {}), ("user", {"id": 3, "q": "x"}), ("list", {"page": 1}), ("list", {"page": 4}), ("sub", {"x": "a b"}),
]  # fmt: skip


def answer(call: t.Callable[..., t.Any], *args: t.Any, **kwargs: t.Any) -> t.Any:
    """What ``call(*args, **kwargs)`` gave, comparable across the libraries."""
    return outcome(functools.partial(call, *args, **kwargs))


def adapter_answers(adapter: t.Any) -> list[t.Any]:
    out = [answer(adapter.match, path) for path in PATHS]
    out += [answer(adapter.build, endpoint, values) for endpoint, values in BUILDS]
    return out


def map_answers(m: t.Any) -> list[t.Any]:
    return [repr(list(m.iter_rules())), *adapter_answers(m.bind("example.com", "/app"))]


def rule_answers(rule: t.Any) -> list[t.Any]:
    values = {"id": 1, "page": 2, "x": "y", "q": "z"}
    return [repr(rule), str(rule), answer(rule.build, values), answer(rule.suitable_for, values, "GET")]


def converter_answers(conv: t.Any) -> list[t.Any]:
    samples = ["1", "2.5", "ab", "a", "12345678-1234-1234-1234-123456789abc", "x/y"]
    values = [1, 2.5, "ab", "a", "x/y"]
    return [
        type(conv).__name__,
        conv.regex,
        conv.weight,
        conv.part_isolating,
        *(answer(conv.to_python, text) for text in samples),
        *(answer(conv.to_url, value) for value in values),
    ]


# Each object: how to make it from a routing module, and how to observe it.
def _map(mod: t.Any) -> t.Any:
    return mod.Map(rules(mod))


def _bound_rule(mod: t.Any) -> t.Any:
    return next(r for r in _map(mod).iter_rules() if r.endpoint == "user")


def _unbound_rule(mod: t.Any) -> t.Any:
    return mod.Rule("/u/<int:id>", endpoint="user", methods=["GET"], defaults={"page": 2}, subdomain="www")


def _adapter(mod: t.Any) -> t.Any:
    return _map(mod).bind("example.com", "/app", query_args={"q": "1"})


def _converter(name: str) -> t.Callable[[t.Any], t.Any]:
    def make(mod: t.Any) -> t.Any:
        rule = next(r for r in _map(mod).iter_rules() if r.endpoint == "many")
        return rule._converters[name]

    return make


def _mapless_converter(mod: t.Any) -> t.Any:
    return mod.IntegerConverter(None, fixed_digits=3)


OBJECTS: dict[str, tuple[t.Callable[[t.Any], t.Any], t.Callable[[t.Any], list[t.Any]]]] = {
    "map": (_map, map_answers),
    "bound-rule": (_bound_rule, rule_answers),
    "unbound-rule": (_unbound_rule, lambda r: [repr(r), sorted(r.methods), r.defaults, sorted(r.arguments)]),
    "adapter": (_adapter, adapter_answers),
    "factory": (lambda mod: mod.Submount("/s", [_unbound_rule(mod)]), lambda f: [f.path, len(f.rules)]),
    **{f"converter-{n}": (_converter(n), converter_answers) for n in ("x", "s", "a", "u", "p")},
    "converter-int": (lambda mod: _bound_rule(mod)._converters["id"], converter_answers),
    "converter-no-map": (_mapless_converter, converter_answers),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("name", list(OBJECTS))
def test_copy_and_pickle_as_werkzeug(core: t.Any, name: str, operation: str) -> None:
    make, observe = OBJECTS[name]
    results = {}
    for mod in (wz, fr):
        original = make(mod)
        before = observe(original)
        try:
            made = OPERATIONS[operation](original)
        except Exception as e:  # the same class as werkzeug's
            results[mod] = ("fails", type(e).__name__)
            continue
        assert type(made) is type(original)
        assert made is not original
        # The copy answers as the original, which the copy left unchanged.
        assert observe(made) == before == observe(original), (mod.__name__, name, operation)
        results[mod] = ("works", before)
    assert results[fr][0] == results[wz][0], results
    if results[fr][0] == "fails":
        assert results[fr] == results[wz]


def test_shallow_map_copy_is_a_map_of_its_own(core: t.Any) -> None:
    """What a change to a copied map changes, as in werkzeug: its own
    attributes are its own (redirect_defaults here), the rules and the
    matcher's merge_slashes are shared (werkzeug's copies share one matcher,
    which an add to either changes in place)."""

    def run(mod: t.Any) -> list[t.Any]:
        m = _map(mod)
        m.bind("h").match("/")  # compiled before the copy
        c = copy.copy(m)
        c.redirect_defaults = False
        out = [answer(x.bind("h").match, "/list/1") for x in (m, c)]
        c.add(mod.Rule("/new", endpoint="new"))
        m.add(mod.Rule("/newer", endpoint="newer"))
        for x in (m, c, copy.copy(c)):
            out += [answer(x.bind("h").match, path) for path in ("/new", "/newer", "//u/1")]
            out += [answer(x.bind("h").build, name) for name in ("new", "newer")]
            out += [[r.rule for r in x.iter_rules()]]
        c.merge_slashes = False
        out += [answer(x.bind("h").match, "//u/1") for x in (m, c)]
        return out

    assert run(fr) == run(wz)


def test_adapter_copy_is_an_adapter_of_its_own(core: t.Any) -> None:
    def run(mod: t.Any) -> list[t.Any]:
        a = _adapter(mod)
        c = copy.copy(a)
        c.script_name = "/other/"
        c.subdomain = "www"
        c.default_method = "POST"
        return [adapter_answers(a), adapter_answers(c), c.map is a.map]

    assert run(fr) == run(wz)


def test_unbound_rule_copies_bind_to_new_maps(core: t.Any) -> None:
    """A deep copy or an unpickled copy of an unbound rule is a rule of its
    own: bound to a map of its own, it matches and builds as the original."""

    def run(mod: t.Any, operation: str) -> list[t.Any]:
        original = _unbound_rule(mod)
        made = OPERATIONS[operation](original)
        made.defaults["page"] = 3  # its own dict
        out = [original.defaults, made.defaults]
        for rule in (original, made):
            m = mod.Map([rule])
            adapter = m.bind("example.com", subdomain="www")
            out += [answer(adapter.match, "/u/5"), answer(adapter.build, "user", {"id": 5})]
        return out

    for operation in ("deepcopy", "pickle", "pickle-0"):
        assert run(fr, operation) == run(wz, operation), operation
