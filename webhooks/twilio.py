"""Twilio's incoming-message webhook: a shopper's STOP or START reply to one of our texts.

Twilio itself blocks a number that replied STOP and confirms it to the shopper; recording it here keeps texts
already waiting from being attempted and lets support see why a shopper gets no SMS. The request is verified
with Twilio's own validator (`X-Twilio-Signature`, HMAC over the URL Twilio called and the form), and the answer
is empty TwiML so that we add no reply of our own.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from app.services.notifications import consent

bp = Blueprint("twilio_webhooks", __name__, url_prefix="/webhooks/twilio")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@bp.post("/sms")
def incoming_sms() -> Response:
    from twilio.request_validator import RequestValidator

    settings = current_app.config["AFTERGLOW"]
    if not settings.twilio_auth_token:
        return Response("Twilio is not configured", status=404)
    # The URL Twilio signed is the public one, whatever proxy sits in front of this process.
    url = settings.public_url.rstrip("/") + request.full_path.rstrip("?")
    form = request.form.to_dict()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(settings.twilio_auth_token).validate(url, form, signature):
        return Response("invalid signature", status=403)
    consent.record_sms_reply(from_number=form.get("From", ""), body=form.get("Body", ""))
    return Response(EMPTY_TWIML, mimetype="text/xml")
