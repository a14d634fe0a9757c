"""A shop's notification settings: branding, journeys, quiet hours and edited templates.

Stored as one JSON document holding only what the merchant changed; `effective` lays it over the defaults, so a
new default (a journey, a language) reaches every shop that did not say otherwise. `update_settings` checks
everything before storing it (`validation`): unknown journeys or channels, malformed colours and times, and
templates that do not compile or that reach for what the sandbox refuses are turned away, each field with a reason.
"""

from __future__ import annotations

import copy
import ipaddress
import secrets
import socket
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import NotificationSettings, Shop
from app.services.notifications.journeys import JOURNEYS
from app.services.notifications.validation import SettingsError, validate

__all__ = ["SettingsError", "connect", "draft_settings", "effective", "get_settings", "stage_settings",
           "update_settings", "validate"]  # fmt: skip

LOCAL_HTTP = ("http://127.0.0.1:", "http://localhost:")  # a developer's own receiver, outside production


def defaults() -> dict[str, Any]:
    return {
        "branding": {"name": None, "logo_url": None, "accent_color": "#2f6f5e", "text_color": "#202223",
                     "background_color": "#ffffff", "font_family": "theme", "support_email": None,
                     "sender_name": None, "default_locale": "en"},
        # Email may arrive at night (it waits in the inbox); a text at 3 a.m. wakes people up.
        "quiet_hours": {"email": None, "sms": {"start": "21:00", "end": "08:00"}},
        "journeys": {
            journey.name: {
                "enabled": journey.enabled,
                "channels": {channel: channel in journey.default_channels for channel in journey.channels},
                "urgent": journey.urgent,
                "delay_minutes": journey.delay_minutes,
            }
            for journey in JOURNEYS
        },
        "templates": {},
        # Klaviyo and webhook credentials, encrypted; set only through `connect`, never shown.
        "connections": {},
    }  # fmt: skip


def effective(document: Mapping[str, Any] | None) -> dict[str, Any]:
    return _merge(defaults(), document or {})


