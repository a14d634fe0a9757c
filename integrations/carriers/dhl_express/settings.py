"""A shop's DHL Express XML Services credentials (the site id and password DHL issues with API access). A shop may
connect its own; the registry's module-level source reads the app's from the environment:

    DHL_EXPRESS_SITE_ID          the site id (required)
    DHL_EXPRESS_PASSWORD         its password (required)
    DHL_EXPRESS_ACCOUNT_NUMBER   the shipping account: labels need it, tracking does not (optional)
    DHL_EXPRESS_TEST_MODE        1/true/yes to use DHL's test endpoint (xmlpitest-ea.dhl.com)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.carriers.credentials import CarrierSettings, CredentialField


@dataclass(frozen=True)
class DHLExpressSettings(CarrierSettings):
    SOURCE = "dhl_express"
    FIELDS = (
        CredentialField("site_id", "DHL_EXPRESS_SITE_ID"),
        CredentialField("password", "DHL_EXPRESS_PASSWORD", secret=True),
        CredentialField("account_number", "DHL_EXPRESS_ACCOUNT_NUMBER", required=False),
        CredentialField("test_mode", "DHL_EXPRESS_TEST_MODE", required=False, flag=True),
    )

    site_id: str
    password: str = field(repr=False)
    account_number: str | None = None
    test_mode: bool = False


__all__ = ["DHLExpressSettings"]
