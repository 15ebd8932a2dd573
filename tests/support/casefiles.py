"""Case files: divergences found by ``fuzz/differential.py``, saved as JSON.

A case file describes one comparison of werkzeug and fastroute: the rule set
(a :class:`strategies.MapSpec`), the seed and sizes that let ``check_map``
replay the whole rule set, the call that diverged and what both libraries
did.  ``tests/test_differential.py`` replays every ``tests/regressions/*.json``
(see ``tests/regressions/README.md`` for the fields).

JSON has no tuples, no non-string keys and no objects, so values are written
with tags: a JSON object whose keys start with ``$`` is a tagged value
(``{"$tuple": [...]}``, ``{"$rule": "/a", "kwargs": {...}}``, ...); a plain
object is a ``dict`` with string keys.  Functions used by the specs
(``redirect_callable``, the sort keys) are written by name, ``{"$ref": ...}``,
and looked up in ``strategies``.
"""

from __future__ import annotations

import hashlib
import json
import math
import typing as t
import uuid
from pathlib import Path

from werkzeug.datastructures import MultiDict

from . import strategies
from .strategies import FactorySpec, MapSpec, RuleSpec, Step

FORMAT = 1


class EncodeError(TypeError):
    pass


def encode(obj: t.Any, strict: bool = True) -> t.Any:
    """*obj* as JSON data.  Objects the format does not know raise
    :class:`EncodeError` when *strict*, else become ``{"$repr": repr(obj)}``
    (for outcomes, which are only read by people)."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"$float": repr(obj)}
    if isinstance(obj, list):
        return [encode(item, strict) for item in obj]
    if isinstance(obj, tuple):
        return {"$tuple": [encode(item, strict) for item in obj]}
    if isinstance(obj, MultiDict):
        return {"$multidict": [[encode(k, strict), encode(v, strict)] for k, v in obj.items(multi=True)]}
    if type(obj) is dict:
        if all(isinstance(key, str) and not key.startswith("$") for key in obj):
            return {key: encode(value, strict) for key, value in obj.items()}
        return {"$dict": [[encode(k, strict), encode(v, strict)] for k, v in obj.items()]}
    if isinstance(obj, uuid.UUID):
        return {"$uuid": str(obj)}
    if isinstance(obj, bytes):
        return {"$bytes": obj.hex()}
    if isinstance(obj, RuleSpec):
        return {
            "$rule": obj.string,
            "kwargs": encode(obj.kwargs, strict),
            "cls": obj.cls,
            "werkzeug": obj.werkzeug,
        }
    if isinstance(obj, FactorySpec):
        return {
            "$factory": obj.kind,
            "arg": encode(obj.arg, strict),
            "children": encode(obj.children, strict),
            "werkzeug": obj.werkzeug,
        }
    if isinstance(obj, Step):
        return {"$step": obj.add, "warm": obj.warm, "changes": encode(obj.changes, strict)}
    if isinstance(obj, MapSpec):
        return {
            "$map": encode(obj.entries, strict),
            "options": encode(obj.options, strict),
            "override_default": obj.override_default,
            "steps": encode(obj.steps, strict),
            "dense": obj.dense,
            "targets": encode(obj.targets, strict),
            "werkzeug_converters": obj.werkzeug_converters,
        }
    name = getattr(obj, "__name__", None)
    if callable(obj) and name and getattr(strategies, name, None) is obj:
        return {"$ref": name}
    if strict:
        raise EncodeError(f"cannot write {type(obj).__name__} {obj!r:.80} to a case file")
    return {"$repr": repr(obj)}


def _decode_tagged(obj: dict[str, t.Any]) -> t.Any:
    tags = [key for key in obj if key.startswith("$")]
    if not tags:
        return obj
    tag = tags[0]
    value = obj[tag]
    if tag == "$tuple":
        return tuple(value)
    if tag == "$float":
        return float(value)
    if tag == "$dict":
        return {_hashable(k): v for k, v in value}
    if tag == "$multidict":
        return MultiDict([(_hashable(k), v) for k, v in value])
    if tag == "$uuid":
        return uuid.UUID(value)
    if tag == "$bytes":
        return bytes.fromhex(value)
    if tag == "$ref":
        return getattr(strategies, value)
    if tag == "$repr":
        return obj  # kept as written
    if tag == "$rule":
        return RuleSpec(value, obj["kwargs"], obj["cls"], obj.get("werkzeug", False))
    if tag == "$factory":
        return FactorySpec(value, obj["arg"], obj["children"], obj.get("werkzeug", False))
    if tag == "$step":
        return Step(obj["warm"], obj["changes"], value)
    if tag == "$map":
        return MapSpec(
            value,
            obj["options"],
            override_default=obj["override_default"],
            steps=obj["steps"],
            dense=obj["dense"],
            targets=obj["targets"],
            werkzeug_converters=obj.get("werkzeug_converters", 0),
        )
    raise ValueError(f"unknown tag {tag!r} in a case file")


def _hashable(key: t.Any) -> t.Any:
    return tuple(key) if isinstance(key, list) else key


def decode(data: t.Any) -> t.Any:
    """The inverse of :func:`encode`, for data already parsed from JSON."""
    return json.loads(json.dumps(data), object_hook=_decode_tagged)


def dumps(case: dict[str, t.Any]) -> str:
    """A case as JSON text: spec and call strictly, outcomes loosely."""
    data = {}
    for key, value in case.items():
        data[key] = encode(value, strict=key not in ("werkzeug", "fastroute", "note"))
    # ASCII only: lone surrogates (test data) survive as \\ud800 escapes.
    return json.dumps(data, indent=1, ensure_ascii=True) + "\n"


def loads(text: str) -> dict[str, t.Any]:
    case: dict[str, t.Any] = json.loads(text, object_hook=_decode_tagged)
    if case.get("format") != FORMAT:
        raise ValueError(f"case file format {case.get('format')!r}, expected {FORMAT}")
    return case


def load(path: Path) -> dict[str, t.Any]:
    return loads(path.read_text(encoding="ascii"))


def save(case: dict[str, t.Any], directory: Path, prefix: str) -> Path:
    """Write *case* to ``directory/<prefix>-<hash>.json`` (the same case gets
    the same name) and return the path."""
    text = dumps({"format": FORMAT, **case})
    digest = hashlib.sha256(text.encode("ascii")).hexdigest()[:12]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{prefix}-{digest}.json"
    path.write_text(text, encoding="ascii")
    return path
