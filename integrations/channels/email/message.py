"""A canonical `EmailMessage` as the MIME document mail clients expect: text and HTML alternatives."""

from __future__ import annotations

from email.message import EmailMessage as MimeMessage
from email.utils import formatdate

from integrations.channels.models import EmailMessage


def to_mime(message: EmailMessage) -> MimeMessage:
    mime = MimeMessage()
    mime["From"] = message.sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = message.message_id
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    for name, value in message.headers.items():
        mime[name] = value
    # Plain text first: clients show the last alternative they understand, so HTML wins where it can.
    mime.set_content(message.text)
    mime.add_alternative(message.html, subtype="html")
    return mime
