"""The journeys: which order events send which message, on which channels, and how each behaves by default.

A journey names the events that trigger it. Those not (yet) among the order events the pipeline records are
dormant: `shipment.delayed` and `return.approved` light up as soon as their events exist, with nothing else to
change. The subject says what "one message per milestone" counts: each parcel, the order, each refund, or each
new delivery estimate of a parcel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.services import order_events

CHANNELS = ("email", "sms", "klaviyo", "webhook")
# Channels that carry the milestone as data to the merchant's own systems, which decide what the shopper gets.
EVENT_CHANNELS = frozenset({"klaviyo", "webhook"})


@dataclass(frozen=True)
class Journey:
    name: str
    events: tuple[str, ...]
    subject: str  # shipment | order | refund | estimate
    channels: tuple[str, ...] = CHANNELS  # the channels a merchant may switch on
    default_channels: tuple[str, ...] = ("email",)
    enabled: bool = True
    urgent: bool = False  # sent even in quiet hours
    marketing: bool = False  # needs the shopper's marketing consent for the channel
    delay_minutes: int = 0
    summarise: bool = False  # parcels of one order reaching this milestone together get one message
    # News older than this is not news: an old order whose fulfillment first reaches us now (an edit long after
    # install, a replayed webhook) must not tell the shopper "your order has shipped" weeks late.
    fresh_hours: int = 72

    @property
    def available(self) -> bool:
        return any(name in order_events.EVENT_NAMES for name in self.events)

    def triggered_by(self, name: str, data: Mapping[str, Any]) -> bool:
        if name not in self.events:
            return False
        if name == "shipment.updated":
            # Only a corrected number is news to the shopper; a number added later is the "shipped" moment.
            old, _new = (data.get("changes") or {}).get("tracking_number") or (None, None)
            return self.name == "tracking_number_changed" and old is not None
        return True


JOURNEYS: tuple[Journey, ...] = (
    Journey("shipped", ("shipment.created",), "shipment", summarise=True),
    Journey("out_for_delivery", ("shipment.out_for_delivery",), "shipment", default_channels=("email", "sms"),
            summarise=True, fresh_hours=12),
    Journey("delivered", ("shipment.delivered",), "shipment", summarise=True),
    Journey("delayed", ("shipment.delayed",), "estimate", default_channels=("email", "sms"), summarise=True),
    Journey("exception", ("shipment.exception",), "shipment", summarise=True),
    Journey("attempt_failed", ("shipment.attempt_failed",), "shipment", default_channels=("email", "sms"),
            urgent=True),
    Journey("available_for_pickup", ("shipment.available_for_pickup",), "shipment",
            default_channels=("email", "sms"), fresh_hours=7 * 24),
    Journey("tracking_number_changed", ("shipment.updated",), "shipment"),
    Journey("return_approved", ("return.approved",), "order"),
    Journey("refund_issued", ("refund.created",), "refund", fresh_hours=7 * 24),
    # A feedback request is not about the purchase itself: it waits for marketing consent.
    Journey("survey_request", ("shipment.delivered",), "order", channels=("email", "klaviyo", "webhook"),
            marketing=True, delay_minutes=3 * 24 * 60),
)  # fmt: skip
BY_NAME: Mapping[str, Journey] = {journey.name: journey for journey in JOURNEYS}
TRIGGERS = frozenset(name for journey in JOURNEYS for name in journey.events)


def journeys_for(name: str, data: Mapping[str, Any]) -> list[Journey]:
    if name not in TRIGGERS:
        return []
    return [journey for journey in JOURNEYS if journey.triggered_by(name, data)]


def subject_key(journey: Journey, *, order_id: int, shipment_id: int | None, data: Mapping[str, Any]) -> str:
    """What one message per milestone counts, as the middle of the idempotency key."""
    if journey.subject == "shipment" and shipment_id is not None:
        return f"shipment:{shipment_id}"
    if journey.subject == "estimate" and shipment_id is not None:
        # A parcel late twice tells the shopper twice, once per new estimate; the same estimate again never.
        return f"shipment:{shipment_id}:estimate:{data.get('estimate') or 'unknown'}"
    if journey.subject == "refund":
        return f"order:{order_id}:refund:{data.get('refund_id') or 'unknown'}"
    return f"order:{order_id}"
