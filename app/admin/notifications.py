"""`/api/admin/notifications/preview`: any journey's template, rendered with sample data in the shop's branding.

GET renders what the shop would send now (its edited template, else ours); POST renders a draft
(`{"template": {"subject": ..., "body": ...}}`) strictly, so a typo or a refused construct comes back as a 422
with the reason before the merchant saves it. `format=html` returns the email itself, to look at in a browser.
Behind the admin's authentication (`admin_required`): a merchant previews their own store's templates only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request

from app.admin.auth import admin_required
from app.extensions import db
from app.models import Shop
from app.services.notifications import locales, rendering
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import BY_NAME
from app.services.notifications.settings import get_settings

bp = Blueprint("admin_notifications", __name__, url_prefix="/api/admin/notifications")


@bp.route("/preview", methods=["GET", "POST"])
@admin_required
def preview() -> Any:
    body: dict[str, Any] = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
    args = {**request.args.to_dict(), **{k: v for k, v in body.items() if k != "template"}}
    journey = str(args.get("journey", "shipped"))
    channel = str(args.get("channel", "email"))
    if journey not in BY_NAME or channel not in BY_NAME[journey].channels:
        abort(400, description=f"unknown journey or channel: {journey}/{channel}")
    if channel not in ("email", "sms"):
        abort(400, description=f"{channel} carries the milestone as data: it has no template to preview")
    shop: Shop = g.shop  # the signed-in merchant's own store: previews never reach another's settings
    settings = get_settings(shop_id=shop.id)
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

