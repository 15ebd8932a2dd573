"""Concurrency: matching and building on one map from several threads while
rules are being added.

Every answer must be right for the rules present: a rule whose ``add()``
returned before a match or build started must be found; a rule whose
``add()`` had not started must not be.  The only exceptions allowed are
``NotFound`` / ``BuildError`` for rules that were not added yet.

The loops are bounded by an iteration count and a deadline; nothing here
asserts on time.
"""

from __future__ import annotations

import random
import sys
import threading
import time

import pytest
from werkzeug.exceptions import NotFound

import fastroute.routing as fr

WORKERS = 8
RULES_TO_ADD = 300
BIG_ENDPOINT_RULES = 150
DEADLINE_SECONDS = 2.0
WAIT_SECONDS = 2.0


@pytest.fixture
def busy_switching():
    """Switch threads very often so that interleavings are many."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _run_threads(targets):
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"


# --------------------------------------------------------------------------
# stress: 8 readers, 1 writer


def test_match_and_build_while_adding_rules(core, busy_switching):
    m = fr.Map([fr.Rule("/", endpoint="index"), fr.Rule("/fixed/<int:x>", endpoint="fixed")])
    # One endpoint with many rules: its list is re-ordered on every update.
    for i in range(BIG_ENDPOINT_RULES):
        m.add(fr.Rule(f"/big/static{i}", endpoint="big"))
    m.add(fr.Rule("/big/<int:x>", endpoint="big"))
    m.update()

    started = [-1]  # index of the rule the writer is adding (or has added)
    finished = [0]  # number of rules whose add() returned
    stop = threading.Event()
    errors: list[object] = []
    deadline = time.monotonic() + DEADLINE_SECONDS

    def writer():
        try:
            for i in range(RULES_TO_ADD):
                if time.monotonic() > deadline:
                    break
                started[0] = i
                m.add(fr.Rule(f"/r{i}/<int:x>", endpoint=f"ep{i}"))
                m.add(fr.Rule(f"/r{i}/", endpoint=f"ep{i}", defaults={"x": 0}))
                m.add(fr.Rule(f"/big/extra{i}", endpoint="big"))
                finished[0] = i + 1
        except Exception as e:  # pragma: no cover - reported below
            errors.append(("writer", repr(e)))
        finally:
            stop.set()

    def reader(seed):
        rng = random.Random(seed)
        adapter = m.bind("example.com")
        while not stop.is_set() and len(errors) < 20:
            done = finished[0]
            try:
                assert adapter.match("/") == ("index", {})
                assert adapter.match("/fixed/7") == ("fixed", {"x": 7})
                assert adapter.build("fixed", {"x": 3}) == "/fixed/3"
                assert adapter.build("big", {"x": 5}) == "/big/5"
                assert adapter.match("/big/static3") == ("big", {})
                if done:
                    i = rng.randrange(done)
                    assert adapter.match(f"/r{i}/5") == (f"ep{i}", {"x": 5}), i
                    assert adapter.match(f"/r{i}/") == (f"ep{i}", {"x": 0}), i
                    assert adapter.build(f"ep{i}", {"x": 5}) == f"/r{i}/5", i
                    assert adapter.build(f"ep{i}", {"x": 0}) == f"/r{i}/", i
                    # The defaults rule makes /r{i}/0 redirect to /r{i}/.
                    with pytest.raises(fr.RequestRedirect) as info:
                        adapter.match(f"/r{i}/0")
                    assert info.value.new_url == f"http://example.com/r{i}/", i
                j = done + rng.randrange(3)
                try:
                    adapter.match(f"/r{j}/1")
                except NotFound:
                    pass
                else:
                    if j > started[0]:
                        errors.append(("matched a rule not added yet", j))
                try:
                    adapter.build(f"ep{j}", {"x": 1})
                except fr.BuildError:
                    pass
                else:
                    if j > started[0]:
                        errors.append(("built a rule not added yet", j))
            except BaseException as e:
                errors.append((type(e).__name__, str(e)[:200]))

    _run_threads([writer] + [lambda s=s: reader(s) for s in range(WORKERS)])
    assert errors == []
    # Everything the writer added is there afterwards.
    adapter = m.bind("example.com")
    for i in range(finished[0]):
        assert adapter.match(f"/r{i}/9") == (f"ep{i}", {"x": 9})
    assert adapter.build("big", {"x": 1}) == "/big/1"


def test_first_use_from_many_threads(core, busy_switching):
    # A new map is compiled lazily; many threads asking at once must all
    # get the right answers.
    for _ in range(5):
        m = fr.Map([fr.Rule(f"/p{i}/<int:x>", endpoint=f"p{i}") for i in range(50)])
        barrier = threading.Barrier(WORKERS)
        results: list[object] = []

        def reader(seed, m=m, barrier=barrier, results=results):
            adapter = m.bind("h")
            barrier.wait()
            try:
                for i in range(seed, 50, WORKERS):
                    results.append(adapter.match(f"/p{i}/{i}") == (f"p{i}", {"x": i}))
                    results.append(adapter.build(f"p{i}", {"x": i}) == f"/p{i}/{i}")
            except Exception as e:
                results.append(repr(e))

        _run_threads([lambda s=s: reader(s) for s in range(WORKERS)])
        assert results == [True] * 100


# --------------------------------------------------------------------------
# deterministic interleavings: a reader in the middle of reading an
# endpoint's rules while another thread runs Map.update()


class _Interleaving:
    """Pauses a reader thread inside a rule method until the updating thread
    is inside ``Map.update`` ordering the rules (``build_compare_key`` reads
    ``rule.alias``), and keeps the updater there until the reader is done."""

    def __init__(self):
        self.reader_paused = threading.Event()
        self.updating = threading.Event()
        self.reader_done = threading.Event()
        self.reader = None
        self.updater = None

    def pause_reader(self):
        if threading.current_thread() is self.reader and not self.reader_paused.is_set():
            self.reader_paused.set()
            self.updating.wait(WAIT_SECONDS)

    def pause_updater(self, caller):
        # Only while the rules are being ordered for building, i.e. when
        # build_compare_key() reads the attribute (a core may read it for
        # other reasons while compiling the matcher).
        if (
            threading.current_thread() is self.updater
            and caller == "build_compare_key"
            and not self.updating.is_set()
        ):
            self.updating.set()
            self.reader_done.wait(WAIT_SECONDS)


def _hook_rule_class(hooks):
    class HookRule(fr.Rule):
        @property
        def alias(self):
            hooks.pause_updater(sys._getframe(1).f_code.co_name)
            return self._alias

        @alias.setter
        def alias(self, value):
            self._alias = value

        def suitable_for(self, values, method=None):
            hooks.pause_reader()
            return super().suitable_for(values, method)

        def provides_defaults_for(self, rule):
            hooks.pause_reader()
            return super().provides_defaults_for(rule)

    return HookRule


def _interleave(m, hooks, read, endpoint_rule):
    """Run *read* in a reader thread; once it is paused, add *endpoint_rule*
    and update the map in this thread.  Returns what *read* returned or raised."""
    result: list[object] = []

    def reader():
        try:
            result.append(("ok", read()))
        except Exception as e:
            result.append(("error", type(e).__name__, str(e)[:200]))
        finally:
            hooks.reader_done.set()

    thread = threading.Thread(target=reader, daemon=True)
    hooks.reader = thread
    hooks.updater = threading.current_thread()
    thread.start()
    assert hooks.reader_paused.wait(WAIT_SECONDS), "the reader never reached the rules"
    m.add(endpoint_rule)
    m.update()
    hooks.updater = None
    thread.join(30)
    assert not thread.is_alive()
    return result[0]


def test_build_while_update_orders_the_endpoints_rules(core):
    hooks = _Interleaving()
    HookRule = _hook_rule_class(hooks)
    m = fr.Map(
        [
            # Sorted first (most arguments), not suitable for {"x": 1}: the
            # reader pauses in its suitable_for().
            HookRule("/ep/<x>/<y>/<z>", endpoint="ep"),
            fr.Rule("/ep/b/<x>", endpoint="ep"),
        ]
    )
    adapter = m.bind("example.com")
    m.update()
    assert adapter.build("ep", {"x": 1}) == "/ep/b/1"
    got = _interleave(
        m,
        hooks,
        lambda: adapter.build("ep", {"x": 1}, method="GET"),
        fr.Rule("/ep/n/<x>/<y>/<z>/<w>", endpoint="ep"),
    )
    # Both rules were added long before: the build must find /ep/b/<x>.
    assert got == ("ok", "/ep/b/1")


def test_match_while_update_orders_the_endpoints_rules(core):
    hooks = _Interleaving()
    HookRule = _hook_rule_class(hooks)
    m = fr.Map(
        [
            # Sorted first (most arguments); the default redirect check pauses
            # the reader in its provides_defaults_for().
            HookRule("/page/<int:n>/<x>/<y>", endpoint="page"),
            fr.Rule("/page/", endpoint="page", defaults={"n": 1}),
            fr.Rule("/page/<int:n>", endpoint="page"),
        ]
    )
    adapter = m.bind("example.com")
    m.update()

    def read():
        try:
            adapter.match("/page/1")
        except fr.RequestRedirect as e:
            return e.new_url
        return "no redirect"

    assert read() == "http://example.com/page/"
    got = _interleave(m, hooks, read, fr.Rule("/page/x/<int:n>/<a>/<b>/<c>", endpoint="page"))
    assert got == ("ok", "http://example.com/page/")
