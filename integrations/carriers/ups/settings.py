"""A shop's UPS API credentials (UPS Developer Portal app: OAuth 2.0 client credentials). The app will pass each
shop's own; the registry's module-level source reads them from the environment:

    UPS_CLIENT_ID        the app's client id (required)
    UPS_CLIENT_SECRET    the app's client secret (required)
    UPS_ACCOUNT_NUMBER   the shipper account number: labels and returns need it, tracking does not (optional)
    UPS_TEST_MODE        1/true/yes to use the UPS customer integration environment (wwwcie.ups.com)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.errors import IntegrationError

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class UPSSettings:
    client_id: str
    client_secret: str = field(repr=False)
    account_number: str | None = None
    test_mode: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> UPSSettings:
        """Credentials from the environment; IntegrationError naming the variables that are missing."""
        required = ("UPS_CLIENT_ID", "UPS_CLIENT_SECRET")
        missing = [name for name in required if not (environ.get(name) or "").strip()]
        if missing:
            raise IntegrationError(f"ups credentials missing: set {', '.join(missing)}")
        return cls(
            client_id=environ["UPS_CLIENT_ID"].strip(),
            client_secret=environ["UPS_CLIENT_SECRET"].strip(),
            account_number=(environ.get("UPS_ACCOUNT_NUMBER") or "").strip() or None,
            test_mode=(environ.get("UPS_TEST_MODE") or "").strip().lower() in TRUE_WORDS,
        )

    def to_karrio(self) -> dict[str, Any]:
        """The settings dict `karrio.gateway["ups"].create` takes."""
        settings: dict[str, Any] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "test_mode": self.test_mode,
        }
        if self.account_number:
            settings["account_number"] = self.account_number
        return settings


__all__ = ["UPSSettings"]
