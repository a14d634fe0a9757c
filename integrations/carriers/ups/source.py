"""The UPS tracking source: the shared karrio source (`karrio_tracking.KarrioTrackingSource`) on karrio's UPS
connector (UPS Track API v1), which tells failures apart as described there. UPS's own:

- an OAuth rejection (250002 "Invalid Authentication Information", 10401 "ClientId is Invalid", 401, 403) ->
  `IntegrationError`;
- an error or a warning for the number (151044 "No tracking information available", "Tracking Information Not
  Found") -> `found=False` with UPS's words; warnings beside tracking details are dropped;
- karrio fetches UPS numbers concurrently and hands an exception of that fetch back as a result: it arrives as
  karrio's internal error and is retryable, like an empty body or a gateway fault (`{"fault": ...}`).
"""

from __future__ import annotations

from integrations.carriers.karrio_tracking import HTTP_AUTH_CODES, KarrioTrackingSource
from integrations.carriers.ups.mapping import MAPPING
from integrations.carriers.ups.settings import UPSSettings


class UPSSource(KarrioTrackingSource[UPSSettings]):
    """`track()` for UPS. Construct with a shop's `UPSSettings`; without them, UPS_CLIENT_ID / UPS_CLIENT_SECRET /
    UPS_ACCOUNT_NUMBER / UPS_TEST_MODE are read from the environment when `track()` runs."""

    settings_type = UPSSettings
    mapping = MAPPING
    auth_codes = HTTP_AUTH_CODES | {"250002", "10401"}


__all__ = ["UPSSource"]
