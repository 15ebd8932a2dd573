"""Route tables and request sets for ``python -m fastroute bench`` and ``bench/``.

Tables
    ``github`` (203 rules), ``static`` (157), ``gplus`` (13), ``parse`` (26):
    shipped as package data in ``routes/*.txt``, one ``METHOD /path/:param``
    per line (``:name`` becomes ``<name>``).  ``github-slash``: the GitHub
    table with every rule ending in a slash, so that the same paths without
    the slash are strict-slash redirects.  ``rest10`` ... ``rest10000``:
    synthetic REST APIs of exactly N rules.  ``param1``/``param5``/
    ``param20``: one rule with 1, 5 or 20 parameters (go-http-routing-
    benchmark's Param, Param5, Param20).  ``siblings2000``: 2,000 static
    siblings at one level, each with a parameter below it.  ``regex600``:
    600 rules, each with its own custom converter (600 distinct regexes, more
    than ``re``'s 512-entry cache).

Requests
    :func:`case_requests` gives the requests of one case: ``hits``, ``404``,
    ``405``, ``redirects`` (``github-slash`` only), ``mix`` (90 % hits, 5 %
    404, 5 % 405, shuffled), ``first-routes`` (hits on the first eight rules
    only) or one of go-http-routing-benchmark's single-route cases
    (:data:`CASE_ROUTES`: ``Static``, ``Param``, ``2Params``, ...).  Every
    request is labelled by a small reference matcher independent of the
    routers under test; hits get realistic, mostly distinct parameter values.
    Everything is seeded and deterministic, so a child process regenerates
    exactly the same requests.
"""

from __future__ import annotations

import random
import re
import typing as t
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

SEED = 20250101
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FILE_TABLES = ("github", "static", "gplus", "parse")
SCALING_SIZES = (10, 100, 1000, 10000)
MICRO_TABLES = ("param1", "param5", "param20")
# The case of hits on a table's first eight rules: on the synthetic REST
# tables the same requests, with the same small working set, whatever the
# table's size (the mix spreads over the whole table).
FIRST_ROUTES = "first-routes"

# go-http-routing-benchmark's single-route cases: table -> case -> (a GET
# rule, the values of the case's first request); later requests of a case
# use other realistic values.
_TWENTY = "abcdefghijklmnopqrst"
CASE_ROUTES: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "github": {
        "Static": ("/user/repos", {}),
        "Param": ("/users/<user>", {"user": "julienschmidt"}),
        "2Params": ("/repos/<owner>/<repo>/stargazers", {"owner": "julienschmidt", "repo": "httprouter"}),
    },
    "static": {"Static": ("/articles/wiki/edit.html", {})},
    "gplus": {
        "Static": ("/people", {}),
        "Param": ("/people/<userId>", {"userId": "118051310819094153327"}),
        "2Params": (
            "/people/<userId>/activities/<collection>",
            {"userId": "118051310819094153327", "collection": "123456789"},
        ),
    },
    "parse": {
        "Static": ("/1/users", {}),
        "Param": ("/1/classes/<className>", {"className": "go"}),
        "2Params": ("/1/classes/<className>/<objectId>", {"className": "go", "objectId": "123456789"}),
    },
    "param1": {"Param": ("/user/<name>", {"name": "gordon"})},
    "param5": {"Param5": ("/<a>/<b>/<c>/<d>/<e>", dict.fromkeys("abcde", "test"))},
    "param20": {"Param20": ("/" + "/".join(f"<{c}>" for c in _TWENTY), {c: c for c in _TWENTY})},
    "github-slash": {
        "RedirectStatic": ("/user/repos/", {}),
        "RedirectParam": ("/repos/<owner>/<repo>/stargazers/", {"owner": "pallets", "repo": "flask"}),
    },
}

_PARAM = re.compile(r":(\w+)")
VAR = re.compile(r"<(?:(\w+):)?(\w+)>")


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
    redirects: bool = False  # the table exists to measure strict-slash redirects

    @property
    def plain(self) -> bool:
        """Only ``<name>`` parameters and no redirects: every router can take it."""
        return not self.converters and not self.redirects

    def __hash__(self) -> int:
        return hash(self.name)

    def __len__(self) -> int:
        return len(self.routes)


