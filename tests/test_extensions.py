"""Real Flask extensions on ``fastroute.Flask``: the same answers as on ``flask.Flask``.

Flask-Login, Flask-WTF (CSRF), Flask-CORS, Flask-SQLAlchemy (SQLite in
memory) and Flask-Caching (simple cache): a small app each, built by a
factory that takes the Flask class, and a list of requests; the status,
headers (not ``Date``), body, cookies (a session by its decoded value) and
warnings must be the same on both classes (``appcompare``).  These
extensions read ``flask.request``, ``flask.g``, ``flask.current_app`` and
``flask.session`` and register hooks, which is what an app layer of its own
could not give them.  They are in the test extra: a missing one fails the
collection, it is not skipped.
"""

from __future__ import annotations

import re
import typing as t

import flask
import flask_caching
import flask_cors
import flask_login
import flask_sqlalchemy
import flask_wtf
import flask_wtf.csrf
import pytest
import sqlalchemy as sa
import wtforms
from sqlalchemy import orm

from tests.support.appcompare import assert_same_answers, get, req

# -- Flask-Login ------------------------------------------------------------------


def login_app(cls: type[flask.Flask]) -> flask.Flask:
    app = cls("login")
    app.config.update(SECRET_KEY="login-secret")
    manager = flask_login.LoginManager(app)
    manager.login_view = "login"

    class User(flask_login.UserMixin):
        def __init__(self, uid: str) -> None:
            self.id = uid

    users = {"ann", "bob"}

    @manager.user_loader
    def load(uid: str) -> User | None:
        return User(uid) if uid in users else None

    @manager.request_loader
    def from_header(request: flask.Request) -> User | None:
        token = request.headers.get("X-Token")
        return User(token) if token in users else None

    @app.post("/login")
    def login() -> t.Any:
        uid = flask.request.form.get("user", "")
        if uid not in users:
            return "who?", 403
        flask_login.login_user(User(uid), remember=flask.request.form.get("remember") == "1")
        return flask.redirect(flask.request.args.get("next") or flask.url_for("me"))

    @app.get("/login")
    def login_page() -> str:
        return f"please log in ({flask.request.args.get('next')})"

    @app.route("/me")
    @flask_login.login_required
    def me() -> t.Any:
        user = flask_login.current_user
        return {"id": user.id, "authenticated": user.is_authenticated, "g": flask.g._login_user.id}

    @app.route("/fresh")
    @flask_login.fresh_login_required
    def fresh() -> str:
        return "fresh " + flask_login.current_user.id

    @app.route("/whoami")
    def whoami() -> str:
        return "anonymous" if flask_login.current_user.is_anonymous else flask_login.current_user.id

    @app.route("/logout")
    def logout() -> t.Any:
        flask_login.logout_user()
        return flask.redirect(flask.url_for("whoami"))

    return app


def test_flask_login() -> None:
    theirs = assert_same_answers(
        login_app,
        [
            get("/whoami"),
            get("/me"),
            get("/me?x=1"),
            req("POST", "/login", data={"user": "eve"}),
            req("POST", "/login?next=/fresh", data={"user": "ann"}),
            get("/me"),
            get("/fresh"),
            get("/whoami"),
            get("/logout"),
            get("/me"),
            req("POST", "/login", data={"user": "bob", "remember": "1"}),
            get("/me"),
            get("/me", headers={"X-Token": "ann"}),
            get("/logout"),
            get("/whoami", headers={"X-Token": "bob"}),
        ],
    )
    statuses = [a[2] for a in theirs]
    assert statuses[:6] == ["200 OK", "302 FOUND", "302 FOUND", "403 FORBIDDEN", "302 FOUND", "200 OK"]
    assert theirs[5][4] == b'{"authenticated":true,"g":"ann","id":"ann"}\n'


# -- Flask-WTF ----------------------------------------------------------------------


def csrf_app(cls: type[flask.Flask]) -> flask.Flask:
    app = cls("csrf")
    app.config.update(SECRET_KEY="csrf-secret")
    csrf = flask_wtf.CSRFProtect(app)

    class NameForm(flask_wtf.FlaskForm):
        name = wtforms.StringField("name", validators=[wtforms.validators.DataRequired()])

    @app.route("/token")
    def token() -> t.Any:
        response = flask.make_response("token issued")
        response.headers["X-CSRF-Token"] = flask_wtf.csrf.generate_csrf()
        return response

    @app.route("/form", methods=["GET", "POST"])
    def form() -> t.Any:
        f = NameForm()
        if f.validate_on_submit():
            return {"hello": f.name.data}
        return {
            "errors": f.errors,
            "method": flask.request.method,
        }, 200 if flask.request.method == "GET" else 422

    @app.post("/exempt")
    @csrf.exempt
    def exempt() -> str:
        return "no token needed"

    @app.post("/plain")
    def plain() -> str:
        return "protected"

    @app.errorhandler(flask_wtf.csrf.CSRFError)
    def csrf_error(e: t.Any) -> t.Any:
        return {"csrf": e.description}, 400

    return app


