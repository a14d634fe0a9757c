"""Our own current-shape Shopify payloads (tests/fixtures/shopify) normalised field by field, plus edge cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from integrations import MappingError
from integrations.models import (
    Address,
    Customer,
    FinancialStatus,
    Fulfillment,
    FulfillmentStatus,
    LineItem,
    Order,
    OrderStatus,
    Platform,
    Refund,
    ShipmentState,
)
from integrations.shopify import normalise_fulfillment, normalise_order, normalise_refund
from tests.integrations.conftest import utc

SHOP = "afterglow-demo.myshopify.com"



# --- our fixtures, exactly ---------------------------------------------------------------------------------------


def test_normalise_order_maps_an_open_paid_order_field_by_field(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")

    order = normalise_order(payload, shop_domain=SHOP)

    maya_address = dict(
        first_name="Maya",
        last_name="Lindqvist",
        address1="200 Harbor Way",
        address2="Apt 4",
        city="Portland",
        province="Oregon",
        province_code="OR",
        postal_code="97209",
        country_code="US",
    )
    assert order == Order(
        platform=Platform.SHOPIFY,
        shop_domain=SHOP,
        external_id="6012345678901",
        number="1042",
        name="#1042",
        currency="USD",
        total=Decimal("133.42"),
        subtotal=Decimal("117.10"),
        total_tax=Decimal("9.37"),
        shipping_total=Decimal("6.95"),
        discount_total=Decimal("8.90"),
        financial_status=FinancialStatus.PAID,
        fulfillment_status=FulfillmentStatus.UNFULFILLED,
        status=OrderStatus.OPEN,
        platform_status="paid",
        created_at=utc(2026, 3, 2, 15, 15, 0),
        updated_at=utc(2026, 3, 2, 15, 17, 41),
        cancelled_at=None,
        locale="en",
        email="maya@example.com",
        phone="+15550100200",  # neither the order nor the customer has one: the shipping address does
        customer=Customer(
            external_id="7712345678901",
            email="maya@example.com",
            phone=None,
            first_name="Maya",
            last_name="Lindqvist",
            accepts_email_marketing=True,  # no consent on the 2025-01+ customer: the checkout box decides
            accepts_sms_marketing=None,
            locale="en",
        ),
        shipping_address=Address(**maya_address, phone="+15550100200"),
        billing_address=Address(**maya_address),
        line_items=(
            LineItem(
                external_id="14998877665501",
                title="Linen Throw Blanket",
                quantity=1,
                unit_price=Decimal("89.00"),
                total=Decimal("80.10"),  # the 8.90 allocation counted once, not again through total_discount
                product_id="8812345678901",
                variant_id="45123456789001",
                sku="LTB-OAT-L",
                variant_title="Oat / Large",
                image_url=None,
                requires_shipping=True,
                properties={"Gift message": "Happy housewarming!", "_bundle_ref": "7"},
            ),
            LineItem(
                external_id="14998877665502",
                title="Beeswax Candle",
                quantity=2,
                unit_price=Decimal("18.50"),
                total=Decimal("37.00"),
                product_id="8812345678902",
                variant_id="45123456789002",
                sku="BWC-01",
                variant_title=None,
                properties={},
            ),
        ),
        fulfillments=(),
        refunds=(),
        tags=("vip", "gift wrap", "repeat-buyer"),
        note="Please leave the parcel at the side door",
        source="web",
    )


def test_normalise_order_maps_a_cancelled_order_with_cancelled_at(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_cancelled.json")

    order = normalise_order(payload, shop_domain=SHOP)

    assert order.status is OrderStatus.CANCELLED  # cancelled wins over closed
    assert order.cancelled_at == utc(2026, 3, 3, 8, 12, 30)
    assert order.financial_status is FinancialStatus.VOIDED
    assert order.platform_status == "voided"
    assert (order.currency, order.total, order.total_tax, order.shipping_total) == (
        "EUR",
        Decimal("53.90"),
        Decimal("7.82"),
        Decimal("4.90"),
    )
    assert order.phone == "+4915112345678"  # from the customer
    assert order.customer is not None and order.customer.accepts_email_marketing is False
    assert order.locale == "de"
    assert order.billing_address is None
    assert order.shipping_address == Address(
        first_name="Jonas",
        last_name="Becker",
        company="Becker & Töchter GmbH",
        address1="Lindenstraße 12",
        city="Berlin",
        postal_code="10969",
        country_code="DE",
    )
    assert order.tags == ()
    assert order.line_items == (
        LineItem(
            external_id="14998877665601",
            title="Stoneware Mug Set",
            quantity=1,
            unit_price=Decimal("49.00"),
            total=Decimal("49.00"),
            product_id="8812345678903",
            variant_id="45123456789003",
            sku="SMS-SAGE",
            variant_title="Sage",
        ),
    )


def test_normalise_order_maps_two_fulfillments_and_a_refund_of_a_partially_fulfilled_order(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_partially_fulfilled.json")

    order = normalise_order(payload, shop_domain=SHOP)

    assert order.external_id == "9007199254740993"
    assert order.fulfillment_status is FulfillmentStatus.PARTIALLY_FULFILLED
    assert order.financial_status is FinancialStatus.PARTIALLY_REFUNDED
    assert (order.total, order.subtotal, order.total_tax, order.shipping_total) == (
        Decimal("193.32"),
        Decimal("179.00"),
        Decimal("14.32"),
        Decimal("0.00"),
    )
    assert order.phone == "+15550100300"
    assert order.tags == ("wholesale", "fragile")
    assert order.created_at == utc(2026, 3, 4, 17, 30, 0)
    assert [(item.external_id, item.quantity, item.total) for item in order.line_items] == [
        ("9007199254740995", 1, Decimal("120.00")),
        ("9007199254740997", 1, Decimal("15.00")),
        ("9007199254740999", 2, Decimal("44.00")),
    ]
    assert order.line_items[1].properties == {"Initials": "P.N."}
    assert order.fulfillments == (
        Fulfillment(
            external_id="9007199254741001",
            status=ShipmentState.SUCCESS,
            carrier="ups",
            carrier_name="UPS",
            tracking_numbers=("1Z999AA10123456784", "1Z999AA10123456793"),
            tracking_urls=(
                "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z999AA10123456784",
                "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z999AA10123456793",
            ),
            service=None,
            created_at=utc(2026, 3, 4, 22, 2, 10),
            updated_at=utc(2026, 3, 5, 15, 45, 0),
            line_items={"9007199254740995": 1, "9007199254740997": 1},
        ),
        Fulfillment(
            external_id="9007199254741003",
            status=ShipmentState.SUCCESS,
            carrier="usps",
            carrier_name="USPS",
            tracking_numbers=("9400111899223197428497",),
            tracking_urls=("https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428497",),
            service=None,
            created_at=utc(2026, 3, 5, 18, 20, 0),
            updated_at=utc(2026, 3, 5, 18, 20, 0),
            line_items={"9007199254740999": 1},
        ),
    )
    assert order.refunds == (
        Refund(
            external_id="9007199254741005",
            amount=Decimal("23.76"),
            created_at=utc(2026, 3, 5, 19, 30, 0),
            reason="Customer no longer needs the second pouch",
            line_items={"9007199254740999": 1},
        ),
    )


def test_normalise_fulfillment_detects_the_carrier_from_the_number_when_no_company_is_named(own_fixture: Any) -> None:
    payload = own_fixture("shopify/fulfillments_update.json")

    fulfillment = normalise_fulfillment(payload)

    assert fulfillment == Fulfillment(
        external_id="5198765432101",
        status=ShipmentState.SUCCESS,
        carrier="ups",
        carrier_name=None,
        tracking_numbers=("1Z999AA10123456784",),  # stripped, and the single field adds no duplicate
        tracking_urls=("https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z999AA10123456784",),
        service=None,
        created_at=utc(2026, 3, 2, 21, 40, 0),
        updated_at=utc(2026, 3, 4, 13, 5, 12),
        line_items={"14998877665501": 1, "14998877665502": 2},
    )


# --- edge cases ----------------------------------------------------------------------------------------------------


def test_normalise_order_without_created_at_is_a_mapping_error_naming_the_field(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    del payload["created_at"]

    with pytest.raises(MappingError, match="created_at"):
        normalise_order(payload, shop_domain=SHOP)


def test_normalise_order_without_updated_at_takes_created_at(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["updated_at"] = None

    order = normalise_order(payload, shop_domain=SHOP)

    assert order.updated_at == order.created_at == utc(2026, 3, 2, 15, 15, 0)


def test_normalise_order_refuses_a_timestamp_without_offset(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["created_at"] = "2026-03-02T10:15:00"

    with pytest.raises(MappingError, match="created_at"):
        normalise_order(payload, shop_domain=SHOP)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", None, "id: missing"),
        ("total_price", None, "total_price: missing"),
        ("total_price", "lots", "total_price"),
        ("currency", "", "currency: missing"),
        ("line_items", {"id": 1}, "line_items: expected a list"),
    ],
)
def test_normalise_order_names_the_field_at_fault(own_fixture: Any, field: str, value: Any, message: str) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload[field] = value

    with pytest.raises(MappingError, match=message):
        normalise_order(payload, shop_domain=SHOP)


def test_normalise_order_names_the_line_item_at_fault(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["line_items"][1]["price"] = "eighteen"

    with pytest.raises(MappingError, match=r"line_items\[1\]\.price"):
        normalise_order(payload, shop_domain=SHOP)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("", ()),
        (None, ()),
        ("vip", ("vip",)),
        (" vip ,  gift wrap,,  , repeat-buyer ", ("vip", "gift wrap", "repeat-buyer")),
        (["vip", " gift "], ("vip", "gift")),
    ],
)
def test_normalise_order_splits_tags_on_commas(own_fixture: Any, tags: Any, expected: tuple[str, ...]) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["tags"] = tags

    assert normalise_order(payload, shop_domain=SHOP).tags == expected


def test_normalise_order_keeps_ids_above_2_pow_53_exact(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_partially_fulfilled.json")

    order = normalise_order(payload, shop_domain=SHOP)

    # 2**53 + 1 is the first integer a float cannot hold: it would come back as ...992.
    assert order.external_id == "9007199254740993"
    assert order.customer is not None and order.customer.external_id == "9007199254741011"
    assert order.line_items[2].external_id == "9007199254740999"
    assert order.fulfillments[1].line_items == {"9007199254740999": 1}


def test_normalise_order_refuses_an_id_that_went_through_a_float(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["id"] = 6012345678901.0

    with pytest.raises(MappingError, match="id"):
        normalise_order(payload, shop_domain=SHOP)


def test_normalise_order_sums_shipping_lines_without_a_shipping_price_set(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    del payload["total_shipping_price_set"]
    payload["shipping_lines"].append({"id": 1, "title": "Gift wrap courier", "price": "3.05"})

    assert normalise_order(payload, shop_domain=SHOP).shipping_total == Decimal("10.00")


def test_normalise_order_prefers_the_email_marketing_consent_state(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["customer"]["accepts_marketing"] = True
    payload["customer"]["email_marketing_consent"] = {"state": "unsubscribed", "opt_in_level": "single_opt_in"}
    payload["customer"]["sms_marketing_consent"] = {"state": "subscribed", "opt_in_level": "single_opt_in"}

    customer = normalise_order(payload, shop_domain=SHOP).customer

    assert customer is not None
    assert (customer.accepts_email_marketing, customer.accepts_sms_marketing) == (False, True)


def test_normalise_order_falls_back_to_accepts_marketing(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["buyer_accepts_marketing"] = False
    payload["customer"]["accepts_marketing"] = True

    customer = normalise_order(payload, shop_domain=SHOP).customer

    assert customer is not None and customer.accepts_email_marketing is True


def test_normalise_order_takes_contact_email_when_email_is_blank(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["email"] = ""
    payload["contact_email"] = "maya.contact@example.com"

    assert normalise_order(payload, shop_domain=SHOP).email == "maya.contact@example.com"


def test_normalise_order_upper_cases_country_codes(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["shipping_address"]["country_code"] = "us"

    address = normalise_order(payload, shop_domain=SHOP).shipping_address

    assert address is not None and address.country_code == "US"


def test_normalise_order_without_customer_has_none(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["customer"] = None

    assert normalise_order(payload, shop_domain=SHOP).customer is None


def test_normalise_order_maps_closed_orders_and_unknown_words(own_fixture: Any) -> None:
    payload = own_fixture("shopify/orders_updated.json")
    payload["closed_at"] = "2026-03-10T00:00:00-05:00"
    payload["financial_status"] = "something_new"
    payload["fulfillment_status"] = "in_progress"

    order = normalise_order(payload, shop_domain=SHOP)

    assert order.status is OrderStatus.CLOSED
    assert order.financial_status is FinancialStatus.UNKNOWN
    assert order.platform_status == "something_new"
    assert order.fulfillment_status is FulfillmentStatus.UNKNOWN


def test_normalise_fulfillment_dedupes_and_strips_tracking_numbers_in_order() -> None:
    payload = {
        "id": 1,
        "status": "open",
        "tracking_company": "Canada Post ",
        "tracking_numbers": [" 7023210039414604 ", "", "1Z999AA10123456784", "7023210039414604"],
        "tracking_number": "7023210039414604",
        "tracking_urls": None,
        "tracking_url": None,
        "service": "Expedited Parcel",
        "line_items": [{"id": 5, "quantity": 1}, {"id": 5, "quantity": 2}],
    }

    fulfillment = normalise_fulfillment(payload)

    assert fulfillment.tracking_numbers == ("7023210039414604", "1Z999AA10123456784")
    assert fulfillment.tracking_urls == ()
    assert fulfillment.carrier_name == "Canada Post"
    assert fulfillment.service == "Expedited Parcel"
    assert fulfillment.status is ShipmentState.OPEN
    assert fulfillment.line_items == {"5": 3}
    assert fulfillment.created_at is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pending", ShipmentState.PENDING),
        ("open", ShipmentState.OPEN),
        ("success", ShipmentState.SUCCESS),
        ("cancelled", ShipmentState.CANCELLED),
        ("error", ShipmentState.ERROR),
        ("failure", ShipmentState.FAILURE),
        ("SUCCESS", ShipmentState.SUCCESS),
        ("on_a_boat", ShipmentState.UNKNOWN),
        (None, ShipmentState.UNKNOWN),
    ],
)
def test_normalise_fulfillment_maps_status_words(raw: Any, expected: ShipmentState) -> None:
    assert normalise_fulfillment({"id": 1, "status": raw}).status is expected


def test_normalise_fulfillment_names_the_carrier_from_the_company_before_the_number() -> None:
    payload = {"id": 1, "status": "success", "tracking_company": "USPS", "tracking_number": "1Z999AA10123456784"}

    assert normalise_fulfillment(payload).carrier == "usps"


def test_normalise_refund_counts_only_successful_refund_transactions() -> None:
    payload = {
        "id": 10,
        "created_at": "2026-03-05T11:30:00-08:00",
        "note": "",
        "transactions": [
            {"kind": "refund", "status": "success", "amount": "10.00"},
            {"kind": "refund", "status": "failure", "amount": "99.00"},
            {"kind": "refund", "status": "pending", "amount": "98.00"},
            {"kind": "sale", "status": "success", "amount": "97.00"},
            {"kind": "refund", "amount": "2.50"},
        ],
    }

    refund = normalise_refund(payload)

    assert refund.amount == Decimal("12.50")
    assert refund.reason is None


def test_normalise_refund_without_transactions_uses_line_subtotals_and_tax() -> None:
    payload = {
        "id": 11,
        "refund_line_items": [
            {
                "line_item_id": 9007199254740999,
                "quantity": 1,
                "subtotal": Decimal("22.0"),
                "total_tax": Decimal("1.76"),
            },
            {"line_item_id": 9007199254740999, "quantity": 1, "subtotal": "22.00", "total_tax": "1.76"},
        ],
        "transactions": [],
    }

    refund = normalise_refund(payload)

    assert refund.amount == Decimal("47.52")
    assert refund.line_items == {"9007199254740999": 2}
