from __future__ import annotations

from app.services.processing import process_inbound_webhook as _process


def process_inbound_webhook(inbox_id: int) -> str:
    return _process(inbox_id=inbox_id)
