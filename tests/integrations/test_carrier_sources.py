"""The tracking-source registry: every direct carrier registered, detected carriers routed to their source, app-wide
credentials recognised, a shop's credentials validated field by field and given their own source."""

from __future__ import annotations

import pytest

from integrations import detect_carrier, get_carrier_source
from integrations.carriers import sources
from integrations.carriers.fedex import FedExSettings, FedExSource
from integrations.errors import IntegrationError, UnknownIntegration


def test_sources_register_every_direct_carrier_under_its_own_name() -> None:
    for name in ("simulated", "usps", "ups", "fedex", "dhl_express", "canadapost"):
        assert get_carrier_source(name).name == name
    assert sources.credential_sources() == ["canadapost", "dhl_express", "easypost", "fedex", "ups", "usps"]
    with pytest.raises(UnknownIntegration, match="known: canadapost, dhl_express, easypost, fedex"):
        get_carrier_source("dhl")


@pytest.mark.parametrize(
    ("number", "carrier", "source"),
    [
        ("1Z999AA10123456784", "ups", "ups"),
        ("9400111899223197428497", "usps", "usps"),
        ("3180831640", "dhl", "dhl_express"),
        ("7023210039414604", "canada_post", "canadapost"),
        ("776094337676", "fedex", "fedex"),
    ],
)
def test_sources_route_a_detected_carrier_to_the_source_that_tracks_it(number: str, carrier: str, source: str) -> None:
    assert detect_carrier(number) == carrier
    assert sources.CARRIER_SOURCES[carrier] == source


def test_sources_configured_in_names_the_sources_whose_environment_credentials_are_complete() -> None:
    environ = {"FEDEX_API_KEY": "k", "FEDEX_SECRET_KEY": "s", "DHL_EXPRESS_SITE_ID": "only the id"}

    assert sources.configured_in(environ) == frozenset({"fedex"})
    assert sources.configured_in({}) == frozenset()


def test_sources_settings_from_fields_names_missing_and_unknown_fields() -> None:
    with pytest.raises(IntegrationError, match=r"^canadapost credentials missing: password$"):
        sources.settings_from_fields("canadapost", {"username": "u"})
    with pytest.raises(IntegrationError, match=r"ups has no field clientid; its fields: client_id, client_secret"):
        sources.settings_from_fields("ups", {"clientid": "x"})
    with pytest.raises(IntegrationError, match="test_mode must be one of"):
        sources.settings_from_fields("usps", {"client_id": "i", "client_secret": "s", "test_mode": "maybe"})
    with pytest.raises(UnknownIntegration, match="takes no credentials"):
        sources.settings_from_fields("simulated", {})


def test_sources_source_with_settings_keeps_one_source_per_credentials() -> None:
    mine = FedExSettings(api_key="shop-key", secret_key="shop-secret")

    first = sources.source_with_settings("fedex", mine)

    assert isinstance(first, FedExSource)
    assert first.settings() == mine  # the shop's, not the environment's
    assert sources.source_with_settings("fedex", FedExSettings(api_key="shop-key", secret_key="shop-secret")) is first
    assert sources.source_with_settings("fedex", FedExSettings(api_key="shop-key", secret_key="rotated")) is not first


def test_carrier_settings_give_karrio_each_field_by_name_and_leave_out_an_empty_optional_one() -> None:
    typed = {"username": "user", "password": "secret"}
    bare = sources.settings_from_fields("canadapost", typed)
    full = sources.settings_from_fields("canadapost", {**typed, "customer_number": "0001234", "test_mode": "yes"})

    assert bare.to_karrio() == {"username": "user", "password": "secret", "test_mode": False}
    assert full.to_karrio() == {"username": "user", "password": "secret", "customer_number": "0001234",
                                "test_mode": True}  # fmt: skip
