"""Getting and renewing a store's offline access token, through shopifyapp (Shopify's package).

Token exchange (an App Bridge session token for an offline token) and the refresh grant both POST to
`https://{shop}/admin/oauth/access_token`. Offline tokens we ask for expire (60 minutes) and come with a refresh
token; Shopify rotates the refresh token on every use and refuses the old one afterwards, so the caller must
persist what `refresh` returns before using it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from shopify_app import IdTokenDetails, TokenExchangeAccessToken, TokenExchangeResult
from shopify_app.exchange import token_exchange
from shopify_app.exchange.refresh_token import refresh_access_token

from integrations.errors import AuthenticationError, IntegrationError, RetryableError
from integrations.shopify.http import shop_name


@dataclass(frozen=True)
class IssuedTokens:
    """What the token endpoint granted. The secrets stay out of repr, so logging this object leaks nothing."""

    access_token: str = field(repr=False)
    expires_at: datetime | None  # None: a non-expiring token
    refresh_token: str | None = field(repr=False)
    refresh_token_expires_at: datetime | None
    scopes: str = ""


class TokenIssuer:
    """The app's side of Shopify's token endpoint. `http` is the client every call goes through (timeouts, and in
    tests and the demo a transport that sends `*.myshopify.com` to a local fake)."""

    def __init__(self, *, client_id: str, client_secret: str, http: httpx.Client) -> None:
        self._config = {"client_id": client_id, "client_secret": client_secret, "old_client_secret": None}
        self._http = http

    def __repr__(self) -> str:
        return f"<TokenIssuer client_id={self._config['client_id']}>"

    def exchange(self, *, id_token: str, claims: Mapping[str, Any]) -> IssuedTokens:
        """An expiring offline token for the store named in a *verified* session token's `dest` claim."""
        details = IdTokenDetails(exchangeable=True, token=id_token, claims=dict(claims))
        result = token_exchange("offline", self._config, id_token=details, expiring=True, http_client=self._http)  # type: ignore[arg-type]
        return _issued(result, "token exchange")

    def refresh(self, *, shop_domain: str, refresh_token: str) -> IssuedTokens:
        """New access and refresh tokens. We decide when to refresh (our clock and margin), so the expiries are
        left empty: shopifyapp would otherwise skip a refresh it judges early by the wall clock."""
        current = {
            "shop": shop_name(shop_domain), "refresh_token": refresh_token, "expires": "",
            "refresh_token_expires": "", "access_mode": "offline",
        }  # fmt: skip
        result = refresh_access_token(current, self._config, http_client=self._http)  # type: ignore[arg-type]
        return _issued(result, "token refresh")


def _issued(result: TokenExchangeResult, what: str) -> IssuedTokens:
    token: TokenExchangeAccessToken | None = result.access_token
    if result.ok and token is not None and token.token:
        return IssuedTokens(
            access_token=token.token,
            expires_at=_when(token.expires),
            refresh_token=token.refresh_token or None,
            refresh_token_expires_at=_when(token.refresh_token_expires),
            scopes=token.scope or "",
        )
    code = result.log.code
    if code in ("invalid_grant", "invalid_client", "invalid_subject_token", "refresh_token_expired"):
        raise AuthenticationError(f"{what} refused by Shopify ({code}): the store must be connected again")
    if code in ("network_error", "server_error", "rate_limited") or result.response.status >= 500:
        raise RetryableError(f"{what} failed ({code})")
    raise IntegrationError(f"{what} failed ({code}): {result.log.detail}")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
