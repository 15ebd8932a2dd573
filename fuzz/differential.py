"""Differential fuzzing: fastroute.routing against werkzeug.routing, at length.

The same machinery as ``tests/test_differential.py`` (rule sets drawn by the
hypothesis strategies of ``tests/support/strategies.py``, compared by ``check_map``),
run for a number of cases instead of a number of examples, with every
divergence written to a case file instead of failing at the first one::

    python -m fuzz.differential                       # 1,000,000 cases per core
    python -m fuzz.differential --cases 200000 --seed 1 --time-limit 900

(from the repository root: it imports ``tests.support``).

A case is one (rule set, request) comparison or one build comparison.  Each
core runs in a worker process of its own: ``compiled`` (compiled adapter and
matcher) and ``pure`` (``FASTROUTE_NO_EXTENSIONS=1``: the pure-Python
twins).

Every rule set runs under a watchdog (``--rule-set-timeout``).  When it fires
inside werkzeug -- whose regex matcher backtracks exponentially on some dense
rule sets -- the rule set is a *reference timeout*, written to ``fuzz/slow/``
and not counted as a divergence.  When it fires inside fastroute, the call is
run again on fresh maps to tell a hang from a slow reference; a hang is a
divergence.  A hang that ignores signals, or a crash, kills the worker: the
supervisor saves the rule set in flight (with the faulthandler traceback) and
starts a new worker for the remaining cases.

Divergences go to ``--out`` (default ``tests/regressions/``), where
``test_differential.py`` replays them; the format is in
``tests/regressions/README.md``.  A divergence that shows with its one call
on fresh maps is shrunk first (rules, options, arguments removed while the
divergence stays).  The exit status is 1 when anything diverged.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import faulthandler
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import typing as t
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
DEFAULT_OUT = TESTS / "regressions"
DEFAULT_SLOW = ROOT / "fuzz" / "slow"
CORES = ("compiled", "pure")
HAVE_ALARM = hasattr(signal, "setitimer")
MAX_RESTARTS = 50
#: Rule-set kinds and how often each is drawn (see ``tests/support/strategies.py``);
#: "mixed" rule sets put werkzeug's rules, factories and converter classes
#: into the fastroute map beside fastroute's own.
KINDS = ["random"] * 4 + ["host"] + ["dense"] * 2 + ["broken"] + ["mixed"] * 2


def derive(*parts: t.Any) -> int:
    """A 64-bit seed from *parts* (stable across runs and platforms)."""
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Differential fuzzing of fastroute.routing against werkzeug.routing.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to compare per core")
    parser.add_argument("--seed", type=int, default=None, help="seed of the run (default: random, printed)")
    parser.add_argument(
        "--time-limit", type=float, default=None, help="stop after this many seconds (whole run)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where divergences are written")
    parser.add_argument(
        "--slow-dir", type=Path, default=DEFAULT_SLOW, help="where reference timeouts are written"
    )
    parser.add_argument("--core", choices=["both", *CORES], default="both")
    parser.add_argument("--jobs", type=int, choices=[1, 2], default=1, help="cores fuzzed at the same time")
    parser.add_argument("--requests", type=int, default=60, help="requests per rule set")
    parser.add_argument("--builds", type=int, default=20, help="builds per rule set")
    parser.add_argument(
        "--rule-set-timeout", type=float, default=20.0, help="watchdog per rule set, in seconds"
    )
    parser.add_argument(
        "--minimize-seconds", type=float, default=60.0, help="time to shrink one divergence (0: don't)"
    )
    parser.add_argument(
        "--max-saved", type=int, default=200, help="case files written per core and folder at most"
    )
    parser.add_argument("--batch", type=int, default=500, help="rule sets per hypothesis run")
    parser.add_argument("--progress", type=float, default=15.0, help="seconds between progress lines")
    # Internal: the worker process of one core.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inflight", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cases < 1 or args.requests < 0 or args.builds < 0 or args.rule_set_timeout <= 0:
        parser.error("--cases must be positive, --requests/--builds not negative, the timeout positive")
    return args


def write_json(path: Path, data: t.Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="ascii")
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# The worker: one core, one process.


class Timeout(BaseException):
    """Raised by the watchdog's alarm; a BaseException, so that the
    comparison code (which turns exceptions into outcomes) lets it through."""

    def __init__(self, side: str | None, fn: str | None) -> None:
        super().__init__(side, fn)
        self.side = side
        self.fn = fn


class _Stop(BaseException):
    """Ends a hypothesis run early (enough cases, or out of time)."""


COUNTERS = [
    "match",
    "build",
    "construction",
    "rule_sets",
    "divergences",
    "reference_timeouts",
    "saved",
    "mixed",
]


class Worker:
    def __init__(self, args: argparse.Namespace) -> None:
        from tests.support import cores

        from fastroute import _cores

        module = _cores.pure_match if args.core == "pure" else _cores.compiled_match
        if module is None:
            raise SystemExit("the compiled core (fastroute._match) is not built")
        cores.use(module)  # normally the selected one already: the supervisor sets the environment
        from tests import test_differential
        from tests.support import casefiles

        self.args = args
        self.core = module
        self.td = test_differential
        self.casefiles = casefiles
        self.counts: collections.Counter[str] = collections.Counter({key: 0 for key in COUNTERS})
        self.signatures: collections.Counter[t.Any] = collections.Counter()
        self.saved: collections.Counter[Path] = collections.Counter()
        self.start = time.monotonic()
        self.deadline = None if args.time_limit is None else self.start + args.time_limit
        self.last_progress = self.start
        # What is running: the side ("werkzeug"/"fastroute") and function of
        # the latest comparison call, the request being compared, and the
        # time each side used in this rule set.
        self.side: str | None = None
        self.fn: str | None = None
        self.request: tuple[t.Any, ...] | None = None
        self.times = {"werkzeug": 0.0, "fastroute": 0.0}
        self.log = open(args.log, "w") if args.log else sys.stderr  # noqa: SIM115 - open for the process' life
        faulthandler.enable(file=self.log)
        if HAVE_ALARM:
            signal.signal(signal.SIGALRM, self._on_alarm)
        self._hook()

    # -- instrumentation of the comparison functions

    def _hook(self) -> None:
        td = self.td

        def timed(name: str, side_of: t.Callable[..., str]) -> None:
            inner = getattr(td, name)

            def call(*args: t.Any, **kwargs: t.Any) -> t.Any:
                side = side_of(*args)
                self.side, self.fn = side, name
                start = time.perf_counter()
                try:
                    return inner(*args, **kwargs)
                finally:
                    self.times[side] += time.perf_counter() - start
                    self.side = None

            setattr(td, name, call)

        def by_object(obj: t.Any, *_: t.Any) -> str:
            return "werkzeug" if type(obj).__module__.startswith("werkzeug") else "fastroute"

        def by_module(_spec: t.Any, mod: t.Any) -> str:
            return "werkzeug" if mod.__name__.startswith("werkzeug") else "fastroute"

        for name in ("do_bind", "do_match", "do_test", "do_allowed", "do_build"):
            timed(name, by_object)
        timed("construct", by_module)

        check_request, check_build = td.check_request, td.check_build

        def request(wmap: t.Any, fmap: t.Any, spec: t.Any, bind: t.Any, match: t.Any) -> t.Any:
            self.request = ("match", bind, match)
            return check_request(wmap, fmap, spec, bind, match)

        def build(wmap: t.Any, fmap: t.Any, spec: t.Any, case: t.Any) -> None:
            self.request = ("build", case)
            check_build(wmap, fmap, spec, case)

        td.check_request, td.check_build = request, build

    def _on_alarm(self, signum: int, frame: t.Any) -> None:
        raise Timeout(self.side, self.fn)

    @contextlib.contextmanager
    def watchdog(self, seconds: float) -> t.Iterator[None]:
        """Interrupt the block after *seconds* (:class:`Timeout`); should the
        alarm not get through (a hang in C), faulthandler ends the process
        a while later and the supervisor reports the rule set in flight."""
        faulthandler.dump_traceback_later(seconds * 3 + 10, exit=True, file=self.log)
        if HAVE_ALARM:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            if HAVE_ALARM:
                signal.setitimer(signal.ITIMER_REAL, 0)
            faulthandler.cancel_dump_traceback_later()

    # -- the run

    def cases(self) -> int:
        return self.counts["match"] + self.counts["build"]

    def finished(self) -> bool:
        return self.cases() >= self.args.cases or (
            self.deadline is not None and time.monotonic() >= self.deadline
        )

    def run(self) -> int:
        from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings, strategies as st
        from tests.support import strategies as strat

        by_kind = {
            "random": strat.map_specs(),
            "host": strat.map_specs(host_matching=True),
            "dense": strat.dense_map_specs(),
            "broken": strat.maybe_broken_map_specs(),
            "mixed": strat.mixed_map_specs(),
        }

        @st.composite
        def rule_sets(draw: t.Any) -> tuple[str, t.Any, int]:
            kind = draw(st.sampled_from(KINDS))
            return kind, draw(by_kind[kind]), draw(st.integers(0, 2**32 - 1))

        batch = 0
        try:
            while not self.finished():

                @seed(derive(self.args.seed, batch))
                @settings(
                    max_examples=self.args.batch,
                    database=None,
                    deadline=None,
                    derandomize=False,
                    phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck),
                    verbosity=Verbosity.quiet,
                    report_multiple_bugs=False,
                )
                @given(case=rule_sets())
                def body(case: tuple[str, t.Any, int]) -> None:
                    if self.finished():
                        raise _Stop()
                    self.rule_set(*case)

                with contextlib.suppress(_Stop):
                    body()
                batch += 1
        except KeyboardInterrupt:
            self.write_state(done=False)
            return 130
        self.progress(force=True)
        self.write_state(done=True)
        return 0

    def sizes(self, kind: str) -> tuple[int, int]:
        if kind == "broken":  # as in test_construction: most of these do not build
            return self.args.requests // 3, self.args.builds // 3
        return self.args.requests, self.args.builds

    def rule_set(self, kind: str, spec: t.Any, seed: int) -> None:
        requests, builds = self.sizes(kind)
        name = self.core.__name__
        before = {key: self.td.CASES[name, key] for key in ("match", "build", "construction")}
        self.request = None
        self.times = {"werkzeug": 0.0, "fastroute": 0.0}
        self.write_inflight(kind, spec, seed, requests, builds)
        try:
            try:
                with self.watchdog(self.args.rule_set_timeout):
                    self.td.check_map(spec, seed, self.core, requests, builds)
            except self.td.Divergence as found:
                self.on_divergence(found, kind, spec, seed, requests, builds)
            except Timeout as stop:
                self.on_timeout(stop, kind, spec, seed, requests, builds)
            except Exception as e:
                self.on_error(e, kind, spec, seed, requests, builds)
        except Timeout:  # an alarm at the very end of a handler's watchdog
            pass
        except Exception:  # a bug of this runner: report it, go on
            self.counts["divergences"] += 1
            print(f"[{self.args.core}] the runner failed on {spec!r:.2000}", file=sys.stderr)
            traceback.print_exc()
        for key, value in before.items():
            self.counts[key] += self.td.CASES[name, key] - value
            if kind == "mixed" and key != "construction":  # cases of mixed maps
                self.counts["mixed"] += self.td.CASES[name, key] - value
        self.counts["rule_sets"] += 1
        self.progress()

    # -- reports

    def call_of(self, request: tuple[t.Any, ...] | None) -> dict[str, t.Any]:
        if request is None:
            return {"op": "construct"}
        if request[0] == "match":
            return {"op": "match", "bind": request[1], "match": request[2]}
        case = request[1]
        return {
            "op": "build",
            "bind": case.bind,
            "endpoint": case.endpoint,
            "values": case.values,
            "kwargs": case.kwargs,
        }

    def new_case(
        self, kind: str, what: str, spec: t.Any, seed: int, requests: int, builds: int, call: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        if call["op"] == "construct":
            requests = builds = 0
        from importlib.metadata import version

        return {
            "kind": kind,
            "what": what,
            "core": self.args.core,
            "spec": spec,
            "map": repr(spec),
            "seed": seed,
            "requests": requests,
            "builds": builds,
            "standalone": False,
            "call": call,
            "versions": {"fastroute": version("fastroute"), "werkzeug": version("werkzeug")},
        }

    def save(self, case: dict[str, t.Any], directory: Path) -> Path | None:
        directory = directory.resolve()
        if self.saved[directory] >= self.args.max_saved:
            return None
        slug = "".join(c if c.isalnum() else "-" for c in case["what"]).strip("-") or "call"
        prefix = f"{self.args.core}-{case['kind']}-{slug}"
        try:
            path = self.casefiles.save(case, directory, prefix)
        except self.casefiles.EncodeError as e:  # keep what can be kept
            case = {**case, "spec": None, "call": {"op": "unwritable"}, "note": str(e)}
            path = self.casefiles.save(case, directory, prefix)
        self.saved[directory] += 1
        self.counts["saved"] += 1
        try:
            shown = path.relative_to(Path.cwd())
        except ValueError:
            shown = path
        print(
            f"[{self.args.core}] {case['kind']} ({case['what']}) saved to {shown}",
            file=sys.stderr,
            flush=True,
        )
        return path

    def on_divergence(
        self, found: t.Any, kind: str, spec: t.Any, seed: int, requests: int, builds: int
    ) -> None:
        self.counts["divergences"] += 1
        case = self.new_case(
            "divergence", found.what, spec, seed, requests, builds, self.call_of(self.request)
        )
        case.update(werkzeug=found.expected, fastroute=found.got, message=str(found))
        signature = (found.what, _head(found.expected), _head(found.got))
        self.signatures[signature] += 1
        if case["call"]["op"] in ("match", "build"):
            # Does the call alone, on fresh maps, show the divergence?
            again = self.replay({**case, "standalone": True})
            if isinstance(again, self.td.Divergence) and again.what == found.what:
                case["standalone"] = True
                # Shrink the first few of each kind; the rest are saved as found.
                if self.args.minimize_seconds > 0 and self.signatures[signature] <= 3:
                    case = self.minimize(case)
        self.save(case, self.args.out)

    def on_timeout(
        self, stop: Timeout, kind: str, spec: t.Any, seed: int, requests: int, builds: int
    ) -> None:
        request = self.request
        times = dict(self.times)
        call = self.call_of(request)
        case = self.new_case("timeout", stop.fn or "check_map", spec, seed, requests, builds, call)
        case["note"] = {"side": stop.side, "seconds": {k: round(v, 3) for k, v in times.items()}}
        if stop.side == "werkzeug":
            verdict = "reference"
        else:
            # Run the fastroute call again on its own: a hang, or werkzeug
            # having used up the rule set's time before it?
            hung = self.fastroute_alone(spec, request)
            if hung and self.werkzeug_alone_hangs(spec, request):
                # werkzeug's regex backtracks as long on this call (its
                # per-call budget ran out first, so fastroute was run with
                # nothing to compare): the same behaviour, no divergence.
                verdict = "reference"
            elif hung:
                verdict = "hang"
            elif times["werkzeug"] >= times["fastroute"]:
                verdict = "reference"
            else:
                verdict = "slow"
        if verdict == "reference":
            self.counts["reference_timeouts"] += 1
            case["kind"] = "reference-timeout"
            case["message"] = (
                f"werkzeug did not finish the rule set within {self.args.rule_set_timeout} s "
                f"(werkzeug {times['werkzeug']:.1f} s, fastroute {times['fastroute']:.1f} s)"
            )
            self.save(case, self.args.slow_dir)
            return
        self.counts["divergences"] += 1
        case["message"] = (
            f"fastroute {'hangs in' if verdict == 'hang' else 'is slow in'} {stop.fn}: no answer within "
            f"{self.args.rule_set_timeout} s (werkzeug {times['werkzeug']:.1f} s, fastroute {times['fastroute']:.1f} s)"
        )
        case["standalone"] = verdict == "hang" and call["op"] in ("match", "build")
        self.save(case, self.args.out)

    def on_error(
        self, error: Exception, kind: str, spec: t.Any, seed: int, requests: int, builds: int
    ) -> None:
        self.counts["divergences"] += 1
        case = self.new_case("error", type(error).__name__, spec, seed, requests, builds, {"op": "map"})
        case["message"] = "".join(traceback.format_exception(error))[-6000:]
        self.save(case, self.args.out)

    def fastroute_alone(self, spec: t.Any, request: tuple[t.Any, ...] | None) -> bool:
        """Whether fastroute alone hangs on *request* (fresh map; no werkzeug)."""
        import fastroute.routing as fr

        try:
            with self.watchdog(self.args.rule_set_timeout):
                adapter = self.fresh_adapter(fr, spec, request)
                if adapter is not None:
                    self.run_request(adapter, request, every_check=True)  # type: ignore[arg-type]
        except Timeout:
            return True
        except Exception:
            return False
        return False

    def werkzeug_alone_hangs(self, spec: t.Any, request: tuple[t.Any, ...] | None) -> bool:
        """Whether werkzeug alone, on a fresh map, spends more CPU time than
        the rule-set watchdog allows on *request*."""
        import werkzeug.routing as wr

        td = self.td
        try:
            adapter = self.fresh_adapter(wr, spec, request)
            if adapter is not None:
                td.reference(lambda: self.run_request(adapter, request), self.args.rule_set_timeout)  # type: ignore[arg-type]
        except td.SlowReference:
            return True
        except Exception:
            return False
        return False

    def fresh_adapter(self, routing: t.Any, spec: t.Any, request: tuple[t.Any, ...] | None) -> t.Any:
        """*spec* built anew with *routing* (werkzeug's or fastroute's module)
        and bound as *request* binds; None when either step fails."""
        td = self.td
        rmap, _ = td.construct(spec, routing)
        if rmap is None or request is None:
            return None
        bind = request[1] if request[0] == "match" else request[1].bind
        adapter, _ = td.do_bind(rmap, bind)
        return adapter

    def run_request(self, adapter: t.Any, request: tuple[t.Any, ...], every_check: bool = False) -> None:
        """The call of *request* (``match``, plus ``test()`` and
        ``allowed_methods()`` with *every_check*; or ``build``)."""
        td = self.td
        if request[0] == "match":
            match = request[2]
            td.do_match(adapter, match)
            if every_check:
                td.do_test(adapter, match.get("path_info"), match.get("method"))
                td.do_allowed(adapter, match.get("path_info"))
        else:
            case = request[1]
            td.do_build(adapter, case.endpoint, case.values, case.kwargs)

    def replay(self, case: dict[str, t.Any]) -> BaseException | None:
        """``replay_case`` under the watchdog: the Divergence or other
        exception it raised, or None."""
        try:
            with self.watchdog(self.args.rule_set_timeout):
                self.td.replay_case(case, self.core)
        except (Exception, Timeout) as e:
            return e
        return None

    def minimize(self, case: dict[str, t.Any]) -> dict[str, t.Any]:
        """Greedily drop rules, options and arguments while the call still
        diverges in the same comparison."""
        what = case["what"]
        deadline = time.monotonic() + self.args.minimize_seconds
        current = case
        changed = True
        while changed and time.monotonic() < deadline:
            changed = False
            for candidate in shrink_candidates(current):
                if time.monotonic() >= deadline:
                    break
                again = self.replay(candidate)
                if isinstance(again, self.td.Divergence) and again.what == what:
                    current = {**candidate, "werkzeug": again.expected, "fastroute": again.got}
                    current["message"] = str(again)
                    changed = True
                    break
        if current is not case:
            current["minimized"] = True
            current["original_map"] = case["map"]
            current["map"] = repr(current["spec"])
        return current

    # -- state for the supervisor

    def write_inflight(self, kind: str, spec: t.Any, seed: int, requests: int, builds: int) -> None:
        if not self.args.inflight:
            return
        try:
            encoded = self.casefiles.encode(spec)
        except self.casefiles.EncodeError:
            encoded = None
        write_json(
            self.args.inflight,
            {
                "kind": kind,
                "spec": encoded,
                "map": repr(spec),
                "seed": seed,
                "requests": requests,
                "builds": builds,
                "counts": self.counts,  # so far: the supervisor's tally if this worker dies
            },
        )

    def write_state(self, done: bool) -> None:
        if self.args.state:
            write_json(self.args.state, {**self.counts, "done": done})

    def progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_progress < self.args.progress:
            return
        self.last_progress = now
        self.write_state(done=False)
        elapsed = now - self.start
        c = self.counts
        print(
            f"[{self.args.core}] {self.cases():,} cases ({self.cases() / max(elapsed, 1e-9):,.0f}/s), "
            f"{c['rule_sets']:,} rule sets, {c['divergences']} divergences, "
            f"{c['reference_timeouts']} reference timeouts, {elapsed:,.0f} s",
            file=sys.stderr,
            flush=True,
        )


def _head(outcome: t.Any) -> t.Any:
    if isinstance(outcome, tuple) and outcome:
        return outcome[0] if isinstance(outcome[0], str) else type(outcome[0]).__name__
    return type(outcome).__name__


# --------------------------------------------------------------------------
# Shrinking a standalone divergence.


def _entry_paths(entries: list[t.Any], prefix: tuple[int, ...] = ()) -> t.Iterator[tuple[int, ...]]:
    for i, entry in enumerate(entries):
        yield (*prefix, i)
        children = getattr(entry, "children", None)
        if children is not None:
            yield from _entry_paths(children, (*prefix, i))


def _without_entry(spec: t.Any, path: tuple[int, ...]) -> t.Any:
    spec = copy.deepcopy(spec)
    if len(path) == 1:
        index = path[0]
        first = len(spec.entries) - sum(step.add for step in spec.steps)
        if index >= first:  # added by a step: that step adds one fewer
            end = first
            for step in spec.steps:
                end += step.add
                if index < end:
                    step.add -= 1
                    break
        del spec.entries[index]
        return spec
    entries = spec.entries
    for index in path[:-1]:
        entries = entries[index].children
    del entries[path[-1]]
    return spec


def shrink_candidates(case: dict[str, t.Any]) -> t.Iterator[dict[str, t.Any]]:
    """Smaller variants of *case*, the biggest cuts first."""
    spec = case["spec"]
    paths = sorted(_entry_paths(spec.entries), key=len)
    for path in paths:
        yield {**case, "spec": _without_entry(spec, path)}
    for i, step in enumerate(spec.steps):
        smaller = copy.deepcopy(spec)
        del smaller.steps[i]
        if i > 0:  # its rules are added by the step before instead
            smaller.steps[i - 1].add += step.add
        yield {**case, "spec": smaller}
        for key in step.changes:
            smaller = copy.deepcopy(spec)
            del smaller.steps[i].changes[key]
            yield {**case, "spec": smaller}
        if step.warm:
            smaller = copy.deepcopy(spec)
            smaller.steps[i].warm = False
            yield {**case, "spec": smaller}
    for key in spec.options:
        smaller = copy.deepcopy(spec)
        del smaller.options[key]
        yield {**case, "spec": smaller}
    if spec.override_default:
        smaller = copy.deepcopy(spec)
        smaller.override_default = False
        yield {**case, "spec": smaller}
    for path in paths:
        entries = spec.entries
        for index in path[:-1]:
            entries = entries[index].children
        entry = entries[path[-1]]
        if not hasattr(entry, "kwargs"):
            continue
        for key in entry.kwargs:
            if key != "endpoint":
                smaller = copy.deepcopy(spec)
                target = smaller.entries
                for index in path[:-1]:
                    target = target[index].children
                del target[path[-1]].kwargs[key]
                yield {**case, "spec": smaller}
        if entry.cls != "Rule":
            smaller = copy.deepcopy(spec)
            target = smaller.entries
            for index in path[:-1]:
                target = target[index].children
            target[path[-1]].cls = "Rule"
            yield {**case, "spec": smaller}
    call = case["call"]
    for part, keep in (("bind", {"server_name", "environ"}), ("match", {"path_info"}), ("kwargs", set())):
        args = call.get(part)
        if isinstance(args, dict):
            for key in args:
                if key not in keep:
                    yield {**case, "call": {**call, part: {k: v for k, v in args.items() if k != key}}}
    values = call.get("values")
    if type(values) is dict:
        for key in values:
            yield {**case, "call": {**call, "values": {k: v for k, v in values.items() if k != key}}}


# --------------------------------------------------------------------------
# The supervisor: one worker per core, restarted after a crash.


class Supervisor:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
        self.totals: dict[str, collections.Counter[str]] = {}
        self.tmp = Path(tempfile.mkdtemp(prefix="fastroute-fuzz-"))
        self.lock = threading.Lock()

    def cores(self) -> list[str]:
        wanted = list(CORES) if self.args.core == "both" else [self.args.core]
        if "compiled" in wanted:
            found = subprocess.run(
                [sys.executable, "-c", "import fastroute._match"], capture_output=True, check=False
            )
            if found.returncode != 0:
                if self.args.core == "compiled":
                    raise SystemExit("the compiled core (fastroute._match) is not built")
                print("compiled core not built: fuzzing the pure core only", file=sys.stderr)
                wanted.remove("compiled")
        return wanted

    def run(self) -> int:
        args = self.args
        cores = self.cores()
        limit = f", time limit {args.time_limit:g} s" if args.time_limit else ""
        print(
            f"differential fuzzing: seed {self.seed}, {args.cases:,} cases per core ({', '.join(cores)}){limit}",
            file=sys.stderr,
            flush=True,
        )
        start = time.monotonic()
        deadline = None if args.time_limit is None else start + args.time_limit
        try:
            if args.jobs == 1:
                for i, core in enumerate(cores):
                    share = None
                    if deadline is not None:  # the time left, split among the cores left
                        share = time.monotonic() + (deadline - time.monotonic()) / (len(cores) - i)
                    self.run_core(core, share)
            else:
                threads = [threading.Thread(target=self.run_core, args=(core, deadline)) for core in cores]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
        finally:
            for path in self.tmp.iterdir():
                path.unlink()
            self.tmp.rmdir()
        return self.report(time.monotonic() - start)

    def run_core(self, core: str, deadline: float | None) -> None:
        args = self.args
        totals = self.totals.setdefault(core, collections.Counter({key: 0 for key in [*COUNTERS, "crashes"]}))
        for restart in range(MAX_RESTARTS + 1):
            left = args.cases - (totals["match"] + totals["build"])
            remaining = None if deadline is None else deadline - time.monotonic()
            if left <= 0 or (remaining is not None and remaining <= 1):
                return
            files = {name: self.tmp / f"{core}-{restart}.{name}" for name in ("state", "inflight", "log")}
            argv = [
                sys.executable,
                "-m",
                "fuzz.differential",
                "--worker",
                "--core", core,
                "--cases", str(left),
                "--seed", str(derive(self.seed, core, restart)),
                "--out", str(args.out),
                "--slow-dir", str(args.slow_dir),
                "--requests", str(args.requests),
                "--builds", str(args.builds),
                "--rule-set-timeout", str(args.rule_set_timeout),
                "--minimize-seconds", str(args.minimize_seconds),
                "--max-saved", str(max(args.max_saved - totals["saved"], 0)),
                "--batch", str(args.batch),
                "--progress", str(args.progress),
                *(f"--{name}={path}" for name, path in files.items()),
            ]  # fmt: skip
            if remaining is not None:
                argv += ["--time-limit", str(remaining)]
            env = dict(os.environ)
            env.pop("FASTROUTE_NO_EXTENSIONS", None)
            if core == "pure":
                env["FASTROUTE_NO_EXTENSIONS"] = "1"
            # The worker imports tests.support from the repository root.
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
            child = subprocess.Popen(argv, env=env)
            try:
                code = child.wait()
            except KeyboardInterrupt:
                code = child.wait()
                self.add_state(totals, files["state"], files["inflight"])
                raise
            state = self.add_state(totals, files["state"], files["inflight"])
            if code == 0 and state.get("done"):
                return
            if code == 130:
                raise KeyboardInterrupt
            self.save_crash(core, code, files, totals)

    def add_state(self, totals: collections.Counter[str], path: Path, inflight: Path) -> dict[str, t.Any]:
        """Add a finished worker's counts to *totals*: from its final state,
        or, if it died, from the rule set it was comparing."""
        state: dict[str, t.Any] = {}
        with contextlib.suppress(OSError, ValueError):
            state = json.loads(path.read_text(encoding="ascii"))
        if not state.get("done"):
            with contextlib.suppress(OSError, ValueError):
                state = {**json.loads(inflight.read_text(encoding="ascii"))["counts"], "done": False}
        with self.lock:
            for key in COUNTERS:
                totals[key] += state.get(key, 0)
        return state

    def save_crash(
        self, core: str, code: int, files: dict[str, Path], totals: collections.Counter[str]
    ) -> None:
        """The worker died: save the rule set it was comparing."""
        from tests.support import casefiles

        try:
            inflight = json.loads(files["inflight"].read_text(encoding="ascii"))
        except (OSError, ValueError):
            inflight = {}
        try:
            log = files["log"].read_text(encoding="utf-8", errors="replace")[-6000:]
        except OSError:
            log = ""
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        print(f"[{core}] worker died ({how}); saving the rule set in flight", file=sys.stderr, flush=True)
        with self.lock:
            totals["crashes"] += 1
            totals["divergences"] += 1
            if inflight.get("spec") is None:
                return
            case = {
                "format": casefiles.FORMAT,
                "kind": "crash",
                "what": "check_map",
                "core": core,
                "spec": inflight["spec"],
                "map": inflight.get("map"),
                "seed": inflight["seed"],
                "requests": inflight["requests"],
                "builds": inflight["builds"],
                "standalone": False,
                "call": {"op": "map"},
                "message": f"worker {how}\n{log}",
            }
            text = json.dumps(case, indent=1, ensure_ascii=True) + "\n"
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            self.args.out.mkdir(parents=True, exist_ok=True)
            path = self.args.out / f"{core}-crash-check-map-{digest}.json"
            path.write_text(text, encoding="ascii")
            totals["saved"] += 1
            print(f"[{core}] crash saved to {path}", file=sys.stderr, flush=True)

    def report(self, elapsed: float) -> int:
        lines = [f"differential fuzzing done in {elapsed:,.0f} s (seed {self.seed})"]
        all_cases = all_divergences = 0
        for core, c in self.totals.items():
            cases = c["match"] + c["build"]
            all_cases += cases
            all_divergences += c["divergences"]
            lines.append(
                f"  {core:8} {cases:>12,} cases ({c['match']:,} requests, {c['build']:,} builds; "
                f"{c['mixed']:,} of them on maps mixing werkzeug's objects; "
                f"{c['construction']:,} invalid maps compared), {c['rule_sets']:,} rule sets, "
                f"{c['divergences']} divergences ({c['crashes']} crashes), "
                f"{c['reference_timeouts']} reference timeouts"
            )
        lines.append(f"  total    {all_cases:>12,} cases, {all_divergences} divergences")
        if all_divergences:
            lines.append(f"  case files: {self.args.out}")
        print("\n".join(lines), flush=True)
        return 1 if all_divergences else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return Worker(args).run()
    return Supervisor(args).run()


if __name__ == "__main__":
    sys.exit(main())
