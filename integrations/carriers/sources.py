"""The contract every tracking source fulfils, and the registry that finds one by name.

A source is a package under `integrations/carriers/<name>/` exposing `source`, an object with a `name` and
`track(requests, now=...) -> list[TrackingUpdate]` (one update per request, same order). Transport failures raise
`RetryableError` (timeouts, 429, 5xx) or `IntegrationError`; a parcel the carrier does not know is data
(`TrackingUpdate(found=False)`), not an exception.

A source that also pushes (an aggregator's webhooks, `POST /webhooks/carriers/<name>`) is registered in
`PUSH_SOURCES` too, with an object that verifies a delivery's signature over the raw body, reads it into a
`CarrierPush` (which parcel, which event) and turns it into the same `TrackingUpdate` a poll of that parcel gives.

A source that takes credentials (the karrio-backed carriers) also has a `settings_type` (see
`integrations.carriers.credentials`): the registry's `source` uses the app's credentials from the environment, and
`source_with_settings` gives the same source on a shop's own.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from integrations.carriers.codes import Carrier
from integrations.carriers.credentials import CarrierSettings
from integrations.errors import IntegrationError, UnknownIntegration
from integrations.models import TrackingRequest, TrackingUpdate
from integrations.platform import Headers

# name -> "module:attribute"; a new source is one package plus one line here.
SOURCES: dict[str, str] = {
    "simulated": "integrations.carriers.simulated:source",
    "usps": "integrations.carriers.usps:source",
    "ups": "integrations.carriers.ups:source",
    "easypost": "integrations.carriers.easypost:source",
    "fedex": "integrations.carriers.fedex:source",
    "dhl_express": "integrations.carriers.dhl_express:source",
    "canadapost": "integrations.carriers.canadapost:source",
}

# name -> "module:attribute" of the sources that push their news to us.
PUSH_SOURCES: dict[str, str] = {
    "easypost": "integrations.carriers.easypost:push",
}

# A carrier code (detected or given by the platform) -> the source that tracks that carrier directly.
CARRIER_SOURCES: Mapping[str, str] = {
    Carrier.USPS: "usps",
    Carrier.UPS: "ups",
    Carrier.FEDEX: "fedex",
    Carrier.DHL: "dhl_express",
    Carrier.CANADA_POST: "canadapost",
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


def settings_type(name: str) -> type[CarrierSettings] | None:
    """The credentials a source takes, None for one that takes none (`simulated`)."""
    found = getattr(get_carrier_source(name), "settings_type", None)
    return found if isinstance(found, type) and issubclass(found, CarrierSettings) else None


def credential_sources() -> list[str]:
    """The sources a shop can connect its own account to."""
    return sorted(name for name in SOURCES if settings_type(name) is not None)


def settings_from_fields(name: str, values: Mapping[str, str]) -> CarrierSettings:
    """A shop's typed fields -> the source's settings; IntegrationError naming what is wrong."""
    kind = settings_type(name)
    if kind is None:
        raise UnknownIntegration(f"{name!r} takes no credentials; these do: {', '.join(credential_sources())}")
    return kind.from_fields(values)


def configured_in(environ: Mapping[str, str]) -> frozenset[str]:
    """The credential-taking sources whose app-wide credentials the environment holds."""
    configured = set()
    for name in credential_sources():
        kind = settings_type(name)
        try:
            if kind is not None:
                kind.from_env(environ)
        except IntegrationError:
            continue
        configured.add(name)
    return frozenset(configured)


@functools.lru_cache(maxsize=1024)
def source_with_settings(name: str, settings: Any) -> TrackingSource:
    """The source `name` on these credentials. Kept per credentials, so a shop's OAuth token is fetched once per
    process rather than once per batch; new credentials (a rotated secret) make a new one."""
    base = get_carrier_source(name)
    with_settings = getattr(base, "with_settings", None)
    if with_settings is None:
        raise UnknownIntegration(f"{name!r} takes no credentials")
    return with_settings(settings)  # type: ignore[no-any-return]


__all__ = [
    "CARRIER_SOURCES", "PUSH_SOURCES", "SOURCES", "CarrierPush", "PushSource", "TrackingSource", "configured_in",
    "credential_sources", "get_carrier_source", "get_push_source", "settings_from_fields", "settings_type",
    "source_with_settings",
]  # fmt: skip
