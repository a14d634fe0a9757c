"""Canada Post tracking through karrio's Canada Post connector (VIS tracking web service, HTTP basic auth with the
API key's username and password).

    from integrations.carriers.canadapost import CanadaPostSettings, CanadaPostSource
    source = CanadaPostSource(CanadaPostSettings(username="...", password="..."))  # a shop's own credentials
    source.track([TrackingRequest(carrier="canada_post", tracking_number="7023210039414604")], now=now)

`source` (the registry's entry, named `canadapost` like karrio's connector; the carrier code is `canada_post`)
reads CANADAPOST_USERNAME / CANADAPOST_PASSWORD / CANADAPOST_CUSTOMER_NUMBER / CANADAPOST_TEST_MODE when it tracks.
"""

from __future__ import annotations

from integrations.carriers.canadapost.settings import CanadaPostSettings
from integrations.carriers.canadapost.source import CanadaPostSource

source = CanadaPostSource()

__all__ = ["CanadaPostSettings", "CanadaPostSource", "source"]
