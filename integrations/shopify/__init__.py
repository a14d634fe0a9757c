"""Shopify: webhook deliveries in, canonical orders out. Pure: no Flask, no database.

    from integrations import get_platform
    shopify = get_platform("shopify")   # this module's `platform`
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.models import Platform
from integrations.platform import ModulePlatform, PlatformIntegration
from integrations.shopify import webhooks
from integrations.shopify.mapping import normalise_fulfillment, normalise_order, normalise_refund

platform = ModulePlatform(
    name=Platform.SHOPIFY,
    verify_webhook=webhooks.verify_webhook,
    is_ping=webhooks.is_ping,
    shop_domain=webhooks.shop_domain,
    parse_webhook=webhooks.parse_webhook,
    normalise_order=normalise_order,
    interpret_webhook=webhooks.interpret_webhook,
)

if TYPE_CHECKING:
    # mypy proves here that the object `get_platform("shopify")` hands out satisfies the contract.
    _conforms: PlatformIntegration = platform

__all__ = ["normalise_fulfillment", "normalise_order", "normalise_refund", "platform"]
