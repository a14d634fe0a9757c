"""Which tracking source follows a parcel, and on whose credentials (`choose_source`), and building that source.

The rule, in one place: a source pinned on the shipment; else the shop's own connected account for the parcel's
carrier (`carrier_accounts`); else that carrier's source on the app-wide credentials when the environment holds
them; else the default source (`DEFAULT_TRACKING_SOURCE`, `simulated` unless set). A shop's account is used
wherever the chosen source is one it has connected.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import CarrierAccount, Shipment
from app.services import carrier_accounts
from integrations import get_carrier_source
from integrations.carriers import sources
from integrations.carriers.sources import TrackingSource

ENVIRONMENT_SOURCES_KEY = "afterglow.environment_tracking_sources"


@dataclass(frozen=True)
class SourceChoice:
    source: str
    account_id: int | None = None  # None: the app-wide credentials (or a source that needs none)

    @property
    def budget(self) -> str:
        """The rate-limit budget the calls count against: a merchant's own account has its own."""
        return self.source if self.account_id is None else f"{self.source}:account:{self.account_id}"


def choose_source(
    *, carrier: str | None, pinned: str | None, accounts: Mapping[str, int], configured: Iterable[str], default: str
) -> SourceChoice:
    """The source for a parcel of `carrier` whose shop has `accounts` (source -> account id), when the environment
    holds credentials for the `configured` sources."""
    if pinned:
        return SourceChoice(pinned, accounts.get(pinned))
    direct = sources.CARRIER_SOURCES.get(carrier or "")
    if direct is not None and direct in accounts:
        return SourceChoice(direct, accounts[direct])
    if direct is not None and direct in set(configured):
        return SourceChoice(direct)
    return SourceChoice(default, accounts.get(default))


def environment_sources() -> frozenset[str]:
    """The sources whose app-wide credentials the environment holds, read once per app."""
    extensions = current_app.extensions
    if ENVIRONMENT_SOURCES_KEY not in extensions:
        extensions[ENVIRONMENT_SOURCES_KEY] = sources.configured_in(os.environ)
    found: frozenset[str] = extensions[ENVIRONMENT_SOURCES_KEY]
    return found


def default_source() -> str:
    return str(current_app.config["AFTERGLOW"].default_tracking_source)


def accounts_by_shop(shop_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """shop id -> {source: account id}, in one query."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    ids = sorted(set(shop_ids))
    if ids:
        statement = select(CarrierAccount.shop_id, CarrierAccount.source, CarrierAccount.id)
        for shop_id, source, account_id in db.session.execute(statement.where(CarrierAccount.shop_id.in_(ids))):
            found[shop_id][source] = account_id
    return found


def source_for(shipment: Shipment) -> SourceChoice:
    """The choice for one shipment (support commands, tracking now)."""
    accounts = accounts_by_shop([shipment.shop_id]).get(shipment.shop_id, {})
    return choose_source(carrier=shipment.carrier, pinned=shipment.tracking_source, accounts=accounts,
                         configured=environment_sources(), default=default_source())  # fmt: skip


def build(source: str, account: CarrierAccount | None) -> TrackingSource:
    """The source on the account's credentials, or on the app-wide ones without an account."""
    if account is None:
        return get_carrier_source(source)
    return sources.source_with_settings(source, carrier_accounts.settings_of(account))


__all__ = ["SourceChoice", "accounts_by_shop", "build", "choose_source", "environment_sources", "source_for"]
