"""The Canada Post tracking source: the shared karrio source (`karrio_tracking.KarrioTrackingSource`) on karrio's
Canada Post connector (VIS `GET /vis/track/pin/<pin>/detail`), which tells failures apart as described there.
Canada Post's own:

- `E002` "AAA Authentication Failure" (a wrong username or password), 401, 403 -> `IntegrationError`;
- `004` "No Pin History" (and any other message for the number) -> `found=False` with Canada Post's words;
- karrio hands an HTTP error's body over as the answer: a gateway page or anything else without tracking detail
  or messages -> `RetryableError`.
"""

from __future__ import annotations

from integrations.carriers.canadapost.mapping import MAPPING
from integrations.carriers.canadapost.settings import CanadaPostSettings
from integrations.carriers.karrio_tracking import HTTP_AUTH_CODES, KarrioTrackingSource


class CanadaPostSource(KarrioTrackingSource[CanadaPostSettings]):
    """`track()` for Canada Post. Construct with a shop's `CanadaPostSettings`; without them, CANADAPOST_USERNAME /
    CANADAPOST_PASSWORD / CANADAPOST_CUSTOMER_NUMBER / CANADAPOST_TEST_MODE are read when `track()` runs."""

    settings_type = CanadaPostSettings
    mapping = MAPPING
    connector = "canadapost"
    auth_codes = HTTP_AUTH_CODES | {"e002"}


__all__ = ["CanadaPostSource"]