def make_rules(rule_class: t.Any, table: Table) -> list[t.Any]:
    """One ``Rule(path, endpoint="METHOD path", methods=[METHOD])`` per route."""
    return [rule_class(r.path, endpoint=r.endpoint, methods=[r.method]) for r in table.routes]


def read_table_file(name: str) -> tuple[Route, ...]:
    """The routes of a shipped table (``routes/<name>.txt`` in this package)."""
    text = resources.files(__package__).joinpath("routes", f"{name}.txt").read_text(encoding="utf-8")
    routes = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            method, path = line.split()
            routes.append(Route(method, _PARAM.sub(r"<\1>", path)))
    return tuple(routes)


# -- synthetic tables -----------------------------------------------------------

_NAMESPACES = (
    "accounts", "admin", "analytics", "audit", "auth", "billing", "catalog", "checkout",
    "cms", "crm", "dashboard", "devices", "docs", "events", "exports", "files", "forum",
    "geo", "hr", "imports", "inventory", "jobs", "kb", "ledger", "logistics", "mail",
    "marketing", "media", "messaging", "metrics", "monitoring", "notifications", "orders",
    "payments", "projects", "reports", "search", "shipping", "social", "support",
)  # fmt: skip
_RESOURCES = (
    "users", "teams", "projects", "issues", "comments", "labels", "milestones", "releases",
    "assets", "invoices", "payments", "refunds", "customers", "products", "variants",
    "prices", "coupons", "carts", "orders", "shipments", "addresses", "warehouses",
    "suppliers", "contracts", "documents", "folders", "tags", "webhooks", "tokens", "keys",
    "sessions", "devices", "alerts", "dashboards", "widgets", "reports", "exports", "jobs",
    "schedules", "tickets", "messages", "threads", "channels", "members", "roles",
    "permissions", "policies", "regions", "zones", "notes",
)  # fmt: skip


def _combos(seed: int) -> list[tuple[str, str]]:
    combos = [(ns, res) for ns in _NAMESPACES for res in _RESOURCES]  # 2,000
    random.Random(seed).shuffle(combos)
    return combos


def rest_table(n: int, seed: int = SEED) -> Table:
    """A REST-like API of exactly *n* rules (n <= 16,000): CRUD, nested items."""
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
    if len(routes) < n:
        raise ValueError(f"at most {len(routes)} synthetic rules")
    return Table(f"rest{n}", tuple(routes[:n]))


def _names(n: int, seed: int) -> list[str]:
    names = [f"{ns}-{res}" for ns, res in _combos(seed)][:n]
    if len(names) < n:
        raise ValueError(f"at most {len(names)} synthetic names")
    return names


def siblings_table(n: int = 2000, seed: int = SEED) -> Table:
    """*n* static siblings under ``/api/``, each with an item rule below it."""
    return Table(f"siblings{n}", tuple(Route("GET", f"/api/{s}/<id>") for s in _names(n, seed)))


