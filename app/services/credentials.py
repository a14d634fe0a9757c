"""A shop's credentials as its merchant manages them: carrier accounts and the Klaviyo and webhook channels, each
proven by one real call before it is stored, and shown back masked only.

- A carrier account's fields are checked one by one (required, known, flags), then the carrier is asked once with
  them (`integrations.carriers.verification`); only an accepted account is stored, already marked validated.
- A Klaviyo private key is checked with Klaviyo's Get Accounts; a webhook endpoint with a signed test delivery,
  which must be answered 2xx, signed with the new secret that is stored and handed back once.

Refusals are `CredentialsInvalid` with field errors by dotted path (`fields.client_secret`, `api_key`, `url`); a
provider that does not answer is `ProviderUnavailable`. Secrets never appear in errors, listings or logs.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from flask import current_app

from app import crypto
from app.models.types import utcnow
from app.services import carrier_accounts
from app.services.notifications import settings as notification_settings
from integrations.carriers import sources
from integrations.carriers.credentials import mask
from integrations.carriers.verification import CredentialsRefused, verify_credentials
from integrations.channels import DeliveryRefused, EventMessage
from integrations.channels.klaviyo import verify_api_key
from integrations.channels.webhook import WebhookTransport
from integrations.errors import IntegrationError, RetryableError

log = logging.getLogger(__name__)
# What a carrier is called on screen, where its source's name does not read as one.
CARRIER_NAMES = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl_express": "DHL Express",
                 "canadapost": "Canada Post", "easypost": "EasyPost"}  # fmt: skip


class CredentialsInvalid(ValueError):
    def __init__(self, message: str, fields: Mapping[str, str]) -> None:
        super().__init__(message)
        self.fields = dict(fields)


class ProviderUnavailable(RuntimeError):
    """The carrier or channel did not answer: nothing is known about the credentials, nothing was stored."""


def overview(*, shop_id: int) -> dict[str, Any]:
    """What the connections screen shows: carriers one can connect (and their fields), the shop's accounts, its
    channels. Masked."""
    carriers = []
    for source in sources.credential_sources():
        kind = sources.settings_type(source)
        assert kind is not None  # credential_sources lists only sources that take credentials
        carriers.append({
            "source": source, "name": CARRIER_NAMES.get(source, source),
            "fields": [{"name": f.name, "required": f.required, "secret": f.secret, "flag": f.flag, "help": f.help}
                       for f in kind.FIELDS],
        })  # fmt: skip
    accounts = [account_document(view) for view in carrier_accounts.list_accounts(shop_id=shop_id)]
    return {"carriers": carriers, "accounts": accounts, "channels": channels(shop_id=shop_id)}


def account_document(view: carrier_accounts.AccountView) -> dict[str, Any]:
    return {
        "source": view.source, "name": CARRIER_NAMES.get(view.source, view.source), "fields": view.fields,
        "connected_at": view.created_at.isoformat(), "updated_at": view.updated_at.isoformat(),
        "validated_at": view.validated_at.isoformat() if view.validated_at else None, "last_error": view.last_error,
    }  # fmt: skip


def channels(*, shop_id: int) -> dict[str, Any]:
    stored = (notification_settings.get_settings(shop_id=shop_id).get("connections") or {})
    klaviyo, webhook = stored.get("klaviyo"), stored.get("webhook")
    return {
        "klaviyo": {"connected": bool(klaviyo),
                    "api_key": mask(crypto.decrypt(klaviyo["api_key_ciphertext"])) if klaviyo else None},
        "webhook": {"connected": bool(webhook), "url": webhook["url"] if webhook else None},
    }  # fmt: skip


def connect_carrier(*, shop_id: int, source: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Check `fields`, ask the carrier, store the account (validated now) and commit. Returns it, masked."""
    kind = sources.settings_type(source) if source in sources.credential_sources() else None
    if kind is None:
        raise LookupError(source)
    errors: dict[str, str] = {}
    known = {f.name for f in kind.FIELDS}
    for name, value in fields.items():
        if name not in known:
            errors[f"fields.{name}"] = f"{source} has no field {name}"
        elif not isinstance(value, str | bool):
            errors[f"fields.{name}"] = "must be text"
    for f in kind.FIELDS:
        if f.required and not str(fields.get(f.name) or "").strip():
            errors[f"fields.{f.name}"] = "required"
    if errors:
        raise CredentialsInvalid("some fields are missing or unknown", errors)
    typed = {name: _text(value) for name, value in fields.items()}
    try:
        settings = kind.from_fields(typed)
    except IntegrationError as exc:  # a flag that is not one of the words
        name = next((f.name for f in kind.FIELDS if f.name in str(exc)), kind.FIELDS[0].name)
        raise CredentialsInvalid(str(exc), {f"fields.{name}": str(exc)}) from None
    try:
        verify_credentials(source, settings, now=utcnow())
    except CredentialsRefused as exc:
        log.info("carrier refused credentials", extra={"shop_id": shop_id, "source": source})
        raise CredentialsInvalid(f"{CARRIER_NAMES.get(source, source)} refused these credentials",
                                 {f"fields.{exc.field}": str(exc)}) from None  # fmt: skip
    except RetryableError as exc:
        raise ProviderUnavailable(f"{CARRIER_NAMES.get(source, source)} did not answer: {exc}") from None
    view = carrier_accounts.connect_account(shop_id=shop_id, source=source, fields=settings.to_fields())
    carrier_accounts.record_answer(account_id=view.id, now=utcnow())
    found = next(v for v in carrier_accounts.list_accounts(shop_id=shop_id) if v.source == source)
    return account_document(found)


