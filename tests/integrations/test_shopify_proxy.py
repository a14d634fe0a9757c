"""App proxy signatures, checked against the worked example on shopify.dev ("Authenticate app proxies")."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from integrations.errors import SignatureError
from integrations.shopify.proxy import proxy_signature, verify_app_proxy

# shopify.dev's example request, secret "hush"; the store is the one its published signatures were computed for.
DOCUMENTED = (
    "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1"
    "&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555"
)
SIGNED_IN = "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb"
ANONYMOUS = "e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb"


def params(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def test_proxy_signature_matches_the_documented_examples():
    assert proxy_signature(params(DOCUMENTED), "hush") == SIGNED_IN
    anonymous = DOCUMENTED.replace("logged_in_customer_id=1", "logged_in_customer_id=")
    assert proxy_signature(params(anonymous), "hush") == ANONYMOUS


def test_verify_app_proxy_accepts_the_documented_request_and_reads_who_asks():
    request = verify_app_proxy(params(f"{DOCUMENTED}&signature={SIGNED_IN}"), ["hush"], now=1317327555 + 20)

    assert (request.shop_domain, request.logged_in_customer_id, request.path_prefix) == (
        "shop-name.myshopify.com", "1", "/apps/awesome_reviews"
    )  # fmt: skip


def test_verify_app_proxy_reads_an_empty_customer_id_as_nobody_signed_in():
    anonymous = DOCUMENTED.replace("logged_in_customer_id=1", "logged_in_customer_id=")
    request = verify_app_proxy(params(f"{anonymous}&signature={ANONYMOUS}"), ["hush"], now=1317327555)

    assert request.logged_in_customer_id is None


@pytest.mark.parametrize(
    ("query", "missing"),
    [
        (DOCUMENTED, True),  # no signature at all
        (f"{DOCUMENTED}&signature={SIGNED_IN}".replace("extra=2", "extra=3"), False),  # a value changed
        (f"{DOCUMENTED}&signature={SIGNED_IN}&extra=4", False),  # a value added to a repeated key
        (f"{DOCUMENTED}&signature={'0' * 64}", False),
    ],
)
def test_verify_app_proxy_refuses_a_missing_or_wrong_signature(query, missing):
    with pytest.raises(SignatureError) as caught:
        verify_app_proxy(params(query), ["hush"], now=1317327555)
    assert caught.value.missing is missing


def test_verify_app_proxy_refuses_a_replayed_request_after_the_allowed_skew():
    with pytest.raises(SignatureError, match="from now"):
        verify_app_proxy(params(f"{DOCUMENTED}&signature={SIGNED_IN}"), ["hush"], now=1317327555 + 301)


def test_verify_app_proxy_accepts_the_previous_secret_during_a_rotation():
    request = verify_app_proxy(params(f"{DOCUMENTED}&signature={SIGNED_IN}"), ["new-secret", "hush"], now=1317327555)

    assert request.shop_domain == "shop-name.myshopify.com"


def test_verify_app_proxy_refuses_a_signed_request_for_a_store_outside_myshopify():
    query = "shop=evil.example.com&timestamp=1317327555"
    signed = f"{query}&signature={proxy_signature(params(query), 'hush')}"

    with pytest.raises(SignatureError, match="no valid shop"):
        verify_app_proxy(params(signed), ["hush"], now=1317327555)
