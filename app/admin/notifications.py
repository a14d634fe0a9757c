"""`/api/admin/notifications/preview`: any journey's template, rendered with sample data in the shop's branding.

GET renders what the shop would send now (its edited template, else ours); POST renders a draft
(`{"template": {"subject": ..., "body": ...}}`) strictly, so a typo or a refused construct comes back as a 422
with the reason before the merchant saves it. `format=html` returns the email itself, to look at in a browser. Both
answer `template` (the source the rendering came from, what the template editor starts from) and `edited`.
Behind the admin's authentication (`admin_required`): a merchant previews their own store's templates only.

`POST /test` `{journey, channel, locale, to, template?}` sends the same rendering to the merchant now, through the
channel shoppers' messages use (`app.services.notifications.test_sends`): 200 `{"sent": {..., "via"}}`, 422 with
field errors, 429 with Retry-After past the hourly allowance, 502 when the channel failed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request

from app.admin.auth import admin_required, no_store
from app.admin.responses import refusal
from app.extensions import db
from app.models import Shop
from app.services.notifications import locales, rendering, test_sends
from app.services.notifications.context import sample_context
from app.services.notifications.journeys import BY_NAME
from app.services.notifications.settings import get_settings

bp = Blueprint("admin_notifications", __name__, url_prefix="/api/admin/notifications")
bp.after_request(no_store)


@bp.route("/preview", methods=["GET", "POST"])
@admin_required
def preview() -> Any:
    body = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
    if not isinstance(body, dict):
        abort(400, description="send the preview's journey, channel, locale and template as a JSON object")
    args = {**request.args.to_dict(), **{k: v for k, v in body.items() if k != "template"}}
    journey = str(args.get("journey", "shipped"))
    channel = str(args.get("channel", "email"))
    if not isinstance(args.get("locale", ""), str):
        abort(400, description="locale must be a language code, like en or de")
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
    # The source the editor starts from: the shop's edited template, else ours.
    source = rendering.template_for(settings, journey=journey, channel=channel, locale=locale)
    edited = bool((((settings.get("templates") or {}).get(journey) or {}).get(channel) or {}).get(locale))
    db.session.rollback()
    try:
        if channel == "sms":
            text = rendering.render_sms(journey=journey, locale=locale, context=context, settings=settings,
                                        strict=strict)  # fmt: skip
            return jsonify({"journey": journey, "channel": channel, "locale": locale, "body": text,
                            "template": source, "edited": edited})
        email = rendering.render_email(journey=journey, locale=locale, context=context, settings=settings,
                                       strict=strict)  # fmt: skip
    except rendering.TemplateRefused as exc:
        return jsonify({"error": str(exc)}), 422
    if args.get("format") == "html":
        return Response(email.html, mimetype="text/html")
    return jsonify({"journey": journey, "channel": channel, "locale": locale, "subject": email.subject,
                    "html": email.html, "text": email.text, "template": source, "edited": edited})  # fmt: skip


@bp.post("/test")
@admin_required
def send_test() -> Any:
    """Send one journey, rendered with sample data (the draft `template` if given), to the merchant now."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    try:
        sent = test_sends.send_test(shop=g.shop, journey=body.get("journey"), channel=body.get("channel"),
                                    locale=body.get("locale"), to=body.get("to"), template=body.get("template"))
    except test_sends.SendRefused as exc:
        return refusal(422, "invalid", str(exc), fields=exc.fields)
    except test_sends.SendLimited as exc:
        return refusal(429, "rate_limited", f"at most {test_sends.TESTS_PER_HOUR} tests an hour: try again later",
                       headers={"Retry-After": str(exc.retry_after)})  # fmt: skip
    except test_sends.SendFailed as exc:
        return refusal(502, "not_sent", str(exc))
    db.session.rollback()
    return jsonify({"sent": {"journey": sent.journey, "channel": sent.channel, "locale": sent.locale, "to": sent.to,
                             "via": sent.via}})  # fmt: skip
