"""UPS tracking through karrio's UPS connector (UPS Track API v1, OAuth 2.0 client credentials).

    from integrations.carriers.ups import UPSSettings, UPSSource
    source = UPSSource(UPSSettings(client_id="...", client_secret="...", account_number="..."))  # a shop's own
    source.track([TrackingRequest(carrier="ups", tracking_number="1Z...")], now=now)

`source` (the registry's entry) reads UPS_CLIENT_ID / UPS_CLIENT_SECRET / UPS_ACCOUNT_NUMBER / UPS_TEST_MODE when
it tracks.
"""

from __future__ import annotations

from integrations.carriers.ups.settings import UPSSettings
from integrations.carriers.ups.source import UPSSource

source = UPSSource()

__all__ = ["UPSSettings", "UPSSource", "source"]
