"""Shipments of a WooCommerce order, from the two places stores keep them.

1. `_wc_shipment_tracking_items` order meta, written by WooCommerce Shipment Tracking and by Advanced Shipment
   Tracking (AST): one entry per parcel. This is what arrives inside order payloads and webhooks.
2. WooCommerce's own fulfillments (9.9+, feature flag `fulfillments`): stored in their own tables and served by
   `GET /wc/v3/orders/{id}/fulfillments`, never inside the order payload (the order only carries the summary
   `_fulfillment_status` meta, read in `mapping`). `core_fulfillments` maps that endpoint's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from integrations import carrier_from_name, detect_carrier
from integrations.errors import MappingError
from integrations.models import Fulfillment, ShipmentState
from integrations.parsing import text, to_datetime, to_id, to_int
from integrations.woocommerce.meta import decode_structured, meta_value
from integrations.woocommerce.meta import scalar as _scalar

TRACKING_ITEMS_KEY = "_wc_shipment_tracking_items"


def tracking_fulfillments(meta_data: Any) -> tuple[Fulfillment, ...]:
    """One fulfillment per Shipment Tracking / AST entry that has a tracking number."""
    fulfillments: list[Fulfillment] = []
    seen: set[str] = set()
    for item in _tracking_items(meta_value(meta_data, TRACKING_ITEMS_KEY)):
        fulfillment = _tracking_fulfillment(item)
        if fulfillment is not None and fulfillment.external_id not in seen:
            seen.add(fulfillment.external_id)
            fulfillments.append(fulfillment)
    return tuple(fulfillments)


def _tracking_items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, str):
        value = decode_structured(value)
    if isinstance(value, Mapping):
        # Either a single entry, or a PHP array whose keys are no longer 0..n-1 (an entry was removed), which
        # JSON-encodes as an object keyed by index.
        single = "tracking_number" in value
        value = [value] if single else [value[key] for key in sorted(value, key=_index_order)]
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _index_order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (1 << 62, key)


def _tracking_fulfillment(item: Mapping[str, Any]) -> Fulfillment | None:
    number = text(_scalar(item.get("tracking_number")))
    if number is None:
        return None
    provider = text(_scalar(item.get("tracking_provider")))
    custom_provider = text(_scalar(item.get("custom_tracking_provider")))
    link = text(_scalar(item.get("custom_tracking_link")))
    shipped_at = _shipped_at(item.get("date_shipped"))
    return Fulfillment(
        external_id="wcst:" + (text(_scalar(item.get("tracking_id"))) or number),
        status=ShipmentState.SUCCESS,
        carrier=_carrier(provider or custom_provider, number),
        carrier_name=custom_provider or provider,
        tracking_numbers=(number,),
        tracking_urls=(link,) if link else (),
        service=text(_scalar(item.get("tracking_product_code"))),
        created_at=shipped_at,
        updated_at=shipped_at,
    )


def _shipped_at(value: Any) -> datetime | None:
    """`date_shipped` is a unix timestamp, an int or (as AST stores it) a string of digits."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int | Decimal) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        return to_datetime(value, "date_shipped")
    except MappingError:
        return None


def core_fulfillments(records: Any) -> tuple[Fulfillment, ...]:
    """The answer of `GET /wc/v3/orders/{id}/fulfillments` (a list of fulfillment records) as fulfillments.

    Soft-deleted records (`date_deleted` set) are left out. Dates are left empty: WooCommerce writes
    `date_updated` with `current_time('mysql')`, the store's local time without an offset, which cannot be placed
    in UTC without the store's timezone.
    """
    if not isinstance(records, list):
        raise MappingError("fulfillments: expected a list of fulfillment records")
    fulfillments: list[Fulfillment] = []
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise MappingError(f"fulfillments[{index}]: expected an object")
        if record.get("date_deleted"):
            continue
        fulfillments.append(_core_fulfillment(record, f"fulfillments[{index}]"))
    return tuple(fulfillments)


def _core_fulfillment(record: Mapping[str, Any], where: str) -> Fulfillment:
    meta = record.get("meta_data")
    number = text(_scalar(meta_value(meta, "_tracking_number")))
    provider = text(_scalar(meta_value(meta, "_shipping_provider")))
    url = text(_scalar(meta_value(meta, "_tracking_url")))
    fulfilled = record.get("is_fulfilled") in (True, 1, "1", "true")
    return Fulfillment(
        external_id="wcf:" + str(to_id(record.get("id"), f"{where}.id")),
        # An unfulfilled fulfillment is a parcel being prepared, not one that left.
        status=ShipmentState.SUCCESS if fulfilled else ShipmentState.PENDING,
        carrier=_carrier(provider, number) if number else carrier_from_name(provider),
        carrier_name=provider,
        tracking_numbers=(number,) if number else (),
        tracking_urls=(url,) if url else (),
        line_items=_core_items(meta_value(meta, "_items"), where),
    )


def _core_items(value: Any, where: str) -> dict[str, int]:
    items: dict[str, int] = {}
    if not isinstance(value, list):
        return items
    for entry in value:
        if isinstance(entry, Mapping) and entry.get("item_id") not in (None, ""):
            item_id = str(to_id(entry.get("item_id"), f"{where}._items.item_id"))
            items[item_id] = items.get(item_id, 0) + to_int(entry.get("qty"), f"{where}._items.qty", default=0)
    return items


def _carrier(name: str | None, number: str) -> str | None:
    return carrier_from_name(name) or detect_carrier(number)
