"""The embedded admin: the page Shopify frames (`pages`) and the JSON API it calls (`api`, session-token auth)."""

from app.admin.api import bp as api_bp
from app.admin.pages import bp as page_bp

__all__ = ["api_bp", "page_bp"]
