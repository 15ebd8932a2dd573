"""Type stub shared by the compiled core ``_match`` and its twin ``_match_py``."""

import typing as t

HIT: int
REDIRECT: int
NOMATCH: int

class Matcher:
    merge_slashes: bool
    def __init__(self, merge_slashes: bool) -> None: ...
    def add(
        self,
        parts: t.Sequence[t.Any],
        rule: t.Any,
        names: tuple[str, ...],
        converters: tuple[t.Any, ...],
        methods: t.AbstractSet[str] | None,
        websocket: bool,
        strict_slashes: bool,
        merge_slashes: bool,
        defaults: t.Mapping[str, t.Any] | None,
    ) -> None: ...
    def finish(self) -> None: ...
    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[int, t.Any, t.Any]: ...
    def static_path_known(self, domain: str, path: str) -> bool: ...

class MapBase:
    _matcher: t.Any
    _remap: bool
    host_matching: bool
    redirect_defaults: bool
    _default_sources: dict[int, t.Any]
    _build_index: dict[t.Any, t.Any]
    def __reduce__(self) -> tuple[t.Any, ...]: ...
    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None: ...

class AdapterBase:
    map: t.Any
    server_name: str
    script_name: str
    subdomain: str | None
    url_scheme: str
    path_info: str
    default_method: str
    query_args: t.Mapping[str, t.Any] | str | None
    websocket: bool
    def __init__(
        self,
        map: t.Any,
        server_name: str,
        script_name: str,
        subdomain: str | None,
        url_scheme: str,
        path_info: str,
        default_method: str,
        query_args: t.Mapping[str, t.Any] | str | None = None,
    ) -> None: ...
    def __reduce__(self) -> tuple[t.Any, ...]: ...
    def __setstate__(self, state: tuple[dict[str, t.Any], tuple[t.Any, ...]]) -> None: ...
    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]: ...
    def build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any] | None = None,
        method: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
        url_scheme: str | None = None,
    ) -> str: ...

def register_standard(adapter_class: type, map_class: type) -> None: ...
def build_plans(entries: list[tuple[t.Any, ...]], slots: dict[t.Any, t.Any]) -> tuple[t.Any, ...]: ...
def select_plan(
    adapter: AdapterBase,
    plans: tuple[t.Any, ...],
    values: dict[str, t.Any],
    method: str | None,
    append_unknown: bool,
) -> tuple[str, str, bool] | None: ...
