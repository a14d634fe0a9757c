"""The merchant's settings as the admin edits them: one document over two stores of truth.

`branding`, `journeys`, `quiet_hours` and `templates` live in the notification settings document (every message and
the tracking page share one look); `tracking_page` is a handful of per-shop switches (`shop_settings`, which
`flask shops set` also changes). A change may name any of the sections, and any part of one; it is checked whole,
every wrong field named at once, and stored all or nothing. Connections (credentials) are not part of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.extensions import db
from app.models import Shop
from app.services import shop_settings
from app.services.notifications import settings as notification_settings
from app.services.notifications.settings import SettingsError

NOTIFICATION_SECTIONS = ("branding", "journeys", "quiet_hours", "templates")
SECTIONS = ("branding", "tracking_page", "journeys", "quiet_hours", "templates")
BLOCKS = ("estimate", "timeline", "items", "survey")  # the tracking page's blocks, each `show_<block>` in shop_settings
SURVEY_KINDS = ("nps", "ces")

__all__ = ["SECTIONS", "SettingsError", "document", "draft", "update"]


def document(*, shop: Shop) -> dict[str, Any]:
    """The whole document for one shop, defaults filled in."""
    settings = notification_settings.get_settings(shop_id=shop.id)
    return _document(settings, tracking_page(shop))


def tracking_page(shop: Shop, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The tracking page's section: what the shop has, with `changes` (already checked) laid over it."""
    page = {
        "show": {block: shop_settings.get(shop, f"show_{block}") for block in BLOCKS},
        "recommendations": shop_settings.get(shop, "recommendations"),
        "survey_kind": shop_settings.get(shop, "survey_kind"),
    }
    changes = changes or {}
    page["show"].update(changes.get("show") or {})
    page.update({key: value for key, value in changes.items() if key != "show"})
    return page


def update(*, shop_id: int, changes: Any) -> dict[str, Any]:
    """Check `changes` whole and store them in one transaction; SettingsError (with `fields`) refuses them all."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise SettingsError(f"no shop {shop_id}")
    errors, notification_changes = _check_sections(changes)
    settings: dict[str, Any] = {}
    if notification_changes:
        try:
            settings = notification_settings.stage_settings(shop_id=shop_id, changes=notification_changes)
        except SettingsError as exc:
            errors.update(exc.fields or {"settings": str(exc)})
    if errors:
        db.session.rollback()
        raise SettingsError(errors)
    page = changes.get("tracking_page") or {}
    flat = {f"show_{block}": on for block, on in (page.get("show") or {}).items()}
    flat.update({key: value for key, value in page.items() if key != "show"})
    if flat:
        shop_settings.stage(shop, flat)
    db.session.commit()
    return _document(settings or notification_settings.get_settings(shop_id=shop_id), tracking_page(shop))


def draft(*, shop: Shop, changes: Any) -> dict[str, Any]:
    """The document `changes` would give, checked like `update` and stored nowhere (the live preview's)."""
    errors, notification_changes = _check_sections(changes)
    settings: dict[str, Any] = {}
    try:
        settings = notification_settings.draft_settings(shop_id=shop.id, changes=notification_changes)
    except SettingsError as exc:
        errors.update(exc.fields or {"settings": str(exc)})
    if errors:
        raise SettingsError(errors)
    return _document(settings, tracking_page(shop, changes.get("tracking_page")))


def _document(settings: Mapping[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    return {
        "branding": settings["branding"],
        "tracking_page": page,
        "journeys": settings["journeys"],
        "quiet_hours": settings["quiet_hours"],
        "templates": settings["templates"],  # only what the merchant edited: the rest are ours
    }


def _check_sections(changes: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """Field errors in the change's own shape (unknown sections, the tracking page's switches), and the notification
    sections to hand to their module, which checks them."""
    if not isinstance(changes, Mapping):
        raise SettingsError({"settings": "Send the settings as a JSON object"})
    errors: dict[str, str] = {}
    for key in changes:
        if key == "connections":
            errors[key] = "Connections are made on their own page, with their credentials encrypted"
        elif key not in SECTIONS:
            errors[str(key)] = "Unknown setting"
    notification_changes: dict[str, Any] = {}
    for key in NOTIFICATION_SECTIONS:
        if key in changes and isinstance(changes[key], Mapping):
            notification_changes[key] = changes[key]
        elif key in changes:
            errors[key] = "Expected an object"
    if "tracking_page" in changes:
        errors.update(_check_tracking_page(changes["tracking_page"]))
    return errors, notification_changes


def _check_tracking_page(page: Any) -> dict[str, str]:
    if not isinstance(page, Mapping):
        return {"tracking_page": "Expected an object"}
    errors: dict[str, str] = {}
    for key, value in page.items():
        path = f"tracking_page.{key}"
        if key == "show":
            if not isinstance(value, Mapping):
                errors[path] = "Expected an object"
                continue
            for block, on in value.items():
                if block not in BLOCKS:
                    errors[f"{path}.{block}"] = "Unknown block"
                elif not isinstance(on, bool):
                    errors[f"{path}.{block}"] = "Expected true or false"
        elif key == "recommendations":
            if not isinstance(value, bool):
                errors[path] = "Expected true or false"
        elif key == "survey_kind":
            if value not in SURVEY_KINDS:
                errors[path] = f"Choose one of {', '.join(SURVEY_KINDS)}"
        else:
            errors[path] = "Unknown field"
    return errors
