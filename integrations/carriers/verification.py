"""Do these credentials work? One real call to the carrier with them, before anything is stored.

A source that has a cheap call of its own for this (`verify_credentials`: EasyPost lists one page of trackers) uses
it; a karrio-backed carrier tracks a sample number, which makes karrio fetch an OAuth token (or sign the request)
with the credentials: the carrier not knowing the number is an answer, and proves the credentials were accepted.

- accepted -> None;
- refused -> `CredentialsRefused`, naming the field most likely wrong (the one the carrier's words name, else the
  first secret) with the carrier's words, secrets redacted;
- no answer (timeout, 429, 5xx) -> `RetryableError`: nothing is known about the credentials.
"""

from __future__ import annotations

import re
from datetime import datetime

from integrations.carriers import sources
from integrations.carriers.credentials import CarrierSettings
from integrations.errors import IntegrationError, RetryableError
from integrations.models import TrackingRequest

# A plausible number per carrier: what is asked does not matter, only whether the credentials are accepted.
SAMPLE_NUMBERS = {
    "ups": "1Z999AA10123456784",
    "usps": "9400111899223197428497",
    "fedex": "776094337676",
    "dhl_express": "3180831640",
    "canadapost": "7023210039414604",
}


class CredentialsRefused(IntegrationError):
    """The carrier refused the credentials; `field` names the one most likely wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def verify_credentials(name: str, settings: CarrierSettings, *, now: datetime) -> None:
    """Call the carrier `name` once with `settings`; see the module's docstring for the outcomes."""
    source = sources.get_carrier_source(name)
    with_settings = getattr(source, "with_settings", None)
    if with_settings is None:
        raise IntegrationError(f"{name!r} takes no credentials")
    checked = with_settings(settings)  # a new source: its own token cache, so the carrier is really asked
    try:
        verify = getattr(checked, "verify_credentials", None)
        if verify is not None:
            verify()
        else:
            carrier = next((code for code, source_name in sources.CARRIER_SOURCES.items() if source_name == name), name)
            checked.track([TrackingRequest(carrier=str(carrier), tracking_number=SAMPLE_NUMBERS[name])], now=now)
    except RetryableError as exc:
        raise RetryableError(settings.redact(str(exc)), retry_after=exc.retry_after) from None
    except IntegrationError as exc:
        words = settings.redact(str(exc))
        raise CredentialsRefused(words, field=refused_field(settings, words)) from None


def refused_field(settings: CarrierSettings, words: str) -> str:
    """The field a refusal is about: the one the carrier names ("ClientId is Invalid"), else the first secret."""
    squashed = re.sub(r"[^a-z]", "", words.lower())
    for field in settings.FIELDS:
        if not field.secret and not field.flag and field.name.replace("_", "") in squashed:
            return field.name
    secret = next((field.name for field in settings.FIELDS if field.secret), None)
    return secret or settings.FIELDS[0].name


__all__ = ["SAMPLE_NUMBERS", "CredentialsRefused", "refused_field", "verify_credentials"]
