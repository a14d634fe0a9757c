"""WooCommerce order payloads → canonical Order: money, dates, statuses, people, addresses, items, refunds."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from integrations.errors import MappingError
from integrations.models import (
    Address,
    Customer,
    FinancialStatus,
    FulfillmentStatus,
    LineItem,
    Order,
    OrderStatus,
    Platform,
    Refund,
)
from integrations.parsing import loads
from integrations.woocommerce import platform
from tests.integrations.conftest import OWN_FIXTURES

FIXTURES = OWN_FIXTURES / "woocommerce"


def created_payload() -> dict[str, Any]:
    payload: dict[str, Any] = loads((FIXTURES / "order-created-body.json").read_bytes())
    return payload


def normalise(payload: dict[str, Any]) -> Order:
    return platform.normalise_order(payload, shop_domain="shop.example")


def test_normalise_order_created_delivery_maps_every_field() -> None:
    berlin = Address(
        first_name="Zoë",
        last_name="Müller",
        address1="Invalidenstraße 7",
        city="Berlin",
        province_code="BE",
        postal_code="10115",
        country_code="DE",
    )
    expected = Order(
        platform=Platform.WOOCOMMERCE,
        shop_domain="shop.example",
        external_id="5120",
        number="5120",
        name="#5120",
        currency="EUR",
        total=Decimal("48.38"),
        created_at=datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC),
        updated_at=datetime(2025, 3, 14, 9, 26, 55, tzinfo=UTC),
        status=OrderStatus.OPEN,
        financial_status=FinancialStatus.PAID,
        fulfillment_status=FulfillmentStatus.UNFULFILLED,
        email="zoe@example.org",
        phone="+49 30 1234567",
        customer=Customer(
            external_id="12",
            email="zoe@example.org",
            phone="+49 30 1234567",
            first_name="Zoë",
            last_name="Müller",
            locale="de",
        ),
        subtotal=Decimal("43.48"),
        total_tax=Decimal("0.00"),
        shipping_total=Decimal("4.90"),
        discount_total=Decimal("0.00"),
        cancelled_at=None,
        locale="de",
        shipping_address=berlin,
        billing_address=Address(**{**berlin.to_dict(), "phone": "+49 30 1234567"}),
        line_items=(
            LineItem(
                external_id="701",
                title="Café mug \u2013 Colour: Blue",  # "&ndash;" decoded
                quantity=2,
                unit_price=Decimal("19.99"),
                total=Decimal("39.98"),
                product_id="77",
                variant_id="78",
                sku="MUG-BLUE",
                image_url="https://shop.example/wp-content/uploads/2025/03/mug-blue.png",
                requires_shipping=True,
                properties={"Colour": "Blue", "gift_message": "Alles Gute!"},
            ),
            LineItem(
                external_id="702",
                title="Gift wrap",
                quantity=1,
                unit_price=Decimal("3.5"),
                total=Decimal("3.50"),
                product_id="80",
                variant_id=None,
                sku=None,
                image_url=None,
            ),
        ),
        fulfillments=(),
        refunds=(),
        tags=(),
        note="Bitte beim Nachbarn abgeben",
        source="checkout",
        platform_status="processing",
    )
    assert normalise(created_payload()) == expected


def test_normalise_order_line_price_number_is_exact_decimal() -> None:
    item = normalise(created_payload()).line_items[0]
    assert type(item.unit_price) is Decimal
    assert str(item.unit_price) == "19.99"


@pytest.mark.parametrize(
    ("price", "expected"), [("12.50", Decimal("12.50")), (12, Decimal("12")), (None, Decimal("19.99"))]
)
def test_normalise_order_line_price_string_int_or_absent(price: Any, expected: Decimal) -> None:
    payload = created_payload()
    payload["line_items"][0]["price"] = price
    assert normalise(payload).line_items[0].unit_price == expected


@pytest.mark.parametrize(
    ("status", "financial", "order_status", "fulfillment"),
    [
        ("pending", FinancialStatus.PENDING, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("processing", FinancialStatus.PAID, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("on-hold", FinancialStatus.PENDING, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("completed", FinancialStatus.PAID, OrderStatus.CLOSED, FulfillmentStatus.FULFILLED),
        ("cancelled", FinancialStatus.VOIDED, OrderStatus.CANCELLED, FulfillmentStatus.UNFULFILLED),
        ("refunded", FinancialStatus.REFUNDED, OrderStatus.CLOSED, FulfillmentStatus.UNFULFILLED),
        ("failed", FinancialStatus.FAILED, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("trash", FinancialStatus.UNKNOWN, OrderStatus.CANCELLED, FulfillmentStatus.UNFULFILLED),
        ("ready-for-pickup", FinancialStatus.PAID, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("wc-completed", FinancialStatus.PAID, OrderStatus.CLOSED, FulfillmentStatus.FULFILLED),
        ("awaiting-shipment", FinancialStatus.UNKNOWN, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        ("wc-shipped", FinancialStatus.UNKNOWN, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
        (None, FinancialStatus.UNKNOWN, OrderStatus.OPEN, FulfillmentStatus.UNFULFILLED),
    ],
)
def test_normalise_order_status_words_map_and_stay_verbatim(
    status: str | None, financial: FinancialStatus, order_status: OrderStatus, fulfillment: FulfillmentStatus
) -> None:
    payload = created_payload()
    payload["status"] = status
    order = normalise(payload)
    assert (order.financial_status, order.status, order.fulfillment_status) == (financial, order_status, fulfillment)
    assert order.platform_status == status


def test_normalise_order_custom_status_is_accepted(own_fixture: Any) -> None:
    order = normalise(own_fixture("woocommerce/order-custom-status.json"))
    assert order.status is OrderStatus.OPEN
    assert order.financial_status is FinancialStatus.UNKNOWN
    assert order.platform_status == "awaiting-shipment"


def test_normalise_order_cancelled_records_when() -> None:
    payload = created_payload()
    payload["status"] = "cancelled"
    assert normalise(payload).cancelled_at == datetime(2025, 3, 14, 9, 26, 55, tzinfo=UTC)


def test_normalise_order_partial_refund_is_positive_amount_without_date() -> None:
    payload = created_payload()
    payload["refunds"] = [{"id": 9001, "reason": "Chipped handle", "total": "-5.00"}, {"id": 9002, "total": "-1.5"}]
    order = normalise(payload)
    assert order.financial_status is FinancialStatus.PARTIALLY_REFUNDED
    assert order.refunds == (
        Refund(external_id="9001", amount=Decimal("5.00"), created_at=None, reason="Chipped handle"),
        Refund(external_id="9002", amount=Decimal("1.5")),
    )


def test_normalise_order_full_refund_stays_refunded() -> None:
    payload = created_payload()
    payload["status"] = "refunded"
    payload["refunds"] = [{"id": 9003, "reason": "", "total": "-48.38"}]
    assert normalise(payload).financial_status is FinancialStatus.REFUNDED


def test_normalise_order_local_dates_are_a_utc_fallback_when_gmt_absent() -> None:
    payload = created_payload()
    del payload["date_created_gmt"], payload["date_modified_gmt"]
    order = normalise(payload)
    assert order.created_at == datetime(2025, 3, 14, 10, 26, 53, tzinfo=UTC)
    assert order.updated_at == datetime(2025, 3, 14, 10, 26, 55, tzinfo=UTC)


def test_normalise_order_empty_addresses_are_none(own_fixture: Any) -> None:
    order = normalise(own_fixture("woocommerce/order-checkout-draft.json"))
    assert order.shipping_address is None
    assert order.billing_address == Address(country_code="US")
    assert order.email is None
    assert order.customer is None  # a guest with nothing to reach them by


def test_normalise_order_guest_keeps_contact_without_id(own_fixture: Any) -> None:
    order = normalise(own_fixture("woocommerce/order-custom-status.json"))
    assert order.customer == Customer(
        external_id=None, email="sam.rivera@example.net", first_name="Sam", last_name="Rivera"
    )


@pytest.mark.parametrize("key", ["wpml_language", "_wpml_language", "trp_language"])
def test_normalise_order_locale_from_multilingual_plugins(key: str, own_fixture: Any) -> None:
    payload = own_fixture("woocommerce/order-custom-status.json")
    payload["meta_data"] = [{"id": 1, "key": key, "value": "fr_FR"}]
    order = normalise(payload)
    assert order.locale == "fr_FR"
    assert order.customer is not None and order.customer.locale == "fr_FR"


@pytest.mark.parametrize("tracking", [True, 7, None, "", {"a": 1}, [1, "x"], "a:1:{broken", "[not json"])
def test_normalise_order_meta_of_any_json_type_does_not_crash(tracking: Any, own_fixture: Any) -> None:
    payload = own_fixture("woocommerce/order-custom-status.json")
    payload["meta_data"] = [None, 3, "x", {"key": 5}, {"value": "v"}, {"key": "wpml_language", "value": ["de"]}]
    payload["meta_data"].append({"key": "_wc_shipment_tracking_items", "value": tracking})
    payload["line_items"][0]["meta_data"] = [{"key": "size", "value": {"w": 1}}, {"key": "flag", "value": True}, 4]
    order = normalise(payload)
    assert order.locale is None
    assert order.fulfillments == ()
    assert order.line_items[0].properties == {}


def test_normalise_order_subtotal_is_sum_of_line_subtotals() -> None:
    payload = created_payload()
    payload["line_items"][1]["subtotal"] = "0.02"
    assert normalise(payload).subtotal == Decimal("40.00")


def test_normalise_order_number_falls_back_to_id() -> None:
    payload = created_payload()
    del payload["number"]
    order = normalise(payload)
    assert (order.number, order.name) == ("5120", "#5120")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "id"),
        ({"currency": ""}, "currency"),
        ({"total": "abc"}, "total"),
        ({"total": None}, "total"),
        ({"date_created_gmt": "yesterday"}, "date_created_gmt"),
        ({"date_created_gmt": None, "date_created": None}, "date_created"),
        ({"line_items": "nope"}, "line_items"),
        ({"refunds": [{"id": 1, "total": "x"}]}, "refunds"),
    ],
)
def test_normalise_order_bad_input_raises_naming_the_field(change: dict[str, Any], field: str) -> None:
    payload = {**created_payload(), **change}
    with pytest.raises(MappingError, match=field):
        normalise(payload)


def test_normalise_order_bad_line_item_raises_naming_it() -> None:
    payload = created_payload()
    payload["line_items"][1]["quantity"] = "two"
    with pytest.raises(MappingError, match=r"line_items\[1\]\.quantity"):
        normalise(payload)
