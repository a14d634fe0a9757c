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
