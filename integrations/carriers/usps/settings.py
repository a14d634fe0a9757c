"""A shop's USPS API credentials (USPS APIs developer portal: an app's consumer key and secret, OAuth 2.0 client
credentials). The app will pass each shop's own; the registry's module-level source reads them from the environment:

    USPS_CLIENT_ID       the app's consumer key (required)
    USPS_CLIENT_SECRET   the app's consumer secret (required)
    USPS_TEST_MODE       1/true/yes to use the USPS test environment (apis-tem.usps.com)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations.errors import IntegrationError

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class USPSSettings:
    client_id: str
    client_secret: str = field(repr=False)
    test_mode: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> USPSSettings:
        """Credentials from the environment; IntegrationError naming the variables that are missing."""
        required = ("USPS_CLIENT_ID", "USPS_CLIENT_SECRET")
        missing = [name for name in required if not (environ.get(name) or "").strip()]
        if missing:
            raise IntegrationError(f"usps credentials missing: set {', '.join(missing)}")
        return cls(
            client_id=environ["USPS_CLIENT_ID"].strip(),
            client_secret=environ["USPS_CLIENT_SECRET"].strip(),
            test_mode=(environ.get("USPS_TEST_MODE") or "").strip().lower() in TRUE_WORDS,
        )

    def to_karrio(self) -> dict[str, Any]:
        """The settings dict `karrio.gateway["usps"].create` takes."""
        return {"client_id": self.client_id, "client_secret": self.client_secret, "test_mode": self.test_mode}


__all__ = ["USPSSettings"]
