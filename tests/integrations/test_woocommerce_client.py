"""The REST client (WooCommerce's `woocommerce` package, wrapped) against the fake WooCommerce over https:
X-WP-TotalPages pagination, retries with backoff on 5xx, 429 and timeouts, and WordPress's error shapes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.server import FakeServer
from fakes.tls import local_certificate
from fakes.woocommerce import FakeWooCommerce, FakeWooStore
from fakes.woocommerce_hooks import php_json
from integrations.errors import AuthenticationError, RetryableError
from integrations.woocommerce.client import RequestError, StoreUnreachable, WooClient


class Setup:
    def __init__(self, fake: FakeWooCommerce, server: FakeServer, store: FakeWooStore) -> None:
        self.fake, self.server, self.store = fake, server, store
        self.slept: list[float] = []

    def client(self, *, secret: str | None = None, permissions: str = "read_write", **options: object) -> WooClient:
        key = self.fake.grant_key(self.store, permissions=permissions)
        return WooClient(store_url=f"{self.server.base_url}/shop", consumer_key=key.consumer_key,
                         consumer_secret=secret or key.consumer_secret, verify=local_certificate().ca_path,
                         sleep=self.slept.append, **options)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture
def woo() -> Iterator[Setup]:
    fake = FakeWooCommerce(timeout_seconds=0.5)
    store = fake.add_store("shop")
    with FakeServer(fake.app, tls=True) as server:
        fake.base_url = server.base_url
        yield Setup(fake, server, store)


def test_client_pages_reads_every_page_until_x_wp_totalpages(woo):
    made = woo.fake.add_orders(woo.store, 250)

    pages = list(woo.client().pages("orders", per_page=100, orderby="id", order="asc"))

    assert [(page.page, len(page.items), page.total, page.total_pages) for page in pages] == [
        (1, 100, 250, 3), (2, 100, 250, 3), (3, 50, 250, 3)]  # fmt: skip
    ids = [order["id"] for page in pages for order in page.items]
    assert sorted(ids) == sorted(order["id"] for order in made) and len(set(ids)) == 250
    assert woo.store.requests == 3


def test_client_pages_without_paging_headers_reads_until_wordpress_says_past_the_end(woo):
    woo.store.paging_headers = False
    woo.fake.add_orders(woo.store, 200)

    pages = list(woo.client().pages("orders", per_page=100))

    assert [(len(page.items), page.total_pages) for page in pages] == [(100, None), (100, None)]
    assert woo.store.requests == 3  # the third page is WordPress's rest_post_invalid_page_number


def test_client_pages_of_an_empty_store_is_nothing(woo):
    assert list(woo.client().pages("orders")) == []


def test_client_retries_5xx_with_growing_waits(woo):
    woo.fake.add_orders(woo.store, 3)
    woo.fake.fail_next(woo.store, 500, 502, 503)

    page = woo.client(backoff=0.5).page("orders", page=1)

    assert len(page.items) == 3 and woo.store.requests == 4
    assert len(woo.slept) == 3 and woo.slept[0] < woo.slept[1] < woo.slept[2]
    assert 0.5 <= woo.slept[0] <= 0.625


def test_client_waits_as_told_on_429(woo):
    woo.fake.fail_next(woo.store, 429)

    woo.client().get("orders")

    assert woo.slept == [0.0]  # the fake's Retry-After


def test_client_retries_a_timeout(woo):
    woo.fake.add_orders(woo.store, 1)
    woo.fake.fail_next(woo.store, "timeout")

    assert len(woo.client(timeout=0.2).get("orders")) == 1
    assert len(woo.slept) == 1


def test_client_gives_up_after_its_attempts(woo):
    woo.fake.fail_next(woo.store, 503, 503, 503, 503)

    with pytest.raises(RetryableError, match="503"):
        woo.client(attempts=3).get("orders")
    assert woo.store.requests == 3


def test_client_refused_keys_raise_authentication_error_without_retrying(woo):
    with pytest.raises(AuthenticationError, match="Consumer secret is invalid"):
        woo.client(secret="cs_wrong").get("orders")
    assert woo.store.requests == 1 and woo.slept == []


def test_client_read_only_key_cannot_create_webhooks(woo):
    with pytest.raises(AuthenticationError, match="does not have write permissions"):
        woo.client(permissions="read").post("webhooks", {"topic": "order.created", "delivery_url": "https://x.test"})
    assert woo.store.webhooks == {}


def test_client_4xx_is_a_request_error_with_wordpress_code(woo):
    with pytest.raises(RequestError) as refused:
        woo.client().get("orders/424242")
    assert (refused.value.status, refused.value.code) == (404, "woocommerce_rest_shop_order_invalid_id")
    assert woo.store.requests == 1


def test_client_webhook_delete_needs_force(woo):
    client = woo.client()
    hook = client.post("webhooks", {"topic": "order.updated", "delivery_url": "https://x.test/hook", "secret": "s"})

    with pytest.raises(RequestError) as refused:
        client.delete(f"webhooks/{hook['id']}")
    assert refused.value.code == "woocommerce_rest_trash_not_supported"
    assert client.delete(f"webhooks/{hook['id']}", params={"force": "true"})["id"] == hook["id"]
    assert woo.store.webhooks == {}


def test_client_store_that_is_down_raises_store_unreachable():
    client = WooClient(store_url="https://127.0.0.1:9/shop", consumer_key="ck_x", consumer_secret="cs_x",
                       attempts=2, sleep=lambda _: None)  # fmt: skip
    with pytest.raises(StoreUnreachable):
        client.get("orders")


def test_fake_webhook_body_is_php_json():
    # wp_json_encode: no spaces, "/" escaped, non-ASCII as \uXXXX, as in the captured WooCommerce 10.2.1 delivery.
    assert php_json({"url": "https://shop.example/a", "name": "Zoë"}) == (
        b'{"url":"https:\\/\\/shop.example\\/a","name":"Zo\\u00eb"}')  # fmt: skip
