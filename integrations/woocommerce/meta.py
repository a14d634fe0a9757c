"""WooCommerce `meta_data` lists: lookups that survive any JSON type, and values stored as serialised strings.

The REST API returns meta values already unserialised, but plugins that serialise twice leave a PHP-serialised (or
JSON) string behind. `decode_structured` turns such a string back into data, or gives None; it never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.errors import MappingError
from integrations.parsing import loads

_MAX_DEPTH = 16


def meta_entries(meta_data: Any) -> list[Mapping[str, Any]]:
    """The well-formed entries (`{"key": str, "value": ...}`) of a `meta_data` list; anything else is skipped."""
    if not isinstance(meta_data, list):
        return []
    return [entry for entry in meta_data if isinstance(entry, Mapping) and isinstance(entry.get("key"), str)]


def meta_value(meta_data: Any, key: str) -> Any:
    """The first value stored under `key` (what WooCommerce's `get_meta($key, true)` returns), or None."""
    for entry in meta_entries(meta_data):
        if entry["key"] == key:
            return entry.get("value")
    return None


def scalar(value: Any) -> str | int | Decimal | None:
    """Payload and meta values can be any JSON type; only strings and numbers (not booleans) are text."""
    return value if isinstance(value, str | int | Decimal) and not isinstance(value, bool) else None


def decode_structured(value: str) -> Any:
    """A JSON or PHP-serialised string as data; None when it is neither."""
    stripped = value.strip()
    if stripped.startswith(("[", "{")):
        try:
            return loads(stripped)
        except MappingError:
            return None
    if stripped.startswith(("a:", "O:")):
        try:
            return php_unserialize(stripped)
        except (ValueError, InvalidOperation, RecursionError):
            return None
    return None


def php_unserialize(text: str | bytes) -> Any:
    """PHP `serialize()` output (arrays, strings, ints, floats, booleans, null) as Python data.

    Arrays with keys 0..n-1 become lists, other arrays dicts; floats become Decimal. Objects are refused, so is any
    trailing byte. String lengths are counted in bytes, as PHP does, hence the UTF-8 round trip.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    value, end = _parse(raw, 0, 0)
    if end != len(raw):
        raise ValueError("trailing data after the serialised value")
    return value


def _parse(raw: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > _MAX_DEPTH:
        raise ValueError("serialised value nested too deeply")
    kind = raw[pos : pos + 2]
    if kind == b"N;":
        return None, pos + 2
    if kind in (b"b:", b"i:", b"d:"):
        end = raw.index(b";", pos)
        token = raw[pos + 2 : end].decode("ascii")
        if kind == b"b:":
            if token not in ("0", "1"):
                raise ValueError(f"bad boolean {token!r}")
            return bool(int(token)), end + 1
        if kind == b"i:":
            return int(token), end + 1
        return Decimal(token), end + 1
    if kind == b"s:":
        colon = raw.index(b":", pos + 2)
        length = int(raw[pos + 2 : colon])
        start = colon + 2
        end = start + length
        if raw[colon + 1 : start] != b'"' or raw[end : end + 2] != b'";':
            raise ValueError("bad string framing")
        return raw[start:end].decode("utf-8"), end + 2
    if kind == b"a:":
        colon = raw.index(b":", pos + 2)
        count = int(raw[pos + 2 : colon])
        if raw[colon + 1 : colon + 2] != b"{":
            raise ValueError("bad array framing")
        pos = colon + 2
        result: dict[Any, Any] = {}
        for _ in range(count):
            key, pos = _parse(raw, pos, depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise ValueError("array keys must be integers or strings")
            result[key], pos = _parse(raw, pos, depth + 1)
        if raw[pos : pos + 1] != b"}":
            raise ValueError("bad array end")
        if list(result) == list(range(len(result))):
            return list(result.values()), pos + 1
        return result, pos + 1
    raise ValueError(f"unsupported serialised value {kind!r}")
