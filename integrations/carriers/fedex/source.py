"""The FedEx tracking source: the shared karrio source (`karrio_tracking.KarrioTrackingSource`) on karrio's FedEx
connector (Track API v1), which tells failures apart as described there. FedEx's own:

- a rejection of the credentials (`NOT.AUTHORIZED.ERROR` from the token or track call, `FORBIDDEN.ERROR`, 401,
  403) -> `IntegrationError`;
- `TRACKING.TRACKINGNUMBER.NOTFOUND` (and any other error for the number) -> `found=False` with FedEx's words;
- FedEx's "try later" codes (`SERVICE.UNAVAILABLE.ERROR`, `INTERNAL.SERVER.ERROR`) -> `RetryableError`, like a
  429/5xx karrio hands over or words such as "too many requests";
- for a delivered parcel karrio also asks FedEx for the signature proof of delivery; that second call is
  best-effort inside karrio and never fails the update.
"""

from __future__ import annotations

from integrations.carriers.fedex.mapping import MAPPING
from integrations.carriers.fedex.settings import FedExSettings
from integrations.carriers.karrio_tracking import HTTP_AUTH_CODES, KarrioTrackingSource


class FedExSource(KarrioTrackingSource[FedExSettings]):
    """`track()` for FedEx. Construct with a shop's `FedExSettings`; without them, FEDEX_API_KEY /
    FEDEX_SECRET_KEY / FEDEX_ACCOUNT_NUMBER / FEDEX_TEST_MODE are read from the environment when `track()` runs."""

    settings_type = FedExSettings
    mapping = MAPPING
    auth_codes = HTTP_AUTH_CODES | {"not.authorized.error", "forbidden.error"}
    retry_codes = frozenset({"service.unavailable.error", "internal.server.error"})


__all__ = ["FedExSource"]
