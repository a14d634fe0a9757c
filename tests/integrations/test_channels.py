"""The channel transports on their own: SMTP URLs, the local outbox, Twilio's client against the fake API."""

from __future__ import annotations

import pytest

from fakes.server import FakeServer
from fakes.twilio import create_fake_twilio
from integrations.channels import DeliveryRefused, EmailMessage, SmsMessage
from integrations.channels.email import parse_smtp_url
from integrations.channels.local import LocalOutbox
from integrations.channels.sms import TwilioTransport
from integrations.errors import IntegrationError, RetryableError


def test_smtp_url_reads_credentials_tls_and_port():
    plain = parse_smtp_url("smtp://mailer%40shop:p%3Ass@smtp.example.com:2525?starttls=0")
    assert (plain.host, plain.port, plain.username, plain.password, plain.starttls, plain.tls) == (
        "smtp.example.com", 2525, "mailer@shop", "p:ss", False, False)  # fmt: skip
    implicit = parse_smtp_url("smtps://smtp.example.com")
    assert (implicit.port, implicit.tls) == (465, True)
    assert parse_smtp_url("smtp://smtp.example.com").starttls is None  # used when offered
    with pytest.raises(IntegrationError):
        parse_smtp_url("http://smtp.example.com")


def test_local_outbox_keeps_email_and_sms_readable(tmp_path):
    outbox = LocalOutbox(tmp_path)
    email = EmailMessage(
        to="maya@example.com", sender="Café Ünï <n@shop.test>", subject="Livrée – Rücksendung", html="<p>Hi</p>",
        text="Hi\n",
        message_id="<1@shop.test>", headers={"List-Unsubscribe": "<https://u.test/x>"},
    )
    outbox.send(email)
    outbox.send(SmsMessage(to="+15035550123", body="Out for delivery"))

    sms, mail = outbox.list()
    assert (sms.channel, sms.to, sms.text) == ("sms", "+15035550123", "Out for delivery")
    assert (mail.subject, mail.html, mail.headers["List-Unsubscribe"]) == (
        "Livrée – Rücksendung", "<p>Hi</p>", "<https://u.test/x>")  # fmt: skip
    assert mail.headers["From"] == "Café Ünï <n@shop.test>"
    with pytest.raises(FileNotFoundError):
        outbox.read("../etc/passwd.eml")


def test_twilio_transport_sends_and_classifies_refusals():
    app, state = create_fake_twilio(account_sid="AC" + "2" * 32, auth_token="tok")
    with FakeServer(app) as server:
        transport = TwilioTransport(account_sid="AC" + "2" * 32, auth_token="tok", sender="+14155550100",
                                    api_base=server.base_url)  # fmt: skip
        receipt = transport.send(SmsMessage(to="+15035550123", body="Hello"))
        assert receipt.provider_message_id == state.messages[0]["sid"]
        with pytest.raises(DeliveryRefused, match="21211"):
            transport.send(SmsMessage(to="0123", body="Hello"))
        state.unsubscribed.add("+15035550123")
        with pytest.raises(DeliveryRefused) as refused:
            transport.send(SmsMessage(to="+15035550123", body="Hello"))
        assert refused.value.unsubscribed
        state.outages.append(429)
        with pytest.raises(RetryableError):
            transport.send(SmsMessage(to="+15035550124", body="Hello"))
    with pytest.raises(RetryableError, match="unreachable"):  # the server is gone
        transport.send(SmsMessage(to="+15035550124", body="Hello"))
