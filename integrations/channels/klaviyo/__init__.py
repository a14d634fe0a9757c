"""Klaviyo events with Klaviyo's own client (`klaviyo-api`): a merchant's Klaviyo flows can then send their own
messages on our milestones ("Afterglow Shipped", "Afterglow Delivered", ...).

`POST /api/events` (JSON:API): the metric named after the milestone, the shopper's profile by email, the
milestone's facts as properties, and our idempotency key as `unique_id`, which Klaviyo uses to drop a repeated
event. The client's own retry loop is turned off: the outbox retries, without holding a worker in `sleep`.

`verify_api_key` checks a private key before it is stored: Get Accounts (`GET /api/accounts`) reads the account
the key belongs to and changes nothing in it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from integrations.channels.models import DeliveryRefused, EventMessage, Message, Receipt
from integrations.errors import RetryableError

METRIC_PREFIX = "Afterglow "


def metric_name(milestone: str) -> str:
    return METRIC_PREFIX + milestone.replace("_", " ").capitalize()


def verify_api_key(api_key: str, *, api_base: str | None = None, timeout: float = 15.0) -> None:
    """DeliveryRefused when Klaviyo refuses the key (401, 403), RetryableError when it does not answer."""
    from klaviyo_api import KlaviyoAPI
    from openapi_client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    client = KlaviyoAPI(api_key, max_retries=1, max_delay=0, test_host=api_base or "")
    try:
        client.Accounts.get_accounts(_request_timeout=timeout)
    except ApiException as exc:
        if exc.status in (401, 403):
            raise DeliveryRefused(f"Klaviyo refused the key ({exc.status})") from None
        raise RetryableError(f"Klaviyo answered {exc.status}") from None
    except HTTPError as exc:
        raise RetryableError(f"Klaviyo unreachable: {type(exc).__name__}") from None


class KlaviyoTransport:
    def __init__(self, *, api_key: str, api_base: str | None = None, timeout: float = 15.0) -> None:
        from klaviyo_api import KlaviyoAPI

        self.timeout = timeout
        self.client = KlaviyoAPI(api_key, max_retries=1, max_delay=0, test_host=api_base or "")

    def __enter__(self) -> KlaviyoTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None

    def send(self, message: Message) -> Receipt:
        from openapi_client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        if not isinstance(message, EventMessage):
            raise DeliveryRefused("Klaviyo carries events only")
        if not message.email:
            raise DeliveryRefused("a Klaviyo event needs the shopper's email for its profile")
        body: dict[str, Any] = {"data": {"type": "event", "attributes": {
            "properties": dict(message.properties),
            "time": message.occurred_at.isoformat(),
            "unique_id": message.idempotency_key,
            "metric": {"data": {"type": "metric", "attributes": {"name": metric_name(message.name)}}},
            "profile": {"data": {"type": "profile", "attributes": {"email": message.email}}},
        }}}  # fmt: skip
        try:
            self.client.Events.create_event(body, _request_timeout=self.timeout)
        except ApiException as exc:
            detail = f"Klaviyo {exc.status}: {(exc.body or exc.reason or '')[:300]}"
            if exc.status in (401, 403, 408, 429) or (exc.status or 500) >= 500:
                raise RetryableError(detail) from exc
            raise DeliveryRefused(detail) from exc
        except HTTPError as exc:
            raise RetryableError(f"Klaviyo unreachable: {type(exc).__name__}: {exc}") from exc
        return Receipt(provider_message_id=message.idempotency_key)
