"""Orders from the Admin GraphQL API (the backfill's shape) mapped to the same canonical `Order` webhooks give."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fakes.shopify_orders import order_node
from integrations.errors import MappingError
from integrations.models import (
    Address,
    FinancialStatus,
    FulfillmentStatus,
    OrderStatus,
    Platform,
    ShipmentState,
)
from integrations.shopify.graphql_orders import legacy_id, normalise_graphql_order, search_query

SHOP = "afterglow-demo.myshopify.com"
CREATED = datetime(2026, 11, 2, 14, 30, tzinfo=UTC)


def test_graphql_order_maps_ids_money_statuses_and_addresses_to_canonical_values():
    node = order_node(1042, created_at=CREATED, email="ada@example.com", phone="+16135550100", items=2,
                      tracking_number="1Z999AA10123456784")  # fmt: skip

    order = normalise_graphql_order(node, shop_domain=SHOP)

    assert (order.platform, order.shop_domain, order.external_id) == (Platform.SHOPIFY, SHOP, "7000000001042")
    assert (order.number, order.name, order.currency) == ("1042", "#1042", "CAD")
    assert (order.total, order.subtotal, order.total_tax) == (Decimal("37.50"), Decimal("37.50"), Decimal("0.00"))
    assert order.financial_status is FinancialStatus.PAID
    assert order.fulfillment_status is FulfillmentStatus.FULFILLED
    assert order.status is OrderStatus.OPEN
    assert (order.created_at, order.updated_at) == (CREATED, CREATED)
    assert (order.email, order.phone, order.locale) == ("ada@example.com", "+16135550100", "en-CA")
    assert order.customer is not None and order.customer.external_id == "8001042"
    assert order.shipping_address == Address(
        first_name="Ada", last_name="Lovelace", address1="12 Analytical Row", city="Ottawa", province="Ontario",
        province_code="ON", postal_code="K1A 0B1", country_code="CA", phone="+16135550100",
    )  # fmt: skip
    assert [(item.external_id, item.quantity, item.unit_price, item.total, item.product_id, item.variant_id)
            for item in order.line_items] == [
        ("70000000010420", 1, Decimal("12.50"), Decimal("12.50"), "500", "900"),
        ("70000000010421", 2, Decimal("12.50"), Decimal("25.00"), "501", "901"),
    ]  # fmt: skip
    (fulfillment,) = order.fulfillments
    assert (fulfillment.external_id, fulfillment.status, fulfillment.carrier) == (
        "7000000001042", ShipmentState.SUCCESS, "ups")
    assert fulfillment.tracking_numbers == ("1Z999AA10123456784",)
    assert fulfillment.line_items == {"70000000010420": 1, "70000000010421": 2}
    assert order.tags == ("backfill",) and order.source == "web"


def test_graphql_order_in_progress_is_unfulfilled_and_a_cancelled_one_cancelled():
    node = order_node(7, created_at=CREATED)
    node.update(displayFulfillmentStatus="IN_PROGRESS", cancelledAt="2026-11-03T10:00:00Z",
                displayFinancialStatus="VOIDED")  # fmt: skip

    order = normalise_graphql_order(node, shop_domain=SHOP)

    assert order.fulfillment_status is FulfillmentStatus.UNFULFILLED
    assert order.status is OrderStatus.CANCELLED
    assert order.cancelled_at == datetime(2026, 11, 3, 10, tzinfo=UTC)
    assert order.financial_status is FinancialStatus.VOIDED


def test_graphql_order_refunds_keep_amount_and_refunded_lines():
    node = order_node(8, created_at=CREATED, items=1)
    line_id = node["lineItems"]["nodes"][0]["id"]
    node["refunds"] = [{"id": "gid://shopify/Refund/555", "createdAt": "2026-11-04T09:00:00Z", "note": "broken",
                        "totalRefundedSet": {"shopMoney": {"amount": "12.50"}},
                        "refundLineItems": {"nodes": [{"quantity": 1, "lineItem": {"id": line_id}}]}}]  # fmt: skip

    (refund,) = normalise_graphql_order(node, shop_domain=SHOP).refunds

    assert (refund.external_id, refund.amount, refund.reason) == ("555", Decimal("12.50"), "broken")
    assert refund.line_items == {"70000000000080": 1}


def test_graphql_order_ids_above_2_pow_53_stay_exact():
    assert legacy_id("gid://shopify/Order/820982911946154508", "id") == "820982911946154508"


@pytest.mark.parametrize("gid", ["gid://shopify/Order/abc", "", None, 12])
def test_graphql_order_with_a_malformed_id_is_a_mapping_error(gid: object):
    node = order_node(9, created_at=CREATED)
    node["id"] = gid

    with pytest.raises(MappingError, match="id"):
        normalise_graphql_order(node, shop_domain=SHOP)


def test_graphql_order_without_currency_is_a_mapping_error():
    node = order_node(9, created_at=CREATED)
    node["currencyCode"] = None

    with pytest.raises(MappingError, match="currencyCode"):
        normalise_graphql_order(node, shop_domain=SHOP)


def test_search_query_asks_for_every_status_and_bounds_the_creation_date():
    assert search_query(None) == "status:any"
    assert search_query(CREATED) == "status:any created_at:>='2026-11-02T14:30:00Z'"
