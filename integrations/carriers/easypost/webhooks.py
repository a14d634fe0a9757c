"""EasyPost's webhook deliveries: the signature, and the Event envelope around a Tracker.

EasyPost signs each delivery when the webhook has a secret: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, the
HMAC-SHA256 of the raw body keyed with the secret in Unicode NFKD form (what `easypost.util.validate_webhook`
checks). The body is an Event: `object: "Event"`, `id` (evt_..., the same on every retry of that event),
`description` (the topic: `tracker.created`, `tracker.updated`, `batch.updated`, `refund.successful`, ...),
`user_id` (the account), and `result`: the object the event is about, here the Tracker with all its scans.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Mapping

from integrations.carriers.easypost.mapping import to_update
from integrations.carriers.easypost.units import carrier_code
from integrations.carriers.sources import CarrierPush
from integrations.errors import MappingError, WebhookVerificationError
from integrations.models import TrackingRequest, TrackingUpdate
from integrations.parsing import loads, text, to_id
from integrations.platform import Headers, header

SIGNATURE_HEADER = "X-Hmac-Signature"
SIGNATURE_PREFIX = "hmac-sha256-hex="
TRACKER_TOPICS = frozenset({"tracker.created", "tracker.updated"})


def signature(body: bytes, secret: str) -> str:
    """The header value EasyPost sends for `body` signed with `secret`."""
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return SIGNATURE_PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


class EasyPostPush:
    """The push side of the `easypost` source (see `integrations.carriers.sources.PushSource`)."""

    name = "easypost"

    def verify_push(self, headers: Headers, body: bytes, secret: str) -> None:
        given = header(headers, SIGNATURE_HEADER)
        if not given:
            raise WebhookVerificationError(f"{SIGNATURE_HEADER} header missing", missing=True)
        if not hmac.compare_digest(given.encode("utf-8"), signature(body, secret).encode("utf-8")):
            raise WebhookVerificationError(f"{SIGNATURE_HEADER} does not match the body")

    def parse_push(self, body: bytes) -> CarrierPush:
        event = loads(body)
        if not isinstance(event, Mapping) or event.get("object") != "Event":
            raise MappingError("easypost push: the body is not an Event")
        event_id = str(to_id(event.get("id"), "id"))
        topic = text(event.get("description"))
        if topic is None:
            raise MappingError("easypost push: description (the event type) missing")
        account = text(event.get("user_id"))
        if topic not in TRACKER_TOPICS:
            return CarrierPush(source=self.name, event_id=event_id, topic=topic, tracking=False, account=account)
        tracker = event.get("result")
        if not isinstance(tracker, Mapping) or tracker.get("object") != "Tracker":
            raise MappingError(f"easypost push: a {topic} event without its Tracker")
        number = text(tracker.get("tracking_code"))
        if number is None:
            raise MappingError("easypost push: result.tracking_code missing")
        return CarrierPush(
            source=self.name, event_id=event_id, topic=topic, tracking=True,
            carrier=carrier_code(tracker.get("carrier")), tracking_number=number, account=account,
            reference=text(tracker.get("id")), payload=tracker,
        )  # fmt: skip

    def to_update(self, push: CarrierPush, request: TrackingRequest) -> TrackingUpdate:
        return to_update(push.payload, request)


push = EasyPostPush()

__all__ = ["SIGNATURE_HEADER", "SIGNATURE_PREFIX", "TRACKER_TOPICS", "EasyPostPush", "push", "signature"]
