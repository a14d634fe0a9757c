"""`/api/admin/notifications/preview`: any journey's template, rendered with sample data in the shop's branding.

GET renders what the shop would send now (its edited template, else ours); POST renders a draft
(`{"template": {"subject": ..., "body": ...}}`) strictly, so a typo or a refused construct comes back as a 422
with the reason before the merchant saves it. `format=html` returns the email itself, to look at in a browser.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import select

from app.extensions import db
from app.models import Shop
from app.services.notifications import locales, rendering
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import BY_NAME
from app.services.notifications.settings import effective, get_settings

bp = Blueprint("admin_notifications", __name__, url_prefix="/api/admin/notifications")


@bp.before_request
def _development_only() -> None:
    if current_app.config["AFTERGLOW"].env == "production":
        abort(404)


@bp.route("/preview", methods=["GET", "POST"])
def preview() -> Any:
    body: dict[str, Any] = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
    args = {**request.args.to_dict(), **{k: v for k, v in body.items() if k != "template"}}
    journey = str(args.get("journey", "shipped"))
    channel = str(args.get("channel", "email"))
    if journey not in BY_NAME or channel not in BY_NAME[journey].channels:
        abort(400, description=f"unknown journey or channel: {journey}/{channel}")
    if channel not in ("email", "sms"):
        abort(400, description=f"{channel} carries the milestone as data: it has no template to preview")
    shop = _shop(args.get("shop"))
    settings = get_settings(shop_id=shop.id) if shop else effective(None)
    locale = locales.negotiate(args.get("locale"), default=settings["branding"]["default_locale"])
    strict = False
    if "template" in body:
        draft = body["template"]
        try:
            rendering.check_template(journey=journey, channel=channel, locale=locale, template=draft)
        except rendering.TemplateRefused as exc:
            return jsonify({"error": str(exc)}), 422
        settings = {**settings, "templates": {journey: {channel: {locale: draft}}}}
        strict = True
    context = sample_context(journey=journey, locale=locale, settings=settings, shop=shop)
    db.session.rollback()
    try:
        if channel == "sms":
            text = rendering.render_sms(journey=journey, locale=locale, context=context, settings=settings,
                                        strict=strict)  # fmt: skip
            return jsonify({"journey": journey, "channel": channel, "locale": locale, "body": text})
        email = rendering.render_email(journey=journey, locale=locale, context=context, settings=settings,
                                       strict=strict)  # fmt: skip
    except rendering.TemplateRefused as exc:
        return jsonify({"error": str(exc)}), 422
    if args.get("format") == "html":
        return Response(email.html, mimetype="text/html")
    return jsonify({"journey": journey, "channel": channel, "locale": locale, "subject": email.subject,
                    "html": email.html, "text": email.text})  # fmt: skip


def _shop(domain: Any) -> Shop | None:
    if not domain:
        return None
    shop = db.session.scalars(select(Shop).where(Shop.domain == str(domain).lower())).first()
    if shop is None:
        abort(404, description=f"no store {domain}")
    return shop
