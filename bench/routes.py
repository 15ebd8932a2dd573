"""Route tables and request mixes shared by the benchmarks and ``report.py``.

Tables
    ``github``, ``static``, ``gplus``, ``parse``: the files next to this
    module, one ``METHOD /path/:param`` per line (``:name`` becomes
    ``<name>``).  ``github-slash``: the GitHub table with every rule turned
    into a branch (``/user/repos/``), for strict-slash redirects.
    ``param1``/``param5``/``param20``: one rule with 1, 5 or 20 parameters
    (go-http-routing-benchmark's Param, Param5, Param20).
    ``rest10`` ... ``rest10000``: synthetic REST APIs of exactly N rules.
    ``siblings2000``: 2,000 static siblings at one level, each with a
    parameter below it.  ``regex600``: 600 rules, each with its own custom
    converter class (600 distinct regexes, more than ``re``'s 512-entry cache).

Requests
    ``request_mix(table)``: 90 % hits, 5 % 404, 5 % 405, shuffled; hits get
    realistic parameter values, so most dynamic requests are distinct (a
    router's result cache cannot answer them).  ``case_requests(table, case)``
    gives the requests of one case (``Static``, ``Param``, ``2Params``,
    ``Param5``, ``Param20``, ``404``, ``405``, ``RedirectStatic``,
    ``RedirectParam``) or the whole mix (``All``).

Everything is deterministic (seeded) and independent of the routers under
test: a small reference matcher labels every generated request, and the
benchmarks check the routers against each other before timing.
"""

from __future__ import annotations

import random
import re
import typing as t
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent

SEED = 20250101
MIX_SIZE = 2000  # requests per "All" round
# Distinct requests per single-route case; more than the 1,024 entries of
# http-router's match cache, so cycling through them never hits the cache.
CASE_SIZE = 2048
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FILE_TABLES = ("github", "static", "gplus", "parse")
SCALING_SIZES = (10, 100, 1000, 10000)

