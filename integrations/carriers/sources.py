"""The contract every tracking source fulfils, and the registry that finds one by name.

A source is a package under `integrations/carriers/<name>/` exposing `source`, an object with a `name` and
`track(requests, now=...) -> list[TrackingUpdate]` (one update per request, same order). Transport failures raise
`RetryableError` (timeouts, 429, 5xx) or `IntegrationError`; a parcel the carrier does not know is data
(`TrackingUpdate(found=False)`), not an exception.

A source that takes credentials (the karrio-backed carriers) also has a `settings_type` (see
`integrations.carriers.credentials`): the registry's `source` uses the app's credentials from the environment, and
`source_with_settings` gives the same source on a shop's own.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from integrations.carriers.codes import Carrier
from integrations.carriers.credentials import CarrierSettings
from integrations.errors import IntegrationError, UnknownIntegration
from integrations.models import TrackingRequest, TrackingUpdate

# name -> "module:attribute"; a new source is one package plus one line here.
SOURCES: dict[str, str] = {
    "simulated": "integrations.carriers.simulated:source",
    "usps": "integrations.carriers.usps:source",
    "ups": "integrations.carriers.ups:source",
    "fedex": "integrations.carriers.fedex:source",
    "dhl_express": "integrations.carriers.dhl_express:source",
    "canadapost": "integrations.carriers.canadapost:source",
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


def get_carrier_source(name: str) -> TrackingSource:
    try:
        target = SOURCES[name]
    except KeyError:
        raise UnknownIntegration(f"unknown tracking source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


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
    "CARRIER_SOURCES", "SOURCES", "TrackingSource", "configured_in", "credential_sources", "get_carrier_source",
    "settings_from_fields", "settings_type", "source_with_settings",
]  # fmt: skip
