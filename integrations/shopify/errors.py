"""What can go wrong talking to a Shopify store, typed so callers decide between retrying, giving up, and fixing.

`RetryableError` (integrations.errors): throttled past our patience, 5xx, timeouts. `AuthenticationError`: the
store refuses our token and a refresh did not help. The rest are permanent for the request as sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from integrations.errors import IntegrationError, RetryableError


@dataclass(frozen=True)
class UserError:
    """One entry of a mutation's `userErrors`: the input field path at fault and Shopify's message."""

    field: tuple[str, ...]
    message: str
    code: str | None = None

    def __str__(self) -> str:
        return f"{'.'.join(self.field) or '(input)'}: {self.message}"


class ShopifyUserError(IntegrationError):
    """A mutation ran and refused its input (`userErrors`). Sending the same input again gets the same answer."""

    def __init__(self, operation: str, errors: Sequence[UserError]) -> None:
        self.operation = operation
        self.errors = tuple(errors)
        super().__init__(f"{operation}: " + "; ".join(str(error) for error in self.errors))


class ShopifyGraphQLError(IntegrationError):
    """Top-level GraphQL `errors` (a malformed query, an invalid variable, a missing field): a bug or a schema
    change on our side, not something a retry fixes."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("; ".join(self.messages) or "GraphQL error")


class ShopifyAccessError(IntegrationError):
    """HTTP 402 (store frozen for payment), 403 (missing scope), 404 (no such store) or 423 (store locked)."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class ShopifyUncertainWrite(RetryableError):
    """A mutation got no answer (timeout, dropped connection) or a 5xx: Shopify may have applied it or not. It is
    not resent blindly; the caller looks for its effect before sending it again."""
