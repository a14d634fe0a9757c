"""Tables, one module per aggregate. Import from here so every table is registered with the metadata."""

from app.models.carrier_account import CarrierAccount
from app.models.events import OrderEvent
from app.models.inbox import InboundWebhook, InboxStatus
from app.models.notification import Notification, NotificationSettings, NotificationStatus, Unsubscribe
from app.models.order import Customer, LineItem, Order, Refund
from app.models.privacy import PrivacyExport
from app.models.setup import ShopSetup
from app.models.shipment import LaneStats, Shipment, TrackingEvent
from app.models.shop import Shop
from app.models.shopify import FulfillmentWriteback, ShopifyCredential
from app.models.survey import SurveyResponse
from app.models.woocommerce import WooCommerceConnection, WooCommerceLogin

__all__ = [
    "CarrierAccount",
    "Customer",
    "FulfillmentWriteback",
    "InboundWebhook",
    "InboxStatus",
    "LaneStats",
    "LineItem",
    "Notification",
    "NotificationSettings",
    "NotificationStatus",
    "Order",
    "OrderEvent",
    "PrivacyExport",
    "Refund",
    "Shipment",
    "Shop",
    "ShopSetup",
    "ShopifyCredential",
    "SurveyResponse",
    "TrackingEvent",
    "Unsubscribe",
    "WooCommerceConnection",
    "WooCommerceLogin",
]
