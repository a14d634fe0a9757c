"""Re-encrypting every secret we hold with the newest `ENCRYPTION_KEY`, so an old key can then be retired."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app import crypto
from app.extensions import db
from app.models import CarrierAccount, NotificationSettings, Shop, ShopifyCredential, WooCommerceConnection

BATCH = 200

# (model, ciphertext columns): every encrypted column we store.
ENCRYPTED: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Shop, ("webhook_secret_ciphertext",)),
    (ShopifyCredential, ("access_token_ciphertext", "refresh_token_ciphertext")),
    (CarrierAccount, ("credentials_ciphertext",)),
    (WooCommerceConnection, ("consumer_key_ciphertext", "consumer_secret_ciphertext")),
)


@dataclass
class RotationReport:
    rotated: int = 0  # ciphertexts re-encrypted with the newest key
    current: int = 0  # already under the newest key


def rotate_keys() -> RotationReport:
    """Re-encrypt every ciphertext not already under the newest key, a batch per transaction (safe to run again,
    and while the app runs: a ciphertext under either key decrypts throughout). Raises `DecryptionError` when a
    secret was written with a key no longer in `ENCRYPTION_KEY`, before changing that batch."""
    report = RotationReport()
    for model, columns in ENCRYPTED:
        last_id = 0
        while True:
            rows = db.session.scalars(
                select(model).where(model.id > last_id).order_by(model.id).limit(BATCH)
            ).all()
            if not rows:
                break
            try:
                for row in rows:
                    for column in columns:
                        _rotate(row, column, report)
            except crypto.DecryptionError:
                db.session.rollback()
                raise
            last_id = rows[-1].id
            db.session.commit()
    _rotate_documents(report)
    return report


def _rotate_documents(report: RotationReport) -> None:
    """Secrets kept inside JSON documents: a notification channel's credentials (`connections.<name>.*_ciphertext`)."""
    for settings in db.session.scalars(select(NotificationSettings).order_by(NotificationSettings.shop_id)).all():
        document = copy.deepcopy(settings.document or {})
        for connection in (document.get("connections") or {}).values():
            for key, value in list(connection.items()):
                if key.endswith("_ciphertext") and value:
                    if crypto.is_current(value):
                        report.current += 1
                    else:
                        connection[key] = crypto.rotate(value)
                        report.rotated += 1
        if document != settings.document:
            settings.document = document  # a new dict, so the JSON column is seen as changed
    db.session.commit()


def _rotate(row: Any, column: str, report: RotationReport) -> None:
    ciphertext = getattr(row, column)
    if not ciphertext:
        return
    if crypto.is_current(ciphertext):
        report.current += 1
    else:
        setattr(row, column, crypto.rotate(ciphertext))
        report.rotated += 1
