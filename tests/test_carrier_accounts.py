"""A shop's own carrier accounts: saved validated and encrypted, listed masked, removed; which source follows a
parcel; and tracking on the shop's credentials, else the app's."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import CarrierAccount, Shipment, Shop
from app.services import carrier_accounts, tracking, tracking_schedule
from app.services.tracking_sources import ENVIRONMENT_SOURCES_KEY, SourceChoice, choose_source
from integrations import get_carrier_source
from integrations.carriers import sources
from integrations.carriers.fedex import FedExSettings
from tests.conftest import SHOP
from tests.helpers import post_shopify, shopify_fixture

OWN_FIXTURES = Path(__file__).parent / "fixtures" / "carriers"
FEDEX_NUMBER = "738488882438"
SECRET = "shop-fedex-secret-9f2c"


def shop_id(client: Any, domain: str = SHOP) -> int:
    post_shopify(client, "orders/create", shopify_fixture("orders_updated.json"), shop=domain)
    return int(db.session.scalars(select(Shop.id).where(Shop.domain == domain)).one())


def fulfil(client: Any, company: str, number: str, domain: str = SHOP) -> Shipment:
    fulfillment = shopify_fixture("fulfillments_update.json")
    fulfillment.update(tracking_company=company, tracking_number=number, tracking_numbers=[number])
    post_shopify(client, "fulfillments/create", fulfillment, shop=domain)
    return db.session.scalars(select(Shipment).where(Shipment.tracking_number == number)).one()


# --- choosing a source ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("carrier", "pinned", "accounts", "configured", "expected"),
    [
        pytest.param("dhl", None, {"dhl_express": 7}, {"dhl_express"}, SourceChoice("dhl_express", 7), id="account"),
        pytest.param("dhl", None, {}, {"dhl_express"}, SourceChoice("dhl_express"), id="environment"),
        pytest.param("dhl", None, {}, set(), SourceChoice("simulated"), id="default"),
        pytest.param("dhl", None, {"ups": 3}, set(), SourceChoice("simulated"), id="another-carriers-account"),
        pytest.param("canada_post", None, {"canadapost": 2}, set(), SourceChoice("canadapost", 2), id="canada-post"),
        pytest.param("fedex", "usps", {"fedex": 1}, {"fedex"}, SourceChoice("usps"), id="pinned"),
        pytest.param("usps", "usps", {"usps": 4}, set(), SourceChoice("usps", 4), id="pinned-with-account"),
        pytest.param("yodel", None, {"ups": 3}, {"ups"}, SourceChoice("simulated"), id="no-direct-source"),
        pytest.param(None, None, {}, set(), SourceChoice("simulated"), id="no-carrier"),
    ],
)  # fmt: skip
def test_choose_source_prefers_the_shops_account_then_the_environment_then_the_default(
    carrier: str | None, pinned: str | None, accounts: dict[str, int], configured: set[str], expected: SourceChoice
) -> None:
    assert choose_source(carrier=carrier, pinned=pinned, accounts=accounts, configured=configured,
                         default="simulated") == expected  # fmt: skip


def test_choose_source_budget_is_per_account() -> None:
    assert SourceChoice("ups").budget == "ups"
    assert SourceChoice("ups", 12).budget == "ups:account:12"


# --- the service ---------------------------------------------------------------------------------------------------


def test_carrier_accounts_connect_stores_credentials_encrypted_and_lists_them_masked(client):
    shop = shop_id(client)

    view = carrier_accounts.connect_account(shop_id=shop, source="fedex",
                                            fields={"api_key": "shop-key", "secret_key": SECRET})  # fmt: skip

    assert view.fields == {"api_key": "shop-key", "secret_key": "****9f2c", "test_mode": "0"}
    stored = db.session.scalars(select(CarrierAccount)).one()
    assert SECRET not in stored.credentials_ciphertext and "shop-key" not in stored.credentials_ciphertext
    assert json.loads(crypto.decrypt(stored.credentials_ciphertext))["secret_key"] == SECRET
    assert SECRET not in repr(stored) and SECRET not in repr(view)
    assert SECRET not in repr(carrier_accounts.settings_of(stored))
    (listed,) = carrier_accounts.list_accounts(shop_id=shop)
    assert (listed.source, listed.fields["secret_key"], listed.validated_at) == ("fedex", "****9f2c", None)


def test_carrier_accounts_connect_names_missing_and_unknown_fields_and_sources(client):
    shop = shop_id(client)

    with pytest.raises(carrier_accounts.CarrierAccountError, match=r"^dhl_express credentials missing: password$"):
        carrier_accounts.connect_account(shop_id=shop, source="dhl_express", fields={"site_id": "s"})
    with pytest.raises(carrier_accounts.CarrierAccountError, match="ups has no field secret"):
        carrier_accounts.connect_account(shop_id=shop, source="ups", fields={"client_id": "i", "secret": "s"})
    with pytest.raises(carrier_accounts.CarrierAccountError, match="accounts can be connected for canadapost, "):
        carrier_accounts.connect_account(shop_id=shop, source="simulated", fields={})
    assert db.session.scalars(select(CarrierAccount)).all() == []


def test_carrier_accounts_connect_again_replaces_the_credentials_and_forgets_the_validation(client):
    shop = shop_id(client)
    carrier_accounts.connect_account(shop_id=shop, source="ups", fields={"client_id": "a", "client_secret": "old"})
    account_id = db.session.scalars(select(CarrierAccount.id)).one()
    carrier_accounts.record_answer(account_id=account_id, now=db.session.get(CarrierAccount, account_id).created_at)

    carrier_accounts.connect_account(shop_id=shop, source="ups", fields={"client_id": "a", "client_secret": "new"})

    (account,) = db.session.scalars(select(CarrierAccount)).all()
    assert account.id == account_id and account.validated_at is None
    assert carrier_accounts.settings_of(account).client_secret == "new"  # type: ignore[attr-defined]


def test_carrier_accounts_are_scoped_to_their_shop(client):
    mine, theirs = shop_id(client), shop_id(client, "other-store.myshopify.com")
    carrier_accounts.connect_account(shop_id=theirs, source="ups", fields={"client_id": "a", "client_secret": "b"})

    assert carrier_accounts.list_accounts(shop_id=mine) == []
    assert carrier_accounts.remove_account(shop_id=mine, source="ups") is False
    assert len(carrier_accounts.list_accounts(shop_id=theirs)) == 1
    assert carrier_accounts.remove_account(shop_id=theirs, source="ups") is True
    assert carrier_accounts.list_accounts(shop_id=theirs) == []


# --- tracking on the shop's credentials --------------------------------------------------------------------------


@pytest.fixture
def fedex_http(app, monkeypatch) -> Iterator[list[dict[str, Any]]]:
    """FedEx as karrio reaches it: tokens for any credentials, the recorded delivery for any number."""
    for name in ("FEDEX_API_KEY", "FEDEX_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    app.extensions[ENVIRONMENT_SOURCES_KEY] = frozenset()
    sources.source_with_settings.cache_clear()
    calls: list[dict[str, Any]] = []
    answer = (OWN_FIXTURES / f"fedex_tracking_{FEDEX_NUMBER}.json").read_text()

    def request(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if kwargs["url"].endswith("/oauth/token"):
            return {"access_token": "token-for-shop", "token_type": "bearer", "expires_in": 3599}
        return answer if kwargs["url"].endswith("/trackingnumbers") else "{}"

    with patch("karrio.mappers.fedex.proxy.lib.request", side_effect=request):
        yield calls
    sources.source_with_settings.cache_clear()


def test_tracking_follows_a_detected_fedex_parcel_on_the_shops_own_account(client, fedex_http, caplog):
    caplog.set_level(logging.DEBUG)
    shop = shop_id(client)
    carrier_accounts.connect_account(shop_id=shop, source="fedex",
                                     fields={"api_key": "shop-key", "secret_key": SECRET})  # fmt: skip
    account_id = db.session.scalars(select(CarrierAccount.id)).one()
    shipment = fulfil(client, "FedEx", FEDEX_NUMBER)
    assert shipment.carrier == "fedex"

    handed = tracking_schedule.poll_due(now=shipment.next_check_at)

    assert handed == {f"fedex:account:{account_id}": 1}
    token_call = next(call for call in fedex_http if call["url"].endswith("/oauth/token"))
    assert "client_id=shop-key" in token_call["data"]  # the shop's credentials, not the app's
    db.session.expire_all()
    stored = db.session.get(Shipment, shipment.id)
    assert (stored.tracking_status, tracking.source_name(stored)) == ("delivered", "fedex (shop account)")
    assert db.session.get(CarrierAccount, account_id).validated_at is not None
    assert SECRET not in caplog.text and "shop-key" not in caplog.text


def test_tracking_falls_back_to_the_apps_credentials_then_to_the_default_source(client, fedex_http, app, monkeypatch):
    shop_id(client)
    shipment = fulfil(client, "FedEx", FEDEX_NUMBER)
    assert tracking.source_name(shipment) == "simulated"  # no account, no app-wide FedEx credentials

    monkeypatch.setenv("FEDEX_API_KEY", "app-key")
    monkeypatch.setenv("FEDEX_SECRET_KEY", "app-secret")
    app.extensions.pop(ENVIRONMENT_SOURCES_KEY)
    handed = tracking_schedule.poll_due(now=shipment.next_check_at)

    assert handed == {"fedex": 1}
    assert any(call["url"].endswith("/trackingnumbers") for call in fedex_http)
    # the registry's source, on the environment's credentials (its token may be cached from an earlier run)
    assert get_carrier_source("fedex").settings() == FedExSettings(api_key="app-key", secret_key="app-secret")
    db.session.expire_all()
    assert db.session.get(Shipment, shipment.id).tracking_status == "delivered"


def test_tracking_with_refused_shop_credentials_records_why_and_retries_in_hours(client, app, caplog):
    caplog.set_level(logging.DEBUG)
    app.extensions[ENVIRONMENT_SOURCES_KEY] = frozenset()
    sources.source_with_settings.cache_clear()
    shop = shop_id(client)
    carrier_accounts.connect_account(shop_id=shop, source="fedex", fields={"api_key": "k", "secret_key": "wrong"})
    shipment = fulfil(client, "FedEx", FEDEX_NUMBER)
    refusal = {"errors": [{"code": "NOT.AUTHORIZED.ERROR", "message": "The given client credentials were not valid."}]}

    now = shipment.next_check_at

    with patch("karrio.mappers.fedex.proxy.lib.request", return_value=refusal):
        outcome = tracking.track_now(shipment_id=shipment.id, now=now)

    assert outcome.ignored is not None and "credentials were not valid" in outcome.ignored
    (view,) = carrier_accounts.list_accounts(shop_id=shop)
    assert view.last_error is not None and "credentials were not valid" in view.last_error
    assert "wrong" not in view.last_error and "wrong" not in caplog.text
    db.session.expire_all()
    assert db.session.get(Shipment, shipment.id).next_check_at == now + tracking.RETRY_MISCONFIGURED
    sources.source_with_settings.cache_clear()


def test_tracking_batch_for_a_removed_account_leaves_its_parcels_due_at_once(client, app):
    app.extensions[ENVIRONMENT_SOURCES_KEY] = frozenset()
    shop = shop_id(client)
    carrier_accounts.connect_account(shop_id=shop, source="fedex", fields={"api_key": "k", "secret_key": "s"})
    account_id = db.session.scalars(select(CarrierAccount.id)).one()
    shipment = fulfil(client, "FedEx", FEDEX_NUMBER)
    carrier_accounts.remove_account(shop_id=shop, source="fedex")
    now = shipment.next_check_at

    (outcome,) = tracking_schedule_job("fedex", [shipment.id], account_id, now)

    assert outcome.ignored == "carrier account removed"
    db.session.expire_all()
    assert db.session.get(Shipment, shipment.id).next_check_at == now


def test_tracking_batch_never_uses_one_shops_account_for_another_shops_parcel(client, app):
    app.extensions[ENVIRONMENT_SOURCES_KEY] = frozenset()
    mine = shop_id(client)
    shop_id(client, "other-store.myshopify.com")
    carrier_accounts.connect_account(shop_id=mine, source="fedex", fields={"api_key": "k", "secret_key": "s"})
    account_id = db.session.scalars(select(CarrierAccount.id)).one()
    theirs = fulfil(client, "FedEx", "776094337676", domain="other-store.myshopify.com")

    with patch("karrio.mappers.fedex.proxy.lib.request") as proxy:
        outcomes = tracking_schedule_job("fedex", [theirs.id], account_id, theirs.next_check_at)

    assert outcomes == []
    proxy.assert_not_called()


def tracking_schedule_job(source: str, ids: list[int], account_id: int, now: Any) -> list[Any]:
    return tracking.apply_source_answers(source=source, shipment_ids=ids, account_id=account_id, now=now)


@pytest.mark.parametrize(
    ("company", "number", "source", "fields"),
    [
        ("", "3180831640", "dhl_express", {"site_id": "site", "password": "password"}),
        ("Other", "7023210039414604", "canadapost", {"username": "user", "password": "password"}),
    ],
)
def test_tracking_follows_a_parcel_whose_carrier_was_detected_from_its_number(
    client, record_jobs_for_accounts, company: str, number: str, source: str, fields: dict[str, str]
):
    shop = shop_id(client)
    account = carrier_accounts.connect_account(shop_id=shop, source=source, fields=fields)
    shipment = fulfil(client, company, number)
    recorder = record_jobs_for_accounts()

    handed = tracking_schedule.poll_due(now=shipment.next_check_at)

    assert shipment.carrier in ("dhl", "canada_post")  # the merchant named no carrier we know: detected
    assert handed == {f"{source}:account:{account.id}": 1}
    assert [job.args for job in recorder.jobs] == [(source, [shipment.id], account.id)]


@pytest.fixture
def record_jobs_for_accounts(app):
    """Once called, jobs are recorded instead of run; no app-wide carrier credentials."""
    from tests.test_tracking_schedule import Recorder

    original = app.extensions["afterglow.jobs"]
    app.extensions[ENVIRONMENT_SOURCES_KEY] = frozenset()

    def switch() -> Recorder:
        app.extensions["afterglow.jobs"] = recorder = Recorder()
        app.extensions.pop("afterglow.rate_limiter", None)
        return recorder

    yield switch
    app.extensions["afterglow.jobs"] = original
