"""A carrier's credentials described once, read from the environment (the app's own account) or from the fields a
merchant typed (a shop's own account), and shown back without their secrets.

A settings class lists its `FIELDS`: each has a name (what a merchant types: `client_id=...`), the environment
variable that holds the app-wide value, and whether it is required, secret (never shown back in full) or a flag
(`test_mode`: 1/true/yes/on). `from_env` and `from_fields` both build the frozen settings or raise
`IntegrationError` naming every required field that is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self, cast

from integrations.errors import IntegrationError

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True)
class CredentialField:
    name: str
    env: str
    required: bool = True
    secret: bool = False
    flag: bool = False
    help: str = ""


def _flag(value: str, *, name: str, source: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise IntegrationError(f"{source} credentials: {name} must be one of 1/true/yes/on or 0/false/no/off")


def mask(value: str) -> str:
    """A secret as it may be shown back: its last four characters when it is long enough to keep them private."""
    return f"****{value[-4:]}" if len(value) >= 12 else "****"


class CarrierSettings:
    """Mixin for a carrier's frozen settings dataclass. Subclasses set `SOURCE` and `FIELDS`; the dataclass fields
    carry the same names."""

    SOURCE: ClassVar[str]
    FIELDS: ClassVar[tuple[CredentialField, ...]]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Self:
        """The app-wide credentials; IntegrationError naming the variables that are missing."""
        missing = [f.env for f in cls.FIELDS if f.required and not (environ.get(f.env) or "").strip()]
        if missing:
            raise IntegrationError(f"{cls.SOURCE} credentials missing: set {', '.join(missing)}")
        return cls._build({f.name: environ.get(f.env) or "" for f in cls.FIELDS})

    @classmethod
    def from_fields(cls, values: Mapping[str, str]) -> Self:
        """A shop's credentials as typed; IntegrationError naming missing or unknown fields."""
        known = {f.name for f in cls.FIELDS}
        unknown = sorted(set(values) - known)
        if unknown:
            raise IntegrationError(
                f"{cls.SOURCE} has no field {', '.join(unknown)}; its fields: {', '.join(f.name for f in cls.FIELDS)}"
            )
        missing = [f.name for f in cls.FIELDS if f.required and not (values.get(f.name) or "").strip()]
        if missing:
            raise IntegrationError(f"{cls.SOURCE} credentials missing: {', '.join(missing)}")
        return cls._build({f.name: values.get(f.name) or "" for f in cls.FIELDS})

    @classmethod
    def _build(cls, raw: Mapping[str, str]) -> Self:
        kwargs: dict[str, Any] = {}
        for f in cls.FIELDS:
            text = raw[f.name].strip()
            kwargs[f.name] = _flag(text, name=f.name, source=cls.SOURCE) if f.flag else (text or None)
        construct = cast(Callable[..., Self], cls)
        return construct(**kwargs)

    def to_fields(self) -> dict[str, str]:
        """The values to store (encrypted) for a shop: strings, flags as "1"/"0", empty fields left out."""
        fields: dict[str, str] = {}
        for f in self.FIELDS:
            value = getattr(self, f.name)
            if f.flag:
                fields[f.name] = "1" if value else "0"
            elif value:
                fields[f.name] = str(value)
        return fields

    def to_karrio(self) -> dict[str, Any]:
        """The settings dict `karrio.gateway[<connector>].create` takes: each field under its own name (a karrio-backed
        carrier names its fields as karrio does), an empty optional field left out."""
        values = {f.name: getattr(self, f.name) for f in self.FIELDS}
        return {name: value for name, value in values.items() if isinstance(value, bool) or value}

    def redact(self, text: str) -> str:
        """`text` with every secret value replaced: carriers echo what they refuse ("Value 'p4ss' ... Password")."""
        for f in self.FIELDS:
            value = getattr(self, f.name) if f.secret else None
            if isinstance(value, str) and len(value) >= 3:
                text = text.replace(value, "****")
        return text

    def masked(self) -> dict[str, str]:
        """`to_fields` with every secret masked: what a listing may show."""
        secret = {f.name for f in self.FIELDS if f.secret}
        return {name: mask(value) if name in secret else value for name, value in self.to_fields().items()}


__all__ = ["CarrierSettings", "CredentialField", "mask"]
