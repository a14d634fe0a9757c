"""Small, strict converters shared by the platform mappers. Each raises `MappingError` naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.errors import MappingError


def loads(body: bytes | str) -> Any:
    """Decode JSON keeping big integers exact and never producing floats for money (`Decimal` instead)."""
    try:
        return json.loads(body, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(f"body is not valid JSON: {exc}") from None


def to_id(value: Any, field: str, *, required: bool = True) -> str | None:
    """An external id as a string. Ints are exact (the JSON decoder never makes them floats)."""
    if value is None or value == "":
        if required:
            raise MappingError(f"{field}: missing")
        return None
    if isinstance(value, (bool, float)):
        raise MappingError(f"{field}: expected an integer or string id, got {type(value).__name__}")
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise MappingError(f"{field}: expected an integer id, got {value}")
        return str(int(value))
    return str(value)


def to_decimal(value: Any, field: str, *, default: Decimal | None = Decimal("0")) -> Decimal:
    """Money from a string ("12.50"), an int or a JSON number (decoded as Decimal). Empty means `default`."""
    if value is None or value == "":
        if default is None:
            raise MappingError(f"{field}: missing")
        return default
    if isinstance(value, bool):
        raise MappingError(f"{field}: expected an amount, got a boolean")
    try:
        # str() first: a float that slipped through would otherwise carry its binary noise into the Decimal.
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MappingError(f"{field}: {value!r} is not an amount") from None
    if not amount.is_finite():
        raise MappingError(f"{field}: {value!r} is not a finite amount")
    return amount


def to_int(value: Any, field: str, *, default: int | None = None) -> int:
    if value is None or value == "":
        if default is None:
            raise MappingError(f"{field}: missing")
        return default
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise MappingError(f"{field}: {value!r} is not a whole number") from None
    if number != number.to_integral_value():
        raise MappingError(f"{field}: {value!r} is not a whole number")
    return int(number)


def to_datetime(value: Any, field: str, *, naive_is_utc: bool = True, required: bool = False) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime.

    A value without an offset is taken as UTC when `naive_is_utc` (WooCommerce `*_gmt` fields); otherwise it is
    refused, because guessing a store's local time silently shifts every date.
    """
    if value is None or value == "":
        if required:
            raise MappingError(f"{field}: missing")
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise MappingError(f"{field}: {value!r} is not an ISO 8601 timestamp") from None
    else:
        raise MappingError(f"{field}: expected a timestamp string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        if not naive_is_utc:
            raise MappingError(f"{field}: {value!r} has no UTC offset")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def text(value: Any) -> str | None:
    """A trimmed string, or None for missing/blank values."""
    if value is None:
        return None
    result = str(value).strip()
    return result or None
