"""Sending email through an SMTP server named by a URL: `smtp://user:password@host:587` (STARTTLS when the server
offers it), `smtps://host:465` (TLS from the start), `smtp://127.0.0.1:1025?starttls=0` (never TLS, for local
catchers). One connection serves a whole batch; a dropped connection is reopened once.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from integrations.channels.email.message import to_mime
from integrations.channels.models import DeliveryRefused, EmailMessage, Message, Receipt
from integrations.errors import IntegrationError, RetryableError


@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False  # implicit TLS (smtps)
    starttls: bool | None = None  # None: use it when the server offers it
    timeout: float = 20.0


def parse_smtp_url(url: str) -> SMTPSettings:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise IntegrationError("SMTP_URL must look like smtp://user:password@host:port or smtps://host:465")
    query = parse_qs(parts.query)
    starttls_values = query.get("starttls")
    starttls = None if not starttls_values else starttls_values[0].lower() in ("1", "true", "yes")
    return SMTPSettings(
        host=parts.hostname,
        port=parts.port or (465 if parts.scheme == "smtps" else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=parts.scheme == "smtps",
        starttls=starttls,
        timeout=float(query.get("timeout", ["20"])[0]),
    )


class SMTPTransport:
    def __init__(self, url: str) -> None:
        self.settings = parse_smtp_url(url)
        self._connection: smtplib.SMTP | None = None

    def __enter__(self) -> SMTPTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None

    def send(self, message: Message) -> Receipt:
        if not isinstance(message, EmailMessage):
            raise DeliveryRefused("the SMTP transport carries email only")
        mime = to_mime(message)
        sender = parseaddr(message.sender)[1]
        for attempt in (1, 2):
            try:
                refused = self._connect().send_message(mime, from_addr=sender, to_addrs=[message.to])
            except smtplib.SMTPServerDisconnected as exc:
                self._connection = None
                if attempt == 2:
                    raise RetryableError(f"SMTP server disconnected: {exc}") from exc
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                raise _classify(code, reply, "recipient refused") from exc
            except smtplib.SMTPResponseException as exc:
                raise _classify(exc.smtp_code, exc.smtp_error, "SMTP error") from exc
            except (smtplib.SMTPException, OSError) as exc:
                self._connection = None
                raise RetryableError(f"SMTP failed: {type(exc).__name__}: {exc}") from exc
            if refused:
                code, reply = next(iter(refused.values()))
                raise _classify(code, reply, "recipient refused")
            return Receipt(provider_message_id=message.message_id)
        raise RetryableError("SMTP server disconnected")  # unreachable: the loop returns or raises

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        s = self.settings
        try:
            connection: smtplib.SMTP
            if s.tls:
                connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                connection.ehlo()
                if s.starttls or (s.starttls is None and connection.has_extn("starttls")):
                    connection.starttls(context=ssl.create_default_context())
                    connection.ehlo()
            if s.username:
                connection.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise RetryableError(f"SMTP login refused ({exc.smtp_code}): check SMTP_URL") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise RetryableError(f"cannot reach the SMTP server: {type(exc).__name__}: {exc}") from exc
        self._connection = connection
        return connection


def _classify(code: int, reply: bytes | str, what: str) -> IntegrationError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    # 5xx is the server's final word about this message (no such mailbox, rejected); 4xx means "try later".
    if 500 <= code < 600:
        return DeliveryRefused(f"{what} ({code}): {text}")
    return RetryableError(f"{what} ({code}): {text}")
