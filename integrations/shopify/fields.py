"""Strict readers for one Shopify payload: each names the field path at fault (`line_items[1].id: missing`).

Shared by `mapping` and `webhooks`; kept apart so that `mapping` reads as the field-by-field translation it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.errors import MappingError
from integrations.parsing import text, to_datetime, to_id


def obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MappingError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def items(parent: Mapping[str, Any], key: str, where: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    """A list of objects under `key` (absent or null is empty), each with its path for error messages."""
    path = f"{where}.{key}" if where else key
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise MappingError(f"{path}: expected a list, got {type(value).__name__}")
    return [(f"{path}[{index}]", obj(item, f"{path}[{index}]")) for index, item in enumerate(value)]


def ident(value: Any, field: str) -> str:
    external_id = to_id(value, field)
    if external_id is None:  # to_id raises first; this narrows the type
        raise MappingError(f"{field}: missing")
    return external_id


def optional_ident(value: Any, field: str) -> str | None:
    return to_id(value, field, required=False)


def when(value: Any, field: str) -> datetime | None:
    # Shopify always sends an offset; a naive time would be the store's local time, which we cannot know here.
    return to_datetime(value, field, naive_is_utc=False)


def required_when(value: Any, field: str) -> datetime:
    moment = to_datetime(value, field, naive_is_utc=False, required=True)
    if moment is None:  # to_datetime raises first; this narrows the type
        raise MappingError(f"{field}: missing")
    return moment


def distinct(values: Any, single: Any, field: str) -> tuple[str, ...]:
    if values is not None and not isinstance(values, list):
        raise MappingError(f"{field}: expected a list, got {type(values).__name__}")
    seen: dict[str, None] = {}
    for value in [*(values or []), single]:
        cleaned = text(value)
        if cleaned is not None:
            seen.setdefault(cleaned, None)
    return tuple(seen)
