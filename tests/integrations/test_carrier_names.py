"""Carrier names merchants type (Shopify tracking_company) or pick (WooCommerce Shipment Tracking / AST slugs)."""

from __future__ import annotations

import pytest

from integrations import carrier_from_name as carrier_from_name_entry_point
from integrations.carriers.codes import Carrier
from integrations.carriers.names import carrier_from_name

SHOPIFY_AND_WOOCOMMERCE_NAMES = [
    ("UPS", "ups"),
    ("United Parcel Service", "ups"),
    ("UPS Mail Innovations", "ups"),
    ("USPS", "usps"),
    ("U.S.P.S.", "usps"),
    ("United States Postal Service", "usps"),
    ("FedEx", "fedex"),
    ("Fedex Ground", "fedex"),
    ("FedEx SmartPost", "fedex"),
    ("DHL Express", "dhl"),
    ("DHL", "dhl"),
    ("DHL eCommerce", "dhl_ecommerce"),
    ("DHL eCommerce Asia", "dhl_ecommerce"),
    ("DHL Global Mail", "dhl_ecommerce"),
    ("DHL Paket", "dhl_paket"),
    ("DHL Parcel", "dhl_paket"),
    ("Deutsche Post DHL", "dhl_paket"),
    ("Royal Mail", "royal_mail"),
    ("Canada Post", "canada_post"),
    ("CanadaPost", "canada_post"),
    ("Purolator", "purolator"),
    ("Canpar", "canpar"),
    ("Australia Post", "australia_post"),
    ("PostNL", "postnl"),
    ("Post NL", "postnl"),
    ("DPD", "dpd"),
    ("DPD UK", "dpd"),
    ("DPD Local", "dpd"),
    ("Hermes", "hermes"),
    ("Hermes UK", "evri"),
    ("myHermes", "evri"),
    ("Evri", "evri"),
    ("GLS", "gls"),
    ("GLS (US)", "gls"),
    ("La Poste", "la_poste"),
    ("Colissimo", "la_poste"),
    ("La Poste - Colissimo", "la_poste"),
    ("Correos", "correos"),
    ("Correos España", "correos"),
    ("Poste Italiane", "poste_italiane"),
    ("Japan Post", "japan_post"),
    ("Japan Post (EN)", "japan_post"),
    ("日本郵便", "japan_post"),
    ("China Post", "china_post"),
    ("China EMS", "china_post"),
    ("YunExpress", "yunexpress"),
    ("Yun Express", "yunexpress"),
    ("Amazon Logistics", "amazon"),
    ("Amazon Logistics UK", "amazon"),
    ("OnTrac", "ontrac"),
    ("LaserShip", "lasership"),
    ("Yodel", "yodel"),
    ("Landmark Global", "landmark"),
    ("Spee-Dee Delivery", "speedee"),
    ("GOFO Express", "gofo"),
    ("Old Dominion Freight Line", "old_dominion"),
    ("Deutsche Post (DE)", "deutsche_post"),
]

AST_SLUGS = [
    ("usps", "usps"),
    ("fedex", "fedex"),
    ("ups", "ups"),
    ("dhl-express", "dhl"),
    ("dhl-paket", "dhl_paket"),
    ("dhl-at", "dhl_paket"),
    ("dhl-de", "dhl_paket"),
    ("australia-post", "australia_post"),
    ("postnl", "postnl"),
    ("deutsche-post", "deutsche_post"),
    ("deutsche-post-dhl", "dhl_paket"),
    ("royal-mail", "royal_mail"),
    ("canada-post", "canada_post"),
    ("dpd-uk", "dpd"),
    ("dpd-de", "dpd"),
    ("evri", "evri"),
    ("gls", "gls"),
    ("gls-italy", "gls"),
    ("poste-italiane", "poste_italiane"),
    ("correos-spain", "correos"),
]


@pytest.mark.parametrize(("name", "carrier"), SHOPIFY_AND_WOOCOMMERCE_NAMES)
def test_carrier_from_name_maps_merchant_typed_names(name: str, carrier: str) -> None:
    assert carrier_from_name(name) == carrier


@pytest.mark.parametrize(("slug", "carrier"), AST_SLUGS)
def test_carrier_from_name_maps_woocommerce_provider_slugs(slug: str, carrier: str) -> None:
    assert carrier_from_name(slug) == carrier


@pytest.mark.parametrize(
    "name", ["royal mail", "ROYAL MAIL", "Royal_Mail", " royal-mail ", "Royal  Mail.", "royalmail"]
)
def test_carrier_from_name_ignores_case_spacing_punctuation_and_separators(name: str) -> None:
    assert carrier_from_name(name) == "royal_mail"


@pytest.mark.parametrize("name", [None, "", "   ", "Other", "other", "N/A", "-", "Custom"])
def test_carrier_from_name_returns_none_for_no_carrier(name: str | None) -> None:
    assert carrier_from_name(name) is None


@pytest.mark.parametrize("name", ["Bob's Van", "Local courier", "Post", "Upsilon Freight", "Parcelforce", "post-at"])
def test_carrier_from_name_returns_none_for_unknown_names(name: str) -> None:
    assert carrier_from_name(name) is None


def test_carrier_from_name_never_raises_on_odd_input() -> None:
    assert carrier_from_name(42) is None  # type: ignore[arg-type]
    assert carrier_from_name("\x00\ufeff") is None
    assert carrier_from_name("x" * 10_000) is None


def test_carrier_from_name_returns_only_canonical_codes() -> None:
    codes = {str(carrier) for carrier in Carrier}
    for name, _ in SHOPIFY_AND_WOOCOMMERCE_NAMES + AST_SLUGS:
        assert carrier_from_name(name) in codes


def test_carrier_from_name_is_exposed_by_the_integrations_package() -> None:
    assert carrier_from_name_entry_point("Fedex Ground") == "fedex"
