"""Email over SMTP: MIME building (`to_mime`) and the transport."""

from integrations.channels.email.message import to_mime
from integrations.channels.email.smtp import SMTPTransport, parse_smtp_url

__all__ = ["SMTPTransport", "parse_smtp_url", "to_mime"]
