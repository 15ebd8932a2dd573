"""Leak and reference-cycle checks, shared by ``tests/test_leaks.py`` (small
counts, both cores) and ``scripts/leaks.py`` (large counts, a report).

Two workloads, each a list of *kinds* of operation; every operation is
distinct (its own path, arguments, host or query, from a running counter)
and checks its own answer:

* :func:`match_kinds`: matching and building on a realistic ``Map`` (hits,
  404, 405, slash / defaults / ``redirect_to`` / alias redirects, builds and
  build errors, ``bind_to_environ``);
* :func:`request_kinds`: WSGI requests to two apps of one class
  (``fastroute.Flask``, or ``flask.Flask`` for the reference), one with no
  hooks and one with hooks, a blueprint, sessions, error handlers,
  streaming and a ``fastroute.local`` ``LocalManager``.  Flask itself
  leaves some error responses in reference cycles (a traceback holds the
  frames that hold it): fastroute's app is held to leaving no more than
  ``flask.Flask`` does for the same request.

:func:`measure` runs a workload: a warm-up (fills every bounded cache),
then batches of one kind each with the cyclic GC disabled and
``gc.DEBUG_SAVEALL`` set; the ``gc.collect()`` after a batch finds exactly
the objects that the batch left in reference cycles, attributed to the kind.
It compares tracemalloc's traced size, the resident set size and the number
of GC-tracked objects after the warm-up and at the end, and after every
request checks that no app or request context is left pushed.
"""

from __future__ import annotations

import collections
import dataclasses
import gc
import io
import itertools
import json
import os
import sys
import time
import tracemalloc
import typing as t
import uuid

Op = t.Callable[[int], "str | None"]  # op(i) -> None if the answer was right, else a problem


# --------------------------------------------------------------------------
# measuring


def rss_bytes() -> int | None:
    """The current resident set size, from ``/proc/self/statm`` (None where there is none)."""
    try:
        with open("/proc/self/statm") as f:
            resident_pages = int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


@dataclasses.dataclass
class Report:
    """What :func:`measure` found for one workload."""

    name: str
    operations: int = 0
    seconds: float = 0.0
    traced_before: int = 0
    traced_after: int = 0
    traced_peak: int = 0
    tracemalloc_overhead_before: int = 0
    tracemalloc_overhead_after: int = 0
    rss_before: int | None = None
    rss_after: int | None = None
    objects_before: int = 0
    objects_after: int = 0
    batches: int = 0
    #: kind -> number of objects gc.collect() found in cycles after its batches
    cycles: dict[str, int] = dataclasses.field(default_factory=dict)
    #: kind -> most common types of those objects
    cycle_types: dict[str, list[tuple[str, int]]] = dataclasses.field(default_factory=dict)
    #: kind -> operations of that kind measured
    per_kind: dict[str, int] = dataclasses.field(default_factory=dict)
    #: operations after which an app or request context was still pushed
    contexts_left: int = 0
    #: wrong answers (first few)
    problems: list[str] = dataclasses.field(default_factory=list)
    wrong_answers: int = 0

    @property
    def traced_growth(self) -> int:
        return self.traced_after - self.traced_before

    @property
    def rss_growth(self) -> int | None:
        if self.rss_before is None or self.rss_after is None:
            return None
        return self.rss_after - self.rss_before

    @property
    def objects_growth(self) -> int:
        return self.objects_after - self.objects_before

    def cycles_per_op(self, kind: str) -> float:
        return self.cycles.get(kind, 0) / max(1, self.per_kind.get(kind, 0))


def _no_context() -> bool:
    from fastroute import has_app_context, has_request_context

    return not has_request_context() and not has_app_context()


