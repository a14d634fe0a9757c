"""Connecting a WooCommerce store through wc-auth, and disconnecting it.

1. `start_connection`: the merchant typed the store's address; a pending connection is stored under an unguessable
   state token (kept as its SHA-256), which travels as wc-auth's `user_id`.
2. `accept_callback`: the store POSTs the keys it created. They are confirmed by reading the store's orders, the
   store is registered with a webhook secret of its own (ingress knows it at once), the order webhooks are created
   over REST with that secret, and the keys are stored encrypted. Anything wrong is refused with a reason; the
   store then deletes the keys it created, so nothing is left half-connected.
3. `complete_return`: the merchant's browser comes back with the state; it signs in once.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import current_app
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import Shop, WooCommerceConnection
from app.models.types import utcnow
from app.services import shop_keys, woocommerce_api
from app.services.shops import find_shop, register_woocommerce_shop
from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.woocommerce.client import WooClient
from integrations.woocommerce.webhooks import shop_domain

log = logging.getLogger(__name__)

APP_NAME = "Afterglow"
SCOPE = "read_write"
TOPICS = ("order.created", "order.updated", "order.deleted", "order.restored")
CALLBACK_CALL_TIMEOUT = 8.0


class StoreUrlError(ValueError):
    """The address typed is not a usable store URL; the message is for the form's field."""


