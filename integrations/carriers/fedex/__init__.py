"""FedEx tracking through karrio's FedEx connector (FedEx Track API v1, OAuth 2.0 client credentials).

    from integrations.carriers.fedex import FedExSettings, FedExSource
    source = FedExSource(FedExSettings(api_key="...", secret_key="..."))  # a shop's own credentials
    source.track([TrackingRequest(carrier="fedex", tracking_number="7384...")], now=now)

`source` (the registry's entry) reads FEDEX_API_KEY / FEDEX_SECRET_KEY / FEDEX_ACCOUNT_NUMBER / FEDEX_TEST_MODE
when it tracks.
"""

from __future__ import annotations

from integrations.carriers.fedex.settings import FedExSettings
from integrations.carriers.fedex.source import FedExSource

source = FedExSource()

__all__ = ["FedExSettings", "FedExSource", "source"]
