"""WooCommerce: webhook deliveries and REST order payloads in, canonical objects out. No Flask, no database.

Reached through the registry: `integrations.get_platform("woocommerce")` returns `platform`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.models import Platform
from integrations.platform import ModulePlatform, PlatformIntegration
from integrations.woocommerce import mapping, webhooks
from integrations.woocommerce.fulfillments import core_fulfillments
from integrations.woocommerce.mapping import normalise_refund

platform = ModulePlatform(
    name=Platform.WOOCOMMERCE,
    verify_webhook=webhooks.verify_webhook,
    is_ping=webhooks.is_ping,
    shop_domain=webhooks.shop_domain,
    parse_webhook=webhooks.parse_webhook,
    normalise_order=mapping.normalise_order,
    interpret_webhook=webhooks.interpret_webhook,
)

if TYPE_CHECKING:
    _conforms: PlatformIntegration = platform

__all__ = ["core_fulfillments", "normalise_refund", "platform"]
