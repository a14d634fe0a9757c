"""The admin JSON API, authenticated by App Bridge session tokens: the current shop and its settings; every bad
token gets 401 with the header that makes App Bridge retry with a fresh one; the previous client secret still
works for tokens and webhooks during a secret rotation, and stops working once it is unset."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.admin import auth
from app.extensions import db
from app.models import InboundWebhook, Shop
from app.services.shops import get_or_create_shop
from integrations.shopify.proxy import proxy_signature
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture
from tests.shopify_fake import session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
OLD_SECRET = "retired-shopify-secret"


@pytest.fixture
def shop(app) -> Shop:  # type: ignore[no-untyped-def]
    row = get_or_create_shop(platform="shopify", domain=SHOP)
    row.name = "Afterglow Demo"
    db.session.commit()
    return row


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_admin_shop_answers_the_authenticated_store_its_platform_and_settings(client, shop):
    response = client.get("/api/admin/shop", headers=bearer(session_token(SHOP)))

    assert response.status_code == 200
    document = response.get_json()["shop"]
    assert (document["domain"], document["platform"], document["name"]) == (SHOP, "shopify", "Afterglow Demo")
    assert document["settings"] == {"tracking_writeback": False, "survey_kind": "nps", "recommendations": True,
                                    "show_estimate": True, "show_timeline": True, "show_items": True,
                                    "show_survey": True}  # fmt: skip
    assert document["connected"] is False  # no token stored yet
    assert response.headers["Cache-Control"] == "private, no-store"


def test_admin_settings_change_is_validated_and_stored_for_that_store(client, shop):
    headers = bearer(session_token(SHOP))

    changed = client.patch("/api/admin/shop/settings", json={"tracking_writeback": True}, headers=headers)
    refused = client.patch("/api/admin/shop/settings", json={"tracking_writeback": "maybe"}, headers=headers)

    assert changed.status_code == 200 and changed.get_json()["shop"]["settings"]["tracking_writeback"] is True
    assert refused.status_code == 422 and "tracking_writeback" in refused.get_json()["message"]


@pytest.mark.parametrize("path", ["/api/admin/shop", "/api/admin/settings", "/api/admin/credentials",
                                  "/api/admin/onboarding", "/api/admin/shipments?page=two",
                                  "/api/admin/notifications/preview?journey=shipped&channel=email"])
def test_admin_api_answers_are_never_kept_by_a_shared_cache(client, shop, path):
    response = client.get(path, headers=bearer(session_token(SHOP)))

    assert response.status_code in (200, 400)
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("body", [["shipped"], "shipped", {"journey": "shipped", "locale": 5}])
def test_admin_template_preview_refuses_a_malformed_body_with_the_reason(client, shop, body):
    response = client.post("/api/admin/notifications/preview", json=body, headers=bearer(session_token(SHOP)))

    assert response.status_code == 400
    assert response.get_json()["error"]


def _alg_none() -> str:
    part = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    claims = {"iss": f"https://{SHOP}/admin", "dest": f"https://{SHOP}", "aud": "test-key", "sub": "1",
              "exp": int(time.time()) + 60, "nbf": int(time.time()) - 1}  # fmt: skip
    return part + "." + base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode() + "."


BAD_TOKENS = {
    "wrong audience": lambda: session_token(SHOP, audience="another-app"),
    "wrong shop": lambda: session_token(SHOP, dest="https://other-store.myshopify.com"),
    "expired": lambda: session_token(SHOP, exp=int(time.time()) - 30),
    "not yet valid": lambda: session_token(SHOP, nbf=int(time.time()) + 60),
    "alg none": _alg_none,
    "wrong secret": lambda: session_token(SHOP, secret="not-the-app-secret"),
    "previous secret, no rotation under way": lambda: session_token(SHOP, secret=OLD_SECRET),
    "store not installed": lambda: session_token("never-installed.myshopify.com"),
    "garbage": lambda: "not-a-jwt",
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_admin_api_refuses_a_bad_session_token_with_401_and_the_retry_header(client, shop, case):
    response = client.get("/api/admin/shop", headers=bearer(BAD_TOKENS[case]()))

    assert response.status_code == 401
    assert response.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"
    assert SHOP not in response.get_data(as_text=True)


def test_admin_api_without_credentials_is_401(client, shop):
    assert client.get("/api/admin/shop").status_code == 401


def test_admin_api_refuses_the_token_of_an_uninstalled_store(client, shop):
    post_shopify(client, "app/uninstalled", {"id": 1})
    db.session.rollback()  # the test's session outlives requests; a real request starts a fresh one

    response = client.get("/api/admin/shop", headers=bearer(session_token(SHOP)))

    assert response.status_code == 401


def test_admin_authenticators_are_tried_in_order_and_the_first_shop_wins(client, shop, monkeypatch):
    seen: list[str] = []

    def refuses(request):  # type: ignore[no-untyped-def]
        seen.append("refuses")
        return None

    def vouches(request):  # type: ignore[no-untyped-def]
        seen.append("vouches")
        return db.session.get(Shop, shop.id)

    monkeypatch.setattr(auth, "AUTHENTICATORS", [refuses, vouches, auth.shopify_session_token])

    response = client.get("/api/admin/shop")

    assert response.status_code == 200 and response.get_json()["shop"]["domain"] == SHOP
    assert seen == ["refuses", "vouches"]


@pytest.fixture
def rotating(app):  # type: ignore[no-untyped-def]
    app.config["AFTERGLOW"].shopify_api_secret_previous = OLD_SECRET
    yield app
    app.config["AFTERGLOW"].shopify_api_secret_previous = None


def test_secret_rotation_accepts_tokens_and_webhooks_signed_with_the_previous_secret(client, shop, rotating):
    token = session_token(SHOP, secret=OLD_SECRET)

    api = client.get("/api/admin/shop", headers=bearer(token))
    webhook = post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), secret=OLD_SECRET)
    unknown = post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), secret="other-secret")

    assert api.status_code == 200
    assert webhook.status_code == 200 and unknown.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(InboundWebhook)) == 1


def test_secret_rotation_accepts_app_proxy_requests_signed_with_the_previous_secret(client, shop, rotating):
    params = {"shop": SHOP, "logged_in_customer_id": "", "path_prefix": "/apps/afterglow",
              "timestamp": str(int(time.time()))}  # fmt: skip

    def signed(secret: str) -> str:
        return "/proxy/api/orders/mine?" + urlencode({**params, "signature": proxy_signature(params.items(), secret)})

    old, other = client.get(signed(OLD_SECRET)), client.get(signed("another-apps-secret"))

    assert old.status_code == 401 and old.get_json()["error"] == "not_signed_in"  # past the signature check
    assert other.status_code == 401 and other.get_json()["error"] == "bad_signature"


def test_webhook_signed_with_a_retired_secret_is_refused_once_the_rotation_ends(client, shop):
    response = post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), secret=OLD_SECRET)

    assert response.status_code == 401
