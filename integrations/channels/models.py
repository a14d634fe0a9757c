"""The messages channels carry, what a provider hands back, and how a refusal is told apart from a hiccup."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from integrations.errors import IntegrationError


@dataclass(frozen=True)
class EmailMessage:
    to: str
    sender: str  # "Name <address>"
    subject: str
    html: str
    text: str
    message_id: str  # stable per notification, so a resend after a crash is recognisably the same message
    reply_to: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # List-Unsubscribe and friends


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164
    body: str
    sender: str | None = None  # a number or alphanumeric id; None lets the transport pick its default


@dataclass(frozen=True)
class EventMessage:
    """A milestone as data, for the merchant's own systems (Klaviyo flows, their webhook endpoint)."""

    name: str  # the milestone: shipped, delivered, ...
    idempotency_key: str  # the receiver's dedupe key: a resend after a crash is recognisably the same event
    occurred_at: datetime
    properties: Mapping[str, Any]  # JSON-ready
    email: str | None = None  # the shopper the event is about (Klaviyo's profile)


Message = EmailMessage | SmsMessage | EventMessage


@dataclass(frozen=True)
class Receipt:
    provider_message_id: str | None = None


class DeliveryRefused(IntegrationError):
    """The provider will never deliver this message as it is: retrying is pointless.

    `unsubscribed` marks refusals that mean the recipient opted out at the provider (Twilio's STOP)."""

    def __init__(self, message: str, *, unsubscribed: bool = False) -> None:
        super().__init__(message)
        self.unsubscribed = unsubscribed


class Transport(Protocol):
    """Hands messages to a provider. Used as a context manager so a batch shares one connection."""

    def send(self, message: Message) -> Receipt: ...

    def __enter__(self) -> Transport: ...

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None: ...
