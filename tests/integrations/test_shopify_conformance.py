"""Conformance: every real Shopify payload in ../shared/fixtures/shopify, normalised to exact canonical values.

The file name says the topic (`orders_create__rest_order_resource_2014.json` is an orders/create body). A new file
there without an expectation here fails `test_every_shared_shopify_fixture_has_an_expectation`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

from integrations.models import (
    Address,
    Customer,
    FinancialStatus,
    Fulfillment,
    FulfillmentStatus,
    Ignored,
    LineItem,
    Order,
    OrderStatus,
    Platform,
    PrivacyRequest,
    PrivacyRequestKind,
    Refund,
    ShipmentState,
    WebhookEnvelope,
)
from integrations.shopify import normalise_fulfillment, normalise_order, normalise_refund
from integrations.shopify.webhooks import interpret_webhook
from tests.integrations.conftest import load_json, shared_fixture_dir, utc

SHOP = "afterglow-demo.myshopify.com"



def ipod(external_id: str, variant_id: str, sku: str, colour: str | None, **overrides: Any) -> LineItem:
    fields: dict[str, Any] = dict(
        external_id=external_id,
        title="IPod Nano - 8gb",
        quantity=1,
        unit_price=Decimal("199.00"),
        total=Decimal("199.00"),
        product_id="632910392",
        variant_id=variant_id,
        sku=sku,
        variant_title=colour,
        image_url=None,
        requires_shipping=True,
        properties={},
    )
    fields.update(overrides)
    return LineItem(**fields)


ORDERS_CREATE = Order(  # Shopify's 2019 "send test notification" sample: a cancelled, voided test order
    platform=Platform.SHOPIFY,
    shop_domain=SHOP,
    external_id="820982911946154508",
    number="1234",  # order_number, not `number` (234) nor the name (#9999)
    name="#9999",
    currency="USD",
    total=Decimal("403.00"),
    subtotal=Decimal("393.00"),
    total_tax=Decimal("0.00"),
    shipping_total=Decimal("10.00"),
    discount_total=Decimal("5.00"),
    financial_status=FinancialStatus.VOIDED,
    fulfillment_status=FulfillmentStatus.UNFULFILLED,  # "pending" in this old sample: nothing shipped
    status=OrderStatus.CANCELLED,
    platform_status="voided",
    created_at=utc(2019, 6, 4, 17, 53, 6),
    updated_at=utc(2019, 6, 4, 17, 53, 6),
    cancelled_at=utc(2019, 6, 4, 17, 53, 6),
    locale="en",
    email="jon@doe.ca",
    phone="555-555-SHIP",
    customer=Customer(
        external_id="115310627314723954",
        email="john@test.com",
        phone=None,
        first_name="John",
        last_name="Smith",
        accepts_email_marketing=False,  # the customer's accepts_marketing, not the order's buyer_accepts_marketing
        accepts_sms_marketing=None,
        locale="en",
    ),
    shipping_address=Address(
        first_name="Steve",
        last_name="Shipper",
        company="Shipping Company",
        address1="123 Shipping Street",
        address2=None,
        city="Shippington",
        province="Kentucky",
        province_code="KY",
        postal_code="40003",
        country_code="US",
        phone="555-555-SHIP",
    ),
    billing_address=Address(
        first_name="Bob",
        last_name="Biller",
        company="My Company",
        address1="123 Billing Street",
        address2=None,
        city="Billtown",
        province="Kentucky",
        province_code="KY",
        postal_code="K2P0B0",
        country_code="US",
        phone="555-555-BILL",
    ),
    line_items=(
        ipod("866550311766439020", "808950810", "IPOD2008PINK", None, title="IPod Nano - 8GB"),
        ipod("141249953214522974", "808950810", "IPOD2008PINK", None, title="IPod Nano - 8GB", total=Decimal("194.00")),
    ),
    fulfillments=(),
    refunds=(),
    tags=(),
    note=None,
    source="web",
)

BOB_NORMAN_ADDRESS = Address(
    first_name="Bob",
    last_name="Norman",
    company=None,
    address1="Chestnut Street 92",
    address2=None,
    city="Louisville",
    province="Kentucky",
    province_code="KY",
    postal_code="40202",
    country_code="US",
    phone="555-625-1199",
)

ORDERS_CREATE_REST_2014 = Order(
    platform=Platform.SHOPIFY,
    shop_domain=SHOP,
    external_id="450789469",
    number="1001",
    name="#1001",
    currency="USD",
    total=Decimal("409.94"),
    subtotal=Decimal("398.00"),
    total_tax=Decimal("11.94"),
    shipping_total=Decimal("0.00"),  # no total_shipping_price_set in 2014: the "Free Shipping" line's 0.00
    discount_total=Decimal("0.00"),
    financial_status=FinancialStatus.AUTHORIZED,
    fulfillment_status=FulfillmentStatus.UNFULFILLED,
    status=OrderStatus.OPEN,
    platform_status="authorized",
    created_at=utc(2008, 1, 10, 16, 0, 0),
    updated_at=utc(2008, 1, 10, 16, 0, 0),
    cancelled_at=None,
    locale=None,
    email="bob.norman@hostmail.com",
    phone="555-625-1199",
    customer=Customer(
        external_id="207119551",
        email="bob.norman@hostmail.com",
        first_name="Bob",
        last_name="Norman",
        accepts_email_marketing=False,
        accepts_sms_marketing=None,
        locale=None,
    ),
    shipping_address=BOB_NORMAN_ADDRESS,
    billing_address=BOB_NORMAN_ADDRESS,
    line_items=(
        ipod("466157049", "39072856", "IPOD2008GREEN", "green", properties={"Custom Engraving": "Happy Birthday"}),
        ipod("518995019", "49148385", "IPOD2008RED", "red"),
        ipod("703073504", "457924702", "IPOD2008BLACK", "black"),
    ),
    fulfillments=(
        Fulfillment(
            external_id="255858046",
            status=ShipmentState.FAILURE,
            carrier=ANY,  # "1Z2345" is no real UPS number: what detection makes of it is the carriers' call
            carrier_name=None,
            tracking_numbers=("1Z2345",),
            tracking_urls=(
                "http://wwwapps.ups.com/etracking/tracking.cgi?InquiryNumber1=1Z2345&TypeOfInquiryNumber=T"
                "&AcceptUPSLicenseAgreement=yes&submit=Track",
            ),
            service=None,
            created_at=utc(2014, 1, 22, 20, 58, 27),
            updated_at=utc(2014, 1, 22, 20, 58, 27),
            line_items={"466157049": 1},
        ),
    ),
    refunds=(),
    tags=(),
    note=None,
    source="web",
)

FULFILLMENTS_CREATE_REST = Fulfillment(
    external_id="255858046",
    status=ShipmentState.PENDING,
    carrier=ANY,  # "null-company" names no carrier; "1Z2345" is too short to be UPS: left to the carriers package
    carrier_name="null-company",
    tracking_numbers=("1Z2345",),
    tracking_urls=("http://www.google.com/search?q=1Z2345",),
    service=None,
    created_at=utc(2013, 11, 1, 20, 6, 8),
    updated_at=utc(2013, 11, 1, 20, 6, 8),
    line_items={"466157049": 1},
)

REFUNDS_CREATE_VND = Refund(  # a real 2024 delivery from a VND test store
    external_id="1002961240349",
    amount=Decimal("20"),
    created_at=utc(2024, 8, 20, 15, 19, 18),
    reason=None,  # note ""
    line_items={"16014782595357": 1},
)

REFUNDS_CREATE_REST_2016 = Refund(
    external_id="509562969",
    amount=Decimal("209.00"),  # the transaction, not the two lines' 398.00
    created_at=utc(2016, 6, 20, 17, 35, 6),
    reason="it broke during shipping",
    line_items={"703073504": 1, "466157049": 1},
)


def order(payload: Any) -> Order:
    return normalise_order(payload, shop_domain=SHOP)


def ignored_as(topic: str) -> Callable[[Any], Any]:
    def interpret(payload: Any) -> Any:
        envelope = WebhookEnvelope(
            platform=Platform.SHOPIFY, topic=topic, shop_domain=SHOP, event_id="conformance", payload=payload
        )
        change = interpret_webhook(envelope)
        assert isinstance(change, Ignored) and change.reason
        return "ignored"

    return interpret


def interpreted_as(topic: str) -> Callable[[Any], Any]:
    def interpret(payload: Any) -> Any:
        envelope = WebhookEnvelope(
            platform=Platform.SHOPIFY, topic=topic, shop_domain=SHOP, event_id="conformance", payload=payload
        )
        return interpret_webhook(envelope)

    return interpret


EXPECTED: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "orders_create.json": (order, ORDERS_CREATE),
    "orders_create__rest_order_resource_2014.json": (order, ORDERS_CREATE_REST_2014),
    "fulfillments_create__rest_fulfillment_resource.json": (normalise_fulfillment, FULFILLMENTS_CREATE_REST),
    "refunds_create.json": (normalise_refund, REFUNDS_CREATE_VND),
    "refunds_create__rest_refund_resource_2016.json": (normalise_refund, REFUNDS_CREATE_REST_2016),
    "app_uninstalled__rest_shop_resource_2014.json": (
        interpreted_as("app/uninstalled"), PrivacyRequest(PrivacyRequestKind.APP_UNINSTALLED)
    ),
    "customers_data_request.json": (interpreted_as("customers/data_request"), PrivacyRequest(
        PrivacyRequestKind.CUSTOMER_DATA_REQUEST, customer_external_id="191167", email="john@example.com",
        phone="555-625-1199", order_external_ids=("299938", "280263", "220458"), request_id="9999",
    )),
    "customers_redact.json": (interpreted_as("customers/redact"), PrivacyRequest(
        PrivacyRequestKind.CUSTOMER_REDACT, customer_external_id="191167", email="john@example.com",
        phone="555-625-1199", order_external_ids=("299938", "280263", "220458"),
    )),
    "shop_redact.json": (interpreted_as("shop/redact"), PrivacyRequest(PrivacyRequestKind.SHOP_REDACT)),
    "fulfillment_events_create__rest_fulfillment_event_resource.json": (
        ignored_as("fulfillment_events/create"),
        "ignored",
    ),
}


def shared(name: str) -> Path:
    return shared_fixture_dir("shopify") / name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_shopify_fixture_normalises_to_exact_canonical_values(name: str) -> None:
    function, expected = EXPECTED[name]
    payload = load_json(shared(name))

    result = function(payload)

    assert result == expected


def test_every_shared_shopify_fixture_has_an_expectation() -> None:
    present = {path.name for path in shared_fixture_dir("shopify").glob("*.json")}

    assert present == set(EXPECTED)


def test_shared_orders_create_keeps_its_ids_above_2_pow_53_exact() -> None:
    result = order(load_json(shared("orders_create.json")))

    assert result.external_id == "820982911946154508"
    assert [item.external_id for item in result.line_items] == ["866550311766439020", "141249953214522974"]
