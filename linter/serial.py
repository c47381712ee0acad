"""Data-only serialisation of analyses for the cache: JSON, never pickle.

A cache can come from anywhere (a shared directory, a restored CI cache), so reading an entry
must never run code. Values are encoded as JSON with tagged containers; decoding rebuilds
only the dataclasses and enums of uelint's own result types (`_TYPES`), by their fields.
Anything else (an unknown tag or class, a field count that does not match) is a ValueError,
which the cache treats as a miss.
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from uelint import analysis, diagnostic, ir, suppressions, wrappers

# Where the types of a cached Analysis are defined: every dataclass and enum of these modules.
_MODULES = (analysis, diagnostic, ir, suppressions, wrappers)


def _types() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and (
                dataclasses.is_dataclass(value) or issubclass(value, Enum)
            ):
                found[value.__qualname__] = value
    return found


_TYPES = _types()
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls))
           for name, cls in _TYPES.items() if dataclasses.is_dataclass(cls)}


def dumps(value: object) -> bytes:
    return json.dumps(_encode(value), separators=(",", ":")).encode()


def loads(data: bytes, expected: type) -> Any:
    """The value encoded in `data`, which must be an `expected`; ValueError otherwise."""
    try:
        value = _decode(json.loads(data))
    except (TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ValueError(f"not a cache entry: {exc!r}") from exc
    if not isinstance(value, expected):
        raise ValueError(f"not a {expected.__name__}")
    return value


def _encode(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, Enum):
        return value
    if isinstance(value, tuple):
        return {"(": [_encode(v) for v in value]}
    if isinstance(value, list):
        return {"[": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"{": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Enum):
        return {"E": type(value).__qualname__, "v": value.value}
    name = type(value).__qualname__
    if name in _FIELDS and _TYPES[name] is type(value):
        return {"D": name, "a": [_encode(getattr(value, f)) for f in _FIELDS[name]]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: object) -> object:
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise TypeError("a bare list")
        return value
    if "(" in value:
        return tuple(_decode(v) for v in value["("])
    if "[" in value:
        return [_decode(v) for v in value["["]]
    if "{" in value:
        return {_decode(k): _decode(v) for k, v in value["{"]}
    if "E" in value:
        cls = _TYPES[value["E"]]
        if not issubclass(cls, Enum):
            raise TypeError(f"{value['E']} is not an enum")
        return cls(value["v"])
    name = value["D"]
    fields = _FIELDS[name]
    args = value["a"]
    if not isinstance(args, list) or len(args) != len(fields):
        raise TypeError(f"{name}: expected {len(fields)} fields")
    return _TYPES[name](*(_decode(a) for a in args))