def measure(
    name: str,
    kinds: dict[str, Op],
    operations: int,
    *,
    warmup: int | None = None,
    batch: int = 500,
    check_contexts: bool = True,
    trace: bool = True,
) -> Report:
    """Run about *operations* operations spread evenly over *kinds* and report.

    tracemalloc is started here when *trace* is true and it is not already
    tracing (and stopped again at the end in that case)."""
    report = Report(name)
    names = list(kinds)
    per_kind_total = max(1, operations // len(names))
    batch = max(1, min(batch, per_kind_total))
    if warmup is None:
        # Enough to fill the bounded caches, and at least one batch of each kind.
        warmup = max(1000, operations // 10, batch * len(names))
    counter = itertools.count()
    started_tracing = trace and not tracemalloc.is_tracing()
    if started_tracing:
        tracemalloc.start()
    was_enabled = gc.isenabled()
    old_debug = gc.get_debug()
    # What exists now is not what we look at: frozen, the collector skips it
    # (much faster in a big process such as pytest's) and the object counts
    # below count only objects made from here on.
    gc.collect()
    froze = gc.get_freeze_count() == 0
    if froze:
        gc.freeze()
    no_context = _no_context

    def run(op: Op, kind: str, count: int) -> None:
        for _ in range(count):
            i = next(counter)
            try:
                problem = op(i)
            except Exception as e:  # a wrong answer too
                problem = f"raised {type(e).__name__}: {str(e)[:200]}"
            if problem is not None:
                report.wrong_answers += 1
                if len(report.problems) < 10:
                    report.problems.append(f"{kind} #{i}: {problem}")
            if check_contexts and not no_context():
                report.contexts_left += 1

    def free_garbage() -> None:
        gc.set_debug(0)
        if gc.garbage:
            gc.garbage.clear()
            gc.collect()

    def batches(per_kind: int, record: bool) -> None:
        """*per_kind* operations of each kind, in batches of one kind; the
        collector runs only between batches, so whatever it finds in
        cycles after a batch was made by that batch."""
        remaining = dict.fromkeys(names, per_kind)
        while any(remaining.values()):
            for kind in names:
                count = min(batch, remaining[kind])
                if not count:
                    continue
                remaining[kind] -= count
                gc.set_debug(gc.DEBUG_SAVEALL)
                run(kinds[kind], kind, count)
                found = gc.collect()
                if record:
                    report.batches += 1
                    report.per_kind[kind] = report.per_kind.get(kind, 0) + count
                    report.operations += count
                    if found or gc.garbage:
                        report.cycles[kind] = report.cycles.get(kind, 0) + max(found, len(gc.garbage))
                        types = collections.Counter(type(o).__name__ for o in gc.garbage)
                        merged = collections.Counter(dict(report.cycle_types.get(kind, [])))
                        merged.update(types)
                        report.cycle_types[kind] = merged.most_common(6)
                free_garbage()

    try:
        gc.disable()
        # Warm-up, the same way as the measured part (so the bounded caches
        # are full and the allocator has seen a batch's worth of garbage).
        if warmup:
            batches(max(1, warmup // len(names)), record=False)
        # (Wrong answers and contexts left during the warm-up are reported too.)
        free_garbage()
        gc.collect()
        gc.collect()
        if trace:
            report.traced_before = tracemalloc.get_traced_memory()[0]
            report.tracemalloc_overhead_before = tracemalloc.get_tracemalloc_memory()
            tracemalloc.reset_peak()
        report.rss_before = rss_bytes()
        report.objects_before = len(gc.get_objects())

        start = time.perf_counter()
        batches(per_kind_total, record=True)
        report.seconds = time.perf_counter() - start
        free_garbage()
        gc.collect()
        gc.collect()
        if trace:
            report.traced_after, report.traced_peak = tracemalloc.get_traced_memory()
            report.tracemalloc_overhead_after = tracemalloc.get_tracemalloc_memory()
        report.rss_after = rss_bytes()
        report.objects_after = len(gc.get_objects())
    finally:
        gc.set_debug(old_debug)
        gc.garbage.clear()
        if froze:
            gc.unfreeze()
        if was_enabled:
            gc.enable()
        if started_tracing:
            tracemalloc.stop()
    return report


def _size(n: int | None) -> str:
    if n is None:
        return "n/a"
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n >= 1 << 20:
        return f"{sign}{n / (1 << 20):.2f} MiB"
    if n >= 1 << 10:
        return f"{sign}{n / (1 << 10):.1f} KiB"
    return f"{sign}{n} B"


def format_report(report: Report) -> str:
    lines = [
        f"== {report.name}: {report.operations:,} operations in {report.seconds:.1f} s"
        f" ({report.batches} batches, {len(report.per_kind)} kinds)",
        f"   tracemalloc traced: {_size(report.traced_before)} -> {_size(report.traced_after)}"
        f"  (growth {_size(report.traced_growth)}"
        + (f", {100 * report.traced_growth / report.traced_before:+.2f}%" if report.traced_before else "")
        + f"; peak {_size(report.traced_peak)})",
        f"   RSS: {_size(report.rss_before)} -> {_size(report.rss_after)}  (growth {_size(report.rss_growth)};"
        f" tracemalloc's own memory {_size(report.tracemalloc_overhead_before)}"
        f" -> {_size(report.tracemalloc_overhead_after)})",
        f"   GC-tracked objects: {report.objects_before:,} -> {report.objects_after:,}"
        f"  (growth {report.objects_growth:+,})",
        f"   objects found in reference cycles: {sum(report.cycles.values()):,}",
    ]
    for kind, found in sorted(report.cycles.items()):
        lines.append(
            f"     {kind}: {found:,} objects over {report.per_kind[kind]:,} ops"
            f" ({report.cycles_per_op(kind):.1f} per op) {report.cycle_types.get(kind)}"
        )
    lines.append(f"   contexts left pushed: {report.contexts_left}; wrong answers: {report.wrong_answers}")
    lines.extend(f"     {problem}" for problem in report.problems)
    return "\n".join(lines)


# --------------------------------------------------------------------------
# the routing workload


def make_map(routing: t.Any) -> t.Any:
    """A realistic map (a site, a blog, an API, files, a subdomain), on the
    active matcher core.  *routing* is ``fastroute.routing``."""
    R = routing.Rule
    return routing.Map(
        [
            R("/", endpoint="index"),
            R("/about", endpoint="about"),
            R("/about-us", endpoint="about", alias=True),
            R("/contact", endpoint="contact", methods=["GET", "POST"]),
            R("/old-contact", redirect_to="/contact", endpoint="old_contact"),
            R("/login", endpoint="login", methods=["GET", "POST"]),
            R("/users/", endpoint="users"),
            R("/users/<int:uid>", endpoint="user"),
            R("/users/<int:uid>/edit", endpoint="user_edit", methods=["GET", "POST"]),
            R("/users/<int:uid>/posts/<slug>", endpoint="post", methods=["GET", "PUT"]),
            R("/users/<int:uid>/posts/<slug>", endpoint="post_delete", methods=["DELETE"]),
            R("/blog/", endpoint="blog", defaults={"page": 1}),
            R("/blog/page/<int:page>", endpoint="blog"),
            R("/blog/<int:year>/<int(fixed_digits=2):month>/<slug>", endpoint="entry"),
            R("/tags/<any(python,rust,go):tag>/", endpoint="tag"),
            R("/files/<path:name>", endpoint="files"),
            R("/items/<uuid:ident>", endpoint="item"),
            R("/price/<float:value>", endpoint="price"),
            R("/api/v<int:version>/things", endpoint="things", methods=["GET", "POST"]),
            R("/api/v<int:version>/things/<int:tid>", endpoint="thing", methods=["GET", "PUT", "DELETE"]),
            R("/static/<path:filename>", endpoint="static"),
            R("/", subdomain="docs", endpoint="docs_index"),
            R("/<path:page>", subdomain="docs", endpoint="docs_page"),
        ]
    )


def match_kinds(m: t.Any, routing: t.Any) -> dict[str, Op]:
    """Matching and building operations on *m* (from :func:`make_map`)."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    adapter = m.bind("example.com", "/")
    RequestRedirect = routing.RequestRedirect
    BuildError = routing.BuildError

    def hit_static(i: int) -> str | None:
        path = ("/", "/about", "/contact", "/users/", "/login")[i % 5]
        got = adapter.match(path, query_args={"q": str(i)})
        want = ("index", "about", "contact", "users", "login")[i % 5]
        return None if got == (want, {}) else repr(got)

    def hit_converters(i: int) -> str | None:
        j = i % 5
        if j == 0:
            got, want = adapter.match(f"/users/{i}/posts/p-{i}"), ("post", {"uid": i, "slug": f"p-{i}"})
        elif j == 1:
            got = adapter.match(f"/blog/{2000 + i % 30}/{i % 12 + 1:02d}/e{i}")
            want = ("entry", {"year": 2000 + i % 30, "month": i % 12 + 1, "slug": f"e{i}"})
        elif j == 2:
            got, want = adapter.match(f"/files/d{i}/f{i}.txt"), ("files", {"name": f"d{i}/f{i}.txt"})
        elif j == 3:
            u = uuid.UUID(int=i)
            got, want = adapter.match(f"/items/{u}"), ("item", {"ident": u})
        else:
            got, want = (
                adapter.match(f"/api/v{i % 3}/things/{i}", "PUT"),
                ("thing", {"version": i % 3, "tid": i}),
            )
        return None if got == want else f"{got!r} != {want!r}"

    def hit_return_rule(i: int) -> str | None:
        rule, values = adapter.match(f"/users/{i}/edit", "POST", return_rule=True)
        return None if (rule.endpoint, values) == ("user_edit", {"uid": i}) else repr((rule, values))

    def not_found(i: int) -> str | None:
        path = (f"/nothing/{i}", f"/users/x{i}", f"/users/{i}/", f"/tags/java{i}/", f"/blog/2020/{i % 10}/x")[
            i % 5
        ]
        try:
            adapter.match(path)
        except NotFound:
            return None
        return f"{path} matched"

    def method_not_allowed(i: int) -> str | None:
        path, method = (
            (f"/users/{i}/edit", "DELETE"),
            (f"/api/v1/things/{i}", "PATCH"),
            ("/contact", "PUT"),
        )[i % 3]
        try:
            adapter.match(path, method)
        except MethodNotAllowed as e:
            return None if e.valid_methods else "no valid methods"
        return f"{method} {path} matched"

    def redirects(i: int) -> str | None:
        j = i % 4
        path, want = (
            (
                f"/tags/{('python', 'rust', 'go')[i % 3]}",
                f"http://example.com/tags/{('python', 'rust', 'go')[i % 3]}/?n={i}",
            ),
            ("/blog/page/1", f"http://example.com/blog/?n={i}"),
            ("/old-contact", "http://example.com/contact"),
            ("/about-us", f"http://example.com/about?n={i}"),
        )[j]
        try:
            adapter.match(path, query_args={"n": str(i)})
        except RequestRedirect as e:
            return None if e.new_url == want else f"{e.new_url} != {want}"
        return f"{path} did not redirect"

    def build(i: int) -> str | None:
        j = i % 5
        if j == 0:
            got, want = adapter.build("user", {"uid": i}), f"/users/{i}"
        elif j == 1:
            got = adapter.build("post", {"uid": i, "slug": f"s {i}", "ref": f"r{i}"})
            want = f"/users/{i}/posts/s%20{i}?ref=r{i}"
        elif j == 2:
            got, want = adapter.build("blog", {"page": 1}), "/blog/"
        elif j == 3:
            got = adapter.build("post_delete", {"uid": i, "slug": "x"}, method="DELETE", force_external=True)
            want = f"http://example.com/users/{i}/posts/x"
        else:
            got = adapter.build("docs_page", {"page": f"p/{i}"})
            want = f"http://docs.example.com/p/{i}"
        return None if got == want else f"{got} != {want}"

    def build_error(i: int) -> str | None:
        try:
            if i % 2:
                adapter.build(f"missing{i % 7}", {"x": i})
            else:
                adapter.build("user", {"other": i})
        except BuildError:
            return None
        return "built"

    def bind_and_match(i: int) -> str | None:
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": f"/app{i % 4}",
            "PATH_INFO": f"/users/{i}",
            "QUERY_STRING": f"x={i}",
            "SERVER_NAME": "example.com",
            "SERVER_PORT": "80",
            "HTTP_HOST": ("example.com", "docs.example.com")[i % 2],
            "wsgi.url_scheme": "http",
        }
        a = m.bind_to_environ(environ, server_name="example.com")
        if i % 2:
            got = a.match()
            want: tuple[t.Any, ...] = ("docs_page", {"page": f"users/{i}"})
        else:
            got = a.match()
            want = ("user", {"uid": i})
        url = a.build("user", {"uid": i}, force_external=True)
        if url != f"http://example.com/app{i % 4}/users/{i}":
            return url
        return None if got == want else repr(got)

    return {
        "hit static": hit_static,
        "hit converters": hit_converters,
        "hit return_rule": hit_return_rule,
        "404": not_found,
        "405": method_not_allowed,
        "redirects": redirects,
        "build": build,
        "build error": build_error,
        "bind_to_environ": bind_and_match,
    }


# --------------------------------------------------------------------------
# the request workload


def host(i: int | None) -> str:
    """The Host header of request *i*: each request has its own (None: localhost)."""
    return "localhost" if i is None else f"h{i}.example"


def environ(
    i: int | None,
    method: str,
    path: str,
    query: str = "",
    body: bytes = b"",
    content_type: str | None = None,
    cookie: str | None = None,
) -> dict[str, t.Any]:
    env: dict[str, t.Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host(i),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
    if content_type:
        env["CONTENT_TYPE"] = content_type
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(app: t.Callable[..., t.Any], env: dict[str, t.Any]) -> tuple[int, dict[str, str], bytes]:
    """Call a WSGI app the way a server does: (status code, headers, body)."""
    got: list[t.Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
        got[:] = [int(status[:3]), dict(headers)]
        return None

    iterable = app(env, start_response)
    try:
        body = b"".join(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    return got[0], got[1], body


def make_apps(flask_class: type[t.Any] | None = None) -> tuple[t.Any, t.Any, t.Any]:
    """(plain app, full app, the full app wrapped in a LocalManager middleware),
    both apps of *flask_class* (``fastroute.Flask`` by default).

    The plain app has no hooks; the full app has hooks, a blueprint,
    sessions, error handlers and streaming."""
    import logging

    from fastroute import (
        Blueprint,
        Flask as FastrouteFlask,
        abort,
        after_this_request,
        g,
        jsonify,
        redirect,
        request,
        session,
        stream_with_context,
        url_for,
    )
    from fastroute.local import Local, LocalManager

    Flask = flask_class or FastrouteFlask
    plain = Flask("leak_plain")

    @plain.route("/")
    def index() -> str:
        return "hello"

    @plain.route("/users/<int:uid>")
    def user(uid: int) -> t.Any:
        return {"uid": uid}

    @plain.route("/items/<int:n>/")
    def item(n: int) -> bytes:
        return b"item %d" % n

    @plain.route("/raw/<int:n>")
    def raw(n: int) -> t.Any:
        return [n, request.args.get("k")]

    @plain.route("/crash/<int:n>")
    def plain_crash(n: int) -> t.Any:
        raise RuntimeError(f"boom {n}")

    @plain.route("/gone/<int:n>")
    def gone(n: int) -> t.Any:
        abort(410)

    full = Flask("leak_full")
    full.config.update(SECRET_KEY="leak-check")
    local = Local()
    manager = LocalManager([local])
    teardowns = collections.Counter()

    @full.before_request
    def before() -> t.Any:
        g.start = request.path
        local.path = request.path
        if request.path.startswith("/private/"):
            abort(403)
        return None

    @full.after_request
    def after(response: t.Any) -> t.Any:
        response.headers["X-Seen"] = g.start
        return response

    @full.teardown_request
    def teardown_request(exc: BaseException | None) -> None:
        teardowns["request"] += 1

    @full.teardown_appcontext
    def teardown_app(exc: BaseException | None) -> None:
        teardowns["app"] += 1

    @full.route("/users/<int:uid>/posts/<slug>", methods=["GET", "POST"])
    def post(uid: int, slug: str) -> t.Any:
        return {
            "uid": uid,
            "slug": slug,
            "title": request.form.get("title"),
            "q": request.args.get("q"),
            "url": url_for("post", uid=uid, slug=slug, _external=True),
            "local": local.path,
        }

    @full.post("/login")
    def login() -> t.Any:
        session["user"] = int(request.form["user"])
        return {"ok": True}

    @full.route("/me")
    def me() -> t.Any:
        return {"user": session.get("user"), "q": request.args.get("q")}

    @full.route("/go/<int:n>")
    def go(n: int) -> t.Any:
        return redirect(url_for("post", uid=n, slug="s"))

    @full.route("/boom/<int:n>")
    def boom(n: int) -> t.Any:
        raise KeyError(n)

    @full.errorhandler(KeyError)
    def key_error(e: KeyError) -> t.Any:
        return {"key": e.args[0]}, 400

    @full.route("/crash/<int:n>")
    def crash(n: int) -> t.Any:
        raise RuntimeError(f"boom {n}")

    @full.errorhandler(500)
    def server_error(e: t.Any) -> t.Any:
        return "server error", 500

    @full.route("/nothere/<int:n>")
    def nothere(n: int) -> t.Any:
        abort(404)

    @full.errorhandler(404)
    def not_found(e: t.Any) -> t.Any:
        return {"not found": request.path}, 404

    @full.route("/stream/<int:n>")
    def stream(n: int) -> t.Any:
        def generate() -> t.Iterator[str]:
            yield request.path
            yield f":{n}"

        return full.response_class(stream_with_context(generate()))

    @full.route("/fallback/<int:n>")
    def fallback(n: int) -> t.Any:
        return url_for("no_such_endpoint", n=n)

    def build_error_handler(error: Exception, endpoint: str, values: dict[str, t.Any]) -> str:
        return f"/fallback-for/{endpoint}/{values['n']}"

    full.url_build_error_handlers.append(build_error_handler)

    api = Blueprint("api", "leakcheck", url_prefix="/api")

    @api.before_request
    def api_before() -> None:
        g.api = True

    @api.route("/things/<int:tid>", methods=["GET", "PUT"])
    def thing(tid: int) -> t.Any:
        @after_this_request
        def tag(response: t.Any) -> t.Any:
            response.headers["X-Thing"] = str(tid)
            return response

        return jsonify(tid=tid, api=g.api, link=url_for(".thing", tid=tid))

    @api.post("/echo")
    def echo() -> t.Any:
        return {"echo": request.get_json()}

    full.register_blueprint(api)
    for app in (plain, full):
        # The 500 kinds log a traceback per request: keep them quiet.
        app.logger.disabled = True
        app.logger.propagate = False
        app.logger.addHandler(logging.NullHandler())
    full.extensions["leakcheck"] = {"teardowns": teardowns, "local": local}
    return plain, full, manager.make_middleware(full)


def _expect(status: int, want_status: int, check: bool = True, detail: t.Any = None) -> str | None:
    if status != want_status:
        return f"status {status} != {want_status}"
    if not check:
        return f"wrong answer: {detail!r}"[:300]
    return None


def request_kinds(plain: t.Any, full: t.Any, wrapped: t.Any) -> dict[str, Op]:
    """Request operations (each a direct WSGI call) on the apps from :func:`make_apps`."""
    # Session cookies for a pool of users, made by real logins.
    cookies = []
    for user in range(20):
        status, headers, _ = call(
            full,
            environ(
                None,
                "POST",
                "/login",
                body=f"user={user}".encode(),
                content_type="application/x-www-form-urlencoded",
            ),
        )
        assert status == 200, status
        cookies.append(headers["Set-Cookie"].split(";")[0])
    local = full.extensions["leakcheck"]["local"]

    def plain_str(i: int) -> str | None:
        status, _, body = call(plain, environ(i, "GET", "/", f"i={i}"))
        return _expect(status, 200, body == b"hello", body)

    def plain_json(i: int) -> str | None:
        status, _, body = call(plain, environ(i, "GET", f"/users/{i}"))
        return _expect(status, 200, json.loads(body) == {"uid": i}, body)

    def plain_list(i: int) -> str | None:
        status, _, body = call(plain, environ(i, "GET", f"/raw/{i}", f"k=v{i}"))
        return _expect(status, 200, json.loads(body) == [i, f"v{i}"], body)

    def plain_head_options(i: int) -> str | None:
        if i % 2:
            status, headers, body = call(plain, environ(i, "HEAD", f"/users/{i}"))
            return _expect(status, 200, body == b"", body)
        status, headers, body = call(plain, environ(i, "OPTIONS", f"/users/{i}"))
        return _expect(status, 200, "GET" in headers.get("Allow", ""), headers)

    def plain_404(i: int) -> str | None:
        status, _, _ = call(plain, environ(i, "GET", f"/missing/{i}"))
        return _expect(status, 404)

    def plain_405(i: int) -> str | None:
        status, headers, _ = call(plain, environ(i, "DELETE", f"/users/{i}"))
        return _expect(status, 405, "GET" in headers.get("Allow", ""), headers)

    def plain_slash_redirect(i: int) -> str | None:
        status, headers, _ = call(plain, environ(i, "GET", f"/items/{i}", f"a={i}"))
        want = f"http://{host(i)}/items/{i}/?a={i}"
        return _expect(status, 308, headers.get("Location") == want, headers.get("Location"))

    def plain_abort(i: int) -> str | None:
        status, _, _ = call(plain, environ(i, "GET", f"/gone/{i}"))
        return _expect(status, 410)

    def plain_500(i: int) -> str | None:
        status, _, _ = call(plain, environ(i, "GET", f"/crash/{i}"))
        return _expect(status, 500)

    def full_form_post(i: int) -> str | None:
        status, headers, body = call(
            full,
            environ(
                i,
                "POST",
                f"/users/{i}/posts/p{i}",
                f"q=x{i}",
                body=f"title=t+{i}".encode(),
                content_type="application/x-www-form-urlencoded",
            ),
        )
        want = {
            "uid": i,
            "slug": f"p{i}",
            "title": f"t {i}",
            "q": f"x{i}",
            "url": f"http://{host(i)}/users/{i}/posts/p{i}",
            "local": f"/users/{i}/posts/p{i}",
        }
        ok = json.loads(body) == want and headers.get("X-Seen") == f"/users/{i}/posts/p{i}"
        return _expect(status, 200, ok, body)

    def full_session_read(i: int) -> str | None:
        user = i % len(cookies)
        status, _, body = call(full, environ(i, "GET", "/me", f"q={i}", cookie=cookies[user]))
        return _expect(status, 200, json.loads(body) == {"user": user, "q": str(i)}, body)

    def full_session_write(i: int) -> str | None:
        status, headers, _ = call(
            full,
            environ(
                i,
                "POST",
                "/login",
                body=f"user={i}".encode(),
                content_type="application/x-www-form-urlencoded",
            ),
        )
        return _expect(status, 200, "session=" in headers.get("Set-Cookie", ""), headers)

    def full_blueprint(i: int) -> str | None:
        status, headers, body = call(full, environ(i, "GET", f"/api/things/{i}"))
        ok = json.loads(body) == {"tid": i, "api": True, "link": f"/api/things/{i}"} and headers.get(
            "X-Thing"
        ) == str(i)
        return _expect(status, 200, ok, body)

    def full_json_body(i: int) -> str | None:
        payload = json.dumps({"n": i, "s": "x" * (i % 50)}).encode()
        status, _, body = call(
            full, environ(i, "POST", "/api/echo", body=payload, content_type="application/json")
        )
        return _expect(status, 200, json.loads(body) == {"echo": {"n": i, "s": "x" * (i % 50)}}, body)

    def full_bad_json(i: int) -> str | None:
        status, _, _ = call(
            full, environ(i, "POST", "/api/echo", body=b"{nope%d" % i, content_type="application/json")
        )
        return _expect(status, 400)

    def full_redirect_view(i: int) -> str | None:
        status, headers, _ = call(full, environ(i, "GET", f"/go/{i}"))
        return _expect(status, 302, headers.get("Location") == f"/users/{i}/posts/s", headers.get("Location"))

    def full_handled_error(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/boom/{i}"))
        return _expect(status, 400, json.loads(body) == {"key": i}, body)

    def full_500(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/crash/{i}"))
        return _expect(status, 500, body == b"server error", body)

    def full_404_routing(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/missing/{i}"))
        return _expect(status, 404, json.loads(body) == {"not found": f"/missing/{i}"}, body)

    def full_404_abort(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/nothere/{i}"))
        return _expect(status, 404, json.loads(body) == {"not found": f"/nothere/{i}"}, body)

    def full_405(i: int) -> str | None:
        status, _, _ = call(full, environ(i, "DELETE", f"/api/things/{i}"))
        return _expect(status, 405)

    def full_abort_in_hook(i: int) -> str | None:
        status, _, _ = call(full, environ(i, "GET", f"/private/{i}"))
        return _expect(status, 403)

    def full_stream(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/stream/{i}"))
        return _expect(status, 200, body == f"/stream/{i}:{i}".encode(), body)

    def full_build_error_handler(i: int) -> str | None:
        status, _, body = call(full, environ(i, "GET", f"/fallback/{i}"))
        return _expect(status, 200, body == f"/fallback-for/no_such_endpoint/{i}".encode(), body)

    def local_manager_middleware(i: int) -> str | None:
        status, _, body = call(wrapped, environ(i, "GET", f"/users/{i}/posts/m{i}"))
        ok = json.loads(body)["local"] == f"/users/{i}/posts/m{i}" and not list(local)
        return _expect(status, 200, ok, body)

    return {
        "plain str": plain_str,
        "plain json": plain_json,
        "plain list": plain_list,
        "plain HEAD/OPTIONS": plain_head_options,
        "plain 404 (routing)": plain_404,
        "plain 405 (routing)": plain_405,
        "plain slash redirect": plain_slash_redirect,
        "plain abort(410)": plain_abort,
        "plain 500 (unhandled)": plain_500,
        "full form POST": full_form_post,
        "full session read": full_session_read,
        "full session write": full_session_write,
        "full blueprint": full_blueprint,
        "full JSON body": full_json_body,
        "full bad JSON (400)": full_bad_json,
        "full redirect view": full_redirect_view,
        "full handled error": full_handled_error,
        "full 500 (handler)": full_500,
        "full 404 (routing, handler)": full_404_routing,
        "full 404 (abort, handler)": full_404_abort,
        "full 405 (routing)": full_405,
        "full abort in hook": full_abort_in_hook,
        "full stream_with_context": full_stream,
        "full url build error handler": full_build_error_handler,
        "LocalManager middleware": local_manager_middleware,
    }


def cycles_beyond_flask(ours: Report, flasks: Report) -> dict[str, str]:
    """The request kinds where fastroute's app left more objects in
    reference cycles per request than ``flask.Flask`` did on the same
    workload (*flasks*), or left any where Flask leaves only its least (the
    share of werkzeug's router, which fastroute's has not): kind -> what."""
    floor = min(flasks.cycles_per_op(kind) for kind in flasks.per_kind)
    problems = {}
    for kind in ours.per_kind:
        mine, theirs = ours.cycles_per_op(kind), flasks.cycles_per_op(kind)
        if mine > theirs or (mine and theirs <= floor):
            problems[kind] = f"{mine:.1f} objects in cycles per request, flask.Flask {theirs:.1f}"
    return problems


def core_names() -> str:
    """Which cores this process uses, for the report header."""
    from fastroute import _cores

    return (
        f"matcher core {_cores.match_core.__name__}, locals core {_cores.local_core.__name__}"
        f" (FASTROUTE_NO_EXTENSIONS={os.environ.get('FASTROUTE_NO_EXTENSIONS', '')!r});"
        f" Python {sys.version.split()[0]}"
    )
