"""The real Admin GraphQL client and token issuer against the fake Shopify, over HTTP on a local port.

Waits are measured on an injected clock that the client's sleeps move forward; the fake refills its bucket on the
same clock, so a wait that is too short gets THROTTLED again and shows up in the counts.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from fakes.shopify_fulfillments import FULFILLMENT_EVENT_STATUSES
from integrations.errors import AuthenticationError, RetryableError
from integrations.models import TrackingStatus
from integrations.shopify.admin import (
    FULFILLMENT_EVENT_STATUS,
    create_fulfillment_event,
    find_fulfillment_event,
    fulfillment_event_input,
    place,
    shop_details,
)
from integrations.shopify.client import AdminClient
from integrations.shopify.errors import (
    ShopifyAccessError,
    ShopifyGraphQLError,
    ShopifyUncertainWrite,
    ShopifyUserError,
)
from tests.shopify_fake import CLIENT_ID, CLIENT_SECRET, Harness, fake_shopify

# The suite's app secret (which signs session tokens) is shorter than PyJWT recommends; production secrets are not.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

SHOP = "afterglow-demo.myshopify.com"
SCAN = datetime(2026, 3, 4, 15, 50, tzinfo=UTC)


def client_for(harness: Harness, tokens=None, **options) -> AdminClient:  # type: ignore[no-untyped-def]
    return AdminClient(SHOP, tokens or harness.tokens(SHOP), http=harness.http, sleep=harness.clock.sleep,
                       clock=harness.clock, **options)  # fmt: skip


def milestone(status: TrackingStatus = TrackingStatus.IN_TRANSIT, fulfillment_id: str = "255858046") -> dict:  # type: ignore[type-arg]
    event = fulfillment_event_input(fulfillment_id=fulfillment_id, status=status, happened_at=SCAN,
                                    message="On its way", location="Memphis, TN, US")  # fmt: skip
    assert event is not None
    return event


@pytest.fixture
def harness():  # type: ignore[no-untyped-def]
    with fake_shopify(SHOP) as running:
        running.fake.add_fulfillment(SHOP, "255858046")
        yield running


def test_admin_client_reads_shop_details(harness):
    details = shop_details(client_for(harness))

    assert (details.name, details.currency, details.timezone) == ("Afterglow Demo", "EUR", "Europe/Paris")


def test_admin_client_on_an_unsupported_api_version_gets_an_access_error(harness):
    with pytest.raises(ShopifyAccessError) as raised:
        shop_details(client_for(harness, api_version="2019-04"))

    assert raised.value.status == 404


def test_admin_client_writes_a_fulfillment_event_the_store_then_lists(harness):
    client = client_for(harness)

    event_id = create_fulfillment_event(client, milestone())

    [written] = harness.fake.events(SHOP)
    assert written["id"] == event_id
    assert (written["status"], written["happenedAt"], written["city"], written["province"], written["country"]) == (
        "IN_TRANSIT", "2026-03-04T15:50:00Z", "Memphis", "TN", "US")  # fmt: skip
    gid = "gid://shopify/Fulfillment/255858046"
    assert find_fulfillment_event(client, fulfillment_gid=gid, status="IN_TRANSIT",
                                  happened_at="2026-03-04T15:50:00+00:00") == event_id  # fmt: skip
    assert find_fulfillment_event(client, fulfillment_gid=gid, status="DELIVERED",
                                  happened_at="2026-03-04T15:50:00Z") is None  # fmt: skip


def test_admin_client_throttled_waits_until_the_bucket_holds_the_cost_then_succeeds():
    # A bucket of 20 points refilling at 2/s: two mutations (10 each) empty it.
    with fake_shopify(SHOP, bucket_maximum=20, restore_rate=2) as harness:
        harness.fake.add_fulfillment(SHOP, "255858046")
        tokens = harness.tokens(SHOP)
        other_worker = client_for(harness, tokens)
        create_fulfillment_event(other_worker, milestone(TrackingStatus.INFO_RECEIVED))
        create_fulfillment_event(other_worker, milestone(TrackingStatus.IN_TRANSIT))
        client = client_for(harness, tokens)  # knows nothing of the bucket yet

        create_fulfillment_event(client, milestone(TrackingStatus.OUT_FOR_DELIVERY))

        # THROTTLED once; then 10 points missing at 2/s = 5 s (plus a hair), and the retry is accepted.
        assert harness.fake.calls["throttled"] == 1
        assert harness.clock.slept == [5.05]
        assert [event["status"] for event in harness.fake.events(SHOP)] == [
            "CONFIRMED", "IN_TRANSIT", "OUT_FOR_DELIVERY"]  # fmt: skip


def test_admin_client_waits_before_sending_when_the_last_answer_showed_an_empty_bucket():
    with fake_shopify(SHOP, bucket_maximum=20, restore_rate=2) as harness:
        harness.fake.add_fulfillment(SHOP, "255858046")
        client = client_for(harness)
        create_fulfillment_event(client, milestone(TrackingStatus.INFO_RECEIVED))
        create_fulfillment_event(client, milestone(TrackingStatus.IN_TRANSIT))

        create_fulfillment_event(client, milestone(TrackingStatus.OUT_FOR_DELIVERY))

        assert harness.fake.calls["throttled"] == 0  # it never sent a call the bucket would refuse
        assert harness.clock.slept == [5.0]


def test_admin_client_throttled_past_its_patience_raises_retryable_with_the_wait():
    with fake_shopify(SHOP, bucket_maximum=20, restore_rate=0.01) as harness:
        harness.fake.add_fulfillment(SHOP, "255858046")
        tokens = harness.tokens(SHOP)
        drain = client_for(harness, tokens)
        create_fulfillment_event(drain, milestone(TrackingStatus.INFO_RECEIVED))
        create_fulfillment_event(drain, milestone(TrackingStatus.IN_TRANSIT))

        with pytest.raises(RetryableError) as raised:
            create_fulfillment_event(client_for(harness, tokens), milestone(TrackingStatus.DELIVERED))

        assert raised.value.retry_after == pytest.approx(1000, rel=0.01)  # 10 points at 0.01/s
        assert len(harness.fake.events(SHOP)) == 2


def test_admin_client_http_429_waits_retry_after(harness):
    harness.fake.fail_next(SHOP, 429)

    shop_details(client_for(harness))

    assert harness.clock.slept == [2.05]  # the fake's Retry-After: 2.0


def test_admin_client_retries_5xx_with_exponential_backoff(harness):
    harness.fake.fail_next(SHOP, 503, 502)

    assert shop_details(client_for(harness)).name == "Afterglow Demo"

    assert harness.clock.slept == [0.5, 1.0]


def test_admin_client_gives_up_on_repeated_5xx_with_retryable_error(harness):
    harness.fake.fail_next(SHOP, 500, 500, 500, 500, 500)

    with pytest.raises(RetryableError):
        shop_details(client_for(harness))

    assert harness.clock.slept == [0.5, 1.0, 2.0]  # four attempts, three waits


def test_admin_client_retries_after_a_timeout():
    with fake_shopify(SHOP, timeout=0.2, timeout_seconds=0.6) as harness:
        harness.fake.fail_next(SHOP, "timeout")

        assert shop_details(client_for(harness)).currency == "EUR"

        assert harness.clock.slept == [0.5]


def test_admin_client_mutation_without_an_answer_is_not_resent():
    with fake_shopify(SHOP, timeout=0.2, timeout_seconds=0.5) as harness:
        harness.fake.add_fulfillment(SHOP, "255858046")
        harness.fake.fail_next(SHOP, "timeout")

        with pytest.raises(ShopifyUncertainWrite):
            create_fulfillment_event(client_for(harness), milestone())

        time.sleep(0.5)
        assert len(harness.fake.events(SHOP)) == 1  # Shopify did apply it: resending would have written it twice
        assert harness.clock.slept == []


def test_admin_client_refreshes_once_on_401_and_retries(harness):
    tokens = harness.tokens(SHOP)
    spent = tokens.refresh_token
    harness.fake.expire_access_tokens(SHOP)

    assert shop_details(client_for(harness, tokens)).name == "Afterglow Demo"

    assert (tokens.refreshes, harness.fake.calls["refresh"], harness.fake.calls["unauthorized"]) == (1, 1, 1)
    with pytest.raises(AuthenticationError):  # Shopify rotated it: the old refresh token is refused now
        harness.issuer().refresh(shop_domain=SHOP, refresh_token=spent)


def test_admin_client_on_an_uninstalled_store_raises_authentication_error(harness):
    tokens = harness.tokens(SHOP)
    harness.fake.uninstall(SHOP)

    with pytest.raises(AuthenticationError):
        shop_details(client_for(harness, tokens))

    assert harness.fake.calls["refused_refresh"] == 1


def test_admin_client_user_errors_are_typed_with_their_field_path(harness):
    with pytest.raises(ShopifyUserError) as raised:
        create_fulfillment_event(client_for(harness), milestone(fulfillment_id="999"))

    [error] = raised.value.errors
    assert error.field == ("fulfillmentEvent", "fulfillmentId")
    assert "does not exist" in error.message
    assert harness.fake.events(SHOP) == []


def test_admin_client_invalid_enum_is_a_graphql_error(harness):
    event = {**milestone(), "status": "LOST_IN_SPACE"}

    with pytest.raises(ShopifyGraphQLError) as raised:
        create_fulfillment_event(client_for(harness), event)

    assert "status" in str(raised.value)


def test_token_issuer_exchanges_a_session_token_for_an_expiring_offline_token(harness):
    session_token = harness.fake.session_token(SHOP)
    claims = jwt.decode(session_token, CLIENT_SECRET, algorithms=["HS256"], audience=CLIENT_ID)

    issued = harness.issuer().exchange(id_token=session_token, claims=claims)

    assert issued.access_token.startswith("shpat_") and issued.refresh_token
    assert issued.expires_at is not None
    assert timedelta(minutes=59) < issued.expires_at - datetime.now(UTC) <= timedelta(minutes=60)
    assert issued.access_token not in repr(issued) and issued.refresh_token not in repr(issued)


def test_token_issuer_refuses_a_session_token_signed_by_someone_else(harness):
    other_key = "not-the-app-secret-but-long-enough-for-hs256"
    forged = jwt.encode({"dest": f"https://{SHOP}", "aud": CLIENT_ID}, other_key, algorithm="HS256")

    with pytest.raises(AuthenticationError):
        harness.issuer().exchange(id_token=forged, claims={"dest": f"https://{SHOP}"})


def test_fulfillment_event_statuses_are_all_in_shopifys_enum():
    assert set(FULFILLMENT_EVENT_STATUS.values()) <= set(FULFILLMENT_EVENT_STATUSES)
    assert fulfillment_event_input(fulfillment_id="1", status=TrackingStatus.PENDING, happened_at=SCAN) is None


def test_place_reads_city_province_and_country_where_known():
    assert place("Memphis, TN, US") == {"city": "Memphis", "province": "TN", "country": "US"}
    assert place("Paris, FR") == {"city": "Paris", "country": "FR"}
    assert place("Louisville") == {"city": "Louisville"}
    assert place(None) == {}


def test_admin_client_without_a_token_raises_authentication_error_without_calling(harness):
    with pytest.raises(AuthenticationError):
        shop_details(client_for(harness, lambda *, refresh=False: ""))

    assert harness.fake.calls["graphql"] + harness.fake.calls["unauthorized"] == 0
