"""The REST client of a connected WooCommerce store, built from its stored (encrypted) keys and the app's settings."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import WooCommerceConnection
from integrations.woocommerce.client import WooClient


class NotConnected(LookupError):
    """The shop holds no connected WooCommerce keys."""


def client(
    *, store_url: str, consumer_key: str, consumer_secret: str, attempts: int = 4, timeout: float | None = None
) -> WooClient:
    settings = current_app.config["AFTERGLOW"]
    wait = float(settings.woocommerce_timeout) if timeout is None else min(timeout, float(settings.woocommerce_timeout))
    return WooClient(
        store_url=store_url, consumer_key=consumer_key, consumer_secret=consumer_secret, timeout=wait,
        attempts=attempts,
        verify=settings.woocommerce_ca_bundle or True,
    )  # fmt: skip


def current_connection(*, shop_id: int) -> WooCommerceConnection | None:
    return db.session.scalars(
        select(WooCommerceConnection)
        .where(WooCommerceConnection.shop_id == shop_id, WooCommerceConnection.state == "connected")
        .order_by(WooCommerceConnection.id.desc())
    ).first()


def client_for_connection(connection: WooCommerceConnection, *, attempts: int = 4) -> WooClient:
    if not connection.consumer_key_ciphertext or not connection.consumer_secret_ciphertext:
        raise NotConnected(f"connection {connection.id} holds no keys")
    return client(
        store_url=connection.store_url, consumer_key=crypto.decrypt(connection.consumer_key_ciphertext),
        consumer_secret=crypto.decrypt(connection.consumer_secret_ciphertext), attempts=attempts,
    )  # fmt: skip


def client_for_shop(*, shop_id: int) -> WooClient:
    connection = current_connection(shop_id=shop_id)
    if connection is None:
        raise NotConnected(f"shop {shop_id} is not connected to WooCommerce")
    return client_for_connection(connection)
