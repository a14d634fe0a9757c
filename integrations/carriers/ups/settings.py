"""A shop's UPS API credentials (UPS Developer Portal app: OAuth 2.0 client credentials). A shop may connect its
own; the registry's module-level source reads the app's from the environment:

    UPS_CLIENT_ID        the app's client id (required)
    UPS_CLIENT_SECRET    the app's client secret (required)
    UPS_ACCOUNT_NUMBER   the shipper account number: labels and returns need it, tracking does not (optional)
    UPS_TEST_MODE        1/true/yes to use the UPS customer integration environment (wwwcie.ups.com)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.carriers.credentials import CarrierSettings, CredentialField


@dataclass(frozen=True)
class UPSSettings(CarrierSettings):
    SOURCE = "ups"
    FIELDS = (
        CredentialField("client_id", "UPS_CLIENT_ID"),
        CredentialField("client_secret", "UPS_CLIENT_SECRET", secret=True),
        CredentialField("account_number", "UPS_ACCOUNT_NUMBER", required=False),
        CredentialField("test_mode", "UPS_TEST_MODE", required=False, flag=True),
    )

    client_id: str
    client_secret: str = field(repr=False)
    account_number: str | None = None
    test_mode: bool = False


__all__ = ["UPSSettings"]