_TOKEN = re.compile(r"^[\w.-]+$")


def _scrub_csrf(answer: tuple[t.Any, ...]) -> tuple[t.Any, ...]:
    """The CSRF token and the session's raw token are random (os.urandom)
    and carry the second they were made: compared by shape, not value."""
    if answer[2] == "raised":
        return answer
    method, path, status, headers, body, cookies, *rest = answer
    headers = [(k, "<token>" if k == "X-CSRF-Token" and _TOKEN.match(v) else v) for k, v in headers]
    scrubbed = []
    for name, value, attributes in cookies:
        if isinstance(value, tuple) and isinstance(value[1], dict) and "csrf_token" in value[1]:
            value = (value[0], {**value[1], "csrf_token": len(value[1]["csrf_token"])})
        scrubbed.append((name, value, attributes))
    return (method, path, status, headers, body, scrubbed, *rest)


def _token(last: t.Any) -> dict[str, str]:
    return {"name": "ann", "csrf_token": last.headers["X-CSRF-Token"]}


def test_flask_wtf_csrf() -> None:
    theirs = assert_same_answers(
        csrf_app,
        [
            req("POST", "/plain"),
            req("POST", "/form", data={"name": "ann"}),
            req("POST", "/exempt"),
            get("/form"),
            get("/token"),
            req("POST", "/form", data=_token),
            get("/token"),
            req("POST", "/form", data=lambda last: {"csrf_token": last.headers["X-CSRF-Token"]}),
            get("/token"),
            req("POST", "/plain", headers=lambda last: {"X-CSRFToken": last.headers["X-CSRF-Token"]}),
            req("POST", "/form", data={"name": "ann", "csrf_token": "forged"}),
        ],
        scrub=_scrub_csrf,
    )
    assert [a[2] for a in theirs] == [
        "400 BAD REQUEST", "400 BAD REQUEST", "200 OK", "200 OK", "200 OK", "200 OK", "200 OK",
        "422 UNPROCESSABLE ENTITY", "200 OK", "200 OK", "400 BAD REQUEST",
    ]  # fmt: skip
    assert theirs[5][4] == b'{"hello":"ann"}\n'


# -- Flask-CORS ---------------------------------------------------------------------


def cors_app(cls: type[flask.Flask]) -> flask.Flask:
    app = cls("cors")
    flask_cors.CORS(
        app,
        resources={r"/api/*": {"origins": ["https://a.example", r"https://.*\.b\.example"]}},
        supports_credentials=True,
        expose_headers=["X-Total"],
        max_age=600,
    )

    @app.route("/api/items", methods=["GET", "POST"])
    def items() -> t.Any:
        return {"items": [1, 2], "method": flask.request.method}, 200, {"X-Total": "2"}

    @app.route("/api/items/<int:n>", methods=["DELETE"])
    def delete(n: int) -> t.Any:
        return "", 204

    @app.route("/private")
    def private() -> str:
        return "no cors here"

    bp = flask.Blueprint("public", __name__, url_prefix="/public")
    flask_cors.CORS(bp)
    bp.add_url_rule("/x", "x", lambda: "public x")
    app.register_blueprint(bp)

    @app.route("/decorated")
    @flask_cors.cross_origin(origins="*", methods=["GET"])
    def decorated() -> str:
        return "decorated"

    return app


