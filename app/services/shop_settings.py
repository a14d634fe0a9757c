"""Switches a merchant (or support, for them) sets per shop. Each setting has a parser and a default, so a typo
is refused instead of stored, and code reads a typed value whatever the row holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.extensions import db
from app.models import Shop


class SettingError(ValueError):
    """An unknown setting, or a value it does not accept."""


@dataclass(frozen=True)
class Setting:
    parse: Callable[[str], Any]
    default: Any
    meaning: str


def _switch(raw: str) -> bool:
    word = raw.strip().lower()
    if word in ("on", "true", "yes", "1"):
        return True
    if word in ("off", "false", "no", "0"):
        return False
    raise SettingError(f"expected on or off, got {raw!r}")


def _choice(*words: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        word = raw.strip().lower()
        if word not in words:
            raise SettingError(f"expected one of {', '.join(words)}, got {raw!r}")
        return word

    return parse


SETTINGS: dict[str, Setting] = {
    "tracking_writeback": Setting(
        parse=_switch,
        default=False,
        meaning="write tracking milestones to the Shopify fulfillment, so the store's order status page agrees",
    ),
    "survey_kind": Setting(
        parse=_choice("nps", "ces"),
        default="nps",
        meaning="the one question asked after delivery: nps (0-10, would you recommend) or ces (1-7, how easy)",
    ),
    "recommendations": Setting(
        parse=_switch, default=True, meaning="show products often bought together on the tracking page"
    ),
    # The tracking page's blocks, each of which a merchant may hide.
    "show_estimate": Setting(parse=_switch, default=True, meaning="show the expected delivery day"),
    "show_timeline": Setting(parse=_switch, default=True, meaning="show each parcel's scan history"),
    "show_items": Setting(parse=_switch, default=True, meaning="list what is in each parcel"),
    "show_survey": Setting(parse=_switch, default=True, meaning="ask the survey question after delivery"),
}


def get(shop: Shop, name: str) -> Any:
    setting = SETTINGS[name]
    value = (shop.settings or {}).get(name, setting.default)
    return value if isinstance(value, type(setting.default)) else setting.default


def update(*, shop_id: int, values: dict[str, str]) -> dict[str, Any]:
    """Parse and store `values` (name -> text as typed) for one shop, all or none. Returns what was stored."""
    parsed: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in SETTINGS:
            raise SettingError(f"unknown setting {name!r}; known: {', '.join(sorted(SETTINGS))}")
        try:
            parsed[name] = SETTINGS[name].parse(raw)
        except SettingError as exc:
            raise SettingError(f"{name}: {exc}") from None
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        raise SettingError(f"no shop {shop_id}")
    stage(shop, parsed)
    db.session.commit()
    return parsed


def stage(shop: Shop, parsed: dict[str, Any]) -> None:
    """Put already-checked values on the shop, uncommitted (the caller owns the transaction)."""
    shop.settings = {**(shop.settings or {}), **parsed}  # a new dict, so the JSON column is seen as changed
