"""Twilio transport: `client.messages.create(to=, from_= | messaging_service_sid=, body=)`.

Twilio's error codes say whether a refusal is final: 21211 (not a valid number), 21614 (not a mobile number),
21408 (region not enabled) and 21610 (the recipient replied STOP) are; 429, 5xx and wrong credentials (401) are
worth another try.
`api_base` sends the client's requests to another host (a local fake of the API in tests and the demo); the
client's own request building, authentication and error parsing still run.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from integrations.channels.models import DeliveryRefused, Message, Receipt, SmsMessage
from integrations.errors import IntegrationError, RetryableError

TWILIO_API = "https://api.twilio.com"
UNSUBSCRIBED = 21610
FINAL_CODES = frozenset({21211, 21408, 21612, 21614, UNSUBSCRIBED, 30004, 30005, 30006})


class TwilioTransport:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str | None = None,
        messaging_service_sid: str | None = None,
        api_base: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        from twilio.rest import Client

        if not sender and not messaging_service_sid:
            raise IntegrationError("Twilio needs a sender number (TWILIO_FROM) or a messaging service SID")
        self.sender = sender
        self.messaging_service_sid = messaging_service_sid
        self.client = Client(account_sid, auth_token, http_client=_http_client(api_base, timeout))

    def __enter__(self) -> TwilioTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None

    def send(self, message: Message) -> Receipt:
        from requests import RequestException
        from twilio.base.exceptions import TwilioException, TwilioRestException

        if not isinstance(message, SmsMessage):
            raise DeliveryRefused("the Twilio transport carries SMS only")
        options: dict[str, Any] = {"to": message.to, "body": message.body}
        if self.messaging_service_sid and not message.sender:
            options["messaging_service_sid"] = self.messaging_service_sid
        else:
            options["from_"] = message.sender or self.sender
        try:
            created = self.client.messages.create(**options)
        except TwilioRestException as exc:
            detail = f"Twilio {exc.status} (code {exc.code}): {exc.msg}"
            # Wrong credentials are our configuration, not the message: keep it until they are fixed.
            if exc.status in (401, 403):
                raise RetryableError(f"{detail}: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN") from exc
            if exc.code in FINAL_CODES or (400 <= exc.status < 500 and exc.status != 429):
                raise DeliveryRefused(detail, unsubscribed=exc.code == UNSUBSCRIBED) from exc
            raise RetryableError(detail) from exc
        except (RequestException, TwilioException) as exc:
            raise RetryableError(f"Twilio unreachable: {type(exc).__name__}: {exc}") from exc
        return Receipt(provider_message_id=created.sid)


def _http_client(api_base: str | None, timeout: float) -> Any:
    from twilio.http.http_client import TwilioHttpClient

    class RedirectingHttpClient(TwilioHttpClient):  # type: ignore[misc]
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            if api_base and url.startswith(TWILIO_API):
                url = api_base.rstrip("/") + url[len(TWILIO_API) :]
            return super().request(method, url, *args, **kwargs)

    return RedirectingHttpClient(timeout=timeout)
