"""Canonical carrier codes: the one spelling of a carrier that crosses layer boundaries.

`Fulfillment.carrier`, `TrackingUpdate.carrier`, `detect_carrier()` and `carrier_from_name()` all speak these codes;
the text a merchant typed stays beside it in `Fulfillment.carrier_name`. A code names a tracking network, not a brand:
DHL has three (Express air waybills, eCommerce, the European Paket/Parcel networks) because each is tracked
separately.

`POSTAL` is for a UPU S10 item (`RB123456785CV`) issued by a national post we keep no code for: the number is valid
and trackable through the postal network (or an aggregator), we just cannot name the operator.
"""

from __future__ import annotations

import enum


class Carrier(enum.StrEnum):
    UPS = "ups"
    USPS = "usps"
    FEDEX = "fedex"
    DHL = "dhl"  # DHL Express (air waybills, piece ids)
    DHL_ECOMMERCE = "dhl_ecommerce"  # DHL eCommerce Solutions (GM..., 14-digit US numbers)
    DHL_PAKET = "dhl_paket"  # DHL Paket / DHL Parcel: Germany's and neighbouring countries' parcel networks
    AMAZON = "amazon"  # Amazon Logistics / Amazon Shipping
    ONTRAC = "ontrac"
    LASERSHIP = "lasership"
    CANADA_POST = "canada_post"
    PUROLATOR = "purolator"
    CANPAR = "canpar"
    DPD = "dpd"  # every DPD country network (UK, DE, AT, ...): one parcel label format
    YODEL = "yodel"
    ROYAL_MAIL = "royal_mail"
    LANDMARK = "landmark"  # Landmark Global
    YUNEXPRESS = "yunexpress"
    GOFO = "gofo"  # GOFO Express
    SPEEDEE = "speedee"  # Spee-Dee Delivery
    OLD_DOMINION = "old_dominion"  # Old Dominion Freight Line
    POSTNL = "postnl"
    AUSTRALIA_POST = "australia_post"
    DEUTSCHE_POST = "deutsche_post"  # letters and small goods (Warenpost, Einschreiben); parcels are DHL_PAKET
    LA_POSTE = "la_poste"  # includes Colissimo, La Poste's parcel brand
    CORREOS = "correos"
    POSTE_ITALIANE = "poste_italiane"
    JAPAN_POST = "japan_post"
    CHINA_POST = "china_post"
    HERMES = "hermes"  # Hermes Germany (and the other Hermes networks)
    EVRI = "evri"  # the UK network formerly called Hermes UK / myHermes
    GLS = "gls"
    POSTAL = "postal"  # a UPU S10 item from a national post without a code of its own (see module docstring)


# UPU S10 country suffix -> national post. Any other country the UPU lists yields POSTAL.
S10_COUNTRY_CARRIERS: dict[str, Carrier] = {
    "US": Carrier.USPS,
    "GB": Carrier.ROYAL_MAIL,
    "CA": Carrier.CANADA_POST,
    "DE": Carrier.DEUTSCHE_POST,
    "AU": Carrier.AUSTRALIA_POST,
    "NL": Carrier.POSTNL,
    "FR": Carrier.LA_POSTE,
    "ES": Carrier.CORREOS,
    "IT": Carrier.POSTE_ITALIANE,
    "JP": Carrier.JAPAN_POST,
    "CN": Carrier.CHINA_POST,
}


__all__ = ["S10_COUNTRY_CARRIERS", "Carrier"]
