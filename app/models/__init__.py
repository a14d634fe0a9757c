"""Tables, one module per aggregate. Import from here so every table is registered with the metadata."""

from app.models.events import OrderEvent
from app.models.inbox import InboundWebhook, InboxStatus
from app.models.notification import Notification, NotificationSettings, NotificationStatus, Unsubscribe
from app.models.order import Customer, LineItem, Order, Refund
from app.models.shipment import Shipment, TrackingEvent
from app.models.shop import Shop

__all__ = [
    "Customer",
    "InboundWebhook",
    "InboxStatus",
    "LineItem",
    "Notification",
    "NotificationSettings",
    "NotificationStatus",
    "Order",
    "OrderEvent",
    "Refund",
    "Shipment",
    "Shop",
    "TrackingEvent",
    "Unsubscribe",
]
