"""Measuring: routers, the equality check, timing, the child process, the table.

Every router is wrapped as ``match(method, path) -> result`` and every result
is reduced by :func:`describe` to a comparable tuple.  Before anything is
timed, each router's answers to every request of every case are compared with
werkzeug's: exactly for the werkzeug family (endpoint and arguments, error
type, allowed methods, redirect URL), by endpoint and arguments for hits and
by the kind of error otherwise for the other routers.  ``build`` is checked
URL by URL.  A mismatch stops the run (:class:`Mismatch`).  The repository's
``bench/`` (pytest-benchmark suites, ``report.py``) measures through the same
routers, :class:`Session` and check.

fastroute's ``Map``/``MapAdapter`` take their base classes from the core
chosen at import, so only one core runs in this process; the other one
(normally the pure twin, with ``FASTROUTE_NO_EXTENSIONS=1``) is measured by
running ``python -m fastroute bench`` again in a child process, handed
werkzeug's answers in a file so it checks against the same answers.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import typing as t
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import tables as tb

WERKZEUG = "werkzeug"
COMPILED = "fastroute-compiled"
PURE = "fastroute-pure"
WERKZEUG_FAMILY = (WERKZEUG, COMPILED, PURE)
OTHERS = ("falcon", "sanic-routing", "http-router")
SERVER_NAME = "example.com"

MATCH = "match"
URL_BUILD = "build"
MAP_BUILD = "map build"

SECTIONS = {
    "tables": "Matching, per request",
    "build": "URL building (MapAdapter.build), per URL",
    "scaling": "Scaling: match per request (90% hits / 5% 404 / 5% 405)",
    "map build": "Scaling: Map build (rules -> Map -> bind -> first match)",
}


class Mismatch(AssertionError):
    """A router answered differently from werkzeug; nothing is timed."""


@dataclass(frozen=True)
class Settings:
    """How long and how much to measure."""

    name: str
    requests: int  # requests per case
    repeat: int  # samples per measurement (the median is reported)
    target: float  # seconds per sample
    sizes: tuple[int, ...]  # synthetic table sizes
    build_samples: int  # Map builds per size (fewer at 10,000 rules)
    others_max: int = 10**9  # largest synthetic table the other routers match

    @classmethod
    def of(cls, mode: str) -> Settings:
        if mode == "smoke":  # seconds; the numbers mean nothing
            return cls("smoke", 40, 1, 0.0005, (10, 100), 1)
        if mode == "quick":
            # More requests per case than http-router caches (1,024
            # results), so that its cache cannot answer the dynamic cases
            # (whose requests are mostly, not all, distinct).  The other
            # routers skip the 10,000-rule table: http-router alone would
            # take seconds there, at 0.0x.
            return cls("quick", 1600, 3, 0.01, tb.SCALING_SIZES, 3, others_max=1000)
        return cls("full", 2100, 7, 0.05, tb.SCALING_SIZES, 7)


@dataclass(frozen=True)
class Job:
    """One measurement: *kind* of *table*/*case* with *router*."""

    section: str
    kind: str  # MATCH, URL_BUILD or MAP_BUILD
    table: str
    case: str
    router: str

    @property
    def label(self) -> str:
        if self.section in ("scaling", "map build"):
            return f"{len(tb.get_table(self.table)):,} rules"
        return f"{self.table} {self.case}" if self.kind == MATCH else self.table

    @property
    def what(self) -> str:
        """For the progress bar."""
        if self.section == "tables":
            return self.label
        return f"{self.label} ({self.section})"


@dataclass
class Record:
    section: str
    kind: str
    table: str
    case: str
    rules: int
    router: str
    median_ns: float
    ratio_vs_werkzeug: float | None = None  # werkzeug time / router time


# -- which routers can run here ------------------------------------------------------


def _importable(name: str) -> bool:
    try:
        if name == "falcon":
            import falcon.routing  # noqa: F401
        elif name == "sanic-routing":
            import sanic_routing  # noqa: F401
        elif name == "http-router":
            import http_router  # noqa: F401
        else:
            return False
    except Exception:  # any failure means "not available"
        return False
    return True


def in_process_fastroute() -> str:
    """The fastroute configuration this process runs (fixed at import)."""
    from fastroute import _cores

    return COMPILED if _cores.match_core is _cores.compiled_match else PURE


def child_fastroute() -> dict[str, dict[str, str]]:
    """fastroute configurations that need a child process: name -> environment."""
    from fastroute import _cores

    if in_process_fastroute() == COMPILED:
        return {PURE: {"FASTROUTE_NO_EXTENSIONS": "1"}}
    if _cores.compiled_match is not None:  # forced pure here; the compiled core is built
        return {COMPILED: {"FASTROUTE_NO_EXTENSIONS": ""}}
    return {}


def in_process_routers() -> list[str]:
    """Routers this process can measure: werkzeug, its fastroute, the importable others."""
    return [WERKZEUG, in_process_fastroute(), *(n for n in OTHERS if _importable(n))]


def available() -> list[str]:
    """Routers measurable here or in a child process, werkzeug first."""
    names = [*in_process_routers(), *child_fastroute()]
    names.sort(key=lambda n: (*WERKZEUG_FAMILY, *OTHERS).index(n))
    return names


def supports(router: str, job_kind: str, table: str) -> bool:
    """The other routers take plain matching only (no custom converters, no
    redirects, no URL building, no Map build)."""
    if router in WERKZEUG_FAMILY:
        return True
    return job_kind == MATCH and tb.get_table(table).plain


# -- routers as match(method, path) -----------------------------------------------------

NOT_FOUND = "404"
NOT_ALLOWED = "405"


def routing_module(router: str) -> t.Any:
    if router == WERKZEUG:
        import werkzeug.routing as mod
    else:
        import fastroute.routing as mod
    return mod


def make_map(router: str, rules: t.Iterable[t.Any], table: tb.Table) -> t.Any:
    """A Map of *rules* for *router*; the table's custom converters are
    classes derived from that router's own ``BaseConverter``."""
    mod = routing_module(router)
    converters = {
        name: type(f"{name.title()}Converter", (mod.BaseConverter,), {"regex": regex})
        for name, (regex, _) in table.converters.items()
    }
    return mod.Map(rules, converters=converters)


def make_adapter(router: str, table: tb.Table) -> t.Any:
    mod = routing_module(router)
    return make_map(router, tb.make_rules(mod.Rule, table), table).bind(SERVER_NAME)


def _werkzeug_api(adapter: t.Any) -> t.Callable[[str, str], t.Any]:
    from werkzeug.exceptions import HTTPException

    adapter_match = adapter.match

    def match(method: str, path: str) -> t.Any:
        try:
            return adapter_match(path, method)
        except HTTPException as e:  # NotFound, MethodNotAllowed, RequestRedirect
            return e

    return match


def _braces(path: str) -> str:
    return tb.VAR.sub(r"{\2}", path)


def _by_path(table: tb.Table) -> dict[str, dict[str, str]]:
    grouped: dict[str, dict[str, str]] = {}
    for r in table.routes:
        grouped.setdefault(r.path, {})[r.method] = r.endpoint
    return grouped


def _falcon_responder(req: t.Any, resp: t.Any, **params: t.Any) -> None:
    pass


class _FalconResource:
    def __init__(self, endpoints: dict[str, str]) -> None:
        self.endpoints = endpoints
        for method in endpoints:
            setattr(self, f"on_{method.lower()}", _falcon_responder)


def _falcon(table: tb.Table) -> t.Callable[[str, str], t.Any]:
    from falcon.routing import CompiledRouter

    router = CompiledRouter()
    for path, endpoints in _by_path(table).items():
        router.add_route(_braces(path), _FalconResource(endpoints))
    find = router.find

    def match(method: str, path: str) -> t.Any:
        found = find(path)
        if found is None:
            return NOT_FOUND
        endpoint = found[0].endpoints.get(method)  # what falcon's App does with its method map
        if endpoint is None:
            return NOT_ALLOWED
        return endpoint, found[2]

    return match


def _sanic(table: tb.Table) -> t.Callable[[str, str], t.Any]:
    from sanic_routing import BaseRouter
    from sanic_routing.exceptions import NoMethod, NotFound as SanicNotFound

    class Router(BaseRouter):  # type: ignore[misc]
        def get(self, path: str, method: str, extra: t.Any = None) -> t.Any:
            return self.resolve(path=path, method=method, extra=extra)

    router = Router()
    for i, r in enumerate(table.routes):
        router.add(r.path, r.endpoint, methods=[r.method], name=f"r{i}")
    router.finalize()
    resolve = router.get

    def match(method: str, path: str) -> t.Any:
        try:
            _, endpoint, params = resolve(path, method)
        except SanicNotFound:
            return NOT_FOUND
        except NoMethod:
            return NOT_ALLOWED
        return endpoint, params

    return match


def _http_router(table: tb.Table) -> t.Callable[[str, str], t.Any]:
    from http_router import Router
    from http_router.exceptions import InvalidMethodError, NotFoundError

    router = Router(unquote_params=False)  # werkzeug does not unquote either
    for r in table.routes:
        router.bind(r.endpoint, _braces(r.path), methods=[r.method])

    def match(method: str, path: str) -> t.Any:
        try:
            found = router(path, method)
        except NotFoundError:
            return NOT_FOUND
        except InvalidMethodError:
            return NOT_ALLOWED
        return found.target, found.params

    return match


def describe(result: t.Any) -> tuple[t.Any, ...]:
    """A comparable form of one match result."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound
    from werkzeug.routing import RequestRedirect

    if isinstance(result, RequestRedirect):
        return ("redirect", result.new_url)
    if isinstance(result, MethodNotAllowed):
        return ("405", frozenset(result.valid_methods or ()))
    if isinstance(result, NotFound):
        return ("404",)
    if isinstance(result, BaseException):
        return (type(result).__name__,)
    if result == NOT_FOUND:
        return ("404",)
    if result == NOT_ALLOWED:
        return ("405",)
    endpoint, args = result
    return ("hit", endpoint, dict(args or {}))


def _coarse(described: tuple[t.Any, ...]) -> tuple[t.Any, ...]:
    return described if described[0] == "hit" else described[:1]


# -- the session: routers built once, answers checked once ----------------------------------


def measure(
    fn: t.Callable[[], object],
    ops: int,
    repeat: int,
    target: float,
    timer: t.Callable[[], float] = time.perf_counter,
) -> float:
    """Median seconds per operation; one call of *fn* performs *ops* operations."""
    fn()  # warm up
    start = timer()
    fn()
    once = max(timer() - start, 1e-7)
    number = max(1, round(target / once))
    samples = []
    for _ in range(repeat):
        start = timer()
        for _ in range(number):
            fn()
        samples.append((timer() - start) / number)
    return statistics.median(samples) / ops


Answers = dict[tuple[str, ...], list[t.Any]]


@dataclass
class Session:
    settings: Settings
    routers: list[str]
    answers: Answers = field(default_factory=dict)  # werkzeug's, per (kind, table, case)
    _checked: set[Job] = field(default_factory=set)
    _matchers: dict[tuple[str, str], t.Callable[[str, str], t.Any]] = field(default_factory=dict)
    _adapters: dict[tuple[str, str], t.Any] = field(default_factory=dict)

    # -- jobs

    def jobs(self) -> list[Job]:
        s = self.settings
        cases = [(name, case) for name in tb.FILE_TABLES for case in tb.cases_of(name)]
        cases.insert(3, ("github-slash", "redirects"))
        jobs = [Job("tables", MATCH, name, case, r) for name, case in cases for r in self.routers]
        jobs += [Job("build", URL_BUILD, name, "build", r) for name in tb.FILE_TABLES for r in self.routers]
        jobs += [
            Job("scaling", MATCH, f"rest{n}", "mix", r)
            for n in s.sizes
            for r in self.routers
            if r in WERKZEUG_FAMILY or n <= s.others_max
        ]
        jobs += [Job("map build", MAP_BUILD, f"rest{n}", "build", r) for n in s.sizes for r in self.routers]
        return [j for j in jobs if supports(j.router, j.kind, j.table)]

    # -- routers

    def adapter(self, router: str, table: str) -> t.Any:
        key = (router, table)
        if key not in self._adapters:
            self._adapters[key] = make_adapter(router, tb.get_table(table))
        return self._adapters[key]

    def matcher(self, router: str, table: str) -> t.Callable[[str, str], t.Any]:
        key = (router, table)
        if key not in self._matchers:
            if router in WERKZEUG_FAMILY:
                self._matchers[key] = _werkzeug_api(self.adapter(router, table))
            else:
                make = {"falcon": _falcon, "sanic-routing": _sanic, "http-router": _http_router}[router]
                self._matchers[key] = make(tb.get_table(table))
        return self._matchers[key]

    def requests(self, table: str, case: str) -> tuple[tb.Request, ...]:
        return tb.case_requests(table, case, self.settings.requests)

    def pairs(self, table: str, case: str) -> list[tuple[str, str]]:
        """``(method, path)`` of each request of a case, as the routers take them."""
        return [(r.method, r.path) for r in self.requests(table, case)]

    def first_hit(self, table: str) -> tb.Request:
        """The first hit of the table's mix: what a Map build's first match asks."""
        return next(r for r in self.requests(table, "mix") if r.kind == "hit")

    def checked_match(
        self, router: str, table: str, case: str
    ) -> tuple[t.Callable[[str, str], t.Any], list[tuple[str, str]]]:
        """``(match, pairs)`` of *router* for a case, checked against werkzeug first."""
        self.check(Job("", MATCH, table, case, router))
        return self.matcher(router, table), self.pairs(table, case)

    def build_targets(self, table: str) -> list[tuple[str, dict[str, t.Any]]]:
        """(endpoint, values) of the table's hit requests, as werkzeug matched them."""
        return [(d[1], d[2]) for d in self.expected(MATCH, table, "hits")]

    # -- werkzeug's answers and the check

    def expected(self, kind: str, table: str, case: str) -> list[t.Any]:
        key = (kind, table, case)
        if key not in self.answers:
            if kind == MATCH:
                match = self.matcher(WERKZEUG, table)
                requests = self.requests(table, case)
                answers = [describe(match(r.method, r.path)) for r in requests]
                for r, got in zip(requests, answers, strict=False):
                    if got[0] != r.kind:
                        raise Mismatch(f"werkzeug answered {got} to {r} (labelled {r.kind})")
            else:
                build = self.adapter(WERKZEUG, table).build
                answers = [build(e, v) for e, v in self.build_targets(table)]
            self.answers[key] = answers
        return self.answers[key]

    def check(self, job: Job) -> None:
        """Raise :class:`Mismatch` unless *job*'s router answers as werkzeug does."""
        if job.kind == MAP_BUILD:  # the same map must give the same answers
            job = Job("", MATCH, job.table, "mix", job.router)
        else:  # one check per case, whatever the section
            job = Job("", job.kind, job.table, job.case, job.router)
        want = self.expected(job.kind, job.table, job.case)
        if job.router == WERKZEUG or job in self._checked:
            return
        bad = []
        if job.kind == MATCH:
            match = self.matcher(job.router, job.table)
            exact = job.router in WERKZEUG_FAMILY
            for r, w in zip(self.requests(job.table, job.case), want, strict=False):
                got = describe(match(r.method, r.path))
                if (got != w) if exact else (_coarse(got) != _coarse(w)):
                    bad.append(f"{r.method} {r.path}: {job.router} {got} != werkzeug {w}")
        else:
            build = self.adapter(job.router, job.table).build
            for (endpoint, values), w in zip(self.build_targets(job.table), want, strict=False):
                got = build(endpoint, values)
                if got != w:
                    bad.append(f"build({endpoint!r}, {values!r}): {job.router} {got!r} != werkzeug {w!r}")
        if bad:
            raise Mismatch(
                f"{len(bad)} mismatches on {job.table}/{job.case}, e.g.\n  " + "\n  ".join(bad[:5])
            )
        self._checked.add(job)

    # -- timing

    def time(self, job: Job) -> float:
        """Median seconds per operation of *job* (already checked)."""
        s = self.settings
        if job.kind == MATCH:
            match = self.matcher(job.router, job.table)
            pairs = self.pairs(job.table, job.case)

            def run() -> None:
                for method, path in pairs:
                    match(method, path)

            return measure(run, len(pairs), s.repeat, s.target)
        if job.kind == URL_BUILD:
            build = self.adapter(job.router, job.table).build
            targets = self.build_targets(job.table)

            def run() -> None:
                for endpoint, values in targets:
                    build(endpoint, values)

            return measure(run, len(targets), s.repeat, s.target)
        return self.map_build_time(job)

    def map_build_time(self, job: Job) -> float:
        """Median seconds for fresh rules -> Map -> bind -> first match."""
        table = tb.get_table(job.table)
        mod = routing_module(job.router)
        first = self.first_hit(job.table)
        samples = 1 if len(table) >= 10000 else self.settings.build_samples
        times = []
        for _ in range(samples):
            rules = tb.make_rules(mod.Rule, table)
            gc.collect()  # every sample starts from the same collector state
            start = time.perf_counter()
            mod.Map(rules).bind(SERVER_NAME).match(first.path, first.method)
            times.append(time.perf_counter() - start)
            del rules
        return statistics.median(times)


# -- progress --------------------------------------------------------------------------------


class Progress:
    """A textual progress bar on a stream (stderr); plain lines when not a terminal."""

    def __init__(self, total: int, title: str, stream: t.TextIO | None = None, width: int = 30) -> None:
        self.total = max(total, 1)
        self.title = title
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.done = 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1

    def step(self, what: str) -> None:
        """Announce the step about to run (*what*), then count the previous one."""
        self._draw(what)
        self.done += 1

    def _draw(self, what: str) -> None:
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        text = f"{self.title} [{bar}] {self.done}/{self.total} {what}"
        if self.tty:
            self.stream.write("\r" + text[:110].ljust(110))
            self.stream.flush()
        else:
            decile = 10 * self.done // self.total
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(text + "\n")
                self.stream.flush()

    def finish(self) -> None:
        self.done = self.total
        self._draw("done")
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# -- a whole run ---------------------------------------------------------------------------


def _time_jobs(session: Session, jobs: list[Job], progress: Progress) -> list[Record]:
    # The maps and requests held from here on are frozen out of the
    # collector's sight: a full collection (before each Map build sample)
    # then costs little, and the collector's work during a sample depends on
    # what the sample creates, not on what this process happens to hold.
    gc.collect()
    gc.freeze()
    try:
        records = []
        for job in jobs:
            progress.step(f"time {job.router}: {job.what}")
            seconds = session.time(job)
            rules = len(tb.get_table(job.table))
            records.append(
                Record(job.section, job.kind, job.table, job.case, rules, job.router, seconds * 1e9)
            )
    finally:
        gc.unfreeze()
    progress.finish()
    return records


def run_child(
    router: str, env_changes: dict[str, str], session: Session, mode_args: list[str]
) -> list[Record]:
    """Measure *router* in ``python -m fastroute bench`` run as a child process."""
    import fastroute

    env = dict(os.environ, **env_changes)
    # The child must import this very fastroute (a checkout on sys.path, say).
    package_parent = str(Path(fastroute.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "werkzeug-answers.pickle"
        out = Path(tmp) / "results.json"
        answers.write_bytes(pickle.dumps(session.answers))
        cmd = [sys.executable, "-m", "fastroute", "bench", *mode_args, "--json", str(out)]
        cmd += ["--child-router", router, "--child-answers", str(answers)]
        done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"measuring {router} in a child process failed (exit {done.returncode})")
        data = json.loads(out.read_text(encoding="utf-8"))
    return [Record(**r) for r in data["results"]]


def child_main(router: str, answers_file: str, settings: Settings, json_file: str) -> int:
    """The child's side of :func:`run_child`: check and time one fastroute configuration."""
    if router != in_process_fastroute():
        print(f"error: this process runs {in_process_fastroute()}, not {router}", file=sys.stderr)
        return 2
    session = Session(settings, [WERKZEUG, router])
    session.answers = pickle.loads(Path(answers_file).read_bytes())
    jobs = [j for j in session.jobs() if j.router == router]
    progress = Progress(2 * len(jobs), f"{router} (child process)")
    for job in jobs:
        progress.step(f"check: {job.what}")
        session.check(job)
    records = _time_jobs(session, jobs, progress)
    Path(json_file).write_text(json.dumps({"results": [asdict(r) for r in records]}), encoding="utf-8")
    return 0


def run(
    settings: Settings, routers: list[str] | None = None, mode_args: list[str] | None = None
) -> dict[str, t.Any]:
    """The whole benchmark: returns the JSON-able results document.

    Order: werkzeug's answers and every in-process router's are checked, then
    the child process checks and times its configuration, then this process
    times its routers.  Nothing is timed before all checks have passed.
    """
    import werkzeug

    import fastroute

    wanted = available() if routers is None else [r for r in available() if r in routers]
    if WERKZEUG not in wanted:
        wanted.insert(0, WERKZEUG)  # the reference for the checks and the ratios
    children = {name: env for name, env in child_fastroute().items() if name in wanted}
    here = [r for r in wanted if r not in children]
    began = time.perf_counter()

    session = Session(settings, here)
    jobs = session.jobs()
    # werkzeug takes part in every case, so checking its jobs computes all the
    # answers the child process needs as well.
    progress = Progress(2 * len(jobs), "werkzeug & in-process routers")
    for job in jobs:
        progress.step(f"check {job.router}: {job.what}")
        session.check(job)
    records: list[Record] = []
    for name, env in children.items():
        if progress.tty:
            sys.stderr.write("\n")
        records += run_child(name, env, session, mode_args or [])
    records += _time_jobs(session, jobs, progress)

    base = {(r.kind, r.table, r.case): r.median_ns for r in records if r.router == WERKZEUG}
    for r in records:
        w = base.get((r.kind, r.table, r.case))
        r.ratio_vs_werkzeug = (w / r.median_ns) if w and r.median_ns else None
    order = [n for n in (*WERKZEUG_FAMILY, *OTHERS) if n in wanted]
    records.sort(key=lambda r: (list(SECTIONS).index(r.section), order.index(r.router)))
    return {
        "format": 1,
        "mode": settings.name,
        "unit": "ns per operation (median); ratio_vs_werkzeug = werkzeug time / router time",
        "timer": "time.perf_counter",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "fastroute": fastroute.__version__,
        "werkzeug": getattr(werkzeug, "__version__", None) or _dist_version("werkzeug"),
        "compiled_in_process": in_process_fastroute() == COMPILED,
        "routers": order,
        "seconds": round(time.perf_counter() - began, 1),
        "results": [asdict(r) for r in records],
    }


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


# -- the table -----------------------------------------------------------------------------


def fmt_time(ns: float) -> str:
    if ns >= 1e7:
        return f"{ns / 1e6:,.1f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:,.1f} us"
    return f"{ns:,.0f} ns"


def format_table(doc: dict[str, t.Any]) -> str:
    """The results as a text table: median time and (speed-up over werkzeug)."""
    records = [Record(**r) for r in doc["results"]]
    order: list[str] = doc["routers"]
    lines = [
        f"fastroute {doc['fastroute']} vs werkzeug {doc['werkzeug']} on {doc['python']}; "
        f"{doc['mode']} run, {doc['seconds']} s",
        "median time per operation; (N.Nx) = werkzeug time / router time, higher is faster",
    ]
    for section, title in SECTIONS.items():
        rows: dict[str, dict[str, Record]] = {}
        for r in records:
            if r.section == section:
                job = Job(r.section, r.kind, r.table, r.case, r.router)
                rows.setdefault(job.label, {})[r.router] = r
        if not rows:
            continue
        names = [n for n in order if any(n in v for v in rows.values())]
        lw = max(len(label) for label in rows) + 2
        widths = [max(len(n), 10) + 10 for n in names]
        lines.append("")
        lines.append(title)
        lines.append(" " * lw + "".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=False)))
        for label, values in rows.items():
            line = f"{label:<{lw}}"
            for n, w in zip(names, widths, strict=False):
                r = values.get(n)
                if r is None:
                    cell = "-"
                elif n == WERKZEUG or r.ratio_vs_werkzeug is None:
                    cell = fmt_time(r.median_ns)
                else:
                    cell = f"{fmt_time(r.median_ns)} ({r.ratio_vs_werkzeug:.1f}x)"
                line += f"{cell:>{w}}"
            lines.append(line.rstrip())
    return "\n".join(lines)
