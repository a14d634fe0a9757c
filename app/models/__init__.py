"""Tables, one module per aggregate. Import from here so every table is registered with the metadata."""

from app.models.events import OrderEvent
from app.models.inbox import InboundWebhook, InboxStatus
from app.models.order import Customer, LineItem, Order, Refund
from app.models.shipment import Shipment, TrackingEvent
from app.models.shop import Shop
from app.models.shopify import FulfillmentWriteback, ShopifyCredential

__all__ = [
    "Customer",
    "FulfillmentWriteback",
    "InboundWebhook",
    "InboxStatus",
    "LineItem",
    "Order",
    "OrderEvent",
    "Refund",
    "Shipment",
    "Shop",
    "ShopifyCredential",
    "TrackingEvent",
]
