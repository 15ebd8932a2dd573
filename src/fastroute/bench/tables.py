"""Route tables and request sets for ``python -m fastroute bench``.

Tables
    ``github`` (203 rules), ``static`` (157), ``gplus`` (13), ``parse`` (26):
    shipped as package data in ``routes/*.txt``, one ``METHOD /path/:param``
    per line (``:name`` becomes ``<name>``).  ``github-slash``: the GitHub
    table with every rule ending in a slash, so that the same paths without
    the slash are strict-slash redirects.  ``rest10`` ... ``rest10000``:
    synthetic REST APIs of exactly N rules.

Requests
    :func:`case_requests` gives the requests of one case: ``hits``, ``404``,
    ``405``, ``redirects`` (``github-slash`` only) or ``mix`` (90 % hits, 5 %
    404, 5 % 405, shuffled).  Every request is labelled by a small reference
    matcher independent of the routers under test; hits get realistic,
    mostly distinct parameter values.  Everything is seeded and deterministic,
    so a child process regenerates exactly the same requests.
"""

from __future__ import annotations

import random
import re
import typing as t
from dataclasses import dataclass
from functools import cache
from importlib import resources

SEED = 20250101
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
FILE_TABLES = ("github", "static", "gplus", "parse")
SCALING_SIZES = (10, 100, 1000, 10000)

_PARAM = re.compile(r":(\w+)")
VAR = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # werkzeug syntax: <name>

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
    redirects: bool = False  # the table exists to measure strict-slash redirects

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


def rest_table(n: int, seed: int = SEED) -> Table:
    """A REST-like API of exactly *n* rules (n <= 16,000): CRUD, nested items."""
    combos = [(ns, res) for ns in _NAMESPACES for res in _RESOURCES]
    random.Random(seed).shuffle(combos)
    rng = random.Random(seed + n)
    routes: list[Route] = []
    for ns, res in combos:
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


@cache
def get_table(name: str) -> Table:
    """A table by name (see the module docs)."""
    if name in FILE_TABLES:
        return Table(name, read_table_file(name))
    if name == "github-slash":
        return Table(
            name, tuple(Route(r.method, r.path + "/") for r in read_table_file("github")), redirects=True
        )
    if name.startswith("rest") and name[4:].isdigit():
        return rest_table(int(name[4:]))
    raise KeyError(name)


# -- reference matcher (labels the generated requests) ------------------------------


class _Node:
    __slots__ = ("methods", "param", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.methods: set[str] = set()


class Reference:
    """Which methods a path accepts, by brute force over a segment trie.

    A ``<name>`` parameter is one non-empty segment; that is all the tables use.
    """

    def __init__(self, table: Table) -> None:
        self.root = _Node()
        for route in table.routes:
            node = self.root
            for seg in route.path.split("/")[1:]:
                if VAR.fullmatch(seg):
                    if node.param is None:
                        node.param = _Node()
                    node = node.param
                else:
                    node = node.static.setdefault(seg, _Node())
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
        child = node.static.get(segs[i])
        if child is not None:
            self._walk(child, segs, i + 1, found)
        if segs[i] and node.param is not None:
            self._walk(node.param, segs, i + 1, found)

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


def param_value(name: str, rng: random.Random) -> str:
    """A realistic value for the parameter *name* (never empty, never a slash)."""
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


def fill(path: str, rng: random.Random) -> str:
    """*path* with every ``<name>`` replaced by a value."""
    return VAR.sub(lambda m: param_value(m.group(2), rng), path)


# -- requests -------------------------------------------------------------------------


def _hit(table: Table, ref: Reference, rng: random.Random) -> Request:
    while True:
        route = rng.choice(table.routes)
        path = fill(route.path, rng)
        if ref.classify(route.method, path) == "hit" and ref.unambiguous(path):
            return Request(route.method, path, "hit")


def _not_found(table: Table, ref: Reference, rng: random.Random) -> Request:
    while True:
        route = rng.choice(table.routes)
        segs = fill(route.path, rng).split("/")
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
        path = fill(route.path, rng)
        if not ref.unambiguous(path):
            continue
        wrong = [m for m in METHODS if m not in ref.methods(path)]
        if wrong:
            return Request(rng.choice(wrong), path, "405")
    raise ValueError(f"{table.name}: no path refuses a method")


def _redirect(table: Table, ref: Reference, rng: random.Random) -> Request:
    route = rng.choice(table.routes)
    path = fill(route.path, rng).rstrip("/")
    return Request(route.method, path, ref.classify(route.method, path))


def cases_of(name: str) -> list[str]:
    """The match cases a table offers."""
    if get_table(name).redirects:
        return ["redirects"]
    return ["hits", "404", "405"]


@cache
def case_requests(name: str, case: str, size: int, seed: int = SEED) -> tuple[Request, ...]:
    """*size* requests of one case of a table (deterministic)."""
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
    make = {"hits": _hit, "404": _not_found, "405": _not_allowed, "redirects": _redirect}[case]
    requests = [make(table, ref, rng) for _ in range(size)]
    want = "redirect" if case == "redirects" else case.rstrip("s")
    bad = [r for r in requests if r.kind != want]
    if bad:
        raise ValueError(f"{name}/{case}: {bad[0]} is not a {want}")
    return tuple(requests)
