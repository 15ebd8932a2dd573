"""The command line: ``python -m fastroute run APP``, ``routes APP`` and ``bench``.

``APP`` is ``module``, ``module:name``, ``module:factory()`` or a path to a
``.py`` file (default: ``$FASTROUTE_APP`` or ``$FLASK_APP``).  In a module the
app is found as ``app`` or ``application``, else the only ``Flask`` instance,
else a ``create_app``/``make_app`` factory.

Subcommands are registered in :data:`COMMANDS` (name → ``(configure, run)``),
so others can be added without touching the parser code.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import os
import re
import sys
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask


class NoAppException(Exception):
    """The app could not be located or loaded."""


def show_server_banner(debug: bool | None, app_name: str | None) -> None:
    """Print the app name and debug mode once (not in the reloader's child)."""
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":
        return
    if app_name:
        print(f" * Serving fastroute app '{app_name}'", file=sys.stderr)
    if debug is not None:
        print(f" * Debug mode: {'on' if debug else 'off'}", file=sys.stderr)


def _find_in_module(module: t.Any) -> Flask:
    from .app import Flask

    for name in ("app", "application"):
        app = getattr(module, name, None)
        if isinstance(app, Flask):
            return app
    matches = [v for v in vars(module).values() if isinstance(v, Flask)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NoAppException(
            f"Detected multiple fastroute applications in module '{module.__name__}'. Use '{module.__name__}:name' to specify the correct one."
        )
    for name in ("create_app", "make_app"):
        factory = getattr(module, name, None)
        if callable(factory):
            app = factory()
            if isinstance(app, Flask):
                return app
            raise NoAppException(
                f"Detected factory '{name}' in module '{module.__name__}', but it did not return an application."
            )
    raise NoAppException(
        f"Failed to find application in module '{module.__name__}'. Use '{module.__name__}:name' to specify one."
    )


def _find_by_name(module: t.Any, expr: str) -> Flask:
    from .app import Flask

    try:
        node = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError:
        raise NoAppException(f"Failed to parse {expr!r} as an attribute name or function call.") from None
    args: list[t.Any] | None
    kwargs: dict[str, t.Any] = {}
    if isinstance(node, ast.Name):
        name, args = node.id, None
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
        except ValueError:
            raise NoAppException(f"Failed to parse arguments as literal values: {expr!r}.") from None
    else:
        raise NoAppException(f"Failed to parse {expr!r} as an attribute name or function call.")
    try:
        attr = getattr(module, name)
    except AttributeError as e:
        raise NoAppException(f"Failed to find attribute {name!r} in {module.__name__!r}.") from e
    app = attr(*args, **kwargs) if args is not None else attr
    if isinstance(app, Flask):
        return app
    raise NoAppException(f"A valid fastroute application was not obtained from '{module.__name__}:{expr}'.")


def locate_app(spec: str | None) -> Flask:
    """Import and return the app named by *spec* (see the module docs)."""
    spec = spec or os.environ.get("FASTROUTE_APP") or os.environ.get("FLASK_APP")
    if not spec:
        for candidate in ("wsgi.py", "app.py"):
            if os.path.exists(candidate):
                spec = candidate
                break
        else:
            raise NoAppException("Could not locate an application. Pass APP or set FASTROUTE_APP.")
    module_name, _, app_name = spec.partition(":")
    if re.match(r"^[A-Za-z]:[\\/]", spec):  # windows drive letter
        module_name, _, app_name = spec[2:].partition(":")
        module_name = spec[:2] + module_name
    if module_name.endswith(".py") or os.sep in module_name or "/" in module_name:
        path = os.path.realpath(module_name)
        if path.endswith(".py"):
            path = path[:-3]
        if os.path.basename(path) == "__init__":
            path = os.path.dirname(path)
        parts = []
        while True:
            path, name = os.path.split(path)
            parts.append(name)
            if not os.path.exists(os.path.join(path, "__init__.py")):
                break
        if sys.path[0] != path:
            sys.path.insert(0, path)
        module_name = ".".join(reversed(parts))
    elif "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        importlib.import_module(module_name)
    except ImportError as e:
        if sys.exc_info()[2] is not None and sys.exc_info()[2].tb_next:  # type: ignore[union-attr]
            raise NoAppException(f"While importing {module_name!r}, an ImportError was raised: {e}") from e
        raise NoAppException(f"Could not import {module_name!r}.") from e
    module = sys.modules[module_name]
    if app_name:
        return _find_by_name(module, app_name)
    return _find_in_module(module)


# -- subcommands ------------------------------------------------------------------


def _configure_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("app", nargs="?", help="module[:name], module:factory() or path.py")
    p.add_argument("--host", "-h", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", "-p", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--debug", action=argparse.BooleanOptionalAction, default=None, help="debug mode")
    p.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="reload on code changes (default: with --debug)",
    )
    p.add_argument(
        "--threaded", action=argparse.BooleanOptionalAction, default=True, help="one thread per request"
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    app = locate_app(args.app)
    if args.debug is not None:
        app.debug = args.debug
    reload = app.debug if args.reload is None else args.reload
    show_server_banner(app.debug, app.name)
    run_simple(
        args.host,
        args.port,
        app,
        use_reloader=bool(reload),
        use_debugger=bool(app.debug),
        threaded=args.threaded,
    )
    return 0


def _configure_routes(p: argparse.ArgumentParser) -> None:
    p.add_argument("app", nargs="?", help="module[:name], module:factory() or path.py")
    p.add_argument(
        "--sort",
        "-s",
        choices=("endpoint", "methods", "domain", "rule", "match"),
        default="endpoint",
        help="order of the rows ('match' is the order rules were added)",
    )
    p.add_argument("--all-methods", action="store_true", help="also show HEAD and OPTIONS")


def format_routes(app: Flask, sort: str = "endpoint", all_methods: bool = False) -> str:
    """The ``routes`` table: endpoint, methods, (host or subdomain,) rule."""
    rules = list(app.url_map.iter_rules())
    if not rules:
        return "No routes were registered."
    ignored = set() if all_methods else {"HEAD", "OPTIONS"}
    host_matching = app.url_map.host_matching
    has_domain = any(rule.host if host_matching else rule.subdomain for rule in rules)
    rows = []
    for rule in rules:
        row = [rule.endpoint, ", ".join(sorted((rule.methods or set()) - ignored))]
        if has_domain:
            row.append((rule.host if host_matching else rule.subdomain) or "")
        row.append(rule.rule)
        rows.append(row)
    headers = ["Endpoint", "Methods"]
    sorts = ["endpoint", "methods"]
    if has_domain:
        headers.append("Host" if host_matching else "Subdomain")
        sorts.append("domain")
    headers.append("Rule")
    sorts.append("rule")
    with contextlib.suppress(ValueError):
        rows.sort(key=lambda r: r[sorts.index(sort)])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{{i}:<{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _cmd_routes(args: argparse.Namespace) -> int:
    app = locate_app(args.app)
    print(format_routes(app, args.sort, args.all_methods))
    return 0


def _configure_bench(p: argparse.ArgumentParser) -> None:
    from .bench import configure

    configure(p)


def _cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_command

    return run_command(args)


#: name -> (help, configure(parser), run(args) -> exit code).  Add subcommands here.
COMMANDS: dict[
    str, tuple[str, t.Callable[[argparse.ArgumentParser], None], t.Callable[[argparse.Namespace], int]]
] = {
    "run": ("run a development server", _configure_run, _cmd_run),
    "routes": ("show the routes of the app", _configure_routes, _cmd_routes),
    "bench": ("benchmark the router against werkzeug (and others)", _configure_bench, _cmd_bench),
}


def register_command(
    name: str,
    help: str,
    configure: t.Callable[[argparse.ArgumentParser], None],
    run: t.Callable[[argparse.Namespace], int],
) -> None:
    """Add a subcommand to ``python -m fastroute``."""
    COMMANDS[name] = (help, configure, run)


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m fastroute`` parser with one subparser per entry of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="python -m fastroute", description="fastroute command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (help_text, configure, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, conflict_handler="resolve")
        configure(p)
        p.set_defaults(_run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m fastroute``."""
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except NoAppException as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2
