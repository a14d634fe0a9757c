"""App Bridge session tokens (ID tokens): who is asking, from which store, proven by the app's client secret.

The embedded admin sends one with every request, as `Authorization: Bearer <token>` on fetches and as the
`id_token` query parameter when Shopify loads the app home. shopify.dev ("Session tokens") lists the checks:
signed HS256 with the app's client secret, `exp` in the future and `nbf` in the past (10 s leeway for clock
skew), `aud` the app's client id, and `iss` and `dest` naming the same store. shopifyapp's `verify_app_home_req`
does the signature, times and audience (trying the previous client secret during a secret rotation); the store
checks are ours, since it takes `dest` on trust.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from shopify_app.verify import verify_app_home_req

from integrations.errors import AuthenticationError
from integrations.shopify.http import SHOP_DOMAIN

REQUIRED_CLAIMS = ("iss", "dest", "aud", "exp", "nbf")
RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request"


class SessionTokenError(AuthenticationError):
    """The token does not prove a request from a store's admin; `code` says which check failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class SessionToken:
    shop_domain: str  # x.myshopify.com
    user_id: str | None  # the staff member (`sub`)
    session_id: str | None  # `sid`
    token: str = field(repr=False)
    claims: Mapping[str, Any] = field(repr=False)


def verify_session_token(token: str, *, api_key: str, secrets: Sequence[str]) -> SessionToken:
    """The verified token, or `SessionTokenError`. `secrets`: the current client secret first, then any previous
    one still accepted while a rotation is under way."""
    current = [secret for secret in secrets if secret]
    if not token or not current:
        raise SessionTokenError("missing", "no session token (or no client secret to check it with)")
    config = {"client_id": api_key, "client_secret": current[0], "old_client_secret": None}
    claims: Mapping[str, Any] | None = None
    code = "invalid_id_token"
    # shopifyapp takes one previous secret; a list is tried a secret at a time, the current one first.
    for secret in current:
        config["client_secret"] = secret
        request = {"method": "GET", "url": "https://app.invalid/", "headers": {"authorization": f"Bearer {token}"}}
        result = verify_app_home_req(request, config, "/auth/patch-id-token")  # type: ignore[arg-type]
        if result.ok and result.id_token is not None:
            claims = result.id_token.claims
            break
        code = result.log.code
        if code == "invalid_aud":  # the signature checked out: another secret cannot change the audience
            break
    if claims is None:
        raise SessionTokenError(code, f"session token refused ({code})")
    return check_claims(token, claims)


def check_claims(token: str, claims: Mapping[str, Any]) -> SessionToken:
    """What shopifyapp leaves to us: every claim present, and `iss` and `dest` the same valid store."""
    missing = [name for name in REQUIRED_CLAIMS if claims.get(name) in (None, "")]
    if missing:
        raise SessionTokenError("missing_claims", f"session token lacks {', '.join(missing)}")
    dest = _host(claims["dest"])
    issuer = _host(claims["iss"])
    if dest is None or not SHOP_DOMAIN.fullmatch(dest):
        raise SessionTokenError("invalid_dest", "session token's dest is not a *.myshopify.com store")
    if issuer != dest:
        raise SessionTokenError("iss_dest_mismatch", "session token's iss and dest name different stores")
    return SessionToken(
        shop_domain=dest,
        user_id=str(claims["sub"]) if claims.get("sub") is not None else None,
        session_id=str(claims["sid"]) if claims.get("sid") is not None else None,
        token=token,
        claims=dict(claims),
    )


def _host(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value if "://" in value else f"https://{value}")
    if parts.scheme != "https" or parts.port is not None or parts.username or parts.password:
        return None
    return (parts.hostname or "").lower() or None


def frame_ancestors(shop_domain: str) -> str:
    """The CSP an embedded page needs: only this store's admin (and Shopify's unified admin) may frame it."""
    return f"frame-ancestors https://{shop_domain} https://admin.shopify.com;"
