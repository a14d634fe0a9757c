from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class ShopSetup(db.Model):  # type: ignore[name-defined,misc]
    """What the admin's onboarding checklist knows about a shop beyond its other tables: whether the storefront
    tracking page is placed, as last checked on the platform (cached, so the admin does not ask the platform on
    every page load), and when the storefront API first answered a shopper of this shop (proof on its own)."""

    __tablename__ = "shop_setup"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    storefront_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    placement_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: the platform could not be asked (see placement_error); else what it said.
    placement_found: Mapped[bool | None] = mapped_column(Boolean)
    placement_where: Mapped[str | None] = mapped_column(String(500))  # a theme file or a WordPress page's address
    placement_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ShopSetup shop={self.shop_id} placed={self.placement_found}>"
