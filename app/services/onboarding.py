"""The admin's onboarding checklist: four steps, each read from what is really true of the shop.

- `store_connected`: a Shopify store holds a live offline token; a WooCommerce store a connection with keys.
- `tracking_page_placed`: our app block or app embed is switched on in the live Shopify theme, or a published
  WordPress page shows the widget (`placement.py` asks the platform); or the storefront API has answered one of
  the shop's shoppers, which proves a tracking page works wherever it is.
- `carriers_connected`: the shop connected its own carrier account. Until then Afterglow's own carrier
  connections follow its parcels, and the step says so.
- `first_notification_sent`: a message went out to one of the shop's shoppers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import exists, select

from app.extensions import db
from app.models import CarrierAccount, Notification, NotificationStatus, Shop, ShopifyCredential
from app.models.types import utcnow
from app.services import placement, woocommerce_api
from app.services.credentials import CARRIER_NAMES

TOTAL = 4


def checklist(*, shop: Shop, recheck: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """The checklist document the admin shows: `{"steps": [...], "done": n, "total": 4}`. The tracking page is
    looked for on the platform when the last look is stale, or at once with `recheck`."""
    now = now or utcnow()
    connected = _connected(shop, now)
    setup = placement.current(shop=shop, connected=connected, recheck=recheck, now=now)
    steps = [_store_step(shop, connected), _placement_step(shop, setup, connected), _carrier_step(shop),
             _notification_step(shop)]  # fmt: skip
    return {"steps": steps, "done": sum(1 for step in steps if step["done"]), "total": TOTAL,
            "checked_at": _iso(setup.checked_at)}  # fmt: skip


def _connected(shop: Shop, now: datetime) -> bool:
    if shop.uninstalled_at is not None:
        return False
    if shop.platform == "woocommerce":
        return woocommerce_api.current_connection(shop_id=shop.id) is not None
    credential = db.session.scalars(select(ShopifyCredential).where(ShopifyCredential.shop_id == shop.id)).first()
    if credential is None:
        return False
    access_live = credential.access_token_expires_at is None or credential.access_token_expires_at > now
    refresh_live = credential.refresh_token_ciphertext is not None and (
        credential.refresh_token_expires_at is None or credential.refresh_token_expires_at > now)  # fmt: skip
    return access_live or refresh_live


def _step(step_id: str, done: bool, title: str, detail: str, action: dict[str, Any] | None, *, state: str,
          params: dict[str, str] | None = None, note: dict[str, Any] | None = None) -> dict[str, Any]:
    """One step: English `title`, `detail` and action `label` for any reader of the API, and beside them the keys
    the admin translates (`state` with its `params`, a `note` added to the detail, the action's `key`)."""
    return {"id": step_id, "done": done, "title": title, "detail": detail, "action": None if done else action,
            "state": state, "params": params or {}, "note": note}  # fmt: skip


def _store_step(shop: Shop, connected: bool) -> dict[str, Any]:
    if shop.platform == "woocommerce":
        detail = ("Afterglow reads your WooCommerce orders through the keys your store granted." if connected
                  else "Connect your store so Afterglow can read its orders and follow their parcels.")  # fmt: skip
        action = {"key": "connect_woocommerce", "label": "Connect WooCommerce", "url": "/connect/woocommerce?" +
                  urlencode({"store_url": f"https://{shop.domain}"}), "external": True}  # fmt: skip
        return _step("store_connected", connected, "Connect your store", detail, action,
                     state="woocommerce_connected" if connected else "woocommerce_not_connected")
    detail = ("Afterglow holds a working connection to your Shopify store." if connected
              else "Afterglow has no working connection to your store: open Afterglow from your Shopify admin's "
                   "Apps page to connect it again.")  # fmt: skip
    action = {"key": "open_in_shopify", "label": "Open in Shopify", "url": f"https://{shop.domain}/admin/apps",
              "external": True}  # fmt: skip
    return _step("store_connected", connected, "Connect your store", detail, action,
                 state="shopify_connected" if connected else "shopify_not_connected")


def _placement_step(shop: Shop, setup: placement.Setup, connected: bool) -> dict[str, Any]:
    title = "Add the tracking page to your store"
    if setup.answered_at is not None and not setup.found:
        detail = "Shoppers are already looking up their orders on your store's tracking page."
        return _step("tracking_page_placed", True, title, detail, None, state="answered")
    if setup.found:
        return _step("tracking_page_placed", True, title, f"Your tracking page is live ({setup.where}).", None,
                     state="found", params={"where": setup.where or ""})
    if shop.platform == "woocommerce":
        store_url = placement.woocommerce_store_url(shop)
        editor = store_url.rstrip("/") + "/wp-admin/post-new.php?post_type=page"
        action = {"key": "add_page", "label": "Add a tracking page", "url": editor, "external": True}
        detail = ("Add a page with the Order tracking block (or the [afterglow_tracking] shortcode) and publish it, "
                  "so shoppers can follow their orders on your site.")  # fmt: skip
    else:
        api_key = current_app.config["AFTERGLOW"].shopify_api_key
        query = urlencode({"template": "page", "addAppBlockId": f"{api_key}/{placement.APP_BLOCK}",
                           "target": "newAppsSection"})  # fmt: skip
        action = {"key": "add_to_theme", "label": "Add to theme",
                  "url": f"https://{shop.domain}/admin/themes/current/editor?{query}", "external": True}  # fmt: skip
        detail = ("Add the Order tracking block to a page of your live theme (or switch on the Track order embed), "
                  "so shoppers can follow their orders on your store.")  # fmt: skip
    note = None
    if setup.error:
        detail += f" We could not check just now: {setup.error}"
        note = {"key": "check_failed", "params": {"error": setup.error}}
    elif not connected:
        detail += " We can check your store once it is connected."
        note = {"key": "not_connected", "params": {}}
    return _step("tracking_page_placed", False, title, detail, action, state=f"{shop.platform}_missing", note=note)


def _carrier_step(shop: Shop) -> dict[str, Any]:
    sources = list(db.session.scalars(select(CarrierAccount.source).where(CarrierAccount.shop_id == shop.id)
                                      .order_by(CarrierAccount.source)))  # fmt: skip
    title = "Connect your carrier accounts"
    action = {"key": "connect_carrier", "label": "Connect a carrier", "url": "/app/settings?tab=connections",
              "external": False}  # fmt: skip
    if sources:
        names = ", ".join(CARRIER_NAMES.get(source, source) for source in sources)
        return _step("carriers_connected", True, title, f"Your own accounts follow your parcels: {names}.", None,
                     state="own", params={"names": names})
    detail = ("Afterglow's own carrier connections are following your parcels. Connect your own UPS, FedEx, USPS, "
              "DHL or Canada Post account for your negotiated limits and the carrier's full detail.")  # fmt: skip
    return _step("carriers_connected", False, title, detail, action, state="network")


def _notification_step(shop: Shop) -> dict[str, Any]:
    sent = db.session.scalar(select(exists().where(
        Notification.shop_id == shop.id, Notification.status == str(NotificationStatus.SENT))))  # fmt: skip
    title = "Send your first delivery update"
    action = {"key": "set_up_messages", "label": "Set up messages", "url": "/app/settings?tab=messages",
              "external": False}  # fmt: skip
    if sent:
        return _step("first_notification_sent", True, title, "Your shoppers are getting delivery updates.", None,
                     state="sent")
    detail = ("Shoppers get an email when their order ships, is out for delivery, is delivered or is late. Check "
              "the messages and your branding; the first goes out with your next shipment.")  # fmt: skip
    return _step("first_notification_sent", False, title, detail, action, state="not_sent")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
