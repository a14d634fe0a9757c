"""A shop's own carrier accounts: connect (validated, encrypted at rest), list (secrets masked), remove, and the
settings a tracking source is built with. One account per shop and source; connecting again replaces it.

Credentials never leave this module in clear except as a source's settings object, whose repr hides the secrets;
listings carry masked values only, and nothing here logs them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import crypto
from app.extensions import db
from app.models import CarrierAccount
from app.models.types import utcnow
from integrations import IntegrationError
from integrations.carriers import sources
from integrations.carriers.credentials import CarrierSettings

log = logging.getLogger(__name__)


class CarrierAccountError(ValueError):
    """The account cannot be saved as given; the message says which source or fields are wrong."""


@dataclass(frozen=True)
class AccountView:
    """What may be shown of an account: its fields with every secret masked."""

    id: int
    source: str
    fields: dict[str, str]
    created_at: datetime
    updated_at: datetime
    validated_at: datetime | None
    last_error: str | None


def validate(*, source: str, fields: Mapping[str, str]) -> CarrierSettings:
    """The source's settings from a merchant's fields; CarrierAccountError naming what is missing or unknown."""
    if source not in sources.credential_sources():
        known = ", ".join(sources.credential_sources())
        raise CarrierAccountError(f"no carrier account for {source!r}: accounts can be connected for {known}")
    try:
        return sources.settings_from_fields(source, fields)
    except IntegrationError as exc:
        raise CarrierAccountError(str(exc)) from None


def connect_account(*, shop_id: int, source: str, fields: Mapping[str, str]) -> AccountView:
    """Save (or replace) the shop's account for `source` and commit. Replaced credentials are not yet validated."""
    settings = validate(source=source, fields=fields)
    ciphertext = crypto.encrypt(json.dumps(settings.to_fields(), sort_keys=True))
    try:
        account = _save(shop_id=shop_id, source=source, ciphertext=ciphertext)
    except IntegrityError:  # another process created the row a moment ago: update it
        db.session.rollback()
        account = _save(shop_id=shop_id, source=source, ciphertext=ciphertext)
    log.info("carrier account connected", extra={"shop_id": shop_id, "source": source, "account_id": account.id})
    return _view(account, settings)


def _save(*, shop_id: int, source: str, ciphertext: str) -> CarrierAccount:
    account = db.session.scalars(
        select(CarrierAccount).where(CarrierAccount.shop_id == shop_id, CarrierAccount.source == source)
    ).first()
    if account is None:
        account = CarrierAccount(shop_id=shop_id, source=source)
        db.session.add(account)
    account.credentials_ciphertext, account.validated_at, account.last_error = ciphertext, None, None
    db.session.commit()
    return account


def list_accounts(*, shop_id: int) -> list[AccountView]:
    accounts = db.session.scalars(
        select(CarrierAccount).where(CarrierAccount.shop_id == shop_id).order_by(CarrierAccount.source)
    ).all()
    views = [_view(account, settings_of(account)) for account in accounts]
    db.session.rollback()
    return views


def remove_account(*, shop_id: int, source: str) -> bool:
    """Delete the shop's account for `source` and commit; False when there was none. Its parcels fall back to the
    app-wide credentials, else the default source, at their next poll."""
    result = db.session.execute(
        delete(CarrierAccount).where(CarrierAccount.shop_id == shop_id, CarrierAccount.source == source)
    )
    db.session.commit()
    removed = bool(getattr(result, "rowcount", 0))
    if removed:
        log.info("carrier account removed", extra={"shop_id": shop_id, "source": source})
    return removed


def settings_of(account: CarrierAccount) -> CarrierSettings:
    """The account's decrypted credentials as its source's settings."""
    values = json.loads(crypto.decrypt(account.credentials_ciphertext))
    return sources.settings_from_fields(account.source, values)


def record_answer(*, account_id: int, now: datetime, error: str | None = None) -> None:
    """Remember that the carrier accepted (error None) or refused the account's credentials; commits."""
    account = db.session.get(CarrierAccount, account_id)
    if account is not None:
        if error is None:
            account.validated_at, account.last_error = now, None
        else:
            account.last_error = error[:1000]
    db.session.commit()


def _view(account: CarrierAccount, settings: CarrierSettings) -> AccountView:
    return AccountView(
        id=account.id, source=account.source, fields=settings.masked(), created_at=account.created_at or utcnow(),
        updated_at=account.updated_at or utcnow(), validated_at=account.validated_at, last_error=account.last_error,
    )  # fmt: skip
