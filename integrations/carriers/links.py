"""What a shopper sees of a carrier: its display name and its public tracking page for a number.

The merchant's own tracking URL (from the fulfillment) wins when there is one; these are the fallback. Only
carriers with a stable public page that takes the number in the URL are listed; others get no link.
"""

from __future__ import annotations

from urllib.parse import quote

from integrations.carriers.codes import Carrier

NAMES: dict[str, str] = {
    Carrier.UPS: "UPS",
    Carrier.USPS: "USPS",
    Carrier.FEDEX: "FedEx",
    Carrier.DHL: "DHL Express",
    Carrier.DHL_ECOMMERCE: "DHL eCommerce",
    Carrier.DHL_PAKET: "DHL",
    Carrier.AMAZON: "Amazon",
    Carrier.ONTRAC: "OnTrac",
    Carrier.LASERSHIP: "LaserShip",
    Carrier.CANADA_POST: "Canada Post",
    Carrier.PUROLATOR: "Purolator",
    Carrier.CANPAR: "Canpar",
    Carrier.DPD: "DPD",
    Carrier.YODEL: "Yodel",
    Carrier.ROYAL_MAIL: "Royal Mail",
    Carrier.POSTNL: "PostNL",
    Carrier.AUSTRALIA_POST: "Australia Post",
    Carrier.DEUTSCHE_POST: "Deutsche Post",
    Carrier.LA_POSTE: "La Poste",
    Carrier.CORREOS: "Correos",
    Carrier.POSTE_ITALIANE: "Poste Italiane",
    Carrier.JAPAN_POST: "Japan Post",
    Carrier.EVRI: "Evri",
    Carrier.HERMES: "Hermes",
    Carrier.GLS: "GLS",
}

# `{number}` is replaced by the URL-quoted tracking number.
TRACKING_PAGES: dict[str, str] = {
    Carrier.UPS: "https://www.ups.com/track?tracknum={number}",
    Carrier.USPS: "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    Carrier.FEDEX: "https://www.fedex.com/fedextrack/?trknbr={number}",
    Carrier.DHL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={number}",
    Carrier.DHL_ECOMMERCE: "https://webtrack.dhlecs.com/?trackingnumber={number}",
    Carrier.DHL_PAKET: "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
    Carrier.ONTRAC: "https://www.ontrac.com/tracking/?number={number}",
    Carrier.CANADA_POST: "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{number}",
    Carrier.PUROLATOR: "https://www.purolator.com/en/shipping/tracker?pin={number}",
    Carrier.ROYAL_MAIL: "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    Carrier.POSTNL: "https://jouw.postnl.nl/track-and-trace/{number}",
    Carrier.AUSTRALIA_POST: "https://auspost.com.au/mypost/track/details/{number}",
    Carrier.EVRI: "https://www.evri.com/track/parcel/{number}",
    Carrier.GLS: "https://gls-group.com/track/{number}",
}


def carrier_display_name(code: str | None, typed: str | None = None) -> str | None:
    """The name to show: ours for a known code, else what the merchant typed."""
    if code and code in NAMES:
        return NAMES[code]
    return typed or None


def tracking_page(code: str | None, number: str | None) -> str | None:
    """The carrier's public tracking page for `number`, or None when we know of none."""
    template = TRACKING_PAGES.get(code or "")
    if not template or not number:
        return None
    return template.format(number=quote(number, safe=""))


__all__ = ["NAMES", "TRACKING_PAGES", "carrier_display_name", "tracking_page"]
