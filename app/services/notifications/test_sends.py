""""Send me a test": one journey rendered with sample data and sent at once to the merchant's own address or number.

It goes through the channel shoppers' messages use (the configured SMTP server, Twilio, else the local outbox),
so what arrives is what a shopper would get, subject marked `[Test]`. It is not a notification: no outbox row, no
idempotency key, no consent or quiet hours, nothing counted as a message to a shopper. A store may send
`TESTS_PER_HOUR`, so the button cannot be used to send mail or texts in bulk.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.models import Shop
from app.ratelimit import limiter
from app.services.notifications import locales, rendering, transports
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import BY_NAME
from app.services.notifications.messages import sample_message
from app.services.notifications.settings import get_settings
from integrations.channels import DeliveryRefused
from integrations.errors import IntegrationError, RetryableError

log = logging.getLogger(__name__)
TESTS_PER_HOUR = 10
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


class SendRefused(ValueError):
    """The request cannot be sent as it is: field errors by name (`to`, `template`, `journey`, ...)."""

    def __init__(self, message: str, fields: Mapping[str, str]) -> None:
        super().__init__(message)
        self.fields = dict(fields)


class SendLimited(RuntimeError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"at most {TESTS_PER_HOUR} tests an hour")
        self.retry_after = retry_after


class SendFailed(RuntimeError):
    """The channel did not take the message (the SMTP server or Twilio failed); the reason is safe to show."""


@dataclass(frozen=True)
class SentTest:
    journey: str
    channel: str
    locale: str
    to: str
    via: str  # smtp | twilio | local


def send_test(*, shop: Shop, journey: Any, channel: Any, locale: Any, to: Any, template: Any = None) -> SentTest:
    """Render and send one test now. SendRefused, SendLimited or SendFailed otherwise."""
    errors: dict[str, str] = {}
    if not isinstance(journey, str) or journey not in BY_NAME:
        errors["journey"] = "unknown journey"
    if channel not in ("email", "sms"):
        errors["channel"] = "a test is sent by email or SMS"
    elif "journey" not in errors and channel not in BY_NAME[str(journey)].channels:
        errors["channel"] = f"{journey} is not sent by {channel}"
    address = to.strip() if isinstance(to, str) else ""
    if channel == "email" and not EMAIL.match(address):
        errors["to"] = "enter an email address"
    elif channel == "sms" and not E164.match(address):
        errors["to"] = "enter a mobile number in international format, like +14155550123"
    if errors:
        raise SendRefused("check the highlighted fields", errors)
    settings = get_settings(shop_id=shop.id)
    language = locales.negotiate(locale if isinstance(locale, str) else None,
                                 default=settings["branding"]["default_locale"])  # fmt: skip
    if template is not None:
        try:
            rendering.check_template(journey=journey, channel=channel, locale=language, template=template)
        except rendering.TemplateRefused as exc:
            raise SendRefused(str(exc), {"template": str(exc)}) from None
        settings = {**settings, "templates": {journey: {channel: {language: dict(template)}}}}
    verdict = limiter().hit(f"notification-tests:{shop.id}", limit=TESTS_PER_HOUR, window_seconds=3600)
    if not verdict.allowed:
        raise SendLimited(verdict.retry_after)
    context = sample_context(journey=journey, locale=language, settings=settings, shop=shop)
    try:
        message = sample_message(channel=channel, journey=journey, locale=language, context=context,
                                 settings=settings, address=address)  # fmt: skip
        with transports.open_transport(channel) as transport:
            transport.send(message)
    except rendering.TemplateRefused as exc:
        raise SendRefused(str(exc), {"template": str(exc)}) from None
    except DeliveryRefused as exc:
        raise SendRefused(str(exc), {"to": str(exc)}) from None
    except (RetryableError, IntegrationError) as exc:
        log.warning("test message not sent", extra={"shop_id": shop.id, "channel": channel})
        raise SendFailed(str(exc)) from None
    log.info("test message sent", extra={"shop_id": shop.id, "journey": journey, "channel": channel})
    return SentTest(journey=journey, channel=channel, locale=language, to=address, via=transports.describe(channel))
