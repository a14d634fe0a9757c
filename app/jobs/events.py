from __future__ import annotations

from app.services.order_events import dispatch


def dispatch_order_event(event_id: int) -> bool:
    return dispatch(event_id=event_id)
