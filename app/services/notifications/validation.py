"""What a shop's notification settings may hold: every field checked, and every wrong one named at once by its
dotted path (`branding.accent_color`, `journeys.shipped.delay_minutes`), so a form can show each beside its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.services.notifications import locales, rendering
from app.services.notifications.journeys import BY_NAME

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
MAX_DELAY_MINUTES = 60 * 24 * 60
BRANDING_KEYS = ("name", "logo_url", "accent_color", "text_color", "background_color", "font_family",
                 "support_email", "sender_name", "default_locale")  # fmt: skip
# The fonts a merchant picks by name; only these CSS stacks ever reach a page, so no CSS can be slipped in.
FONT_STACKS: dict[str, str] = {
    "theme": "inherit",  # the storefront's own font
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "humanist": '"Gill Sans", "Gill Sans MT", Seravek, "Trebuchet MS", Calibri, sans-serif',
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
    "rounded": 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, "Arial Rounded MT Bold", sans-serif',
    "mono": 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, monospace',
}


class SettingsError(ValueError):
    """The change was refused. `fields` maps each wrong field's dotted path ("branding.accent_color") to why;
    the message names them all."""

    def __init__(self, reason: str | Mapping[str, str]) -> None:
        self.fields: dict[str, str] = dict(reason) if isinstance(reason, Mapping) else {}
        text = "; ".join(f"{path}: {why}" for path, why in self.fields.items()) if self.fields else str(reason)
        super().__init__(text)


def validate(settings: Mapping[str, Any]) -> None:
    """Check effective settings; raise one SettingsError naming every field that is wrong, not just the first."""
    errors = Errors()
    unknown = set(settings) - {"branding", "quiet_hours", "journeys", "templates", "connections"}
    for key in sorted(unknown):
        errors.add(key, "Unknown setting")
    _check_branding(errors, settings.get("branding"))
    _check_quiet_hours(errors, settings.get("quiet_hours"))
    _check_journeys(errors, settings.get("journeys"))
    _check_templates(errors, settings.get("templates"))
    errors.raise_any()


class Errors:
    """Field errors gathered by dotted path ("branding.accent_color"), raised together as one SettingsError."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, message)

    def object(self, path: str, value: Any) -> bool:
        if isinstance(value, Mapping):
            return True
        self.add(path, "Expected an object")
        return False

    def raise_any(self) -> None:
        if self.fields:
            raise SettingsError(self.fields)


def _check_branding(errors: Errors, branding: Any) -> None:
    if not errors.object("branding", branding):
        return
    for key in sorted(set(branding) - set(BRANDING_KEYS)):
        errors.add(f"branding.{key}", "Unknown field")
    for key in ("name", "sender_name"):
        value = branding.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 100 or CONTROL.search(value)):
            errors.add(f"branding.{key}", "Use up to 100 characters on one line")
    for key in ("accent_color", "text_color", "background_color"):
        if not isinstance(branding.get(key), str) or not COLOUR.match(branding[key]):
            errors.add(f"branding.{key}", "Use a colour like #2f6f5e")
    if not isinstance(branding.get("font_family"), str) or branding["font_family"] not in FONT_STACKS:
        errors.add("branding.font_family", f"Choose one of {', '.join(FONT_STACKS)}")
    if branding.get("default_locale") not in locales.SUPPORTED:
        errors.add("branding.default_locale", f"Choose one of {', '.join(locales.SUPPORTED)}")
    logo = branding.get("logo_url")
    if logo not in (None, "") and (not isinstance(logo, str) or not logo.startswith("https://") or len(logo) > 2000
                                   or CONTROL.search(logo)):  # fmt: skip
        errors.add("branding.logo_url", "Use an https:// address (mail clients block others)")
    email = branding.get("support_email")
    if email is not None and email != "" and (not isinstance(email, str) or not EMAIL.match(email)):
        errors.add("branding.support_email", "Use an email address like help@yourstore.com")


def _check_quiet_hours(errors: Errors, quiet_hours: Any) -> None:
    if not errors.object("quiet_hours", quiet_hours):
        return
    for channel, window in quiet_hours.items():
        path = f"quiet_hours.{channel}"
        if channel not in ("email", "sms"):
            errors.add(path, f"Unknown channel {channel!r}: quiet hours are for email and sms")
        elif window is not None and errors.object(path, window):
            for key in sorted(set(window) - {"start", "end"}):
                errors.add(f"{path}.{key}", "Unknown field")
            for key in ("start", "end"):
                if not isinstance(window.get(key), str) or not CLOCK.match(window[key]):
                    errors.add(f"{path}.{key}", "Use a time as HH:MM (24-hour clock)")


def _check_journeys(errors: Errors, journeys: Any) -> None:
    if not errors.object("journeys", journeys):
        return
    for name, journey in journeys.items():
        path = f"journeys.{name}"
        definition = BY_NAME.get(name)
        if definition is None:
            errors.add(path, f"{name!r} is an unknown journey")
            continue
        if not errors.object(path, journey):
            continue
        for key in sorted(set(journey) - {"enabled", "channels", "urgent", "delay_minutes"}):
            errors.add(f"{path}.{key}", "Unknown field")
        for key in ("enabled", "urgent"):
            if not isinstance(journey.get(key), bool):
                errors.add(f"{path}.{key}", "Expected true or false")
        channels = journey.get("channels")
        if errors.object(f"{path}.channels", channels):
            for channel, on in channels.items():
                if channel not in definition.channels:
                    errors.add(f"{path}.channels.{channel}", f"This journey cannot send by {channel}")
                elif not isinstance(on, bool):
                    errors.add(f"{path}.channels.{channel}", "Expected true or false")
        delay = journey.get("delay_minutes")
        if isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay <= MAX_DELAY_MINUTES:
            errors.add(f"{path}.delay_minutes", f"Use a whole number of minutes from 0 to {MAX_DELAY_MINUTES}")


def _check_templates(errors: Errors, templates: Any) -> None:
    if not errors.object("templates", templates):
        return
    for name, by_channel in templates.items():
        if name not in BY_NAME:
            errors.add(f"templates.{name}", f"{name!r} is an unknown journey")
            continue
        if not errors.object(f"templates.{name}", by_channel):
            continue
        for channel, by_locale in by_channel.items():
            path = f"templates.{name}.{channel}"
            if channel not in ("email", "sms"):
                errors.add(path, f"{channel!r} has no template (it carries the facts as data)")
                continue
            if not errors.object(path, by_locale):
                continue
            for locale, template in by_locale.items():
                if locale not in locales.SUPPORTED:
                    errors.add(f"{path}.{locale}", f"{locale!r} is an unsupported locale")
                    continue
                try:
                    rendering.check_template(journey=name, channel=channel, locale=locale, template=template)
                except rendering.TemplateRefused as exc:
                    errors.add(f"{path}.{locale}", str(exc))
