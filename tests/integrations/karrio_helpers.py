"""Setup shared by the tests of the karrio-backed tracking sources (`test_carrier_<source>`).

Carrier answers reach karrio the way karrio's own tests feed them: `karrio.mappers.<carrier>.proxy.lib.request` is
patched to return the recorded text and the OAuth token is seeded in karrio's cache, so nothing leaves the process.
A test module describes its carrier once (`KarrioCase`) and takes its helpers from it:

    USPS = KarrioCase("usps", NUMBER, NOW, TRACKING_URL, token_key="access|usps", recorded="usps_tracking_....json")
    recorded_answer, track, http_error = USPS.recorded_answer, USPS.track, USPS.http_error
    proxy_request, source = USPS.proxy_request_fixture(), USPS.source_fixture(USPSSource, USPSSettings)
"""

from __future__ import annotations

import io
import urllib.error
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import Message
from typing import Any, TypeVar
from unittest.mock import MagicMock, patch

import karrio.lib as karrio_lib
import pytest

from integrations.carriers.credentials import CarrierSettings
from integrations.carriers.sources import TrackingSource
from integrations.models import TrackingRequest, TrackingUpdate
from tests.integrations.conftest import OWN_FIXTURES, shared_fixture_dir

CLIENT_ID, CLIENT_SECRET = "client_id", "client_secret"
SourceT = TypeVar("SourceT", bound=TrackingSource)


@dataclass(frozen=True)
class KarrioCase:
    """One carrier as its tests see it. `token_key` is the start of the cache key karrio's proxy looks the token up
    under (the credentials follow it); `token_fields` are what that proxy wants in the token beside the usual ones."""

    carrier: str
    number: str
    now: datetime
    tracking_url: str
    token_key: str
    recorded: str  # the recorded answer's file in the shared `carriers` fixtures (or ours, with `own=True`)
    token_fields: Mapping[str, str] = field(default_factory=dict)
    own: bool = False  # the recorded answer is adapted into `tests/fixtures/carriers` rather than shared
    connector: str | None = None  # karrio's name for the carrier when it is not our carrier code

    @property
    def proxy_target(self) -> str:
        return f"karrio.mappers.{self.connector or self.carrier}.proxy.lib.request"


    def recorded_answer(self, name: str | None = None) -> str:
        folder = OWN_FIXTURES / "carriers" if self.own else shared_fixture_dir("carriers")
        return (folder / (name or self.recorded)).read_text(encoding="utf-8")

    def seeded_token_cache(self) -> Any:
        """karrio's cache with an unexpired token under the key the carrier's proxy looks up: no token call is made."""
        expiry = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        token = {"access_token": "access_token", "token_type": "Bearer", "expires_in": "14399", "expiry": expiry}
        token.update(self.token_fields)
        return karrio_lib.Cache(**{f"{self.token_key}|{CLIENT_ID}|{CLIENT_SECRET}": token})

    def proxy_request_fixture(self) -> Callable[[], Iterator[MagicMock]]:
        """A `proxy_request` fixture: karrio's HTTP call for this carrier, patched."""

        @pytest.fixture
        def proxy_request() -> Iterator[MagicMock]:
            with patch(self.proxy_target) as mock:
                yield mock

        return proxy_request

    def source_fixture(
        self, source_type: Callable[..., SourceT], settings_type: type[CarrierSettings]
    ) -> Callable[[], SourceT]:
        """A `source` fixture: the carrier's source with test credentials (its two required fields, whatever the
        carrier calls them) and a seeded token."""

        @pytest.fixture
        def source() -> SourceT:
            first, second = (f.name for f in settings_type.FIELDS[:2])
            settings = settings_type.from_fields({first: CLIENT_ID, second: CLIENT_SECRET})
            return source_type(settings, cache=self.seeded_token_cache())

        return source

    def track(self, source: TrackingSource, number: str | None = None) -> TrackingUpdate:
        request = TrackingRequest(carrier=self.carrier, tracking_number=number or self.number)
        (update,) = source.track([request], now=self.now)
        return update

    def http_error(self, code: int, reason: str) -> urllib.error.HTTPError:
        return urllib.error.HTTPError(self.tracking_url, code, reason, Message(), io.BytesIO(b""))

    def transport_failures(self, *own: Any) -> list[Any]:
        """`(answer, raised)` cases for a `<carrier>_source_raises_retryable_error_on_transport_failures` test: what
        every carrier's call may meet (an HTTP error raised by karrio's request, a gateway's HTML page, an empty body,
        a timeout, a refused connection), then the carrier's `own` error answers (`pytest.param`s)."""
        return [
            pytest.param(None, self.http_error(503, "Service Unavailable"), id="503-raised-by-the-proxy"),
            pytest.param(None, self.http_error(429, "Too Many Requests"), id="429-raised-by-the-proxy"),
            pytest.param("<html><body><h1>503 Service Unavailable</h1></body></html>", None, id="503-html-page"),
            pytest.param("<html><body><h1>429 Too Many Requests</h1></body></html>", None, id="429-html-page"),
            pytest.param("", None, id="empty-body"),
            pytest.param(None, TimeoutError("timed out"), id="timeout"),
            pytest.param(None, urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), id="refused"),
            *own,
        ]


__all__ = ["CLIENT_ID", "CLIENT_SECRET", "KarrioCase"]
