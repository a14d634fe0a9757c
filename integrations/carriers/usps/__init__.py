"""USPS tracking through karrio's USPS connector (USPS APIs v3, OAuth 2.0 client credentials).

    from integrations.carriers.usps import USPSSettings, USPSSource
    source = USPSSource(USPSSettings(client_id="...", client_secret="..."))  # a shop's own credentials
    source.track([TrackingRequest(carrier="usps", tracking_number="9400...")], now=now)

`source` (the registry's entry) reads USPS_CLIENT_ID / USPS_CLIENT_SECRET / USPS_TEST_MODE when it tracks.
"""

from __future__ import annotations

from integrations.carriers.usps.settings import USPSSettings
from integrations.carriers.usps.source import USPSSource

source = USPSSource()

__all__ = ["USPSSettings", "USPSSource", "source"]
