"""The support and demo commands, as a person at a terminal uses them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app import demo
from app.extensions import db
from app.models import InboundWebhook, Order, OrderEvent, Shipment
from integrations import detect_carrier
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture


def test_orders_show_prints_order_shipments_and_history(client, runner):
    post_shopify(client, "orders/partially_fulfilled", shopify_fixture("orders_partially_fulfilled.json"))

    result = runner.invoke(args=["orders", "show", "--shop", SHOP, "#1044"])

    assert result.exit_code == 0, result.output
    assert "Order #1044" in result.output
    assert "ups 1Z999AA10123456784" in result.output
    assert "shipment.created" in result.output and "order.created" in result.output


def test_orders_show_json_is_machine_readable(client, runner):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    result = runner.invoke(args=["orders", "show", "--shop", SHOP, "1042", "--json"])

    document = json.loads(result.output)
    assert document["order"]["total"] == "133.42"
    assert [event["name"] for event in document["events"]] == ["order.created"]


def test_orders_show_never_finds_another_shops_order(client, runner):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), shop="other-store.myshopify.com")

    result = runner.invoke(args=["orders", "show", "--shop", SHOP, "1042"])

    assert result.exit_code != 0
    assert "no store" in result.output or "no order" in result.output


def test_webhooks_list_shows_failures_with_their_reason(client, runner):
    payload = shopify_fixture("orders_updated.json")
    payload["currency"] = None
    post_shopify(client, "orders/create", payload)

    result = runner.invoke(args=["webhooks", "list", "--status", "failed"])

    assert "orders/create" in result.output and "currency" in result.output


def test_webhooks_replay_reapplies_without_duplicating(client, runner):
    inbox_id = post_shopify(client, "orders/create", shopify_fixture("orders_updated.json")).json["inbox_id"]

    result = runner.invoke(args=["webhooks", "replay", str(inbox_id)])

    assert result.exit_code == 0, result.output
    assert "processed" in result.output
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_webhooks_replay_unknown_id_says_so(runner):
    result = runner.invoke(args=["webhooks", "replay", "999999"])

    assert result.exit_code != 0
    assert "no stored webhook with id 999999" in result.output


def test_demo_seed_sends_signed_deliveries_through_the_endpoints(app, client):
    from app.cli.demo import seed

    def send(delivery):  # type: ignore[no-untyped-def]
        return client.post(f"/webhooks/{delivery.platform}", data=delivery.body, headers=delivery.headers).status_code

    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    statuses = seed(send, now)
    again = seed(send, now)

    assert set(statuses) == {200} and set(again) == {200}
    platforms = dict(db.session.execute(select(Order.platform, func.count()).group_by(Order.platform)).all())
    assert platforms == {"shopify": 12, "woocommerce": 8}
    assert db.session.scalar(select(func.count()).where(InboundWebhook.status != "processed")) == 0
    assert db.session.scalar(select(func.sum(InboundWebhook.duplicate_count))) == sum(statuses.values())
    assert db.session.scalar(select(func.count()).select_from(Shipment).where(Shipment.carrier.is_(None))) == 0
    updates = db.session.scalars(select(OrderEvent.data).where(OrderEvent.name == "order.updated")).all()
    assert updates and all("platform_created_at" not in data["changed"] for data in updates)


def test_demo_tracking_numbers_have_valid_check_digits():
    assert detect_carrier(demo.ups_number("1A2B3C", 4201)) == "ups"
    assert detect_carrier(demo.usps_number(700001)) == "usps"


def test_carriers_connect_list_remove_keep_secrets_masked(client, runner):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    connected = runner.invoke(args=["carriers", "connect", "--shop", SHOP, "dhl_express", "site_id=mysite",
                                    "password=-"], input="very-secret-pass\n")  # fmt: skip
    listed = runner.invoke(args=["carriers", "list", "--shop", SHOP])

    assert connected.exit_code == 0, connected.output
    assert "site_id=mysite" in connected.output and "password=****pass" in connected.output
    assert "dhl_express" in listed.output and "password=****pass" in listed.output and "not used yet" in listed.output
    assert "very-secret" not in connected.output + listed.output
    removed = runner.invoke(args=["carriers", "remove", "--shop", SHOP, "dhl_express"])
    assert removed.exit_code == 0 and "removed dhl_express" in removed.output
    assert "no carrier accounts" in runner.invoke(args=["carriers", "list", "--shop", SHOP]).output


def test_carriers_connect_names_the_missing_fields_and_saves_nothing(client, runner):
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"))

    result = runner.invoke(args=["carriers", "connect", "--shop", SHOP, "fedex", "api_key=k"])
    malformed = runner.invoke(args=["carriers", "connect", "--shop", SHOP, "fedex", "api_key"])
    unknown_shop = runner.invoke(args=["carriers", "list", "--shop", "nobody.myshopify.com"])
    missing = runner.invoke(args=["carriers", "remove", "--shop", SHOP, "ups"])

    assert result.exit_code != 0 and "fedex credentials missing: secret_key" in result.output
    assert malformed.exit_code != 0 and "expected key=value" in malformed.output
    assert unknown_shop.exit_code != 0 and "no store nobody.myshopify.com" in unknown_shop.output
    assert missing.exit_code != 0 and "no ups account" in missing.output
    assert "no carrier accounts" in runner.invoke(args=["carriers", "list", "--shop", SHOP]).output


def test_demo_stories_hold_whenever_the_demo_is_seeded():
    from integrations.carriers.simulated import journey

    start = datetime(2026, 12, 21, 0, tzinfo=UTC)  # three weeks over the year's end holidays, every 7 hours
    for hours in range(0, 21 * 24, 7):
        now = start + timedelta(hours=hours)
        for n, story in demo.STORIES.items():
            shipped = demo.shipped_at(n, now)
            assert shipped is not None and shipped < now
            _, number = demo._tracking_number(n, story.scenario)
            seen = journey(number, shipped, demo.SHOPPERS[n % len(demo.SHOPPERS)][5]).events_at(now)
            assert str(seen[-1].status) in story.statuses, (n, now)


def test_demo_seed_gives_the_admin_queues_problems_messages_and_answers(app, client):
    from app.cli.demo import answer_demo_surveys, seed, track_demo_shipments

    def send(delivery):  # type: ignore[no-untyped-def]
        return client.post(f"/webhooks/{delivery.platform}", data=delivery.body, headers=delivery.headers).status_code

    def ask(method, path, body):  # type: ignore[no-untyped-def]
        response = client.open(path, method=method, json=body)
        return response.status_code, response.get_json()

    seed(send)
    track_demo_shipments(timeout=5)
    answered = answer_demo_surveys(ask)
    client.get(f"/demo/admin?shop={demo.SHOPIFY_DOMAIN}")
    queue = client.get("/api/admin/shipments").get_json()
    sent = client.get("/api/admin/notifications?status=sent").get_json()
    answers = client.get("/api/admin/surveys?with_comment=1").get_json()
    carriers = client.get("/api/admin/dashboard?days=30").get_json()["carriers"]

    assert queue["counts"]["delayed"] >= 1 and queue["counts"]["stalled"] >= 1
    assert queue["counts"]["exception"] + queue["counts"]["attempt_failed"] >= 1
    assert all(item["reason"]["text"] for item in queue["items"])
    assert {"delayed", "exception"} <= {item["milestone"] for item in sent["items"]}
    assert answered == 4 and answers["total"] == 3 and answers["summary"]["nps"]["responses"] == 4
    # The delivered parcels were followed from early in their journey, so each was promised a day: on time or not.
    delivered = sum(carrier["delivered"] for carrier in carriers)
    assert delivered >= 4 and sum(carrier["promised"] for carrier in carriers) == delivered, carriers
