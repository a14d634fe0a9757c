"""The local outbox: every message written to a folder instead of leaving the machine (the embedded default).

Email is stored as the `.eml` a mail client opens, SMS as JSON. `/dev/outbox` lists them, newest first. Files are
named so that several processes can write side by side and a listing sorts by time.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import TracebackType

from integrations.channels.email.message import to_mime
from integrations.channels.models import DeliveryRefused, EmailMessage, EventMessage, Message, Receipt


@dataclass(frozen=True)
class StoredMessage:
    name: str  # the file name, which is also the id in /dev/outbox
    channel: str
    to: str
    subject: str
    created_at: datetime
    text: str
    html: str | None
    headers: dict[str, str]


class LocalOutbox:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> LocalOutbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None

    def send(self, message: Message) -> Receipt:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        if isinstance(message, EventMessage):
            raise DeliveryRefused("events go to the merchant's Klaviyo or webhook, never to the local outbox")
        if isinstance(message, EmailMessage):
            name, content = f"{stem}.eml", to_mime(message).as_bytes()
        else:
            name = f"{stem}.sms.json"
            content = json.dumps({"to": message.to, "from": message.sender, "body": message.body}).encode()
        # Write then rename: a reader never sees half a message.
        partial = self.directory / f".{name}.partial"
        partial.write_bytes(content)
        partial.replace(self.directory / name)
        return Receipt(provider_message_id=f"local:{name}")

    def list(self, *, limit: int = 100) -> list[StoredMessage]:
        if not self.directory.is_dir():
            return []
        names = sorted((p.name for p in self.directory.iterdir() if _is_message(p.name)), reverse=True)
        return [self.read(name) for name in names[:limit]]

    def read(self, name: str) -> StoredMessage:
        if not _is_message(name) or "/" in name or "\\" in name:
            raise FileNotFoundError(name)
        path = self.directory / name
        created = datetime.fromtimestamp(int(name.split("-", 1)[0]) / 1e9, tz=UTC)
        if name.endswith(".sms.json"):
            data = json.loads(path.read_text())
            return StoredMessage(
                name=name, channel="sms", to=data["to"], subject=data["body"][:60], created_at=created,
                text=data["body"], html=None, headers={},
            )  # fmt: skip
        mime = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        text_part = mime.get_body(preferencelist=("plain",))
        html_part = mime.get_body(preferencelist=("html",))
        return StoredMessage(
            name=name, channel="email", to=str(mime["To"]), subject=str(mime["Subject"]), created_at=created,
            text=text_part.get_content() if text_part else "", html=html_part.get_content() if html_part else None,
            headers={key: str(value) for key, value in mime.items()},
        )  # fmt: skip


def _is_message(name: str) -> bool:
    return not name.startswith(".") and (name.endswith(".eml") or name.endswith(".sms.json"))
