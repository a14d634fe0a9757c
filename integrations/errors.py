"""Typed errors of the integration layer.

Transport failures and malformed input raise; a carrier's "not found" is data, not an exception.
"""

from __future__ import annotations


class IntegrationError(Exception):
    """Base class for every error raised by `integrations`."""


class UnknownIntegration(IntegrationError, LookupError):
    """No platform, carrier source or channel is registered under that name."""


class SignatureError(IntegrationError):
    """A signed request's signature is missing, wrong or stale. `missing` tells the first apart (400 vs 401)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


class WebhookVerificationError(SignatureError):
    """The delivery's signature is missing or wrong. `missing` tells the two apart (400 vs 401)."""


class MappingError(IntegrationError, ValueError):
    """The payload cannot be normalised into the canonical model; the message says which field and why."""


class RetryableError(IntegrationError):
    """A timeout, a 429 or a 5xx: the same call may succeed later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthenticationError(IntegrationError):
    """The platform refuses our credentials (token revoked or expired past refreshing, app uninstalled): calling
    again will not help until the store is connected again."""
