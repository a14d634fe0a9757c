"""Applying a platform's new values to a stored row and saying what changed: what every audit row is made of."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any


def apply_values(row: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the values that differ on `row`; returns {field: (old, new)} for those that changed."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if differs(old, new):
            setattr(row, name, new)
            changes[name] = (old, new)
    return changes


def differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) != 0  # 12.5 and 12.50 are the same amount
    return bool(old != new)


def plain(value: Any) -> Any:
    """A value as it can be stored in an audit row's JSON."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
