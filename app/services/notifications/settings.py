"""A shop's notification settings: branding, journeys, quiet hours and edited templates.

Stored as one JSON document holding only what the merchant changed; `effective` lays it over the defaults, so a
new default (a journey, a language) reaches every shop that did not say otherwise. `update_settings` checks
everything before storing it: unknown journeys or channels, malformed colours and times, and templates that do
not compile or that reach for what the sandbox refuses are turned away with a reason.
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import NotificationSettings, Shop
from app.services.notifications import locales, rendering
from app.services.notifications.journeys import BY_NAME, JOURNEYS

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
LOCAL_HTTP = ("http://127.0.0.1:", "http://localhost:")  # a developer's own receiver, outside production
BRANDING_KEYS = ("name", "logo_url", "accent_color", "support_email", "sender_name", "default_locale")


class SettingsError(ValueError):
    """The change was refused; the message says which field and why."""


def defaults() -> dict[str, Any]:
    return {
        "branding": {"name": None, "logo_url": None, "accent_color": "#2f6f5e", "support_email": None,
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
    production."""
    local = current_app.config["AFTERGLOW"].env != "production" and url.startswith(LOCAL_HTTP)
    if not (url.startswith("https://") or local) or len(url) > 2000:
        raise SettingsError("the webhook endpoint must be an https:// address")


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


def _store(shop_id: int, changes: Mapping[str, Any], *, replace_connection: str | None = None) -> dict[str, Any]:
    row = db.session.get(NotificationSettings, shop_id)
    base = copy.deepcopy(row.document) if row else {}
    if replace_connection:  # a new connection replaces the old one whole (no stale secret left beside a new url)
        base.get("connections", {}).pop(replace_connection, None)
    document = _prune(_merge(base, changes))
    result = effective(document)
    validate(result)
    if row is None:
        row = NotificationSettings(shop_id=shop_id, document=document)
        db.session.add(row)
    else:
        row.document = document
    db.session.commit()
    return result


def validate(settings: Mapping[str, Any]) -> None:
    unknown = set(settings) - {"branding", "quiet_hours", "journeys", "templates", "connections"}
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
    branding = settings["branding"]
    if set(branding) - set(BRANDING_KEYS):
        raise SettingsError(f"unknown branding fields: {', '.join(sorted(set(branding) - set(BRANDING_KEYS)))}")
    if not COLOUR.match(str(branding.get("accent_color") or "")):
        raise SettingsError("branding.accent_color must be a colour like #2f6f5e")
    if branding.get("default_locale") not in locales.SUPPORTED:
        raise SettingsError(f"branding.default_locale must be one of {', '.join(locales.SUPPORTED)}")
    logo = branding.get("logo_url")
    if logo and not str(logo).startswith("https://"):
        raise SettingsError("branding.logo_url must be an https:// address (mail clients block others)")
    for channel, window in settings["quiet_hours"].items():
        if channel not in ("email", "sms"):
            raise SettingsError(f"quiet_hours: unknown channel {channel!r}")
        if window is not None and not (CLOCK.match(str(window.get("start"))) and CLOCK.match(str(window.get("end")))):
            raise SettingsError(f"quiet_hours.{channel} needs start and end as HH:MM, or null")
    for name, journey in settings["journeys"].items():
        definition = BY_NAME.get(name)
        if definition is None:
            raise SettingsError(f"unknown journey {name!r}")
        extra = set(journey["channels"]) - set(definition.channels)
        if extra:
            raise SettingsError(f"journey {name} cannot send by {', '.join(sorted(extra))}")
        if not isinstance(journey["delay_minutes"], int) or not 0 <= journey["delay_minutes"] <= 60 * 24 * 60:
            raise SettingsError(f"journey {name}: delay_minutes must be a whole number from 0 to 86400")
    for name, by_channel in settings["templates"].items():
        if name not in BY_NAME:
            raise SettingsError(f"templates: unknown journey {name!r}")
        for channel, by_locale in by_channel.items():
            if channel not in ("email", "sms"):
                raise SettingsError(f"templates.{name}: {channel!r} has no template (it carries the facts as data)")
            for locale, template in by_locale.items():
                if locale not in locales.SUPPORTED:
                    raise SettingsError(f"templates.{name}.{channel}: unsupported locale {locale!r}")
                try:
                    rendering.check_template(journey=name, channel=channel, locale=locale, template=template)
                except rendering.TemplateRefused as exc:
                    raise SettingsError(f"templates.{name}.{channel}.{locale}: {exc}") from exc


def _merge(base: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            base[key] = _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _prune(document: dict[str, Any]) -> dict[str, Any]:
    """Drop template entries set to null (back to the default), and the empty branches they leave."""
    templates = document.get("templates") or {}
    for name in list(templates):
        for channel in list(templates[name] or {}):
            by_locale = {k: v for k, v in (templates[name][channel] or {}).items() if v is not None}
            if by_locale:
                templates[name][channel] = by_locale
            else:
                del templates[name][channel]
        if not templates[name]:
            del templates[name]
    return document
