"""What the privacy service keeps: the export a customers/data_request asked for, until the merchant fetches it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import JSONType, UTCDateTime, utcnow


class PrivacyExport(db.Model):  # type: ignore[name-defined,misc]
    """Everything held about one customer of one shop, as JSON, for the merchant to hand to the customer.

    The customer is named by the platform's id and a digest of the email (never the email itself outside the
    document), so a later customers/redact finds and deletes the export along with the rest of their data.
    """

    __tablename__ = "privacy_exports"
    __table_args__ = (Index("ix_privacy_exports_shop_id_created_at", "shop_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    request_id: Mapped[str | None] = mapped_column(String(64))  # the platform's data request id
    customer_external_id: Mapped[str | None] = mapped_column(String(64))
    email_digest: Mapped[str | None] = mapped_column(String(64))  # sha256 of the lower-cased email
    document: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:  # never the document
        return f"<PrivacyExport {self.id} shop={self.shop_id} request={self.request_id}>"