class ConnectRefused(Exception):
    """A callback or return we do not accept: `status` (4xx) and a reason the store or the merchant sees."""

    def __init__(self, reason: str, *, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def parse_store_url(raw: str, *, allow_http: bool) -> tuple[str, str]:
    """(store_url, domain) from what a merchant types: `shop.example`, `https://shop.example/store/`."""
    text = (raw or "").strip()
    if not text:
        raise StoreUrlError("Enter the address of your store, for example https://shop.example")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise StoreUrlError("That is not a web address") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or parts.username or parts.query or parts.fragment:
        raise StoreUrlError("Enter the address of your store's home page, like https://shop.example")
    if not _is_host_name(parts.hostname):
        raise StoreUrlError("That is not a web address")
    if scheme == "http" and not allow_http:
        raise StoreUrlError("Your store must use https: enter its https:// address")
    store_url = f"{scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    domain = shop_domain({"X-WC-Webhook-Source": store_url + "/"})
    if domain is None:
        raise StoreUrlError("That is not a web address")
    return store_url, domain


_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def _is_host_name(host: str) -> bool:
    """An IP address or a DNS name (IDN allowed): the wc-auth redirect and every REST call carry it."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:  # a label empty or longer than 63 characters, or not a name at all
        return False
    return len(ascii_host) <= 253 and all(_LABEL.fullmatch(label) for label in ascii_host.split("."))


def start_connection(*, store_url: str, app_url: str) -> tuple[WooCommerceConnection, str, str]:
    """A pending connection; returns it, its state token (for the browser's cookie) and the wc-auth URL."""
    settings = current_app.config["AFTERGLOW"]
    url, domain = parse_store_url(store_url, allow_http=settings.env == "development")
    state = secrets.token_urlsafe(32)
    connection = WooCommerceConnection(
        domain=domain, store_url=url, state_digest=digest(state), state="pending", webhook_ids=[],
        state_expires_at=utcnow() + timedelta(seconds=settings.woocommerce_connect_ttl),
    )  # fmt: skip
    db.session.add(connection)
    db.session.commit()
    query = urlencode({
        "app_name": APP_NAME, "scope": SCOPE, "user_id": state,
        "return_url": f"{app_url}/connect/woocommerce/return",
        "callback_url": f"{app_url}/connect/woocommerce/callback",
    })  # fmt: skip
    log.info("woocommerce connection started", extra={"connection_id": connection.id})
    return connection, state, f"{url}/wc-auth/v1/authorize?{query}"


def accept_callback(*, body: Any, app_url: str) -> Shop:
    """The keys the store created. Returns the connected shop; raises `ConnectRefused` (and records why)."""
    if not isinstance(body, Mapping):
        raise ConnectRefused("expected a JSON object")
    state, key, secret = (str(body.get(name) or "") for name in ("user_id", "consumer_key", "consumer_secret"))
    if not state or not key or not secret:
        raise ConnectRefused("user_id, consumer_key and consumer_secret are required")
    connection = _pending(state)
    if str(body.get("key_permissions")) != SCOPE:
        raise _fail(connection, f"the keys must allow read_write, not {body.get('key_permissions')!r}")
    # The store waits 60 s for our answer (wp_safe_remote_post) and then deletes the keys: keep each call short.
    client = woocommerce_api.client(store_url=connection.store_url, consumer_key=key, consumer_secret=secret,
                                    attempts=2, timeout=CALLBACK_CALL_TIMEOUT)  # fmt: skip
    try:
        client.page("orders", page=1, per_page=1)
    except AuthenticationError:
        raise _fail(connection, "the store refused the keys it sent (reading orders)") from None
    except RetryableError:
        raise _fail(connection, "the store's REST API did not answer (wp-json/wc/v3)") from None
    except IntegrationError as exc:
        raise _fail(connection, f"the store's REST API answered an error: {exc}") from None

    # No longer pending before the first commit below releases the row lock: a second callback with the same
    # state (a store retrying) is refused instead of registering a second set of webhooks.
    connection.state = "confirming"
    db.session.commit()
    existing = find_shop(platform="woocommerce", domain=connection.domain)
    webhook_secret = secrets.token_urlsafe(32)
    if existing is not None and existing.webhook_secret_ciphertext:
        webhook_secret = crypto.decrypt(existing.webhook_secret_ciphertext)  # keep its live webhooks verifying
    shop = register_woocommerce_shop(domain=connection.domain, webhook_secret=webhook_secret)
    try:
        hook_ids = _register_webhooks(client, secret=webhook_secret, delivery_url=f"{app_url}/webhooks/woocommerce")
    except IntegrationError as exc:
        if woocommerce_api.current_connection(shop_id=shop.id) is None:
            shop.webhook_secret_ciphertext = None  # a store that never connected accepts no deliveries
            db.session.commit()
            shop_keys.forget(platform="woocommerce", domain=shop.domain)
        raise _fail(connection, f"the store did not accept our webhooks: {exc}") from None

    previous = db.session.scalars(select(WooCommerceConnection).where(
        WooCommerceConnection.shop_id == shop.id, WooCommerceConnection.state == "connected")).all()  # fmt: skip
    stale = {hook_id for old in previous for hook_id in old.webhook_ids}
    stale |= set(_ours_on_store(client, delivery_url=f"{app_url}/webhooks/woocommerce"))
    _delete_webhooks(client, sorted(stale - set(hook_ids)))  # a reconnect's old ones, a re-sent POST's twin
    for old in previous:  # the new keys take over
        old.state, old.consumer_key_ciphertext, old.consumer_secret_ciphertext = "replaced", None, None
    connection.shop_id, connection.state, connection.connected_at = shop.id, "connected", utcnow()
    connection.consumer_key_ciphertext = crypto.encrypt(key)
    connection.consumer_secret_ciphertext = crypto.encrypt(secret)
    connection.key_id, connection.key_permissions = str(body.get("key_id") or "")[:32], SCOPE
    connection.webhook_ids = hook_ids
    shop.uninstalled_at = None
    db.session.commit()
    log.info("woocommerce store connected", extra={"connection_id": connection.id, "shop_id": shop.id})
    return shop


def complete_return(*, state: str, success: bool, browser_state: str | None) -> Shop:
    """The merchant's browser back from the store. Signs in once, and only the browser that started it."""
    connection = db.session.scalars(
        select(WooCommerceConnection).where(WooCommerceConnection.state_digest == digest(state or ""))
    ).first()
    if connection is None or not browser_state or not secrets.compare_digest(digest(browser_state), digest(state)):
        raise ConnectRefused("This link does not match a connection started in this browser", status=403)
    if not success:
        if connection.state == "pending":
            _fail(connection, "the merchant denied access on the store")
        raise ConnectRefused("Access was not approved on your store, so nothing was connected")
    if connection.state != "connected" or connection.shop_id is None:
        raise ConnectRefused(f"Connecting failed: {connection.error or 'the store never sent its keys'}")
    if connection.returned_at is not None:
        raise ConnectRefused("This connection was already used to sign in", status=409)
    connection.returned_at = utcnow()
    db.session.commit()
    shop = db.session.get(Shop, connection.shop_id)
    assert shop is not None
    return shop


def disconnect(*, shop_id: int, app_url: str) -> int:
    """Delete our webhooks on the store (those we created, and any other pointing at us), forget the keys and the
    webhook secret. Best effort on the store's side: a store that is gone must still be disconnectable. Returns how
    many webhooks were deleted."""
    shop = db.session.get(Shop, shop_id)
    connection = woocommerce_api.current_connection(shop_id=shop_id)
    if shop is None or connection is None:
        raise ConnectRefused("This store is not connected", status=404)
    client = woocommerce_api.client_for_connection(connection, attempts=2)
    ours = set(connection.webhook_ids) | set(_ours_on_store(client, delivery_url=f"{app_url}/webhooks/woocommerce"))
    deleted = _delete_webhooks(client, sorted(ours))
    connection.state, connection.consumer_key_ciphertext, connection.consumer_secret_ciphertext = (
        "disconnected", None, None)  # fmt: skip
    shop.webhook_secret_ciphertext = None
    shop.uninstalled_at = utcnow()
    db.session.commit()
    shop_keys.forget(platform="woocommerce", domain=shop.domain)
    log.info("woocommerce store disconnected", extra={"shop_id": shop_id, "webhooks_deleted": deleted})
    return deleted


def _pending(state: str) -> WooCommerceConnection:
    connection = db.session.scalars(
        select(WooCommerceConnection).where(WooCommerceConnection.state_digest == digest(state)).with_for_update()
    ).first()
    if connection is None:
        raise ConnectRefused("unknown user_id: no connection was started with it")
    if connection.state != "pending":
        raise ConnectRefused(f"this connection is already {connection.state}", status=409)
    if connection.state_expires_at <= utcnow():
        raise _fail(connection, "the connection request expired; start again from Afterglow")
    return connection


def _fail(connection: WooCommerceConnection, reason: str) -> ConnectRefused:
    connection.state, connection.error = "failed", reason
    db.session.commit()
    log.info("woocommerce connection refused", extra={"connection_id": connection.id, "reason": reason})
    return ConnectRefused(reason)


def _register_webhooks(client: WooClient, *, secret: str, delivery_url: str) -> list[str]:
    created: list[str] = []
    try:
        for topic in TOPICS:
            hook = client.post("webhooks", {"name": f"{APP_NAME} {topic}", "topic": topic, "status": "active",
                                            "delivery_url": delivery_url, "secret": secret})  # fmt: skip
            created.append(str(hook["id"]))
    except (KeyError, TypeError) as exc:
        _delete_webhooks(client, created)  # none of ours is left behind on a refused connection
        raise IntegrationError("the store answered a webhook without its id") from exc
    except IntegrationError:
        _delete_webhooks(client, created)
        raise
    return created


def _ours_on_store(client: WooClient, *, delivery_url: str) -> list[str]:
    """Webhooks on the store that deliver to us, whoever created them; none when the store cannot list them."""
    try:
        return [str(hook["id"]) for page in client.pages("webhooks") for hook in page.items
                if isinstance(hook, dict) and hook.get("delivery_url") == delivery_url and "id" in hook]  # fmt: skip
    except IntegrationError as exc:
        log.info("woocommerce webhooks not listed", extra={"reason": type(exc).__name__})
        return []


def _delete_webhooks(client: WooClient, ids: list[str]) -> int:
    deleted = 0
    for hook_id in ids:
        try:
            client.delete(f"webhooks/{hook_id}", params={"force": "true"})
            deleted += 1
        except IntegrationError as exc:  # already deleted by the merchant, or the store is gone
            log.info("woocommerce webhook not deleted", extra={"webhook_id": hook_id, "reason": type(exc).__name__})
    return deleted
