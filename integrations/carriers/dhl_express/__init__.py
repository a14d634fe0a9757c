"""DHL Express tracking through karrio's DHL Express connector (XML Services, site id and password).

    from integrations.carriers.dhl_express import DHLExpressSettings, DHLExpressSource
    source = DHLExpressSource(DHLExpressSettings(site_id="...", password="..."))  # a shop's own credentials
    source.track([TrackingRequest(carrier="dhl", tracking_number="3180831640")], now=now)

`source` (the registry's entry, named `dhl_express` like karrio's connector; the carrier code is `dhl`) reads
DHL_EXPRESS_SITE_ID / DHL_EXPRESS_PASSWORD / DHL_EXPRESS_ACCOUNT_NUMBER / DHL_EXPRESS_TEST_MODE when it tracks.
"""

from __future__ import annotations

from integrations.carriers.dhl_express.settings import DHLExpressSettings
from integrations.carriers.dhl_express.source import DHLExpressSource

source = DHLExpressSource()

__all__ = ["DHLExpressSettings", "DHLExpressSource", "source"]
