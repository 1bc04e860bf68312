"""Readers of odd input: a field, a count, a number or a text from whatever LiteLLM (or a
caller) handed over — a pydantic model, a dict, None or something stranger — or None.

None of them raises for bad data; each bounds what it returns to what an attribute may hold.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from typing import Any, Final

MAX_INT: Final = 2**63 - 1  # OTel integer attributes are int64
MAX_TEXT: Final = 256  # ids, model names, finish reasons: nothing legitimate is longer
_NOT_RECORDS: Final = (str, bytes, int, float, list, tuple, set, frozenset)


def field(obj: object, name: str) -> Any:
    """`name` read from a LiteLLM object or a plain mapping alike; None when absent.

    LiteLLM's objects are pydantic models whose `__getattr__` takes ~12 µs to report a missing
    attribute (1.106), so their fields, extra fields and private attributes are read from
    their dicts: a miss costs a dict lookup. Builtin values are not records (`[].index` is a
    method, not a field), and neither is any method an object happens to have under that name.
    """
    if obj is None:
        return None
    if type(obj) is dict:
        return obj.get(name)
    data = getattr(obj, "__dict__", None)
    if type(data) is dict:
        if name in data:
            return data[name]
        extra: Any = getattr(obj, "__pydantic_extra__", _MISSING)
        if extra is not _MISSING:  # a pydantic model: what is not in its dicts is not there
            if extra and name in extra:
                return extra[name]
            private = getattr(obj, "__pydantic_private__", None)
            return private.get(name) if private else None
    if isinstance(obj, _NOT_RECORDS):
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    try:
        value = getattr(obj, name, None)
    except Exception:  # a property that raises is just an absent field
        return None
    return None if inspect.ismethod(value) or inspect.isbuiltin(value) else value


_MISSING: Final = object()


class _FieldView:
    """`field()` behind a mapping's `get`, for objects that are neither dicts nor models."""

    __slots__ = ("_obj",)

    def __init__(self, obj: object) -> None:
        self._obj = obj

    def get(self, name: str) -> Any:
        return field(self._obj, name)


_NO_FIELDS: Final[Mapping[str, Any]] = {}


def fields(obj: object) -> Mapping[str, Any] | _FieldView:
    """All of `obj`'s fields at once, for a reader of several: a dict as is, a pydantic
    model's fields merged with its extra fields, anything else read field by field."""
    if obj is None:
        return _NO_FIELDS
    if type(obj) is dict:
        return obj
    data = getattr(obj, "__dict__", None)
    if type(data) is dict:
        extra = getattr(obj, "__pydantic_extra__", _MISSING)
        if extra is not _MISSING:
            return {**data, **extra} if type(extra) is dict and extra else data
    return _FieldView(obj)


def count(value: object) -> int | None:
    """A token count: a non-negative int64 (integral floats accepted), else None."""
    if type(value) is int:  # the common case, checked first: this runs ~15 times a call
        return value if 0 <= value <= MAX_INT else None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_INT:
        return value
    return None


def number(value: object) -> float | None:
    """A finite int or float as float, else None."""
    if value is None:  # most optional request parameters are absent
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def text(value: object) -> str | None:
    """A non-empty string bounded in size, else None."""
    if isinstance(value, str) and value:
        return value[:MAX_TEXT]
    return None
