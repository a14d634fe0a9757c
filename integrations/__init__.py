"""Pure SDK layer: raw platform and carrier data in, canonical objects out. No Flask, no database.

    from integrations import get_platform, detect_carrier
    shopify = get_platform("shopify")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from integrations.errors import (
    IntegrationError,
    MappingError,
    RetryableError,
    UnknownIntegration,
    WebhookVerificationError,
)

if TYPE_CHECKING:
    from integrations.carriers.sources import TrackingSource
    from integrations.platform import PlatformIntegration

# name -> "module:attribute"; a new platform is one package plus one line here.
PLATFORMS: dict[str, str] = {
    "shopify": "integrations.shopify:platform",
    "woocommerce": "integrations.woocommerce:platform",
}


def get_platform(name: str) -> PlatformIntegration:
    try:
        target = PLATFORMS[str(name)]
    except KeyError:
        raise UnknownIntegration(f"unknown platform {name!r}; known: {', '.join(sorted(PLATFORMS))}") from None
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


def detect_carrier(tracking_number: str) -> str | None:
    from integrations.carriers.detection import detect_carrier as _detect

    return _detect(tracking_number)


def get_carrier_source(name: str) -> TrackingSource:
    from integrations.carriers.sources import get_carrier_source as _get

    return _get(name)


def carrier_from_name(name: str | None) -> str | None:
    from integrations.carriers.names import carrier_from_name as _from_name

    return _from_name(name)


__all__ = [
    "PLATFORMS",
    "IntegrationError",
    "MappingError",
    "RetryableError",
    "UnknownIntegration",
    "WebhookVerificationError",
    "carrier_from_name",
    "detect_carrier",
    "get_carrier_source",
    "get_platform",
]
