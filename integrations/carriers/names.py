"""Which carrier a merchant meant, from the name they typed or picked.

Shopify's `tracking_company` is free text ("UPS", "Fedex Ground", "DHL eCommerce Asia", "Other"); WooCommerce's
Shipment Tracking and Advanced Shipment Tracking (AST) store a display name or a slug ("royal-mail", "dpd-de").

    carrier_from_name("United Parcel Service")  # -> "ups"
    carrier_from_name("dpd-uk")                 # -> "dpd"
    carrier_from_name("Other")                  # -> None

Case, accents, spacing, punctuation, hyphens and underscores do not matter. The name is looked up whole, then by
dropping trailing words ("Fedex Ground" -> "fedex", "GLS (US)" -> "gls", "Japan Post (EN)" -> "japan post"), so
service and country qualifiers need no entries of their own. Anything unknown gives None; this never raises.

Decisions a reader may question:
- "DHL" alone is DHL Express (`dhl`), the network Shopify's "DHL Express" and most "DHL" labels mean.
- Country-suffixed DHL slugs for Germany, Austria and the Netherlands ("dhl-de", "dhl-at", "dhl-nl") are the DHL
  parcel networks (`dhl_paket`): AST's "DHL Austria" links to DHL's parcel tracking, not to Express waybills.
  "Deutsche Post DHL" (WooCommerce Shipment Tracking) tracks on DHL Paket's page, so it is `dhl_paket` too.
- "Hermes" is Hermes Germany (`hermes`); "Hermes UK" and "myHermes" are Evri (`evri`), its UK successor.
- "Colissimo" is La Poste's parcel brand (`la_poste`); every DPD country network is `dpd`.
"""

from __future__ import annotations

import re
import unicodedata

from integrations.carriers.codes import Carrier

_WORDS = re.compile(r"[^\W_]+")
_NOT_A_CARRIER = frozenset({"other", "others", "none", "na", "custom", "unknown", "manual"})

# Keys are the words of a name joined without separators, after case and accent folding.
_ALIASES: dict[str, Carrier] = {
    # UPS
    "ups": Carrier.UPS,
    "unitedparcelservice": Carrier.UPS,
    # USPS
    "usps": Carrier.USPS,
    "unitedstatespostalservice": Carrier.USPS,
    "uspostalservice": Carrier.USPS,
    # FedEx
    "fedex": Carrier.FEDEX,
    "federalexpress": Carrier.FEDEX,
    # DHL
    "dhl": Carrier.DHL,
    "dhlexpress": Carrier.DHL,
    "dhlecommerce": Carrier.DHL_ECOMMERCE,
    "dhlecommercesolutions": Carrier.DHL_ECOMMERCE,
    "dhlglobalmail": Carrier.DHL_ECOMMERCE,  # DHL eCommerce's former name
    "dhlpaket": Carrier.DHL_PAKET,
    "dhlparcel": Carrier.DHL_PAKET,
    "dhlde": Carrier.DHL_PAKET,
    "dhlgermany": Carrier.DHL_PAKET,
    "dhlat": Carrier.DHL_PAKET,
    "dhlaustria": Carrier.DHL_PAKET,
    "dhlnl": Carrier.DHL_PAKET,
    "deutschepostdhl": Carrier.DHL_PAKET,
    # North America
    "amazon": Carrier.AMAZON,
    "amazonlogistics": Carrier.AMAZON,
    "amazonshipping": Carrier.AMAZON,
    "ontrac": Carrier.ONTRAC,
    "lasership": Carrier.LASERSHIP,
    "canadapost": Carrier.CANADA_POST,
    "postescanada": Carrier.CANADA_POST,
    "purolator": Carrier.PUROLATOR,
    "canpar": Carrier.CANPAR,
    "gofo": Carrier.GOFO,
    "speedee": Carrier.SPEEDEE,
    "speedeedelivery": Carrier.SPEEDEE,
    "olddominion": Carrier.OLD_DOMINION,
    "odfl": Carrier.OLD_DOMINION,
    # Europe
    "dpd": Carrier.DPD,
    "yodel": Carrier.YODEL,
    "royalmail": Carrier.ROYAL_MAIL,
    "landmark": Carrier.LANDMARK,
    "landmarkglobal": Carrier.LANDMARK,
    "postnl": Carrier.POSTNL,
    "deutschepost": Carrier.DEUTSCHE_POST,
    "laposte": Carrier.LA_POSTE,
    "colissimo": Carrier.LA_POSTE,
    "correos": Carrier.CORREOS,
    "posteitaliane": Carrier.POSTE_ITALIANE,
    "hermes": Carrier.HERMES,
    "hermesuk": Carrier.EVRI,
    "myhermes": Carrier.EVRI,
    "evri": Carrier.EVRI,
    "gls": Carrier.GLS,
    # Asia-Pacific
    "australiapost": Carrier.AUSTRALIA_POST,
    "auspost": Carrier.AUSTRALIA_POST,
    "japanpost": Carrier.JAPAN_POST,
    "日本郵便": Carrier.JAPAN_POST,
    "chinapost": Carrier.CHINA_POST,
    "chinaems": Carrier.CHINA_POST,
    "中国邮政": Carrier.CHINA_POST,
    "yunexpress": Carrier.YUNEXPRESS,
}


def carrier_from_name(name: str | None) -> str | None:
    """The canonical carrier code (see `codes.Carrier`) a merchant's carrier name or slug stands for, or None."""
    if not isinstance(name, str):
        return None
    words = _words(name)
    if not words or "".join(words) in _NOT_A_CARRIER:
        return None
    # The whole name first, then ever fewer leading words: "dhl ecommerce asia" -> "dhl ecommerce" -> "dhl".
    for end in range(len(words), 0, -1):
        carrier = _ALIASES.get("".join(words[:end]))
        if carrier is not None:
            return str(carrier)
    return None


def _words(name: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORDS.findall(unaccented)


__all__ = ["carrier_from_name"]
