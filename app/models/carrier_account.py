from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class CarrierAccount(db.Model):  # type: ignore[name-defined,misc]
    """A shop's own credentials for one tracking source (its UPS, FedEx, ... API account), one per shop and source.

    The fields are stored as one encrypted JSON document (`app.crypto`), never in clear; `validated_at` is when the
    carrier last accepted them (a tracking answer), `last_error` why it last refused them.
    """

    __tablename__ = "carrier_accounts"
    __table_args__ = (UniqueConstraint("shop_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))  # a tracking source name: ups, fedex, dhl_express, ...
    credentials_ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:  # never the credentials, not even encrypted
        return f"<CarrierAccount {self.id} shop={self.shop_id} {self.source}>"
