"""customers/data_request: everything we hold about one customer, as one JSON document the merchant downloads.

Shopify asks the merchant (not us) to answer the customer within 30 days; we prepare the export at once and keep
it until the merchant fetches it from the admin API, a customers/redact removes it, or the store is erased.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import integrations.models as canonical
from app.extensions import db
from app.models import Customer, Order, PrivacyExport, Shipment, SurveyResponse
from app.models.types import utcnow
from app.services.changes import plain


def export_customer(*, shop_id: int, request: canonical.PrivacyRequest) -> int:
    """Build and store the export for this request (once per request id); its id."""
    from app.services.privacy import email_digest, find_subject

    if request.request_id:
        existing = db.session.scalars(select(PrivacyExport.id).where(
            PrivacyExport.shop_id == shop_id, PrivacyExport.request_id == request.request_id)).first()  # fmt: skip
        if existing is not None:
            db.session.rollback()
            return int(existing)
    subject = find_subject(shop_id=shop_id, request=request)
    customers = db.session.scalars(
        select(Customer).where(Customer.shop_id == shop_id, Customer.id.in_(sorted(subject.customer_ids)))
        .order_by(Customer.id)
    ).all()  # fmt: skip
    orders = db.session.scalars(
        select(Order).where(Order.shop_id == shop_id, Order.id.in_(sorted(subject.order_ids)))
        .options(selectinload(Order.line_items), selectinload(Order.shipments), selectinload(Order.refunds))
        .order_by(Order.platform_created_at)
    ).all()  # fmt: skip
    answers = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.shop_id == shop_id,
                                     SurveyResponse.order_id.in_(sorted(subject.order_ids)))
        .order_by(SurveyResponse.id)
    ).all()  # fmt: skip
    document = {
        "request": {"id": request.request_id, "customer_id": request.customer_external_id, "email": request.email,
                    "phone": request.phone, "orders_requested": list(request.order_external_ids)},
        "prepared_at": utcnow().isoformat(),
        "customers": [_customer(customer) for customer in customers],
        "orders": [_order(order) for order in orders],
        "survey_answers": [_answer(answer) for answer in answers],
    }  # fmt: skip
    export = PrivacyExport(
        shop_id=shop_id, request_id=request.request_id, customer_external_id=request.customer_external_id,
        email_digest=email_digest(request.email), document=document,
    )  # fmt: skip
    db.session.add(export)
    db.session.commit()
    return int(export.id)


def get_export(*, shop_id: int, export_id: int) -> PrivacyExport | None:
    """The export, only if it belongs to this shop."""
    return db.session.scalars(
        select(PrivacyExport).where(PrivacyExport.id == export_id, PrivacyExport.shop_id == shop_id)
    ).first()


def list_exports(*, shop_id: int, limit: int = 50) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(PrivacyExport.id, PrivacyExport.request_id, PrivacyExport.created_at)
        .where(PrivacyExport.shop_id == shop_id).order_by(PrivacyExport.id.desc()).limit(limit)
    ).all()  # fmt: skip
    return [{"id": row.id, "request_id": row.request_id, "created_at": row.created_at.isoformat()} for row in rows]


_CUSTOMER_FIELDS = ("external_id", "email", "phone", "first_name", "last_name", "accepts_email_marketing",
                    "accepts_sms_marketing", "locale", "created_at")  # fmt: skip
_ORDER_FIELDS = ("external_id", "number", "name", "email", "phone", "currency", "total", "subtotal", "total_tax",
                 "shipping_total", "discount_total", "refunded_total", "financial_status", "fulfillment_status",
                 "status", "locale", "shipping_address", "billing_address", "tags", "note", "source",
                 "platform_created_at", "cancelled_at")  # fmt: skip
_ITEM_FIELDS = ("external_id", "sku", "title", "variant_title", "quantity", "unit_price", "total", "properties")
_SHIPMENT_FIELDS = ("carrier", "tracking_number", "tracking_url", "tracking_status", "delivered_at",
                    "expected_delivery_on")  # fmt: skip


def _fields(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def _plain(value: Any) -> Any:
    value = plain(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _customer(customer: Customer) -> dict[str, Any]:
    return _fields(customer, _CUSTOMER_FIELDS)


def _order(order: Order) -> dict[str, Any]:
    document = _fields(order, _ORDER_FIELDS)
    document["line_items"] = [_fields(item, _ITEM_FIELDS) for item in order.line_items]
    document["shipments"] = [_fields(shipment, _SHIPMENT_FIELDS) for shipment in order.shipments
                             if isinstance(shipment, Shipment)]  # fmt: skip
    document["refunds"] = [{"amount": str(refund.amount), "reason": refund.reason} for refund in order.refunds]
    return document


def _answer(answer: SurveyResponse) -> dict[str, Any]:
    return {"kind": answer.kind, "score": answer.score, "comment": answer.comment,
            "answered_at": answer.created_at.isoformat()}  # fmt: skip
