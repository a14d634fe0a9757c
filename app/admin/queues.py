"""The admin's queues: shipments that need the merchant's attention, the log of messages sent to shoppers, and the
shoppers' survey answers. Reads only, each scoped to the signed-in store (`g.shop`), paged.

- `GET /api/admin/shipments?attention=all|delayed|exception|attempt_failed|stalled&carrier=&q=&page=&per_page=`
- `GET /api/admin/notifications?status=&milestone=&channel=&q=&page=&per_page=`
- `GET /api/admin/orders/<order_id>/notifications`: one order and every message about it
- `GET /api/admin/surveys?kind=&score=promoter|passive|detractor&with_comment=1&carrier=&page=&per_page=`
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, request

from app.admin.auth import admin_required, no_store
from app.admin.responses import answer, refusal
from app.services import queues
from app.services.notifications.journeys import BY_NAME

bp = Blueprint("admin_queues", __name__, url_prefix="/api/admin")
bp.after_request(no_store)

PER_PAGE, MAX_PER_PAGE = 25, 100


class BadQuery(ValueError):
    pass


@bp.errorhandler(BadQuery)
def _bad_query(exc: BadQuery) -> tuple[Response, int, dict[str, str]]:
    return refusal(400, "bad_request", str(exc))


@bp.get("/shipments")
@admin_required
def shipments() -> Any:
    attention = _choice("attention", ("all", *queues.ATTENTION), default="all")
    page, per_page = _paging()
    return answer(queues.attention_queue(shop_id=g.shop.id, attention=attention, carrier=_text("carrier"),
                                          q=_text("q"), page=page, per_page=per_page))  # fmt: skip


@bp.get("/notifications")
@admin_required
def notifications() -> Any:
    page, per_page = _paging()
    status = _choice("status", ("", *queues.STATUSES), default="")
    milestone = _choice("milestone", ("", *BY_NAME), default="")
    return answer(queues.notification_log(shop_id=g.shop.id, status=status, milestone=milestone,
                                           channel=_text("channel"), q=_text("q"), page=page,
                                           per_page=per_page))  # fmt: skip


@bp.get("/orders/<int:order_id>/notifications")
@admin_required
def order_notifications(order_id: int) -> Any:
    found = queues.order_messages(shop_id=g.shop.id, order_id=order_id)
    if found is None:  # another store's order and a missing one look the same
        return refusal(404, "not_found", "no such order")
    return answer(found)


@bp.get("/surveys")
@admin_required
def survey_answers() -> Any:
    page, per_page = _paging()
    kind = _choice("kind", ("", "nps", "ces"), default="")
    score = _choice("score", ("", *queues.SCORES), default="")
    with_comment = request.args.get("with_comment") in ("1", "true", "on")
    return answer(queues.survey_answers(shop_id=g.shop.id, kind=kind, score=score, carrier=_text("carrier"),
                                         with_comment=with_comment, page=page, per_page=per_page))  # fmt: skip


def _paging() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", "1"))
        per_page = int(request.args.get("per_page", str(PER_PAGE)))
    except ValueError:
        raise BadQuery("page and per_page must be whole numbers") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise BadQuery(f"page must be 1 or more and per_page from 1 to {MAX_PER_PAGE}")
    return page, per_page


def _choice(name: str, choices: tuple[str, ...], *, default: str) -> str:
    value = request.args.get(name, default).strip()
    if value not in choices:
        raise BadQuery(f"{name} must be one of {', '.join(c for c in choices if c)}")
    return value


def _text(name: str) -> str:
    return request.args.get(name, "").strip()
