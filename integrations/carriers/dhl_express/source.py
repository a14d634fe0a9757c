"""The DHL Express tracking source: the shared karrio source (`karrio_tracking.KarrioTrackingSource`) on karrio's
DHL Express connector (XML Services `KnownTrackingRequest`), which tells failures apart as described there. DHL's:

- the site id and password travel inside each request; DHL refuses a request it cannot accept with condition
  code 111 (in karrio's recorded answer: a password DHL's schema refuses) -> `IntegrationError`, as a 401/403;
- condition 103 "No Shipments Found" (and any other condition for the number) -> `found=False` with DHL's words;
- a gateway's HTML page or any other body without an `AWBInfo` -> `RetryableError`.
"""

from __future__ import annotations

from integrations.carriers.dhl_express.mapping import MAPPING
from integrations.carriers.dhl_express.settings import DHLExpressSettings
from integrations.carriers.karrio_tracking import HTTP_AUTH_CODES, KarrioTrackingSource


class DHLExpressSource(KarrioTrackingSource[DHLExpressSettings]):
    """`track()` for DHL Express. Construct with a shop's `DHLExpressSettings`; without them, DHL_EXPRESS_SITE_ID /
    DHL_EXPRESS_PASSWORD / DHL_EXPRESS_ACCOUNT_NUMBER / DHL_EXPRESS_TEST_MODE are read when `track()` runs."""

    settings_type = DHLExpressSettings
    mapping = MAPPING
    connector = "dhl_express"
    auth_codes = HTTP_AUTH_CODES | {"111"}


__all__ = ["DHLExpressSource"]
