"""WooCommerce shipments: Shipment Tracking / AST order meta, WooCommerce's own fulfillments, PHP-serialised meta."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from integrations.errors import MappingError
from integrations.models import Fulfillment, FulfillmentStatus, Order, ShipmentState
from integrations.woocommerce import core_fulfillments, platform
from integrations.woocommerce.fulfillments import tracking_fulfillments
from integrations.woocommerce.meta import php_unserialize

UPS_NUMBER = "1Z999AA10123456784"


def normalise(payload: dict[str, Any]) -> Order:
    return platform.normalise_order(payload, shop_domain="shop.example")


def tracking_meta(value: Any) -> list[dict[str, Any]]:
    return [{"id": 1, "key": "_wc_shipment_tracking_items", "value": value}]


def test_tracking_fulfillments_ast_two_parcels_become_two_fulfillments(own_fixture: Any) -> None:
    order = normalise(own_fixture("woocommerce/order-ast-two-parcels.json"))
    ups, custom = order.fulfillments
    assert ups == Fulfillment(
        external_id="wcst:5b1e6c0f2a9d4e7b8c3a1f0e9d8c7b6a",
        status=ShipmentState.SUCCESS,
        carrier="ups",
        carrier_name="ups",
        tracking_numbers=(UPS_NUMBER,),
        tracking_urls=(),
        created_at=datetime(2025, 6, 3, tzinfo=UTC),
        updated_at=datetime(2025, 6, 3, tzinfo=UTC),
    )
    assert custom.external_id == "wcst:e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9"
    assert custom.carrier_name == "Harbor Couriers"
    assert custom.tracking_numbers == ("HC-0042-77",)
    assert custom.tracking_urls == ("https://track.harbor-couriers.example/?n=HC-0042-77",)
    assert custom.created_at == datetime(2025, 6, 4, tzinfo=UTC)  # an integer timestamp this time


def test_tracking_fulfillments_processing_order_with_parcels_is_partially_fulfilled(own_fixture: Any) -> None:
    payload = own_fixture("woocommerce/order-ast-two-parcels.json")
    assert normalise(payload).fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED
    payload["status"] = "completed"
    assert normalise(payload).fulfillment_status is FulfillmentStatus.FULFILLED


def test_tracking_fulfillments_carrier_detected_from_number_when_provider_unknown() -> None:
    item = {"tracking_provider": "", "custom_tracking_provider": "Our van", "tracking_number": UPS_NUMBER}
    (fulfillment,) = tracking_fulfillments(tracking_meta([item]))
    assert fulfillment.carrier == "ups"
    assert fulfillment.carrier_name == "Our van"
    assert fulfillment.external_id == f"wcst:{UPS_NUMBER}"  # no tracking_id: the number identifies the parcel
    assert fulfillment.created_at is None


def test_tracking_fulfillments_dict_keyed_by_index_is_read_in_index_order() -> None:
    value = {"10": {"tracking_number": "B", "tracking_id": "b"}, "2": {"tracking_number": "A", "tracking_id": "a"}}
    assert [f.external_id for f in tracking_fulfillments(tracking_meta(value))] == ["wcst:a", "wcst:b"]


def test_tracking_fulfillments_single_entry_object_is_read() -> None:
    value = {"tracking_number": "A1", "tracking_id": "a", "date_shipped": Decimal("1600128000")}
    (fulfillment,) = tracking_fulfillments(tracking_meta(value))
    assert fulfillment.created_at == datetime(2020, 9, 15, tzinfo=UTC)


def test_tracking_fulfillments_php_serialised_string_is_read() -> None:
    serialised = (
        'a:1:{i:0;a:4:{s:17:"tracking_provider";s:6:"dhl-at";s:15:"tracking_number";s:6:"111222";'
        's:12:"date_shipped";s:10:"1600128000";s:11:"tracking_id";s:4:"t-01";}}'
    )
    (fulfillment,) = tracking_fulfillments(tracking_meta(serialised))
    assert fulfillment.tracking_numbers == ("111222",)
    assert fulfillment.carrier_name == "dhl-at"
    assert fulfillment.created_at == datetime(2020, 9, 15, tzinfo=UTC)


def test_tracking_fulfillments_json_string_is_read() -> None:
    (fulfillment,) = tracking_fulfillments(tracking_meta('[{"tracking_number": "X9", "tracking_id": "x"}]'))
    assert fulfillment.external_id == "wcst:x"


@pytest.mark.parametrize("value", ["a:1:{i:0;", 'O:8:"stdClass":0:{}', "plain words", "[1,", ""])
def test_tracking_fulfillments_unparseable_string_is_skipped(value: str) -> None:
    assert tracking_fulfillments(tracking_meta(value)) == ()


def test_tracking_fulfillments_entries_without_number_or_duplicated_are_skipped() -> None:
    items = [{"tracking_number": "", "tracking_id": "a"}, {"tracking_id": "b"}, "junk"]
    items += [{"tracking_number": "N1", "tracking_id": "c"}, {"tracking_number": "N1", "tracking_id": "c"}]
    assert [f.external_id for f in tracking_fulfillments(tracking_meta(items))] == ["wcst:c"]


@pytest.mark.parametrize("date_shipped", ["soon", True, 10**20, {"t": 1}])
def test_tracking_fulfillments_odd_ship_dates_are_left_empty(date_shipped: Any) -> None:
    (fulfillment,) = tracking_fulfillments(tracking_meta([{"tracking_number": "N1", "date_shipped": date_shipped}]))
    assert fulfillment.created_at is None


def test_php_unserialize_counts_string_lengths_in_bytes() -> None:
    assert php_unserialize('a:2:{s:4:"name";s:4:"Zoë";s:1:"n";i:-3;}') == {"name": "Zoë", "n": -3}
    assert php_unserialize("a:3:{i:0;b:1;i:1;N;i:2;d:0.1;}") == [True, None, Decimal("0.1")]


@pytest.mark.parametrize(
    "text", ['s:3:"Zoë";', "a:1:{i:0;i:1;", "i:1;x", 'O:8:"stdClass":0:{}', "b:2;", "a:1:{d:1.5;i:1;}"]
)
def test_php_unserialize_refuses_malformed_input(text: str) -> None:
    with pytest.raises(ValueError):
        php_unserialize(text)


def test_core_fulfillments_documented_endpoint_shape(own_fixture: Any) -> None:
    shipped, preparing = core_fulfillments(own_fixture("woocommerce/core-fulfillments.json"))
    assert shipped == Fulfillment(
        external_id="wcf:14",
        status=ShipmentState.SUCCESS,
        carrier="ups",
        carrier_name="ups",
        tracking_numbers=(UPS_NUMBER,),
        tracking_urls=(f"https://www.ups.com/track?tracknum={UPS_NUMBER}",),
        created_at=None,  # date_updated is the store's local time without an offset
        updated_at=None,
        line_items={"1201": 1},
    )
    assert preparing.status is ShipmentState.PENDING
    assert preparing.tracking_numbers == ()
    assert preparing.line_items == {"1201": 1}


@pytest.mark.parametrize("records", [{"id": 1}, [1], [{"is_fulfilled": True}]])
def test_core_fulfillments_malformed_answer_raises(records: Any) -> None:
    with pytest.raises(MappingError):
        core_fulfillments(records)


@pytest.mark.parametrize(
    ("status", "meta", "expected"),
    [
        ("processing", "partially_fulfilled", FulfillmentStatus.PARTIALLY_FULFILLED),
        ("processing", "fulfilled", FulfillmentStatus.FULFILLED),
        ("processing", "unfulfilled", FulfillmentStatus.UNFULFILLED),
        ("completed", "unfulfilled", FulfillmentStatus.FULFILLED),
        ("processing", "no_fulfillments", FulfillmentStatus.UNFULFILLED),
    ],
)
def test_normalise_order_core_fulfillment_status_meta(
    status: str, meta: str, expected: FulfillmentStatus, own_fixture: Any
) -> None:
    payload = own_fixture("woocommerce/order-custom-status.json")
    payload["status"] = status
    payload["meta_data"] = [{"id": 1, "key": "_fulfillment_status", "value": meta}]
    assert normalise(payload).fulfillment_status is expected
