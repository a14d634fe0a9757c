"""The embedded admin: the page Shopify frames (`pages`), the JSON API it calls (`api`, `notifications`,
`settings_api`), both behind
`auth.admin_required`."""

from app.admin.api import bp as api_bp
from app.admin.notifications import bp as notifications_bp
from app.admin.pages import bp as page_bp
from app.admin.settings_api import bp as settings_bp

__all__ = ["api_bp", "notifications_bp", "page_bp", "settings_bp"]
