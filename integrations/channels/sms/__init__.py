"""SMS through Twilio's Messages API with Twilio's own client."""

from integrations.channels.sms.twilio import TwilioTransport

__all__ = ["TwilioTransport"]
