"""Which language a shopper is written to in, and dates and money the way that language writes them (Babel).

A shopper's locale (`de-AT`, `fr_CA`, `nl`) is matched to the languages we ship by its language; anything else
falls back to the shop's default language, then to English.
"""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

SUPPORTED = ("en", "de", "fr", "es", "nl")
CATALOG_DIR = Path(__file__).parent / "catalog"


def negotiate(*candidates: str | None, default: str = "en") -> str:
    for candidate in candidates:
        if not candidate:
            continue
        try:
            language = Locale.parse(candidate.replace("-", "_")).language
        except (UnknownLocaleError, ValueError):
            continue
        if language in SUPPORTED:
            return language
    return default if default in SUPPORTED else "en"


@functools.cache
def catalog(locale: str) -> dict[str, Any]:
    """The default templates and layout wording of one language."""
    return json.loads((CATALOG_DIR / f"{locale}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def long_date(value: date | datetime | None, locale: str) -> str | None:
    if value is None:
        return None
    return format_date(value.date() if isinstance(value, datetime) else value, format="full", locale=locale)


def money(amount: Decimal | str | None, currency: str, locale: str) -> str | None:
    if amount is None:
        return None
    return format_currency(Decimal(str(amount)), currency, locale=locale)


# Why a parcel is late (app/services/forecast.py REASONS), as a clause after "your order is running late: ".
DELAY_REASONS: dict[str, dict[str, str]] = {
    "en": {"not_picked_up": "the carrier has not collected it yet",
           "stalled": "it has not moved for a few days",
           "out_for_delivery_not_delivered": "it was out for delivery but did not arrive",
           "late": "it has missed the date we gave you",
           "estimate_slipped": "the carrier now expects it later than first thought"},
    "de": {"not_picked_up": "der Versanddienst hat sie noch nicht abgeholt",
           "stalled": "sie hat sich seit einigen Tagen nicht bewegt",
           "out_for_delivery_not_delivered": "sie war in Zustellung, kam aber nicht an",
           "late": "der genannte Liefertermin ist verstrichen",
           "estimate_slipped": "der Versanddienst erwartet sie nun später als zunächst gedacht"},
    "fr": {"not_picked_up": "le transporteur ne l’a pas encore prise en charge",
           "stalled": "elle n’a pas bougé depuis quelques jours",
           "out_for_delivery_not_delivered": "elle était en cours de livraison mais n’est pas arrivée",
           "late": "la date que nous vous avions indiquée est passée",
           "estimate_slipped": "le transporteur la prévoit maintenant plus tard"},
    "es": {"not_picked_up": "el transportista aún no lo ha recogido",
           "stalled": "no se ha movido en unos días",
           "out_for_delivery_not_delivered": "salió a reparto pero no llegó",
           "late": "ha pasado la fecha que te indicamos",
           "estimate_slipped": "el transportista ahora lo espera más tarde"},
    "nl": {"not_picked_up": "de vervoerder heeft hem nog niet opgehaald",
           "stalled": "hij is al een paar dagen niet verplaatst",
           "out_for_delivery_not_delivered": "hij was onderweg voor bezorging maar is niet aangekomen",
           "late": "de datum die we je gaven is verstreken",
           "estimate_slipped": "de vervoerder verwacht hem nu later dan eerst gedacht"},
}  # fmt: skip


def delay_reason(reason: str | None, locale: str) -> str | None:
    """A delay reason code in the shopper's words; words the carrier or merchant wrote pass through as they are."""
    if not reason:
        return None
    return DELAY_REASONS.get(locale, DELAY_REASONS["en"]).get(reason, reason)
