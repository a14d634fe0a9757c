"""The USPS tracking source: the shared karrio source (`karrio_tracking.KarrioTrackingSource`) on karrio's USPS
connector (USPS APIs v3), which tells failures apart as described there. USPS's own:

- an OAuth rejection (`invalid_client`, `invalid_grant`, `unauthorized_client`, 401, 403) -> `IntegrationError`;
- "could not locate the tracking information" (a 404) -> `found=False` with USPS's words;
- karrio hands USPS's bare `{"error": {"code", "message"}}` over as a message whose code is that whole dict: it is
  unwrapped before it is classified (a 429 or 503 inside is retryable like any other).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from integrations.carriers.karrio_tracking import HTTP_AUTH_CODES, KarrioTrackingSource
from integrations.carriers.usps.mapping import MAPPING
from integrations.carriers.usps.settings import USPSSettings


class USPSSource(KarrioTrackingSource[USPSSettings]):
    """`track()` for USPS. Construct with a shop's `USPSSettings`; without them, USPS_CLIENT_ID /
    USPS_CLIENT_SECRET / USPS_TEST_MODE are read from the environment when `track()` runs."""

    settings_type = USPSSettings
    mapping = MAPPING
    auth_codes = HTTP_AUTH_CODES | {"invalid_client", "invalid_grant", "unauthorized_client"}

    def message_parts(self, message: Any) -> tuple[str, str]:
        code, text = message.code, message.message
        if isinstance(code, Mapping):
            wrapped: Mapping[str, Any] = code
            code, text = wrapped.get("code"), text or wrapped.get("message")
        return str(code or "").strip(), str(text or "").strip()


__all__ = ["USPSSource"]
