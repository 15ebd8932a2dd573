"""Concurrency: many threads, asyncio tasks and greenlets using one map and one app.

* 16 threads match and build on one ``Map`` (both matcher cores) while another
  thread keeps adding rules to it.  Every answer is checked against a table
  computed up front with werkzeug's router (the specification); the added
  rules live under their own prefix and need an argument no checked build
  gives, so they can never change a checked answer.
* asyncio tasks, each inside its own request context of a fastroute app,
  read ``request``, ``g``, ``current_app``, ``session`` and ``url_for`` with
  awaits in between; async views served from many threads at once.
* greenlets switching between each other, each with a request context pushed.
* a threaded werkzeug server and direct WSGI calls from 16 client threads,
  each request with its own path and query, every response checked.

Every thread join has a generous timeout (a hang fails the test); loops are
bounded by counts, and a soft deadline only shortens the writer's work.
Nothing here asserts on time.
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import io
import json
import random
import sys
import threading
import time
import typing as t
import uuid

import pytest
import werkzeug.routing as wr
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.serving import WSGIRequestHandler, make_server

import fastroute.routing as fr
from fastroute import (
    Flask,
    abort,
    current_app,
    g,
    has_app_context,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)

READERS = 16
CLIENTS = 16
JOIN_SECONDS = 120.0


@pytest.fixture
def busy_switching() -> t.Iterator[None]:
    """Switch threads often so that there are many interleavings."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(5e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _run_threads(targets: list[t.Callable[[], None]], errors: list[t.Any]) -> None:
    """Run *targets* in threads; anything a target raises goes to *errors*.
    A thread still alive after the join timeout fails the test."""

    def guard(target: t.Callable[[], None]) -> None:
        try:
            target()
        except BaseException as e:  # reported by the caller
            errors.append(("thread raised", type(e).__name__, str(e)[:300]))

    threads = [threading.Thread(target=guard, args=(target,), daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_SECONDS
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    alive = [thread.name for thread in threads if thread.is_alive()]
    assert not alive, f"threads did not finish (hang?): {alive}"


# --------------------------------------------------------------------------
# 16 readers and a writer on one map, both matcher cores


def _rules(mod: t.Any) -> list[t.Any]:
    """A realistic rule set, built with *mod*'s Rule (fastroute's or werkzeug's)."""
    R = mod.Rule
    return [
        R("/", endpoint="index"),
        R("/about", endpoint="about"),
        R("/about-us", endpoint="about", alias=True),
        R("/old-about", redirect_to="/about", endpoint="old_about"),
        R("/users/", endpoint="users"),
        R("/users/<int:uid>", endpoint="user"),
        R("/users/<int:uid>/posts/<slug>", endpoint="post", methods=["GET", "POST"]),
        R("/users/<int:uid>/posts/<slug>", endpoint="post_delete", methods=["DELETE"]),
        R("/files/<path:p>", endpoint="files"),
        R("/page/", endpoint="page", defaults={"n": 1}),
        R("/page/<int:n>", endpoint="page"),
        R("/items/<uuid:u>", endpoint="item"),
        R("/lang/<any(en,de,fr):lang>/", endpoint="lang"),
        R("/price/<float:v>", endpoint="price"),
        R("/api/v<int:ver>/things/<int:tid>", endpoint="thing", methods=["GET", "PUT"]),
        R("/api/v<int:ver>/things", endpoint="things_create", methods=["POST"]),
        R("/search", endpoint="search"),
    ]


def _match_outcome(adapter: t.Any, path: str, method: str) -> tuple[t.Any, ...]:
    try:
        endpoint, args = adapter.match(path, method)
    except NotFound:
        return ("404",)
    except MethodNotAllowed as e:
        return ("405", tuple(sorted(e.valid_methods or ())))
    except (wr.RequestRedirect, fr.RequestRedirect) as e:
        return ("redirect", e.code, e.new_url)
    return ("hit", endpoint, args)


def _build_outcome(
    adapter: t.Any, endpoint: str, values: dict[str, t.Any], method: str | None, external: bool
) -> tuple[t.Any, ...]:
    try:
        return ("url", adapter.build(endpoint, values, method=method, force_external=external))
    except (wr.BuildError, fr.BuildError):
        return ("build error",)
    except ValueError as e:  # a converter refusing the value
        return ("value error", str(e))


def _checks() -> list[tuple[t.Any, ...]]:
    """The questions the readers ask: ("match", path, method) and
    ("build", endpoint, values, method, force_external)."""
    checks: list[tuple[t.Any, ...]] = []
    for i in range(30):
        u = uuid.UUID(int=i * 7919)
        for path in (
            "/",
            "/about",
            "/about-us",
            "/old-about",
            "/users",
            "/users/",
            f"/users/{i}",
            f"/users/{i}/",
            f"/users/x{i}",
            f"/files/a/{i}/b.txt",
            f"/files/{i}",
            "/page/",
            f"/page/{i}",
            f"/items/{u}",
            f"/items/not-a-uuid-{i}",
            f"/lang/{('en', 'de', 'fr', 'it')[i % 4]}",
            f"/lang/{('en', 'de', 'fr', 'it')[i % 4]}/",
            f"/price/{i}.5",
            f"/price/{i}",
            f"/nope/{i}",
            "/search",
            f"/api/v{i % 3}/things",
        ):
            checks.append(("match", path, "GET"))
        for method in ("GET", "POST", "DELETE", "PUT", "HEAD"):
            checks.append(("match", f"/users/{i}/posts/s-{i}", method))
            checks.append(("match", f"/api/v{i % 3}/things/{i}", method))
            checks.append(("match", f"/api/v{i % 3}/things", method))
        for endpoint, values, method, external in (
            ("index", {}, None, False),
            ("about", {}, None, i % 2 == 0),
            ("users", {}, None, False),
            ("user", {"uid": i}, None, False),
            ("user", {"uid": i, "q": f"a b{i}"}, None, False),
            ("user", {}, None, False),
            ("post", {"uid": i, "slug": f"s-{i}"}, None, False),
            ("post", {"uid": i, "slug": f"s-{i}"}, "POST", True),
            ("post", {"uid": i, "slug": f"s-{i}"}, "DELETE", False),
            ("post_delete", {"uid": i, "slug": f"s {i}"}, "DELETE", False),
            ("files", {"p": f"a/{i}/b c.txt"}, None, False),
            ("page", {"n": 1}, None, False),
            ("page", {"n": i}, None, False),
            ("page", {}, None, False),
            ("item", {"u": u}, None, False),
            ("lang", {"lang": ("en", "de", "fr", "it")[i % 4]}, None, False),
            ("price", {"v": i + 0.25}, None, False),
            ("thing", {"ver": i % 3, "tid": i}, "PUT", False),
            ("things_create", {"ver": i % 3}, "POST", False),
            ("search", {"q": f"x{i}", "page": i}, None, i % 3 == 0),
            ("missing", {}, None, False),
        ):
            checks.append(("build", endpoint, values, method, external))
    return checks


def _answer(adapter: t.Any, check: tuple[t.Any, ...]) -> tuple[t.Any, ...]:
    if check[0] == "match":
        return _match_outcome(adapter, check[1], check[2])
    return _build_outcome(adapter, *check[1:])


def test_16_threads_match_and_build_while_rules_are_added(core: t.Any, busy_switching: None) -> None:
    checks = _checks()
    spec = wr.Map(_rules(wr)).bind("example.com")
    expected = [_answer(spec, check) for check in checks]
    kinds = {answer[0] for answer in expected}
    assert kinds == {"hit", "404", "405", "redirect", "url", "build error", "value error"}

    m = fr.Map(_rules(fr))
    adapter = m.bind("example.com")
    # Single-threaded first: the table is what this map answers too.
    assert [_answer(adapter, check) for check in checks] == expected

    rules_to_add = 200
    soft_deadline = time.monotonic() + 4.0
    finished = [0]  # number of writer rounds whose add() calls all returned
    writer_done = threading.Event()
    errors: list[t.Any] = []
    answered = [0] * READERS

    def writer() -> None:
        try:
            for i in range(rules_to_add):
                if time.monotonic() > soft_deadline:
                    break
                # A new endpoint under its own prefix ...
                m.add(fr.Rule(f"/added/{i}/<int:x>", endpoint=f"added{i}"))
                # ... and rules for the checked endpoints that need an
                # argument no checked build gives: they re-order those
                # endpoints' rule lists on every update without ever being
                # chosen (and they match only under /added/).
                m.add(fr.Rule(f"/added/{i}/u/<int:zz>", endpoint="user"))
                m.add(fr.Rule(f"/added/{i}/p/<int:zz>/<int:n>", endpoint="page"))
                m.add(fr.Rule(f"/added/{i}/s/<zz>", endpoint="search", methods=["GET", "POST"]))
                finished[0] = i + 1
                if i % 10 == 0:
                    m.update()
        finally:
            writer_done.set()

    def reader(n: int) -> None:
        rng = random.Random(n)
        ad = m.bind("example.com")
        order = list(range(len(checks)))
        passes_after_writer = 0
        while passes_after_writer < 1 and len(errors) < 20:
            if writer_done.is_set():
                passes_after_writer += 1
            rng.shuffle(order)
            for k, index in enumerate(order):
                got = _answer(ad, checks[index])
                answered[n] += 1
                if got != expected[index]:
                    errors.append((checks[index], "expected", expected[index], "got", got))
                if k % 50 == 0 and finished[0]:
                    # A rule added earlier is found, by matching and building.
                    i = rng.randrange(finished[0])
                    want = ("hit", f"added{i}", {"x": k})
                    got = _match_outcome(ad, f"/added/{i}/{k}", "GET")
                    if got != want:
                        errors.append(("added rule", i, got))
                    if ad.build(f"added{i}", {"x": k}) != f"/added/{i}/{k}":
                        errors.append(("added rule build", i))
                    got = _match_outcome(ad, f"/added/{i}/u/{k}", "GET")
                    if got != ("hit", "user", {"zz": k}):
                        errors.append(("added user rule", i, got))

    _run_threads([writer] + [lambda n=n: reader(n) for n in range(READERS)], errors)
    assert errors == []
    assert all(count >= len(checks) for count in answered)
    assert finished[0] > 0
    # Afterwards: every added rule is there, every checked answer unchanged.
    adapter = m.bind("example.com")
    for i in range(finished[0]):
        assert adapter.match(f"/added/{i}/3") == (f"added{i}", {"x": 3})
        assert adapter.match(f"/added/{i}/p/1/2") == ("page", {"zz": 1, "n": 2})
    assert [_answer(adapter, check) for check in checks] == expected


def test_16_threads_first_use_of_a_new_map(core: t.Any, busy_switching: None) -> None:
    # The map compiles lazily on first use; all 16 threads ask at once.
    checks = _checks()[:: READERS // 2]
    spec = wr.Map(_rules(wr)).bind("example.com")
    expected = [_answer(spec, check) for check in checks]
    for round_ in range(3):
        m = fr.Map([*_rules(fr), fr.Rule(f"/r{round_}/<int:x>", endpoint="r")])
        barrier = threading.Barrier(READERS, timeout=JOIN_SECONDS)
        errors: list[t.Any] = []

        def reader(n: int, m: t.Any, barrier: threading.Barrier, errors: list[t.Any], round_: int) -> None:
            ad = m.bind("example.com")
            barrier.wait()
            if ad.match(f"/r{round_}/{n}") != ("r", {"x": n}):
                errors.append(("r", n))
            for check, want in zip(checks, expected, strict=True):
                got = _answer(ad, check)
                if got != want:
                    errors.append((check, want, got))

        targets = [functools.partial(reader, n, m, barrier, errors, round_) for n in range(READERS)]
        _run_threads(targets, errors)
        assert errors == []


# --------------------------------------------------------------------------
# a fastroute app shared by every concurrent test below


def _make_app(name: str = "conc") -> Flask:
    app = Flask(name)
    app.config.update(SECRET_KEY=f"secret-{name}")

    @app.before_request
    def before() -> None:
        g.path_seen = request.path

    @app.after_request
    def after(response: t.Any) -> t.Any:
        response.headers["X-Path"] = g.path_seen
        return response

    @app.route("/item/<int:n>")
    def item(n: int) -> t.Any:
        return {"n": n, "path": request.path, "q": request.args.get("q"), "url": url_for("item", n=n, q="z")}

    @app.route("/users/<int:uid>/posts/<slug>", methods=["GET", "POST"])
    def post(uid: int, slug: str) -> t.Any:
        g.uid = uid
        form = request.form.get("body") if request.method == "POST" else None
        return {
            "uid": g.uid,
            "slug": slug,
            "method": request.method,
            "args": request.args.to_dict(),
            "form": form,
            "self": url_for("post", uid=uid, slug=slug),
        }

    @app.route("/count/<tag>")
    def count(tag: str) -> t.Any:
        session["tag"] = tag
        session["n"] = session.get("n", 0) + 1
        return {"tag": session["tag"], "n": session["n"]}

    @app.route("/go/<int:n>")
    def go(n: int) -> t.Any:
        return redirect(url_for("item", n=n))

    @app.route("/fail/<int:n>")
    def fail(n: int) -> t.Any:
        abort(418 if n % 2 else 400)

    @app.route("/async/<int:n>")
    async def async_view(n: int) -> t.Any:
        g.n = n
        seen = []
        for _ in range(3):
            await asyncio.sleep(0)
            seen.append((request.path, g.n, request.args.get("k")))

        async def child() -> t.Any:
            # A task inherits a copy of the context: same request, same g.
            await asyncio.sleep(0)
            return request.view_args["n"], g.n

        kids = await asyncio.gather(*(child() for _ in range(3)))
        return {"seen": seen, "kids": kids, "url": url_for("async_view", n=n)}

    @app.errorhandler(418)
    def teapot(e: Exception) -> t.Any:
        return {"teapot": request.path}, 418

    return app


# --------------------------------------------------------------------------
# asyncio


def test_asyncio_tasks_each_see_their_own_context() -> None:
    app_a = _make_app("conc_a")
    app_b = _make_app("conc_b")
    tasks = 300

    async def one(i: int) -> tuple[t.Any, ...]:
        rng = random.Random(i)
        app = app_a if i % 2 else app_b
        other = app_b if i % 2 else app_a
        script = f"/t{i}"

        async def pause() -> None:
            await asyncio.sleep(rng.choice((0, 0, 0.001)))

        assert not has_request_context()
        with app.test_request_context(f"/item/{i}?q=v{i}", base_url=f"http://h{i}.example{script}"):
            g.who = i
            session["who"] = i
            for step in range(4):
                await pause()
                assert current_app._get_current_object() is app
                assert current_app.name == app.name
                assert request.path == f"/item/{i}"
                assert request.script_root == script
                assert request.args["q"] == f"v{i}"
                assert request.view_args == {"n": i}
                assert request.host == f"h{i}.example"
                assert g.who == i and "who" in g
                assert session["who"] == i
                assert url_for("item", n=i + step) == f"{script}/item/{i + step}"
                assert url_for("item", n=i, _external=True) == f"http://h{i}.example{script}/item/{i}"

            # A child task gets a copy of this context.
            async def child() -> tuple[t.Any, ...]:
                await pause()
                return request.path, g.who, session["who"], current_app.name

            assert await asyncio.create_task(child()) == (f"/item/{i}", i, i, app.name)

            # Another app's context pushed on top, then popped.
            if i % 3 == 0:
                with other.app_context():
                    await pause()
                    assert current_app._get_current_object() is other
                    assert "who" not in g
                    g.who = -i
                    assert request.path == f"/item/{i}"  # still this request
                await pause()
                assert current_app._get_current_object() is app
                assert g.who == i

            session["who"] = i + 1
            await pause()
            result = (request.path, g.who, session["who"], url_for("item", n=i))
        assert not has_request_context() and not has_app_context()
        return result

    async def main() -> list[t.Any]:
        return await asyncio.gather(*(one(i) for i in range(tasks)))

    results = asyncio.run(main())
    assert results == [(f"/item/{i}", i, i + 1, f"/t{i}/item/{i}") for i in range(tasks)]
    assert not has_request_context() and not has_app_context()


def test_async_views_from_many_threads() -> None:
    # Each request runs its coroutine view in the request's thread; 16
    # threads do so at once.
    app = _make_app()
    errors: list[t.Any] = []
    per_thread = 40

    def client_thread(c: int) -> None:
        client = app.test_client()
        for r in range(per_thread):
            n = c * 1000 + r
            response = client.get(f"/async/{n}?k=k{n}")
            want = {
                "seen": [[f"/async/{n}", n, f"k{n}"]] * 3,
                "kids": [[n, n]] * 3,
                "url": f"/async/{n}",
            }
            if response.status_code != 200 or response.get_json() != want:
                errors.append((n, response.status_code, response.get_data(as_text=True)[:200]))
            if response.headers.get("X-Path") != f"/async/{n}":
                errors.append((n, "X-Path", response.headers.get("X-Path")))

    _run_threads([lambda c=c: client_thread(c) for c in range(CLIENTS)], errors)
    assert errors == []


# --------------------------------------------------------------------------
# greenlets


def test_greenlets_each_see_their_own_request() -> None:
    greenlet = pytest.importorskip("greenlet")
    app = _make_app()
    count = 200
    rounds = 5
    done: dict[int, t.Any] = {}
    errors: list[t.Any] = []
    hub = greenlet.getcurrent()

    def run(i: int) -> None:
        try:
            # A new greenlet starts with an empty context.
            assert not has_request_context()
            with app.test_request_context(f"/users/{i}/posts/p{i}?r={i}", method="POST"):
                g.mine = i
                session["mine"] = i
                for step in range(rounds):
                    hub.switch()  # every other greenlet runs a step now
                    assert request.path == f"/users/{i}/posts/p{i}"
                    assert request.method == "POST"
                    assert request.args["r"] == str(i)
                    assert request.view_args == {"uid": i, "slug": f"p{i}"}
                    assert g.mine == i
                    assert session["mine"] == i
                    assert url_for("post", uid=i, slug=f"p{i}", s=step) == f"/users/{i}/posts/p{i}?s={step}"
                    g.mine = i  # rewrite: the next greenlet must not see it
            assert not has_request_context()
            done[i] = True
        except BaseException as e:
            errors.append((i, type(e).__name__, str(e)[:200]))

    workers = [greenlet.greenlet(run, parent=hub) for _ in range(count)]
    for i, worker in enumerate(workers):
        worker.switch(i)  # pushes its context, then returns here
    assert not has_request_context()
    rng = random.Random(rounds)
    for _ in range(rounds):
        for worker in rng.sample(workers, len(workers)):
            if not worker.dead:
                worker.switch()
        assert not has_request_context()
    assert errors == []
    assert sorted(done) == list(range(count))
    assert all(worker.dead for worker in workers)


# --------------------------------------------------------------------------
# many client threads against one app: a threaded server, and direct WSGI calls


def _expected(
    app_name: str, c: int, r: int
) -> tuple[str, str, bytes | None, t.Callable[[int, dict[str, str], bytes], t.Any]]:
    """A per-request distinct request and a checker for its response:
    (method, path with query, body or None, check(status, headers, body) -> problem or None)."""
    n = c * 10_000 + r
    kind = r % 6
    if kind == 0:
        path = f"/item/{n}?q=q{n}"

        def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
            want = {"n": n, "path": f"/item/{n}", "q": f"q{n}", "url": f"/item/{n}?q=z"}
            return (
                None
                if (status, json.loads(body)) == (200, want) and headers["x-path"] == f"/item/{n}"
                else body
            )

        return "GET", path, None, check
    if kind == 1:
        path = f"/users/{c}/posts/s{n}?a={n}&b=x%20{c}"

        def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
            want = {
                "uid": c,
                "slug": f"s{n}",
                "method": "POST",
                "args": {"a": str(n), "b": f"x {c}"},
                "form": f"body {n}",
                "self": f"/users/{c}/posts/s{n}",
            }
            return None if (status, json.loads(body)) == (200, want) else body

        return "POST", path, f"body=body+{n}".encode(), check
    if kind == 2:
        path = f"/go/{n}"

        def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
            return None if status == 302 and headers["location"].endswith(f"/item/{n}") else (status, headers)

        return "GET", path, None, check
    if kind == 3:
        path = f"/fail/{n}"

        def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
            if n % 2:
                return None if (status, json.loads(body)) == (418, {"teapot": f"/fail/{n}"}) else body
            return None if status == 400 else status

        return "GET", path, None, check
    if kind == 4:
        path = f"/missing/{n}"

        def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
            return None if status == 404 else status

        return "GET", path, None, check
    path = f"/item/{n}"

    def check(status: int, headers: dict[str, str], body: bytes) -> t.Any:
        return None if status == 405 and "GET" in headers.get("allow", "") else (status, headers)

    return "DELETE", path, None, check


class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: t.Any) -> None:
        pass  # no access log line per request


def test_threaded_server_16_clients() -> None:
    app = _make_app()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    port = server.socket.getsockname()[1]
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    serving.start()
    errors: list[t.Any] = []
    per_client = 120

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cookie = None
        try:
            for r in range(per_client):
                method, path, body, check = _expected(app.name, c, r)
                headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                problem = check(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
                if problem is not None:
                    errors.append((c, r, path, problem))
                if r % 10 == 9:
                    # The session of this client only: its own counter.
                    conn.request("GET", f"/count/c{c}", headers={"Cookie": cookie} if cookie else {})
                    response = conn.getresponse()
                    got = json.loads(response.read())
                    if got != {"tag": f"c{c}", "n": r // 10 + 1}:
                        errors.append((c, r, "session", got))
                    cookie = response.getheader("Set-Cookie", "").split(";")[0]
        finally:
            conn.close()

    try:
        _run_threads([lambda c=c: client(c) for c in range(CLIENTS)], errors)
    finally:
        server.shutdown()
        serving.join(JOIN_SECONDS)
        server.server_close()
    assert not serving.is_alive()
    assert errors == []


def test_direct_wsgi_calls_from_16_threads(core: t.Any, busy_switching: None) -> None:
    # app.wsgi_app and app.__call__ (the fast path) straight from 16 threads,
    # with the app's map on the matcher core under test.
    app = _make_app()
    assert app.url_map._core is core
    errors: list[t.Any] = []
    per_client = 300

    def environ(method: str, path: str, body: bytes | None, cookie: str | None) -> dict[str, t.Any]:
        path_info, _, query = path.partition("?")
        env = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body or b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if body:
            env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            env["CONTENT_LENGTH"] = str(len(body))
        if cookie:
            env["HTTP_COOKIE"] = cookie
        return env

    def call(entry: t.Callable[..., t.Any], env: dict[str, t.Any]) -> tuple[int, dict[str, str], bytes]:
        got: list[t.Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: t.Any = None) -> t.Any:
            got[:] = [int(status.split()[0]), {k.lower(): v for k, v in headers}]
            return lambda data: None

        iterable = entry(env, start_response)
        try:
            body = b"".join(iterable)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return got[0], got[1], body

    def client(c: int) -> None:
        cookie = None
        for r in range(per_client):
            entry = app if r % 2 else app.wsgi_app
            method, path, body, check = _expected(app.name, c, r)
            status, headers, data = call(entry, environ(method, path, body, None))
            problem = check(status, headers, data)
            if problem is not None:
                errors.append((c, r, path, problem))
            if has_request_context() or has_app_context():
                errors.append((c, r, "context left pushed"))
            if r % 10 == 9:
                status, headers, data = call(entry, environ("GET", f"/count/c{c}", None, cookie))
                got = json.loads(data)
                if got != {"tag": f"c{c}", "n": r // 10 + 1}:
                    errors.append((c, r, "session", got))
                cookie = headers["set-cookie"].split(";")[0]

    _run_threads([lambda c=c: client(c) for c in range(CLIENTS)], errors)
    assert errors == []
