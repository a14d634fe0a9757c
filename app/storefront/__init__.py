"""Shopper-facing pages. For now: unsubscribing from notifications."""

from app.storefront.unsubscribe import bp

__all__ = ["bp"]