def test_flask_cors() -> None:
    a, sub, evil = "https://a.example", "https://x.b.example", "https://evil.example"
    preflight = {"Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "X-Custom"}
    theirs = assert_same_answers(
        cors_app,
        [
            get("/api/items"),
            get("/api/items", headers={"Origin": a}),
            get("/api/items", headers={"Origin": sub}),
            get("/api/items", headers={"Origin": evil}),
            req("POST", "/api/items", headers={"Origin": a}),
            req("OPTIONS", "/api/items/3", headers={"Origin": a, **preflight}),
            req("OPTIONS", "/api/items/3", headers={"Origin": evil, **preflight}),
            req("DELETE", "/api/items/3", headers={"Origin": sub}),
            get("/api/missing", headers={"Origin": a}),
            req("PUT", "/api/items", headers={"Origin": a}),
            get("/private", headers={"Origin": a}),
            get("/public/x", headers={"Origin": evil}),
            get("/decorated", headers={"Origin": evil}),
            req("OPTIONS", "/decorated", headers={"Origin": evil, "Access-Control-Request-Method": "GET"}),
        ],
    )
    headers = dict(theirs[1][3])
    assert (
        headers["Access-Control-Allow-Origin"] == a and headers["Access-Control-Expose-Headers"] == "X-Total"
    )
    assert "Access-Control-Allow-Origin" not in dict(theirs[3][3])


# -- Flask-SQLAlchemy ---------------------------------------------------------------


#: The apps and databases made, for their connections to be closed.
_databases: list[tuple[flask.Flask, t.Any]] = []


def sqlalchemy_app(cls: type[flask.Flask]) -> flask.Flask:
    app = cls("sqla")
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", SQLALCHEMY_RECORD_QUERIES=True)

    class Base(orm.DeclarativeBase):
        pass

    db = flask_sqlalchemy.SQLAlchemy(app, model_class=Base)
    _databases.append((app, db))

    class Note(db.Model):  # type: ignore[name-defined,misc]
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        text: orm.Mapped[str] = orm.mapped_column(sa.String(50), unique=True)

    with app.app_context():
        db.create_all()

    @app.post("/notes")
    def add() -> t.Any:
        note = Note(text=flask.request.get_json()["text"])
        db.session.add(note)
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
            return {"error": "duplicate"}, 409
        return {"id": note.id}, 201

    @app.get("/notes/<int:nid>")
    def one(nid: int) -> t.Any:
        note = db.get_or_404(Note, nid, description="no such note")
        return {"id": note.id, "text": note.text}

    @app.get("/notes")
    def page() -> t.Any:
        result = db.paginate(db.select(Note).order_by(Note.id), per_page=2)
        return {
            "items": [n.text for n in result.items],
            "page": result.page,
            "pages": result.pages,
            "next": flask.url_for("page", page=result.next_num) if result.has_next else None,
        }

    @app.delete("/notes/<int:nid>")
    def remove(nid: int) -> t.Any:
        note = db.first_or_404(db.select(Note).filter_by(id=nid))
        db.session.delete(note)
        db.session.commit()
        return "", 204

    @app.get("/queries")
    def queries() -> t.Any:
        # Recorded queries live on flask.g: the count checks that g is Flask's.
        return {"recorded": len(flask_sqlalchemy.record_queries.get_recorded_queries())}

    return app


@pytest.fixture
def close_databases() -> t.Iterator[None]:
    """Close the SQLite connections the apps opened.  Left to the garbage
    collector, each one warns on CPython 3.13+ (an unclosed database
    ResourceWarning) in whichever later test the collection happens."""
    yield
    while _databases:
        app, db = _databases.pop()
        with app.app_context():
            db.engine.dispose()


@pytest.mark.usefixtures("close_databases")
def test_flask_sqlalchemy() -> None:
    theirs = assert_same_answers(
        sqlalchemy_app,
        [
            *(req("POST", "/notes", json={"text": f"note {i}"}) for i in range(5)),
            req("POST", "/notes", json={"text": "note 1"}),
            get("/notes/2"),
            get("/notes/99"),
            get("/notes"),
            get("/notes?page=3"),
            get("/notes?page=9"),
            get("/notes?page=x"),
            req("DELETE", "/notes/1"),
            req("DELETE", "/notes/1"),
            get("/notes"),
            get("/queries"),
        ],
    )
    assert theirs[6][4] == b'{"id":2,"text":"note 1"}\n'
    assert [a[2] for a in theirs[5:8]] == ["409 CONFLICT", "200 OK", "404 NOT FOUND"]


# -- Flask-Caching ------------------------------------------------------------------


def caching_app(cls: type[flask.Flask]) -> flask.Flask:
    app = cls("caching")
    app.config.update(CACHE_TYPE="SimpleCache", CACHE_DEFAULT_TIMEOUT=300)
    cache = flask_caching.Cache(app)
    calls = {"view": 0, "query": 0, "memo": 0}

    @app.route("/cached")
    @cache.cached()
    def cached() -> t.Any:
        calls["view"] += 1
        return {"calls": calls["view"]}

    @app.route("/by-query")
    @cache.cached(query_string=True)
    def by_query() -> t.Any:
        calls["query"] += 1
        return {"calls": calls["query"], "args": flask.request.args.to_dict()}

    @cache.memoize()
    def square(n: int) -> int:
        calls["memo"] += 1
        return n * n

    @app.route("/square/<int:n>")
    def squared(n: int) -> t.Any:
        return {"square": square(n), "calls": calls["memo"]}

    @app.route("/forget/<int:n>")
    def forget(n: int) -> str:
        cache.delete_memoized(square, n)
        cache.delete("view//cached")
        return "forgotten"

    @app.route("/kv/<key>", methods=["GET", "PUT"])
    def kv(key: str) -> t.Any:
        if flask.request.method == "PUT":
            cache.set(key, flask.request.get_data(as_text=True))
            return "", 204
        value = cache.get(key)
        return {"value": value}, 200 if value is not None else 404

    return app


def test_flask_caching() -> None:
    theirs = assert_same_answers(
        caching_app,
        [
            get("/cached"),
            get("/cached"),
            get("/cached?x=1"),
            get("/by-query?a=1"),
            get("/by-query?a=1"),
            get("/by-query?a=2"),
            get("/square/3"),
            get("/square/3"),
            get("/square/4"),
            get("/forget/3"),
            get("/square/3"),
            get("/cached"),
            req("PUT", "/kv/k", data="v1"),
            get("/kv/k"),
            get("/kv/missing"),
        ],
    )
    assert [a[4] for a in theirs[:2]] == [b'{"calls":1}\n', b'{"calls":1}\n']
    assert theirs[11][4] == b'{"calls":2}\n'
