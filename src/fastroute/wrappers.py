"""``Request`` and ``Response``: werkzeug's wrappers with Flask's additions.

``Request`` knows its matched ``url_rule``, ``view_args``, ``endpoint`` and
``blueprint``, and reads form/body limits from the app config; ``Response``
defaults to ``text/html`` and reads ``MAX_COOKIE_SIZE`` from the config.
"""

from __future__ import annotations

import json as _json
import typing as t

from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.wrappers import Request as _WRequest, Response as _WResponse

from .globals import _cv_app

if t.TYPE_CHECKING:  # pragma: no cover
    from .routing import Rule


class Request(_WRequest):
    """The request object behind ``fastroute.request``."""

    json_module: t.Any = _json
    #: The rule that matched, set by the request context.
    url_rule: Rule | None = None
    #: The values the rule captured.
    view_args: dict[str, t.Any] | None = None
    #: The routing error (404, 405, redirect) if matching failed.
    routing_exception: HTTPException | None = None
    _max_content_length: int | None = None
    _max_form_memory_size: int | None = None
    _max_form_parts: int | None = None

    def _config(self, key: str, own: int | None, base: int | None) -> int | None:
        if own is not None:
            return own
        ctx = _cv_app.get(None)
        if ctx is not None:
            return ctx.app.config[key]  # type: ignore[no-any-return]
        return base

    @property
    def max_content_length(self) -> int | None:
        """Body size limit: per request, else ``MAX_CONTENT_LENGTH``."""
        return self._config("MAX_CONTENT_LENGTH", self._max_content_length, _WRequest.max_content_length)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_memory_size(self) -> int | None:
        """Limit for non-file form fields: per request, else ``MAX_FORM_MEMORY_SIZE``."""
        return self._config(
            "MAX_FORM_MEMORY_SIZE", self._max_form_memory_size, _WRequest.max_form_memory_size
        )

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value

    @property  # type: ignore[override]  # werkzeug types it int
    def max_form_parts(self) -> int | None:
        """Limit of multipart parts: per request, else ``MAX_FORM_PARTS``."""
        return self._config("MAX_FORM_PARTS", self._max_form_parts, _WRequest.max_form_parts)

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def endpoint(self) -> str | None:
        """The matched endpoint, or None."""
        if self.url_rule is not None:
            return self.url_rule.endpoint  # type: ignore[no-any-return]
        return None

    @property
    def blueprint(self) -> str | None:
        """The dotted name of the blueprint of the matched endpoint, or None."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The blueprint and its parents, innermost first."""
        name = self.blueprint
        if name is None:
            return []
        return _split_blueprint_path(name)

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        try:
            return super().on_json_loading_failed(e)
        except BadRequest as ebr:
            ctx = _cv_app.get(None)
            if ctx is not None and ctx.app.debug:
                raise
            raise BadRequest() from ebr


def _split_blueprint_path(name: str) -> list[str]:
    out = [name]
    while "." in name:
        name = name.rpartition(".")[0]
        out.append(name)
    return out


class Response(_WResponse):
    """The response class: ``text/html`` by default, like Flask's."""

    default_mimetype: str | None = "text/html"
    json_module = _json
    autocorrect_location_header = False

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """``MAX_COOKIE_SIZE`` of the current app, else werkzeug's default."""
        ctx = _cv_app.get(None)
        if ctx is not None:
            return ctx.app.config["MAX_COOKIE_SIZE"]  # type: ignore[no-any-return]
        return super().max_cookie_size