# go-http-routing-benchmark's requests for its Static/Param/2Params cases,
# as (method, rule, values of the first request).  Later requests of a case
# use other realistic values.
CASE_ROUTES: dict[str, dict[str, tuple[str, str, dict[str, str]]]] = {
    "github": {
        "Static": ("GET", "/user/repos", {}),
        "Param": ("GET", "/users/<user>", {"user": "julienschmidt"}),
        "2Params": (
            "GET",
            "/repos/<owner>/<repo>/stargazers",
            {"owner": "julienschmidt", "repo": "httprouter"},
        ),
    },
    "static": {"Static": ("GET", "/articles/wiki/edit.html", {})},
    "gplus": {
        "Static": ("GET", "/people", {}),
        "Param": ("GET", "/people/<userId>", {"userId": "118051310819094153327"}),
        "2Params": (
            "GET",
            "/people/<userId>/activities/<collection>",
            {"userId": "118051310819094153327", "collection": "123456789"},
        ),
    },
    "parse": {
        "Static": ("GET", "/1/users", {}),
        "Param": ("GET", "/1/classes/<className>", {"className": "go"}),
        "2Params": (
            "GET",
            "/1/classes/<className>/<objectId>",
            {"className": "go", "objectId": "123456789"},
        ),
    },
    "param1": {"Param": ("GET", "/user/<name>", {"name": "gordon"})},
    "param5": {"Param5": ("GET", "/<a>/<b>/<c>/<d>/<e>", dict.fromkeys("abcde", "test"))},
    "param20": {
        "Param20": (
            "GET",
            "/" + "/".join(f"<{c}>" for c in "abcdefghijklmnopqrst"),
            {c: c for c in "abcdefghijklmnopqrst"},
        )
    },
    "github-slash": {
        "RedirectStatic": ("GET", "/user/repos/", {}),
        "RedirectParam": ("GET", "/repos/<owner>/<repo>/stargazers/", {"owner": "pallets", "repo": "flask"}),
    },
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # werkzeug syntax: <name> or <converter:name>

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    kind: str  # "hit", "404", "405" or "redirect"


@dataclass(frozen=True)
class Table:
    name: str
    routes: tuple[Route, ...]
    # Custom converters: name -> (regex, value template with "{n}").
    converters: dict[str, tuple[str, str]] = field(default_factory=dict)
    # True when redirects are part of what is measured (werkzeug semantics).
    redirects: bool = False

    @property
    def plain(self) -> bool:
        """Only ``<name>`` parameters and no redirects: every router can take it."""
        return not self.converters and not self.redirects

    def __hash__(self) -> int:
        return hash(self.name)


def make_rules(rule_class: t.Any, table: Table) -> list[t.Any]:
    """One ``Rule(path, endpoint="METHOD path", methods=[METHOD])`` per route."""
    return [rule_class(r.path, endpoint=r.endpoint, methods=[r.method]) for r in table.routes]


_PARAM = re.compile(r":(\w+)")
_VAR = re.compile(r"<(?:(\w+):)?(\w+)>")


def _read(name: str) -> tuple[Route, ...]:
    routes = []
    for line in (HERE / f"{name}.txt").read_text().splitlines():
        if line.strip():
            method, path = line.split()
            routes.append(Route(method, _PARAM.sub(r"<\1>", path)))
    return tuple(routes)


# -- synthetic tables ----------------------------------------------------------

_NAMESPACES = (
    "accounts",
    "admin",
    "analytics",
    "audit",
    "auth",
    "billing",
    "catalog",
    "checkout",
    "cms",
    "crm",
    "dashboard",
    "devices",
    "docs",
    "events",
    "exports",
    "files",
    "forum",
    "geo",
    "hr",
    "imports",
    "inventory",
    "jobs",
    "kb",
    "ledger",
    "logistics",
    "mail",
    "marketing",
    "media",
    "messaging",
    "metrics",
    "monitoring",
    "notifications",
    "orders",
    "payments",
    "projects",
    "reports",
    "search",
    "shipping",
    "social",
    "support",
)
_RESOURCES = (
    "users",
    "teams",
    "projects",
    "issues",
    "comments",
    "labels",
    "milestones",
    "releases",
    "assets",
    "invoices",
    "payments",
    "refunds",
    "customers",
    "products",
    "variants",
    "prices",
    "coupons",
    "carts",
    "orders",
    "shipments",
    "addresses",
    "warehouses",
    "suppliers",
    "contracts",
    "documents",
    "folders",
    "tags",
    "webhooks",
    "tokens",
    "keys",
    "sessions",
    "devices",
    "alerts",
    "dashboards",
    "widgets",
    "reports",
    "exports",
    "jobs",
    "schedules",
    "tickets",
    "messages",
    "threads",
    "channels",
    "members",
    "roles",
    "permissions",
    "policies",
    "regions",
    "zones",
    "notes",
)


def _combos(seed: int) -> list[tuple[str, str]]:
    combos = [(ns, res) for ns in _NAMESPACES for res in _RESOURCES]  # 2,000
    random.Random(seed).shuffle(combos)
    return combos


def rest_table(n: int, seed: int = SEED) -> Table:
    """A REST-like API of exactly *n* rules: CRUD, nested collections, items."""
    rng = random.Random(seed + n)
    routes: list[Route] = []
    for ns, res in _combos(seed):
        sub = rng.choice(_RESOURCES)
        base = f"/api/v1/{ns}/{res}"
        item = f"{base}/<id>"
        routes += [
            Route("GET", base),
            Route("POST", base),
            Route("GET", item),
            Route("PUT", item),
            Route("DELETE", item),
            Route("GET", f"{item}/{sub}"),
            Route("POST", f"{item}/{sub}"),
            Route("GET", f"{item}/{sub}/<sub_id>"),
        ]
        if len(routes) >= n:
            break
    assert len(routes) >= n, n
    return Table(f"rest{n}", tuple(routes[:n]))


def siblings_table(n: int = 2000, seed: int = SEED) -> Table:
    """*n* static siblings under ``/api/``, each with an item rule below it."""
    names = [f"{ns}-{res}" for ns, res in _combos(seed)][:n]
    assert len(names) == n
    return Table(f"siblings{n}", tuple(Route("GET", f"/api/{s}/<id>") for s in names))


def _code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def regex_table(n: int = 600, seed: int = SEED) -> Table:
    """*n* rules, each with its own converter (SKU-like codes: ``ABC-123``)."""
    names = [f"{ns}-{res}" for ns, res in _combos(seed)][:n]
    converters = {}
    routes = []
    for i, name in enumerate(names):
        conv = f"sku{i}"
        code = _code(i + 1000)
        converters[conv] = (f"{code}-[0-9]{{2,9}}", f"{code}-{{n}}")
        routes.append(Route("GET", f"/api/{name}/<{conv}:code>"))
    return Table(f"regex{n}", tuple(routes), converters)


def _micro(name: str) -> Table:
    method, path, _ = next(iter(CASE_ROUTES[name].values()))
    return Table(name, (Route(method, path),))


@cache
def get_table(name: str) -> Table:
    if name in FILE_TABLES:
        return Table(name, _read(name))
    if name == "github-slash":
        return Table(name, tuple(Route(r.method, r.path + "/") for r in _read("github")), redirects=True)
    if name in ("param1", "param5", "param20"):
        return _micro(name)
    if name.startswith("rest"):
        return rest_table(int(name[4:]))
    if name.startswith("siblings"):
        return siblings_table(int(name[8:]))
    if name.startswith("regex"):
        return regex_table(int(name[5:]))
    raise KeyError(name)


# -- reference matcher (labels generated requests) ------------------------------


class _Node:
    __slots__ = ("methods", "params", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.params: dict[str | None, tuple[re.Pattern[str] | None, _Node]] = {}
        self.methods: set[str] = set()


class Reference:
    """Which methods a path accepts, by brute force over a segment trie.

    Parameters are whole segments: ``<name>`` is one non-empty segment, a
    custom converter its regex.  Enough to label the requests we generate.
    """

    def __init__(self, table: Table) -> None:
        self.root = _Node()
        for route in table.routes:
            node = self.root
            for seg in route.path.split("/")[1:]:
                var = _VAR.fullmatch(seg)
                if var is None:
                    assert "<" not in seg, f"mixed segment not supported: {route.path}"
                    node = node.static.setdefault(seg, _Node())
                    continue
                conv = var.group(1)
                if conv not in node.params:
                    rx = re.compile(table.converters[conv][0]) if conv else None
                    node.params[conv] = (rx, _Node())
                node = node.params[conv][1]
            node.methods.add(route.method)
            if route.method == "GET":
                node.methods.add("HEAD")

    def methods(self, path: str) -> set[str]:
        found: set[str] = set()
        self._walk(self.root, path.split("/")[1:], 0, found)
        return found

    def _walk(self, node: _Node, segs: list[str], i: int, found: set[str]) -> None:
        if i == len(segs):
            found |= node.methods
            return
        seg = segs[i]
        child = node.static.get(seg)
        if child is not None:
            self._walk(child, segs, i + 1, found)
        if seg:
            for rx, child in node.params.values():
                if rx is None or rx.fullmatch(seg):
                    self._walk(child, segs, i + 1, found)

    def classify(self, method: str, path: str) -> str:
        allowed = self.methods(path)
        if not allowed:
            if not path.endswith("/") and self.methods(path + "/"):
                return "redirect"
            return "404"
        return "hit" if method in allowed else "405"

    def unambiguous(self, path: str) -> bool:
        """No branch rule ``path/`` that could turn a miss into a redirect."""
        return path.endswith("/") or not self.methods(path + "/")


@cache
def reference(name: str) -> Reference:
    return Reference(get_table(name))


# -- parameter values ------------------------------------------------------------

_USERS = (
    "julienschmidt",
    "pallets",
    "davidism",
    "torvalds",
    "octocat",
    "gvanrossum",
    "mitsuhiko",
    "tiangolo",
    "encode",
    "django",
    "psf",
    "python",
    "rust-lang",
    "golang",
    "kubernetes",
    "microsoft",
    "facebook",
    "google",
    "jane-doe",
    "john_smith",
    "alice",
    "bob",
)
_REPOS = (
    "httprouter",
    "werkzeug",
    "flask",
    "jinja",
    "click",
    "linux",
    "cpython",
    "requests",
    "fastapi",
    "starlette",
    "django",
    "rust",
    "go",
    "react",
    "vscode",
    "typescript",
    "kubernetes",
    "hello-world",
    "dotfiles",
    "blog",
    "api-server",
    "docs",
)
_WORDS = (
    "alpha",
    "beta",
    "gamma",
    "delta",
    "main",
    "develop",
    "release",
    "feature",
    "hotfix",
    "GameScore",
    "Player",
    "Invoice",
    "signup",
    "login",
    "open",
    "closed",
    "all",
    "public",
    "private",
    "vacation",
    "news",
    "sports",
    "photos",
    "music",
    "report",
    "draft",
)


def param_value(name: str, rng: random.Random, table: Table, conv: str | None = None) -> str:
    """A realistic value for the parameter *name* (never empty, never a slash)."""
    if conv is not None:
        return table.converters[conv][1].format(n=rng.randrange(10, 10**9))
    low = name.lower()
    if low in ("owner", "user", "org", "assignee", "target_user", "username"):
        return rng.choice(_USERS) if rng.random() < 0.5 else f"{rng.choice(_USERS)}{rng.randrange(10**4)}"
    if low in ("repo", "repository"):
        return rng.choice(_REPOS) if rng.random() < 0.5 else f"{rng.choice(_REPOS)}-{rng.randrange(10**4)}"
    if low == "sha":
        return f"{rng.getrandbits(160):040x}"
    if low == "email":
        return f"{rng.choice(_USERS)}{rng.randrange(10**4)}@example.com"
    if low == "userid":
        return str(rng.randrange(10**20, 10**21))
    if low == "access_token":
        return f"{rng.getrandbits(128):032x}"
    if low == "objectid":
        return "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10)
        )
    if low in ("id", "number", "client_id", "activityid", "commentid", "sub_id") or low.endswith("id"):
        return str(rng.randrange(1, 10 ** rng.randrange(2, 10)))
    return f"{rng.choice(_WORDS)}{rng.randrange(10**5)}"


def fill(path: str, rng: random.Random, table: Table, given: t.Mapping[str, str] | None = None) -> str:
    """*path* with every ``<...>`` replaced by a value (from *given* if there)."""

    def value(found: re.Match[str]) -> str:
        if given and found.group(2) in given:
            return given[found.group(2)]
        return param_value(found.group(2), rng, table, found.group(1))

    return _VAR.sub(value, path)


# -- requests -----------------------------------------------------------------------


def _hit(table: Table, ref: Reference, rng: random.Random) -> Request:
    while True:
        route = rng.choice(table.routes)
        path = fill(route.path, rng, table)
        if ref.classify(route.method, path) == "hit" and ref.unambiguous(path):
            return Request(route.method, path, "hit")


def _not_found(table: Table, ref: Reference, rng: random.Random) -> Request:
    while True:
        route = rng.choice(table.routes)
        segs = fill(route.path, rng, table).split("/")
        how = rng.randrange(3)
        if how == 0:  # a typo in a static segment (or in a value)
            i = rng.randrange(1, len(segs))
            segs[i] = (segs[i] or "x") + rng.choice("sxz")
        elif how == 1:  # one segment too many
            segs.append(rng.choice(_WORDS).lower())
        else:  # an unknown top-level path
            segs = [
                "",
                rng.choice(("wp-admin", "favicon.ico", "robots.txt", "api2", "old")),
                str(rng.randrange(10**6)),
            ]
        path = "/".join(segs)
        if "//" in path or path.endswith("/"):
            continue
        method = route.method
        if ref.classify(method, path) == "404":
            return Request(method, path, "404")


def _not_allowed(table: Table, ref: Reference, rng: random.Random) -> Request:
    for _ in range(10_000):
        route = rng.choice(table.routes)
        path = fill(route.path, rng, table)
        if not ref.unambiguous(path):
            continue
        allowed = ref.methods(path)
        wrong = [m for m in METHODS if m not in allowed]
        if wrong:
            return Request(rng.choice(wrong), path, "405")
    raise ValueError(f"{table.name}: no path refuses a method")


@cache
def request_mix(name: str, size: int = MIX_SIZE, seed: int = SEED) -> tuple[Request, ...]:
    """The "All" mix: 90 % hits, 5 % 404, 5 % 405, shuffled (deterministic)."""
    table = get_table(name)
    ref = reference(name)
    rng = random.Random(f"{seed}-{name}-{size}")
    errors = size // 10
    n404 = errors // 2
    requests = [_hit(table, ref, rng) for _ in range(size - errors)]
    requests += [_not_found(table, ref, rng) for _ in range(n404)]
    requests += [_not_allowed(table, ref, rng) for _ in range(errors - n404)]
    rng.shuffle(requests)
    return tuple(requests)


def cases_of(name: str) -> list[str]:
    """The case names available for a table (``All`` first)."""
    table = get_table(name)
    if table.redirects:
        return list(CASE_ROUTES[name])
    if name in ("param1", "param5", "param20"):
        return list(CASE_ROUTES[name])
    return ["All", *CASE_ROUTES.get(name, {}), "404", "405"]


# A case of the synthetic REST tables: hits on the first resource's eight
# routes only, so the requests have the same shape and the same small working
# set whatever the table's size (the "All" mix spreads over the whole table).
FIRST_ROUTES = "first-routes"


def _first_routes_hits(table: Table, ref: Reference, rng: random.Random, size: int) -> tuple[Request, ...]:
    first = table.routes[:8]
    requests: list[Request] = []
    while len(requests) < size:
        route = rng.choice(first)
        path = fill(route.path, rng, table)
        if ref.classify(route.method, path) == "hit" and ref.unambiguous(path):
            requests.append(Request(route.method, path, "hit"))
    return tuple(requests)


@cache
def case_requests(name: str, case: str, size: int = CASE_SIZE, seed: int = SEED) -> tuple[Request, ...]:
    """The requests of one case, cycled through by the benchmark."""
    if case == "All":
        return request_mix(name, seed=seed)
    table = get_table(name)
    ref = reference(name)
    rng = random.Random(f"{seed}-{name}-{case}")
    if case == "404":
        return tuple(_not_found(table, ref, rng) for _ in range(size))
    if case == "405":
        return tuple(_not_allowed(table, ref, rng) for _ in range(size))
    if case == FIRST_ROUTES:
        return _first_routes_hits(table, ref, rng, size)
    method, path, first = CASE_ROUTES[name][case]
    assert Route(method, path) in table.routes, (name, case)
    if "<" not in path:
        requests = [Request(method, path, "hit")]
    else:
        seen = {fill(path, rng, table, first)}
        requests = [Request(method, next(iter(seen)), "hit")]
        while len(requests) < size:
            value = fill(path, rng, table)
            if value not in seen:
                seen.add(value)
                requests.append(Request(method, value, "hit"))
    if table.redirects:  # the same paths without their trailing slash
        requests = [Request(r.method, r.path.rstrip("/"), "redirect") for r in requests]
    for r in requests:
        assert ref.classify(r.method, r.path) == r.kind, (name, case, r)
    return tuple(requests)
