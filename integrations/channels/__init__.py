"""Notification delivery channels: the message shapes, and one package per way of handing a message over.

`email.SMTPTransport` (SMTP), `sms.TwilioTransport` (Twilio's Messages API), `klaviyo.KlaviyoTransport`
(Klaviyo events, for the merchant's flows), `webhook.WebhookTransport` (signed POSTs to the merchant's endpoint)
and `local.LocalOutbox` (files a developer can read) all take a canonical message and return a `Receipt`,
raising `DeliveryRefused` when the provider will never accept it (bad address, unsubscribed) and
`RetryableError` when it may later.
"""

from integrations.channels.models import (
    DeliveryRefused,
    EmailMessage,
    EventMessage,
    Message,
    Receipt,
    SmsMessage,
    Transport,
)

__all__ = ["DeliveryRefused", "EmailMessage", "EventMessage", "Message", "Receipt", "SmsMessage", "Transport"]
