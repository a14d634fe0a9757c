"""A shop's FedEx API credentials (FedEx Developer Portal project with the Track API: its API key and secret key,
OAuth 2.0 client credentials). A shop may connect its own; the registry's module-level source reads the app's
from the environment:

    FEDEX_API_KEY          the project's API key (required)
    FEDEX_SECRET_KEY       the project's secret key (required)
    FEDEX_ACCOUNT_NUMBER   the shipping account: labels need it, tracking does not (optional)
    FEDEX_TEST_MODE        1/true/yes to use the FedEx sandbox (apis-sandbox.fedex.com)

karrio keeps separate keys for the Track API (`track_api_key`, `track_secret_key`); a project that includes the
Track API uses the same pair for both, so both are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from integrations.carriers.credentials import CarrierSettings, CredentialField


@dataclass(frozen=True)
class FedExSettings(CarrierSettings):
    SOURCE = "fedex"
    FIELDS = (
        CredentialField("api_key", "FEDEX_API_KEY"),
        CredentialField("secret_key", "FEDEX_SECRET_KEY", secret=True),
        CredentialField("account_number", "FEDEX_ACCOUNT_NUMBER", required=False),
        CredentialField("test_mode", "FEDEX_TEST_MODE", required=False, flag=True),
    )

    api_key: str
    secret_key: str = field(repr=False)
    account_number: str | None = None
    test_mode: bool = False

    def to_karrio(self) -> dict[str, Any]:
        return {**super().to_karrio(), "track_api_key": self.api_key, "track_secret_key": self.secret_key}


__all__ = ["FedExSettings"]
