"""Tracking through a karrio connector: what every karrio-backed source (`usps`, `ups`, `fedex`, `dhl_express`,
`canadapost`) shares. A carrier package keeps only what differs: its settings, its event-code table, how it reads a
place, and its quirks.

Statuses (`StatusTable`): a scan's status is its carrier code's, else its description's words', else karrio's status
for the event, else `UNKNOWN` (the store ignores a scan whose meaning we do not know). No lookup ever raises.

Mapping (`KarrioMapping`), karrio's `TrackingDetails` -> our `TrackingUpdate`, for the number we asked about:
- Events come out oldest first. `occurred_at` is the carrier's local time (karrio keeps it to the minute and prints
  a `Z` that is not true) read in the zone of the scan's place (`integrations.carriers.timezones`); a scan without a
  place takes the previous scan's zone, else the next one's, else the destination country's, else UTC; `timezone`
  names the zone used. Scans have no id: `source_id` is None and the store dedupes them by content.
- The status: "delivered" when karrio says so, else the latest scan whose meaning we know (its code is more precise
  than karrio's overall status), else karrio's overall status.
- `estimated_delivery`: a date becomes the end of that day (23:59:59) in the destination country's zone, else the
  latest scan's zone, else UTC: "expected by the end of that day".

Source (`KarrioTrackingSource`): one karrio fetch per number keeps each answer tied to the number asked; the OAuth
token lives in the source's karrio cache, fetched once per client. `<SOURCE>_API_BASE` (`UPS_API_BASE`, ...) in the
environment sends karrio's calls for that carrier to another address (a local fake of the carrier's API in tests
and the demo); karrio's own request building, authentication and answer parsing still run. karrio turns every
failure into a `Message` (it catches its HTTP exceptions; a non-2xx answer comes back as its body), so failures are
told apart from its answer:
- tracking details -> the update (messages beside them are dropped);
- a message whose code is an HTTP 429 or 5xx, or whose words say so ("too many requests", "service unavailable"), or
  karrio's own internal error (timeouts, refused connections, bodies that are not a carrier answer such as a
  gateway's HTML error page) -> `RetryableError`;
- a credentials rejection (the carrier's `auth_codes`) -> `IntegrationError`: retrying will not help;
- any other message -> `found=False` with the carrier's words: a parcel the carrier does not know is data;
- neither details nor messages -> `RetryableError`: the carrier said nothing we can read.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

import karrio.core.models as karrio_models
import karrio.lib as karrio_lib
import karrio.sdk as karrio
import loguru

from integrations.carriers.codes import Carrier
from integrations.carriers.timezones import Place, end_of_local_day, fill_zones, parse_wall_clock, to_utc, zone_for
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingEvent, TrackingRequest, TrackingStatus, TrackingUpdate

# karrio logs every request URL (tracking numbers in it) at INFO through loguru; the app logs ids itself.
loguru.logger.disable("karrio")

log = logging.getLogger(__name__)

# --- statuses ---------------------------------------------------------------------------------------------------

# karrio's unified statuses (`karrio.core.units.TrackingStatus`, karrio server's TrackerStatus) -> ours.
KARRIO_STATUS: Mapping[str, TrackingStatus] = {
    # karrio says "pending" only for a parcel the carrier knows (a label, a manifest): the shopper's "info received"
    "pending": TrackingStatus.INFO_RECEIVED,
    "picked_up": TrackingStatus.IN_TRANSIT,
    "in_transit": TrackingStatus.IN_TRANSIT,
    # a delay is a computed flag with a reason in Afterglow, not a status: the parcel is still moving
    "delivery_delayed": TrackingStatus.IN_TRANSIT,
    "out_for_delivery": TrackingStatus.OUT_FOR_DELIVERY,
    "ready_for_pickup": TrackingStatus.AVAILABLE_FOR_PICKUP,
    "delivery_failed": TrackingStatus.ATTEMPT_FAILED,
    "on_hold": TrackingStatus.EXCEPTION,
    "delivered": TrackingStatus.DELIVERED,
    "return_to_sender": TrackingStatus.RETURNING_TO_SENDER,
    "cancelled": TrackingStatus.CANCELLED,
    "unknown": TrackingStatus.UNKNOWN,
}


def _key(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def karrio_status(raw: Any) -> TrackingStatus:
    """karrio's status name -> ours; anything else is UNKNOWN."""
    return KARRIO_STATUS.get(_key(raw).lower(), TrackingStatus.UNKNOWN)


