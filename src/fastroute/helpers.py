"""Request-time helpers: ``url_for``, ``abort``, ``redirect``, ``make_response``,
``send_file``, ``send_from_directory``, ``flash``, ``get_flashed_messages``,
``stream_with_context``.  They act on the current app and request.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import typing as t
from datetime import datetime
from functools import update_wrapper

import werkzeug.utils
from werkzeug.exceptions import abort as _wz_abort
from werkzeug.utils import redirect as _wz_redirect

from .globals import _cv_app, _cv_request, current_app, request, request_ctx, session

if t.TYPE_CHECKING:  # pragma: no cover
    from werkzeug.wrappers import Response as BaseResponse

    from .wrappers import Response


def get_debug_flag() -> bool:
    """Whether ``FLASK_DEBUG`` (or ``FASTROUTE_DEBUG``) asks for debug mode."""
    val = os.environ.get("FASTROUTE_DEBUG") or os.environ.get("FLASK_DEBUG")
    return bool(val and val.lower() not in {"0", "false", "no"})


def get_load_dotenv(default: bool = True) -> bool:
    """Whether ``.env`` files should be loaded (``FLASK_SKIP_DOTENV`` turns it off)."""
    val = os.environ.get("FLASK_SKIP_DOTENV")
    if not val:
        return default
    return val.lower() in ("0", "false", "no")


def get_root_path(import_name: str) -> str:
    """The folder of the module or package *import_name* (the working directory if unknown)."""
    mod = sys.modules.get(import_name)
    if mod is not None and getattr(mod, "__file__", None):
        return os.path.dirname(os.path.abspath(t.cast(str, mod.__file__)))
    try:
        spec = importlib.util.find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.loader is None or import_name == "__main__":
        return os.getcwd()
    if spec.submodule_search_locations:
        return os.path.dirname(os.path.dirname(os.path.abspath(spec.origin or "")))
    if spec.origin:
        return os.path.dirname(os.path.abspath(spec.origin))
    return os.getcwd()


def url_for(
    endpoint: str,
    *,
    _anchor: str | None = None,
    _method: str | None = None,
    _scheme: str | None = None,
    _external: bool | None = None,
    **values: t.Any,
) -> str:
    """The URL of *endpoint* with *values* (see :meth:`Flask.url_for`)."""
    return current_app.url_for(
        endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
    )


def abort(code: int | BaseResponse, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
    """Raise the ``HTTPException`` for *code* (or for a response) with the app's aborter."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        ctx.app.aborter(code, *args, **kwargs)
    _wz_abort(code, *args, **kwargs)


def redirect(location: str, code: int = 302, Response: type[BaseResponse] | None = None) -> BaseResponse:
    """A redirect response to *location* (the app's response class inside an app context)."""
    ctx = _cv_app.get(None)
    if ctx is not None and Response is None:
        return ctx.app.redirect(location, code=code)
    return _wz_redirect(location, code=code, Response=Response)


def make_response(*args: t.Any) -> Response:
    """Turn view return values into a response object (so headers can be added in the view)."""
    if not args:
        return current_app.response_class()
    if len(args) == 1:
        args = args[0]
    return current_app.make_response(args)


def stream_with_context(generator_or_function: t.Any) -> t.Any:
    """Keep the request context active while a streamed response's generator runs."""
    try:
        gen = iter(generator_or_function)
    except TypeError:

        def decorator(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return stream_with_context(generator_or_function(*args, **kwargs))

        return update_wrapper(decorator, generator_or_function)

    def generator() -> t.Iterator[t.Any]:
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError(
                "'stream_with_context' can only be used when a request"
                " context is active, such as in a view function."
            )
        with ctx:
            yield None
            try:
                yield from gen
            finally:
                if hasattr(gen, "close"):
                    gen.close()

    wrapped = generator()
    next(wrapped)
    return wrapped


def _send_file_max_age(filename: str | None) -> int | None:
    value = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
    if value is None:
        return None
    if hasattr(value, "total_seconds"):
        return int(value.total_seconds())
    return value  # type: ignore[no-any-return]


def send_file(
    path_or_file: os.PathLike[t.AnyStr] | str | t.BinaryIO,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: int | t.Callable[[str | None], int | None] | None = None,
) -> Response:
    """Send a file's contents (relative paths are relative to the app's root path).

    Uses werkzeug's ``send_file`` with the current request's environ, the
    app's response class and ``USE_X_SENDFILE``/``SEND_FILE_MAX_AGE_DEFAULT``.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return werkzeug.utils.send_file(  # type: ignore[return-value]
        path_or_file,  # type: ignore[arg-type]  # Flask's signature, wider than werkzeug's
        request.environ,
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=download_name,
        conditional=conditional,
        etag=etag,
        last_modified=last_modified,
        max_age=_send_file_max_age if max_age is None else max_age,
        use_x_sendfile=app.config["USE_X_SENDFILE"],
        response_class=app.response_class,
        _root_path=app.root_path,
    )


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: t.Any
) -> Response:
    """Send ``directory/path`` safely: a path escaping *directory* or a missing file is a 404."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kwargs.setdefault("max_age", _send_file_max_age)
    kwargs.setdefault("use_x_sendfile", app.config["USE_X_SENDFILE"])
    kwargs.setdefault("response_class", app.response_class)
    kwargs.setdefault("_root_path", app.root_path)
    return werkzeug.utils.send_from_directory(directory, path, request.environ, **kwargs)  # type: ignore[return-value]


def flash(message: str, category: str = "message") -> None:
    """Store a message in the session for the next request (``get_flashed_messages``)."""
    flashes = session.get("_flashes", [])
    flashes.append((category, message))
    session["_flashes"] = flashes


def get_flashed_messages(
    with_categories: bool = False, category_filter: t.Iterable[str] = ()
) -> list[str] | list[tuple[str, str]]:
    """The flashed messages, removed from the session on the first call of a request.

    :param with_categories: return ``(category, message)`` pairs.
    :param category_filter: only these categories.
    """
    flashes = request_ctx.flashes
    if flashes is None:
        flashes = session.pop("_flashes") if "_flashes" in session else []
        request_ctx.flashes = flashes
    if category_filter:
        flashes = [f for f in flashes if f[0] in category_filter]
    if not with_categories:
        return [f[1] for f in flashes]
    return flashes
