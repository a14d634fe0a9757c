"""The Admin GraphQL operations we use, in canonical terms: the shop's details, and tracking milestones written to a
fulfillment as fulfillment events (what the store's own order status page shows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from integrations.errors import MappingError
from integrations.models import TrackingStatus
from integrations.shopify.client import AdminClient

# Our milestones as Shopify's FulfillmentEventStatus (2026-10). Statuses without an entry are not written: pending
# and unknown say nothing, and cancelled/expired are our bookkeeping, not news about the parcel.
FULFILLMENT_EVENT_STATUS: Mapping[TrackingStatus, str] = {
    # The carrier has the label's data but not the parcel: Shopify's "confirmed", not "label purchased" (the
    # merchant may not have bought the label through Shopify).
    TrackingStatus.INFO_RECEIVED: "CONFIRMED",
    TrackingStatus.IN_TRANSIT: "IN_TRANSIT",
    TrackingStatus.OUT_FOR_DELIVERY: "OUT_FOR_DELIVERY",
    TrackingStatus.AVAILABLE_FOR_PICKUP: "READY_FOR_PICKUP",
    TrackingStatus.ATTEMPT_FAILED: "ATTEMPTED_DELIVERY",
    # Carrier exceptions are mostly delays (weather, customs, address checks); FAILURE would tell the shopper the
    # parcel is lost.
    TrackingStatus.EXCEPTION: "DELAYED",
    TrackingStatus.DELIVERED: "DELIVERED",
    TrackingStatus.RETURNING_TO_SENDER: "FAILURE",
    TrackingStatus.RETURNED: "FAILURE",
}

SHOP_QUERY = "query ShopDetails { shop { name currencyCode ianaTimezone } }"

CREATE_EVENT = """
mutation TrackingMilestone($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status happenedAt }
    userErrors { field message }
  }
}
"""

FULFILLMENT_EVENTS = """
query FulfillmentEvents($id: ID!) {
  fulfillment(id: $id) { id events(first: 100) { nodes { id status happenedAt } } }
}
"""


@dataclass(frozen=True)
class ShopDetails:
    name: str
    currency: str
    timezone: str


def fulfillment_gid(fulfillment_id: str) -> str:
    """The GraphQL id of a fulfillment we know by its REST (numeric) id."""
    if fulfillment_id.startswith("gid://shopify/Fulfillment/"):
        return fulfillment_id
    if not fulfillment_id.isdigit():
        raise MappingError(f"fulfillment id {fulfillment_id!r} is not a Shopify fulfillment id")
    return f"gid://shopify/Fulfillment/{fulfillment_id}"


def shop_details(client: AdminClient) -> ShopDetails:
    shop = client.query(SHOP_QUERY, cost=1).get("shop") or {}
    return ShopDetails(name=str(shop.get("name") or ""), currency=str(shop.get("currencyCode") or ""),
                       timezone=str(shop.get("ianaTimezone") or ""))  # fmt: skip


def fulfillment_event_input(
    *,
    fulfillment_id: str,
    status: TrackingStatus,
    happened_at: datetime,
    message: str | None = None,
    estimated_delivery: datetime | None = None,
    location: str | None = None,
) -> dict[str, Any] | None:
    """The `FulfillmentEventInput` for a milestone, or None when the milestone is not one Shopify shows."""
    shopify_status = FULFILLMENT_EVENT_STATUS.get(status)
    if shopify_status is None:
        return None
    event: dict[str, Any] = {"fulfillmentId": fulfillment_gid(fulfillment_id), "status": shopify_status,
                             "happenedAt": _iso(happened_at)}  # fmt: skip
    if estimated_delivery is not None and status != TrackingStatus.DELIVERED:
        event["estimatedDeliveryAt"] = _iso(estimated_delivery)
    if message:
        event["message"] = message[:255]
    event.update(place(location))
    return event


def place(location: str | None) -> dict[str, str]:
    """City, province and country of a scan location as carriers print it ("Memphis, TN, US"), where known."""
    parts = [part.strip() for part in (location or "").split(",") if part.strip()]
    if not parts:
        return {}
    fields: dict[str, str] = {}
    if len(parts) >= 2 and len(parts[-1]) == 2 and parts[-1].isalpha():
        fields["country"] = parts.pop().upper()
    if len(parts) >= 2:
        fields["province"] = parts.pop()
    fields["city"] = ", ".join(parts)
    return fields


def create_fulfillment_event(client: AdminClient, event: Mapping[str, Any]) -> str:
    """Write the event; its Shopify id. Refused input raises `ShopifyUserError`."""
    payload = client.mutate(CREATE_EVENT, {"fulfillmentEvent": dict(event)}, operation="fulfillmentEventCreate")
    created = payload.get("fulfillmentEvent") or {}
    return str(created.get("id") or "")


def find_fulfillment_event(client: AdminClient, *, fulfillment_gid: str, status: str, happened_at: str) -> str | None:
    """The id of an event with this status and time already on the fulfillment (a write whose answer we lost)."""
    fulfillment = client.query(FULFILLMENT_EVENTS, {"id": fulfillment_gid}, cost=3).get("fulfillment")
    if not isinstance(fulfillment, Mapping):
        return None
    wanted = _instant(happened_at)
    for node in (fulfillment.get("events") or {}).get("nodes") or []:
        if node.get("status") == status and _instant(node.get("happenedAt")) == wanted:
            return str(node.get("id"))
    return None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
