"""Notification fixtures: a real SMTP server in-process (aiosmtpd) and an app that sends to it.

The app fixture here replaces the suite's for these tests only: same databases (SQLite and PostgreSQL), same
truncation, plus SMTP_URL pointing at the in-process server and a local outbox in a temporary folder.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from fakes.server import FakeServer
from fakes.twilio import create_fake_twilio

TWILIO_SID = "AC" + "1" * 32


@dataclass
class SMTPInbox:
    """What the server received, and what it should refuse: address -> SMTP reply such as "550 no such user"."""

    url: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(BytesParser(policy=policy.default).parsebytes(envelope.content))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[SMTPInbox]:
    inbox = SMTPInbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}?starttls=0&timeout=5"
    yield inbox
    controller.stop()


@pytest.fixture
def outbox_dir(tmp_path: Path) -> Path:
    return tmp_path / "outbox"


@pytest.fixture
def app_settings(smtp: SMTPInbox, outbox_dir: Path) -> dict[str, Any]:
    """The root conftest's `app` with these settings: the in-process SMTP server and a scratch outbox."""
    return _mail_settings(smtp, outbox_dir)


def _mail_settings(smtp: SMTPInbox, outbox_dir: Path) -> dict[str, Any]:
    return {"smtp_url": smtp.url, "notification_outbox_dir": str(outbox_dir), "public_url": "https://app.test"}


@pytest.fixture
def twilio() -> Iterator[Any]:
    """The fake Twilio on a local port; its state records the messages sent."""
    app, state = create_fake_twilio(account_sid=TWILIO_SID, auth_token="secret-token")
    with FakeServer(app) as server:
        state.base_url = server.base_url
        yield state


@pytest.fixture
def sms_app_settings(smtp: SMTPInbox, outbox_dir: Path, twilio: Any) -> dict[str, Any]:
    """The mail settings plus Twilio (the fake) as the SMS channel, for a module to use as its `app_settings`."""
    return {**_mail_settings(smtp, outbox_dir), "twilio_account_sid": TWILIO_SID, "twilio_auth_token": "secret-token",
            "twilio_from": "+14155550100", "twilio_api_base": twilio.base_url}  # fmt: skip