@dataclass(frozen=True)
class StatusTable:
    """A carrier's event codes (matched upper-cased, or as `code_key` spells them) and description phrases
    (lower-cased, first match wins)."""

    codes: Mapping[str, TrackingStatus]
    phrases: Sequence[tuple[str, TrackingStatus]]
    code_key: Callable[[str], str] = str.upper

    def code_status(self, code: Any) -> TrackingStatus | None:
        """A carrier event code -> ours, None for a code not in the table."""
        return self.codes.get(self.code_key(_key(code)))

    def description_status(self, description: Any) -> TrackingStatus | None:
        text = _key(description).lower()
        return next((status for phrase, status in self.phrases if phrase in text), None)

    def event_status(self, *, code: Any, description: Any, karrio: Any) -> TrackingStatus:
        """A scan's status: its code, else its words, else karrio's reading, else UNKNOWN."""
        return self.code_status(code) or self.description_status(description) or karrio_status(karrio)


# --- TrackingDetails -> TrackingUpdate ----------------------------------------------------------------------------


def plain_text(raw: Any) -> str | None:
    """A karrio text field stripped; None when empty."""
    return str(raw or "").strip() or None


def _estimated_delivery(raw: Any, zone: str) -> datetime | None:
    try:
        day = date.fromisoformat(str(raw or "").strip()[:10])
    except ValueError:
        return None
    return end_of_local_day(day, zone)


@dataclass(frozen=True)
class KarrioMapping:
    """How one carrier's karrio answers become our updates: the carrier's code, its status table, how it reads the
    place text karrio joins for an event, and how it cleans the service name and a scan's description (stripped by
    default: the description is part of a scan's dedupe key, so a cleaner may never change for stored scans)."""

    carrier: Carrier
    statuses: StatusTable
    read_place: Callable[[Any], Place | None]
    service_name: Callable[[Any], str | None] = plain_text
    describe: Callable[[Any], str] = lambda text: str(text or "").strip()

    def to_update(self, request: TrackingRequest, detail: Any) -> TrackingUpdate:
        """One karrio TrackingDetails for `request` -> TrackingUpdate (the number stays the one we asked about)."""
        destination_zone = zone_for(country=request.destination_country)
        events = self._events(detail.events or [], destination_zone=destination_zone)
        status = self.update_status(detail, events)
        delivered = [event for event in events if event.status is TrackingStatus.DELIVERED]
        info = detail.info
        return TrackingUpdate(
            carrier=self.carrier.value,
            tracking_number=request.tracking_number,
            status=status,
            events=tuple(events),
            estimated_delivery=_estimated_delivery(
                detail.estimated_delivery or (info.expected_delivery if info else None),
                destination_zone or (events[-1].timezone if events and events[-1].timezone else "UTC"),
            ),
            delivered_at=delivered[-1].occurred_at if status is TrackingStatus.DELIVERED and delivered else None,
            service=self.service_name(info.shipment_service) if info else None,
        )

    def update_status(self, detail: Any, events: Sequence[TrackingEvent]) -> TrackingStatus:
        """Delivered when karrio says so, else the latest scan we can read, else karrio's overall status."""
        overall = karrio_status(detail.status)
        if detail.delivered or overall is TrackingStatus.DELIVERED:
            return TrackingStatus.DELIVERED
        known = [event.status for event in events if event.status is not TrackingStatus.UNKNOWN]
        return known[-1] if known else overall

    def not_found(self, request: TrackingRequest, messages: Sequence[str]) -> TrackingUpdate:
        """The carrier does not know the number (yet): data, with the carrier's own words."""
        return TrackingUpdate(
            carrier=self.carrier.value,
            tracking_number=request.tracking_number,
            status=TrackingStatus.UNKNOWN,
            found=False,
            messages=tuple(messages),
        )

    def _events(self, events: Sequence[Any], *, destination_zone: str | None) -> list[TrackingEvent]:
        scans: list[tuple[datetime, Place | None, Any]] = []
        for event in reversed(events):  # karrio keeps the carrier's order: newest first
            wall_clock = parse_wall_clock(event.timestamp, event.date, event.time)
            if wall_clock is not None:  # a scan without a date has no instant: dropped rather than invented
                scans.append((wall_clock, self.read_place(event.location), event))
        zones = fill_zones([place.zone() if place else None for _, place, _ in scans], fallback=destination_zone)
        mapped = [
            TrackingEvent(
                occurred_at=to_utc(wall_clock, zone),
                status=self.statuses.event_status(code=event.code, description=event.description, karrio=event.status),
                description=self.describe(event.description),
                substatus=str(event.code).strip() if event.code else None,
                location=place.label() if place else None,
                timezone=zone,
                source_id=None,
            )
            for (wall_clock, place, event), zone in zip(scans, zones, strict=True)
        ]
        return sorted(mapped, key=lambda scan: scan.occurred_at)


