"""The one-question survey after delivery: NPS (0-10, "how likely are you to recommend us?") or CES (1-7, "how
easy was it?"), answered on the tracking page and kept against the order, the parcel and its carrier.

A survey token, handed out with a delivered parcel on the tracking page, is the only way to answer: it is signed,
names one shop and one parcel, and expires; answering twice replaces the first answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import Shipment, SurveyResponse

SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "ces": (1, 7)}
DEFAULT_KIND = "nps"
TOKEN_MAX_AGE_SECONDS = 90 * 24 * 3600
COMMENT_MAX = 2000


class SurveyError(ValueError):
    """The answer cannot be taken; the message says why (shown to the shopper's page as a 4xx reason)."""


@dataclass(frozen=True)
class Answer:
    kind: str
    score: int
    comment: str | None = None
    locale: str | None = None


def survey_token(shipment: Shipment) -> str:
    return _serializer().dumps({"s": shipment.shop_id, "p": shipment.id})


def answered(shipment_ids: list[int]) -> dict[int, int]:
    """Parcel id -> the score already given (any kind), for showing "thank you" instead of the question."""
    if not shipment_ids:
        return {}
    rows = db.session.execute(
        select(SurveyResponse.shipment_id, SurveyResponse.score).where(SurveyResponse.shipment_id.in_(shipment_ids))
    )
    return {shipment_id: score for shipment_id, score in rows}


def record_answer(*, shop_id: int, token: str, answer: Answer) -> SurveyResponse:
    """Store (or replace) the answer for the parcel the token names, and commit. Raises `SurveyError`."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE_SECONDS)
    except (BadSignature, SignatureExpired):
        raise SurveyError("this survey link is not valid any more") from None
    if not isinstance(data, dict) or data.get("s") != shop_id:
        raise SurveyError("this survey link is not valid any more")
    if answer.kind not in SCALES:
        raise SurveyError(f"kind must be one of {', '.join(SCALES)}")
    low, high = SCALES[answer.kind]
    if not low <= answer.score <= high:
        raise SurveyError(f"score must be a whole number from {low} to {high}")
    if "\x00" in f"{answer.comment or ''}{answer.locale or ''}":  # PostgreSQL text cannot hold one
        raise SurveyError("the comment or locale contains a NUL character")
    comment = (answer.comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise SurveyError(f"comment is longer than {COMMENT_MAX} characters")
    shipment = db.session.scalars(
        select(Shipment).where(Shipment.id == data.get("p"), Shipment.shop_id == shop_id).with_for_update()
    ).first()
    if shipment is None or shipment.delivered_at is None:
        db.session.rollback()
        raise SurveyError("the survey opens once the parcel is delivered")
    response = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.shipment_id == shipment.id, SurveyResponse.kind == answer.kind)
    ).first()
    if response is None:
        response = SurveyResponse(shop_id=shop_id, order_id=shipment.order_id, shipment_id=shipment.id,
                                  kind=answer.kind)  # fmt: skip
        db.session.add(response)
    response.carrier = shipment.carrier
    response.score = answer.score
    response.comment = comment
    response.locale = (answer.locale or "")[:32] or None
    db.session.commit()
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="afterglow.survey")
