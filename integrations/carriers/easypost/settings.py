"""An EasyPost account's API key, and where its API lives. A shop may connect its own account (its API key, the one
field a merchant types); the registry's module-level source reads the app's from the environment:

    EASYPOST_API_KEY    the account's API key: a test key (EZTK...) or a production key (EZAK...) (required)
    EASYPOST_API_BASE   the API's base URL with its version (default https://api.easypost.com/v2): the local fake's
                        address in tests and the demo
    EASYPOST_TIMEOUT    seconds to wait for an answer (default 20): a worker must not hang on one parcel
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from integrations.carriers.credentials import CarrierSettings, CredentialField
from integrations.errors import IntegrationError

DEFAULT_API_BASE = "https://api.easypost.com/v2"
DEFAULT_TIMEOUT = 20


@dataclass(frozen=True)
class EasyPostSettings(CarrierSettings):
    SOURCE = "easypost"
    FIELDS = (CredentialField("api_key", "EASYPOST_API_KEY", secret=True, help="a production (EZAK...) or test key"),)

    api_key: str = field(repr=False)
    api_base: str = DEFAULT_API_BASE
    timeout: int = DEFAULT_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> EasyPostSettings:
        """Settings from the environment; IntegrationError naming what is missing or malformed."""
        api_key = (environ.get("EASYPOST_API_KEY") or "").strip()
        if not api_key:
            raise IntegrationError("easypost credentials missing: set EASYPOST_API_KEY")
        timeout = (environ.get("EASYPOST_TIMEOUT") or "").strip()
        if timeout and not timeout.isdigit():
            raise IntegrationError(f"EASYPOST_TIMEOUT must be whole seconds, got {timeout!r}")
        return cls(
            api_key=api_key,
            api_base=(environ.get("EASYPOST_API_BASE") or "").strip().rstrip("/") or DEFAULT_API_BASE,
            timeout=int(timeout) if timeout else DEFAULT_TIMEOUT,
        )


__all__ = ["DEFAULT_API_BASE", "EasyPostSettings"]
