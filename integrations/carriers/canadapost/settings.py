"""A shop's Canada Post web services credentials (the developer program's API key: a username and a password). A
shop may connect its own; the registry's module-level source reads the app's from the environment:

    CANADAPOST_USERNAME          the API key's username (required)
    CANADAPOST_PASSWORD          the API key's password (required)
    CANADAPOST_CUSTOMER_NUMBER   the mailed-by customer number: labels need it, tracking does not (optional)
    CANADAPOST_TEST_MODE         1/true/yes to use the development environment (ct.soa-gw.canadapost.ca)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.carriers.credentials import CarrierSettings, CredentialField


@dataclass(frozen=True)
class CanadaPostSettings(CarrierSettings):
    SOURCE = "canadapost"
    FIELDS = (
        CredentialField("username", "CANADAPOST_USERNAME"),
        CredentialField("password", "CANADAPOST_PASSWORD", secret=True),
        CredentialField("customer_number", "CANADAPOST_CUSTOMER_NUMBER", required=False),
        CredentialField("test_mode", "CANADAPOST_TEST_MODE", required=False, flag=True),
    )

    username: str
    password: str = field(repr=False)
    customer_number: str | None = None
    test_mode: bool = False


__all__ = ["CanadaPostSettings"]
