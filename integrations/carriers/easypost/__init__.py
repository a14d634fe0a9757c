"""EasyPost trackers: an aggregator that follows parcels of most carriers, polled and pushed.

    from integrations.carriers.easypost import EasyPostSettings, EasyPostSource, push
    source = EasyPostSource(EasyPostSettings(api_key="EZAK..."))  # an account's own key
    source.track([TrackingRequest(carrier="ups", tracking_number="1Z...")], now=now)
    push.verify_push(headers, body, secret); event = push.parse_push(body)
    push.to_update(event, request)  # the same update a poll of that parcel gives

`source` (the registry's entry) reads EASYPOST_API_KEY / EASYPOST_API_BASE / EASYPOST_TIMEOUT when it tracks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.carriers.easypost.settings import EasyPostSettings
from integrations.carriers.easypost.source import EasyPostSource
from integrations.carriers.easypost.webhooks import EasyPostPush, push, signature

source = EasyPostSource()

if TYPE_CHECKING:
    from integrations.carriers.sources import PushSource, TrackingSource

    _conforms: TrackingSource = source
    _pushes: PushSource = push

__all__ = ["EasyPostPush", "EasyPostSettings", "EasyPostSource", "push", "signature", "source"]