def load_effective(shop_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The effective settings of several shops in one query."""
    ids = set(shop_ids)
    stored = {
        row.shop_id: row.document
        for row in db.session.scalars(select(NotificationSettings).where(NotificationSettings.shop_id.in_(ids)))
    }
    return {shop_id: effective(stored.get(shop_id)) for shop_id in ids}


def get_settings(*, shop_id: int) -> dict[str, Any]:
    return load_effective([shop_id])[shop_id]


def update_settings(*, shop_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Lay `changes` over what the shop has stored, check the result, store it and commit. Returns the effective
    settings. A `null` template removes the merchant's version, bringing back the default."""
    if db.session.get(Shop, shop_id) is None:
        raise SettingsError(f"no shop {shop_id}")
    if "connections" in changes:
        raise SettingsError("connections are made with `connect` (their secrets are stored encrypted)")
    return _store(shop_id, changes)


def connect(*, shop_id: int, channel: str, url: str | None = None, api_key: str | None = None,
            secret: str | None = None) -> str | None:  # fmt: skip
    """Connect the shop's Klaviyo account (its private API key) or webhook endpoint (a new signing secret, which is
    returned: the merchant needs it to verify deliveries; `secret` when the caller made it, to sign a test delivery
    first). Commits."""
    if db.session.get(Shop, shop_id) is None:
        raise SettingsError(f"no shop {shop_id}")
    made = None
    if channel == "klaviyo":
        if not api_key or not api_key.startswith("pk_"):
            raise SettingsError("Klaviyo needs a private API key (pk_...)")
        connection = {"api_key_ciphertext": crypto.encrypt(api_key)}
    elif channel == "webhook":
        check_webhook_url(url or "")
        made = secret or new_webhook_secret()
        connection = {"url": str(url), "secret_ciphertext": crypto.encrypt(made)}
    else:
        raise SettingsError(f"nothing to connect for {channel!r}")
    _store(shop_id, {"connections": {channel: connection}}, replace_connection=channel)
    return made


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def check_webhook_url(url: str) -> None:
    """SettingsError unless `url` may receive the shop's webhooks: https, or a developer's own receiver outside
    production. In production the host must also resolve to public addresses only, so a store cannot point our
    deliveries (and the test delivery a connection sends) at the network the app runs in."""
    production = current_app.config["AFTERGLOW"].env == "production"
    local = not production and url.startswith(LOCAL_HTTP)
    if not (url.startswith("https://") or local) or len(url) > 2000:
        raise SettingsError("the webhook endpoint must be an https:// address")
    if production and not public_host(urlsplit(url).hostname or ""):
        raise SettingsError("the webhook endpoint must be on the public internet (its address is private or unknown)")


def public_host(host: str, resolve: Callable[..., list[Any]] = socket.getaddrinfo) -> bool:
    """Whether every address `host` resolves to is a public (globally routable) one; False when it resolves to
    none, or to any loopback, private, link-local (cloud metadata), or reserved address."""
    try:
        answers = resolve(host, 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(answer[4][0].split("%")[0]) for answer in answers}
    return bool(addresses) and all(address.is_global for address in addresses)


def disconnect(*, shop_id: int, channel: str) -> bool:
    """Forget the shop's Klaviyo key or webhook endpoint and commit; False when it was not connected. Journeys that
    send on it stop there (the sender finds no connection)."""
    row = db.session.get(NotificationSettings, shop_id)
    if row is None or channel not in (row.document.get("connections") or {}):
        db.session.rollback()
        return False
    _store(shop_id, {}, replace_connection=channel)
    return True


def connection(settings: Mapping[str, Any], channel: str) -> dict[str, str] | None:
    """A connected channel's credentials, decrypted, or None."""
    stored = (settings.get("connections") or {}).get(channel)
    if not stored:
        return None
    return {key.removesuffix("_ciphertext"): crypto.decrypt(value) if key.endswith("_ciphertext") else value
            for key, value in stored.items()}  # fmt: skip


def public(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings without secrets, for people and screens."""
    shown = dict(settings)
    shown["connections"] = {
        channel: {"connected": True, **({"url": stored["url"]} if "url" in stored else {})}
        for channel, stored in (settings.get("connections") or {}).items()
    }
    return shown


def stage_settings(*, shop_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """`update_settings` without the commit, for a caller that stores more in the same transaction (and rolls back
    if any of it is refused). Returns the effective settings."""
    _refuse_connections(changes)
    return _store(shop_id, changes, commit=False)


def draft_settings(*, shop_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The effective settings `changes` would give, checked like a save but stored nowhere (a preview)."""
    _refuse_connections(changes)
    return _laid_over(shop_id, changes)[2]


def _refuse_connections(changes: Mapping[str, Any]) -> None:
    if "connections" in changes:
        raise SettingsError({"connections": "Connections are made on their own, with their credentials encrypted"})


def _laid_over(
    shop_id: int, changes: Mapping[str, Any], replace_connection: str | None = None
) -> tuple[NotificationSettings | None, dict[str, Any], dict[str, Any]]:
    """The stored row, the document `changes` would store, and the effective settings it gives, checked."""
    row = db.session.get(NotificationSettings, shop_id)
    base = copy.deepcopy(row.document) if row else {}
    if replace_connection:  # a new connection replaces the old one whole (no stale secret left beside a new url)
        base.get("connections", {}).pop(replace_connection, None)
    document = _prune(_merge(base, changes))
    result = effective(document)
    validate(result)
    return row, document, result


def _store(shop_id: int, changes: Mapping[str, Any], *, replace_connection: str | None = None,
           commit: bool = True) -> dict[str, Any]:  # fmt: skip
    row, document, result = _laid_over(shop_id, changes, replace_connection)
    if row is None:
        row = NotificationSettings(shop_id=shop_id, document=document)
        db.session.add(row)
    else:
        row.document = document
    if commit:
        db.session.commit()
    return result


def _merge(base: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _prune(document: dict[str, Any]) -> dict[str, Any]:
    """Drop template entries set to null (back to the default), and the empty branches they leave."""
    templates = document.get("templates")
    if not isinstance(templates, dict):
        return document  # not templates at all: validate says so
    for name in list(templates):
        if templates[name] is None:
            templates[name] = {}
        if not isinstance(templates[name], dict):
            continue
        for channel in list(templates[name]):
            by_locale = templates[name][channel] or {}
            if not isinstance(by_locale, dict):
                continue
            by_locale = {k: v for k, v in by_locale.items() if v is not None}
            if by_locale:
                templates[name][channel] = by_locale
            else:
                del templates[name][channel]
        if not templates[name]:
            del templates[name]
    return document