def connect_klaviyo(*, shop_id: int, api_key: Any) -> dict[str, Any]:
    key = str(api_key or "").strip() if isinstance(api_key, str) else ""
    if not key.startswith("pk_"):
        raise CredentialsInvalid("Klaviyo needs a private API key", {"api_key": "a private API key starts with pk_"})
    try:
        verify_api_key(key, api_base=current_app.config["AFTERGLOW"].klaviyo_api_base)
    except DeliveryRefused:
        log.info("klaviyo refused a key", extra={"shop_id": shop_id})
        raise CredentialsInvalid("Klaviyo refused this key", {"api_key": "Klaviyo refused this key"}) from None
    except RetryableError as exc:
        raise ProviderUnavailable(str(exc)) from None
    notification_settings.connect(shop_id=shop_id, channel="klaviyo", api_key=key)
    return channels(shop_id=shop_id)


def connect_webhook(*, shop_id: int, url: Any) -> tuple[dict[str, Any], str]:
    """Send a signed test delivery to `url` with a new secret; store both once it is answered 2xx. Returns the
    channels and the secret (to show once)."""
    address = url.strip() if isinstance(url, str) else ""
    try:
        notification_settings.check_webhook_url(address)
    except notification_settings.SettingsError as exc:
        raise CredentialsInvalid(str(exc), {"url": str(exc)}) from None
    secret = notification_settings.new_webhook_secret()
    test = EventMessage(name="test", idempotency_key=f"test:{uuid.uuid4().hex}", occurred_at=utcnow(),
                        properties={"test": True, "message": "Afterglow is checking this endpoint"})  # fmt: skip
    try:
        with WebhookTransport(url=address, secret=secret) as transport:
            transport.send(test)
    except (DeliveryRefused, RetryableError) as exc:
        reason = f"{exc}: it must answer a signed test delivery with 2xx"
        raise CredentialsInvalid("the endpoint did not accept a test delivery", {"url": reason}) from None
    notification_settings.connect(shop_id=shop_id, channel="webhook", url=address, secret=secret)
    return channels(shop_id=shop_id), secret


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
