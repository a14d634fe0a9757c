"""The contract every tracking source fulfils, and the registry that finds one by name.

A source is a package under `integrations/carriers/<name>/` exposing `source`, an object with a `name` and
`track(requests, now=...) -> list[TrackingUpdate]` (one update per request, same order). Transport failures raise
`RetryableError` (timeouts, 429, 5xx) or `IntegrationError`; a parcel the carrier does not know is data
(`TrackingUpdate(found=False)`), not an exception.

A source that also pushes (an aggregator's webhooks, `POST /webhooks/carriers/<name>`) is registered in
`PUSH_SOURCES` too, with an object that verifies a delivery's signature over the raw body, reads it into a
`CarrierPush` (which parcel, which event) and turns it into the same `TrackingUpdate` a poll of that parcel gives.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from integrations.errors import UnknownIntegration
from integrations.models import TrackingRequest, TrackingUpdate
from integrations.platform import Headers

# name -> "module:attribute"; a new source is one package plus one line here.
SOURCES: dict[str, str] = {
    "simulated": "integrations.carriers.simulated:source",
    "usps": "integrations.carriers.usps:source",
    "ups": "integrations.carriers.ups:source",
    "easypost": "integrations.carriers.easypost:source",
}

# name -> "module:attribute" of the sources that push their news to us.
PUSH_SOURCES: dict[str, str] = {
    "easypost": "integrations.carriers.easypost:push",
}


class TrackingSource(Protocol):
    @property
    def name(self) -> str: ...

    def track(self, requests: Sequence[TrackingRequest], *, now: datetime) -> list[TrackingUpdate]: ...


@dataclass(frozen=True)
class CarrierPush:
    """One pushed event, as far as routing it needs: which event (dedupe), which parcel (carrier + number).
    `payload` is the source's own object, handed back to `PushSource.to_update` and read nowhere else."""

    source: str
    event_id: str
    topic: str  # as the source names it: "tracker.updated"
    tracking: bool  # False: an event about something other than a parcel (acknowledged, ignored)
    carrier: str | None = None  # canonical code, None when the source names a carrier we do not know
    tracking_number: str | None = None
    account: str | None = None  # the source's account that sent it (EasyPost's user id)
    reference: str | None = None  # the source's id for the parcel (EasyPost's tracker id), for logs
    payload: Mapping[str, Any] = field(default_factory=dict, repr=False)


class PushSource(Protocol):
    @property
    def name(self) -> str: ...

    def verify_push(self, headers: Headers, body: bytes, secret: str) -> None:
        """Check the signature over the raw body; raise `WebhookVerificationError` (missing=True: no signature)."""

    def parse_push(self, body: bytes) -> CarrierPush:
        """Read a verified delivery; raise `MappingError` when it is not one of the source's events."""

    def to_update(self, push: CarrierPush, request: TrackingRequest) -> TrackingUpdate:
        """The update the push says about the parcel `request` describes (what a poll of it would give)."""


def _load(registry: Mapping[str, str], name: str, kind: str) -> Any:
    try:
        target = registry[name]
    except KeyError:
        raise UnknownIntegration(f"unknown {kind} {name!r}; known: {', '.join(sorted(registry))}") from None
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def get_carrier_source(name: str) -> TrackingSource:
    return _load(SOURCES, name, "tracking source")  # type: ignore[no-any-return]


def get_push_source(name: str) -> PushSource:
    return _load(PUSH_SOURCES, name, "push source")  # type: ignore[no-any-return]
