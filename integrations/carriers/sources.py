"""The contract every tracking source fulfils, and the registry that finds one by name.

A source is a package under `integrations/carriers/<name>/` exposing `source`, an object with a `name` and
`track(requests, now=...) -> list[TrackingUpdate]` (one update per request, same order). Transport failures raise
`RetryableError` (timeouts, 429, 5xx) or `IntegrationError`; a parcel the carrier does not know is data
(`TrackingUpdate(found=False)`), not an exception.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from integrations.errors import UnknownIntegration
from integrations.models import TrackingRequest, TrackingUpdate

# name -> "module:attribute"; a new source is one package plus one line here.
SOURCES: dict[str, str] = {
    "simulated": "integrations.carriers.simulated:source",
    "usps": "integrations.carriers.usps:source",
    "ups": "integrations.carriers.ups:source",
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
