"""The EasyPost tracking source: one tracker per parcel through the `easypost` client.

Polling is creating: EasyPost answers `POST /trackers` for a tracking code and carrier it already follows with the
tracker it has, so a poll never needs the tracker's id. Failures are told apart by the client's errors:
- a timeout, a connection failure, a 429, a 5xx, or an answer that is not EasyPost's JSON -> `RetryableError`;
- a rejected API key (401, 403) or a billing refusal (402) -> `IntegrationError`: retrying will not help;
- a refused tracking code (400, 404, 422: "only test tracking numbers are valid", an unknown carrier) ->
  `found=False` with EasyPost's words: a parcel EasyPost cannot follow is data.

A shop's own account (`with_settings`) keeps the API's address and timeout the environment gives, so a local fake
of the API serves it too; `verify_credentials` asks for one page of the account's trackers, which costs nothing and
creates nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

# The client's package re-exports these without declaring it, so strict typing wants their own modules.
from easypost.easypost_client import EasyPostClient
from easypost.errors.api.api_error import ApiError
from easypost.errors.api.forbidden_error import ForbiddenError
from easypost.errors.api.http_error import HttpError
from easypost.errors.api.json_error import JsonError
from easypost.errors.api.payment_error import PaymentError
from easypost.errors.api.rate_limit_error import RateLimitError
from easypost.errors.api.timeout_error import TimeoutError as RequestTimeout
from easypost.errors.api.unauthorized_error import UnauthorizedError
from easypost.errors.general.easypost_error import EasyPostError

from integrations.carriers.easypost.mapping import to_update
from integrations.carriers.easypost.settings import EasyPostSettings
from integrations.carriers.easypost.units import easypost_carrier
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest, TrackingStatus, TrackingUpdate

log = logging.getLogger(__name__)

REJECTED_CREDENTIALS = (UnauthorizedError, ForbiddenError, PaymentError)
PASSING = (RequestTimeout, HttpError, JsonError, RateLimitError)


class EasyPostSource:
    """`track()` through EasyPost. Construct with an account's `EasyPostSettings`; without them, EASYPOST_API_KEY /
    EASYPOST_API_BASE / EASYPOST_TIMEOUT are read from the environment when `track()` runs."""

    name = "easypost"
    settings_type = EasyPostSettings

    def __init__(self, settings: EasyPostSettings | None = None, *, environ: Mapping[str, str] | None = None,
                 app_address: bool = False) -> None:  # fmt: skip
        self._settings = settings
        self._environ = environ
        self._app_address = app_address  # the account's key, at the API address and timeout the environment sets
        self._clients: dict[EasyPostSettings, EasyPostClient] = {}
        self._lock = threading.Lock()

    def settings(self) -> EasyPostSettings:
        environ = os.environ if self._environ is None else self._environ
        if self._settings is not None and self._app_address:
            try:  # read when asked: the source is kept per account, the address may change (a test's fake)
                app_wide = EasyPostSettings.from_env({**environ, "EASYPOST_API_KEY": self._settings.api_key})
            except IntegrationError:  # a malformed timeout in the environment: the account's settings as given
                return self._settings
            return replace(self._settings, api_base=app_wide.api_base, timeout=app_wide.timeout)
        if self._settings is not None:
            return self._settings
        return EasyPostSettings.from_env(environ)

    def with_settings(self, settings: EasyPostSettings) -> EasyPostSource:
        """The source on a shop's own API key, at the API address (and with the timeout) the environment sets."""
        return EasyPostSource(settings, environ=self._environ, app_address=True)

    def verify_credentials(self) -> None:
        """Ask for one page of the account's trackers: IntegrationError when EasyPost refuses the key,
        RetryableError when it does not answer."""
        try:
            self.client(self.settings()).tracker.all(page_size=1)
        except REJECTED_CREDENTIALS as exc:
            raise IntegrationError(f"easypost rejected the API key: {_words(exc)}") from exc
        except EasyPostError as exc:
            raise RetryableError(f"easypost did not answer: {exc}") from exc

    def client(self, settings: EasyPostSettings) -> EasyPostClient:
        """One client per account, kept: it holds the HTTP session (and its connection pool)."""
        with self._lock:
            if settings not in self._clients:
                self._clients[settings] = EasyPostClient(
                    settings.api_key, api_base=settings.api_base, timeout=settings.timeout
                )
            return self._clients[settings]

    def track(self, requests: Sequence[TrackingRequest], *, now: datetime) -> list[TrackingUpdate]:
        # `now` is the caller's clock; scans carry their own times, so nothing here depends on it.
        client = self.client(self.settings())
        return [self.track_one(client, request) for request in requests]

    def track_one(self, client: EasyPostClient, request: TrackingRequest) -> TrackingUpdate:
        params: dict[str, Any] = {"tracking_code": request.tracking_number}
        if carrier := easypost_carrier(request.carrier):
            params["carrier"] = carrier
        try:
            tracker = client.tracker.create(**params)
        except REJECTED_CREDENTIALS as exc:
            raise IntegrationError(f"easypost rejected the API key: {_words(exc)}") from exc
        except ApiError as exc:
            status = exc.http_status or 0
            if isinstance(exc, PASSING) or status == 408 or status >= 500 or not status:
                raise RetryableError(f"easypost tracking failed: {_words(exc)}") from exc
            log.debug("easypost refused a tracking code", extra={"http_status": status, "code": exc.code})
            return TrackingUpdate(carrier=request.carrier, tracking_number=request.tracking_number,
                                  status=TrackingStatus.UNKNOWN, found=False, messages=(_words(exc),))  # fmt: skip
        except EasyPostError as exc:  # the client's own failures outside an HTTP answer
            raise RetryableError(f"easypost tracking failed: {exc}") from exc
        return to_update(tracker.to_dict(), request)


def _words(exc: ApiError) -> str:
    return str(exc.message or exc.code or type(exc).__name__)


__all__ = ["EasyPostSource"]