def _code(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[i // 676 % 26] + letters[i // 26 % 26] + letters[i % 26]


def regex_table(n: int = 600, seed: int = SEED) -> Table:
    """*n* rules, each with its own converter (SKU-like codes: ``ABC-123``)."""
    converters = {}
    routes = []
    for i, name in enumerate(_names(n, seed)):
        conv = f"sku{i}"
        code = _code(i + 1000)
        converters[conv] = (f"{code}-[0-9]{{2,9}}", f"{code}-{{n}}")
        routes.append(Route("GET", f"/api/{name}/<{conv}:code>"))
    return Table(f"regex{n}", tuple(routes), converters)


def _sized(name: str, prefix: str) -> int | None:
    rest = name.removeprefix(prefix)
    return int(rest) if rest != name and rest.isdigit() else None


@cache
def get_table(name: str) -> Table:
    """A table by name (see the module docs)."""
    if name in FILE_TABLES:
        return Table(name, read_table_file(name))
    if name == "github-slash":
        return Table(
            name, tuple(Route(r.method, r.path + "/") for r in read_table_file("github")), redirects=True
        )
    if name in MICRO_TABLES:
        path, _ = next(iter(CASE_ROUTES[name].values()))
        return Table(name, (Route("GET", path),))
    for prefix, make in (("rest", rest_table), ("siblings", siblings_table), ("regex", regex_table)):
        n = _sized(name, prefix)
        if n is not None:
            return make(n)
    raise KeyError(name)


# -- reference matcher (labels the generated requests) ------------------------------


class _Node:
    __slots__ = ("methods", "params", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.params: dict[str | None, tuple[re.Pattern[str] | None, _Node]] = {}
        self.methods: set[str] = set()


class Reference:
    """Which methods a path accepts, by brute force over a segment trie.

    Parameters are whole segments: ``<name>`` is one non-empty segment, a
    custom converter its regex.  That is all the tables use.
    """

    def __init__(self, table: Table) -> None:
        self.root = _Node()
        for route in table.routes:
            node = self.root
            for seg in route.path.split("/")[1:]:
                var = VAR.fullmatch(seg)
                if var is None:
                    if "<" in seg:
                        raise ValueError(f"a segment mixing text and a variable: {route.path}")
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
            for rx, param in node.params.values():
                if rx is None or rx.fullmatch(seg):
                    self._walk(param, segs, i + 1, found)

    def classify(self, method: str, path: str) -> str:
        allowed = self.methods(path)
        if not allowed:
            if not path.endswith("/") and self.methods(path + "/"):
                return "redirect"
            return "404"
        return "hit" if method in allowed else "405"

    def unambiguous(self, path: str) -> bool:
        """No rule ``path/`` that could turn a miss into a redirect."""
        return path.endswith("/") or not self.methods(path + "/")


@cache
def reference(name: str) -> Reference:
    return Reference(get_table(name))


# -- parameter values ---------------------------------------------------------------

_USERS = ("julienschmidt", "pallets", "octocat", "gvanrossum", "tiangolo", "psf", "alice", "bob")
_REPOS = ("httprouter", "werkzeug", "flask", "cpython", "requests", "linux", "hello-world")
_WORDS = ("alpha", "beta", "main", "release", "GameScore", "Player", "public", "news", "photos")


def param_value(name: str, rng: random.Random, table: Table | None = None, conv: str | None = None) -> str:
    """A realistic value for the parameter *name* (never empty, never a slash);
    for a custom converter *conv* of *table*, a value its regex accepts."""
    if conv:
        if table is None:
            raise ValueError(f"the value of <{conv}:{name}> needs the table of its converter")
        return table.converters[conv][1].format(n=rng.randrange(10, 10**9))
    low = name.lower()
    if low in ("owner", "user", "org", "assignee", "target_user", "username"):
        return f"{rng.choice(_USERS)}{rng.randrange(10**4)}"
    if low in ("repo", "repository"):
        return f"{rng.choice(_REPOS)}-{rng.randrange(10**4)}"
    if low == "sha":
        return f"{rng.getrandbits(160):040x}"
    if low == "email":
        return f"{rng.choice(_USERS)}{rng.randrange(10**4)}@example.com"
    if low.endswith("id") or low in ("number", "access_token"):
        return str(rng.randrange(1, 10 ** rng.randrange(2, 12)))
    return f"{rng.choice(_WORDS)}{rng.randrange(10**5)}"


def fill(
    path: str, rng: random.Random, table: Table | None = None, given: t.Mapping[str, str] | None = None
) -> str:
    """*path* with every ``<...>`` replaced by a value (from *given* if there)."""

    def value(found: re.Match[str]) -> str:
        if given and found.group(2) in given:
            return given[found.group(2)]
        return param_value(found.group(2), rng, table, found.group(1))

    return VAR.sub(value, path)


# -- requests -------------------------------------------------------------------------


def _hit(table: Table, ref: Reference, rng: random.Random, routes: tuple[Route, ...] = ()) -> Request:
    """A hit on one of *routes* (all the table's by default)."""
    routes = routes or table.routes
    while True:
        route = rng.choice(routes)
        path = fill(route.path, rng, table)
        if ref.classify(route.method, path) == "hit" and ref.unambiguous(path):
            return Request(route.method, path, "hit")


def _not_found(table: Table, ref: Reference, rng: random.Random) -> Request:
    while True:
        route = rng.choice(table.routes)
        segs = fill(route.path, rng, table).split("/")
        how = rng.randrange(3)
        if how == 0:  # a typo in a segment
            i = rng.randrange(1, len(segs))
            segs[i] = (segs[i] or "x") + rng.choice("sxz")
        elif how == 1:  # one segment too many
            segs.append(rng.choice(_WORDS).lower())
        else:  # an unknown top-level path
            segs = [
                "",
                rng.choice(("wp-admin", "favicon.ico", "robots.txt", "api2")),
                str(rng.randrange(10**6)),
            ]
        path = "/".join(segs)
        if "//" in path or path.endswith("/"):
            continue
        if ref.classify(route.method, path) == "404":
            return Request(route.method, path, "404")


def _not_allowed(table: Table, ref: Reference, rng: random.Random) -> Request:
    for _ in range(100_000):
        route = rng.choice(table.routes)
        path = fill(route.path, rng, table)
        if not ref.unambiguous(path):
            continue
        wrong = [m for m in METHODS if m not in ref.methods(path)]
        if wrong:
            return Request(rng.choice(wrong), path, "405")
    raise ValueError(f"{table.name}: no path refuses a method")


def _redirect(table: Table, ref: Reference, rng: random.Random) -> Request:
    route = rng.choice(table.routes)
    path = fill(route.path, rng, table).rstrip("/")
    return Request(route.method, path, ref.classify(route.method, path))


def _single_route(table: Table, ref: Reference, rng: random.Random, case: str, size: int) -> list[Request]:
    """A :data:`CASE_ROUTES` case: its rule's first request, then distinct
    others (one request for a static rule); on a redirect table, the same
    paths without their trailing slash."""
    method = "GET"
    path, first = CASE_ROUTES[table.name][case]
    if Route(method, path) not in table.routes:
        raise ValueError(f"{table.name}/{case}: {method} {path} is not in the table")
    if "<" not in path:
        requests = [Request(method, path, "hit")]
    else:
        first_path = fill(path, rng, table, first)
        seen = {first_path}
        requests = [Request(method, first_path, "hit")]
        while len(requests) < size:
            value = fill(path, rng, table)
            if value not in seen:
                seen.add(value)
                requests.append(Request(method, value, "hit"))
    if table.redirects:
        requests = [Request(r.method, r.path.rstrip("/"), "redirect") for r in requests]
    return requests


def cases_of(name: str) -> list[str]:
    """The match cases ``python -m fastroute bench`` measures on a table."""
    if get_table(name).redirects:
        return ["redirects"]
    return ["hits", "404", "405"]


@cache
def case_requests(name: str, case: str, size: int, seed: int = SEED) -> tuple[Request, ...]:
    """*size* requests of one case of a table (deterministic; see the module docs).

    A single-route case on a static rule gives its one request, not *size*.
    """
    table = get_table(name)
    ref = reference(name)
    rng = random.Random(f"{seed}-{name}-{case}-{size}")
    if case == "mix":
        errors = size // 10
        n404 = errors // 2
        requests = [_hit(table, ref, rng) for _ in range(size - errors)]
        requests += [_not_found(table, ref, rng) for _ in range(n404)]
        requests += [_not_allowed(table, ref, rng) for _ in range(errors - n404)]
        rng.shuffle(requests)
        return tuple(requests)
    if case in CASE_ROUTES.get(name, {}):
        requests = _single_route(table, ref, rng, case, size)
        want = "redirect" if table.redirects else "hit"
    elif case == FIRST_ROUTES:
        requests = [_hit(table, ref, rng, table.routes[:8]) for _ in range(size)]
        want = "hit"
    else:
        make = {"hits": _hit, "404": _not_found, "405": _not_allowed, "redirects": _redirect}[case]
        requests = [make(table, ref, rng) for _ in range(size)]
        want = "redirect" if case == "redirects" else case.rstrip("s")
    bad = [r for r in requests if r.kind != want or ref.classify(r.method, r.path) != r.kind]
    if bad:
        raise ValueError(f"{name}/{case}: {bad[0]} is not a {want}")
    return tuple(requests)