def _at(settings_type: type[Any], base: str) -> type[Any]:
    """karrio's settings class for a carrier, with its API at `base` instead of the carrier's own host."""

    class Redirected(settings_type):  # type: ignore[misc]
        @property
        def server_url(self) -> str:
            return base

    return Redirected


# --- the source -------------------------------------------------------------------------------------------------

KARRIO_INTERNAL_CODES = frozenset({"SHIPPING_SDK_INTERNAL_ERROR"})
RETRY_WORDS = ("too many requests", "rate limit", "service unavailable", "temporarily unavailable", "timed out")
HTTP_AUTH_CODES = frozenset({"401", "403"})


def _is_retryable(code: str, text: str, retry_codes: frozenset[str] = frozenset()) -> bool:
    if code in KARRIO_INTERNAL_CODES or code == "429" or (code.isdigit() and 500 <= int(code) <= 599):
        return True
    if code.lower() in retry_codes:
        return True
    return any(words in text.lower() for words in RETRY_WORDS)


class KarrioSettings(Protocol):
    """A carrier's credentials (`integrations.carriers.credentials`): hashable (a gateway is kept per settings),
    read from the environment or from a shop's fields, and turned into the settings dict
    `karrio.gateway[<connector>].create` takes."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self: ...

    @classmethod
    def from_fields(cls, values: Mapping[str, str]) -> Self: ...

    def to_karrio(self) -> dict[str, Any]: ...


SettingsT = TypeVar("SettingsT", bound=KarrioSettings)


class KarrioTrackingSource(Generic[SettingsT]):
    """`track()` through karrio's connector named like `mapping.carrier`. Construct with a shop's settings; without
    them, credentials are read from the environment when `track()` runs. `cache` is karrio's cache
    (`karrio.lib.Cache`) for the OAuth token.

    A carrier subclasses it, setting `settings_type`, `mapping`, `auth_codes` (the message codes, lower-cased,
    that reject the credentials), `retry_codes` (lower-cased codes of its own that say "try again later") and
    `connector` when karrio names the carrier otherwise than our carrier code (it is then the source's name too),
    and overriding `message_parts` when its messages need unwrapping."""

    settings_type: type[SettingsT]
    mapping: ClassVar[KarrioMapping]
    auth_codes: ClassVar[frozenset[str]]
    retry_codes: ClassVar[frozenset[str]] = frozenset()
    connector: ClassVar[str | None] = None

    def __init__(
        self,
        settings: SettingsT | None = None,
        *,
        cache: Any | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._settings = settings
        self._environ = environ
        self._cache = cache if cache is not None else karrio_lib.Cache()
        self._gateways: dict[tuple[SettingsT, str | None], Any] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.connector or self.mapping.carrier.value

    def with_settings(self, settings: SettingsT) -> Self:
        """The same source on other credentials (a shop's own account), with its own token cache."""
        return type(self)(settings, environ=self._environ)

    def settings(self) -> SettingsT:
        if self._settings is not None:
            return self._settings
        return self.settings_type.from_env(os.environ if self._environ is None else self._environ)

    def api_base(self) -> str | None:
        """Where the carrier's API is, when not where karrio knows it: `<SOURCE>_API_BASE` in the environment."""
        environ = os.environ if self._environ is None else self._environ
        return (environ.get(f"{self.name.upper()}_API_BASE") or "").strip().rstrip("/") or None

    def gateway(self, settings: SettingsT) -> Any:
        """karrio's gateway for these credentials, made once and kept (with it, the token cache)."""
        base = self.api_base()
        with self._lock:
            if (settings, base) not in self._gateways:
                values: Any = settings.to_karrio()
                if base is not None:
                    values = _at(karrio.gateway.providers[self.name].Settings, base)(**values)
                self._gateways[(settings, base)] = karrio.gateway[self.name].create(values, cache=self._cache)
            return self._gateways[(settings, base)]

    def track(self, requests: Sequence[TrackingRequest], *, now: datetime) -> list[TrackingUpdate]:
        # `now` is the caller's clock; scans carry their own times, so nothing here depends on it.
        settings = self.settings()
        gateway = self.gateway(settings)
        redact = getattr(settings, "redact", str)
        try:
            updates = [self._track_one(gateway, request) for request in requests]
        except IntegrationError as exc:  # carriers echo refused values: no secret leaves in an error
            raise type(exc)(redact(str(exc))) from None
        return [replace(u, messages=tuple(redact(m) for m in u.messages)) if u.messages else u for u in updates]

    def message_parts(self, message: Any) -> tuple[str, str]:
        """(code, text) of a karrio Message."""
        return str(message.code or "").strip(), str(message.message or "").strip()

    def classify(self, request: TrackingRequest, details: Sequence[Any], messages: Sequence[Any]) -> TrackingUpdate:
        """karrio's (details, messages) for one number -> an update, or the exception the failure calls for."""
        if details:
            return self.mapping.to_update(request, details[0])
        parts = [self.message_parts(message) for message in messages or ()]
        for code, text in parts:
            if _is_retryable(code, text, self.retry_codes):
                raise RetryableError(f"{self.name} tracking failed: {text or code}")
        for code, text in parts:
            if code.lower() in self.auth_codes:
                raise IntegrationError(f"{self.name} rejected the credentials: {text or code}")
        if not parts:
            raise RetryableError(f"{self.name} tracking failed: the answer held neither tracking details nor an error")
        return self.mapping.not_found(request, [text or code for code, text in parts])

    def _track_one(self, gateway: Any, request: TrackingRequest) -> TrackingUpdate:
        fetch = karrio.Tracking.fetch(karrio_models.TrackingRequest(tracking_numbers=[request.tracking_number]))
        details, messages = fetch.from_(gateway).parse()
        update = self.classify(request, details or [], messages or [])
        log.debug("%s tracking answered", self.name, extra={"found": update.found, "events": len(update.events)})
        return update


__all__ = [
    "HTTP_AUTH_CODES", "KARRIO_STATUS", "KarrioMapping", "KarrioSettings", "KarrioTrackingSource", "StatusTable",
    "karrio_status", "plain_text",
]  # fmt: skip
