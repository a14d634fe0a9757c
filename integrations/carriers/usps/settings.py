"""A shop's USPS API credentials (USPS APIs developer portal: an app's consumer key and secret, OAuth 2.0 client
credentials). A shop may connect its own; the registry's module-level source reads the app's from the environment:

    USPS_CLIENT_ID       the app's consumer key (required)
    USPS_CLIENT_SECRET   the app's consumer secret (required)
    USPS_TEST_MODE       1/true/yes to use the USPS test environment (apis-tem.usps.com)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.carriers.credentials import CarrierSettings, CredentialField


@dataclass(frozen=True)
class USPSSettings(CarrierSettings):
    SOURCE = "usps"
    FIELDS = (
        CredentialField("client_id", "USPS_CLIENT_ID", help="consumer key"),
        CredentialField("client_secret", "USPS_CLIENT_SECRET", secret=True, help="consumer secret"),
        CredentialField("test_mode", "USPS_TEST_MODE", required=False, flag=True),
    )

    client_id: str
    client_secret: str = field(repr=False)
    test_mode: bool = False


__all__ = ["USPSSettings"]
