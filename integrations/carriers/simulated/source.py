"""The simulated tracking source: answers like a carrier from the planned journey, revealing what happened by `now`.

A request without `shipped_at` cannot be placed in time, and a journey that moved with the clock would never progress
between polls: the answer is `pending`, with no events and a message saying tracking starts once the parcel ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from integrations.carriers.simulated.journeys import journey
from integrations.carriers.simulated.scenarios import normalise_number
from integrations.models import TrackingRequest, TrackingStatus, TrackingUpdate

NOT_FOUND = "No record of that tracking number"
NOT_SHIPPED = "No shipment date yet; tracking starts once the parcel ships"


class SimulatedSource:
    """Deterministic and offline: the demo's and the tests' carrier."""

    name = "simulated"

    def track(self, requests: Sequence[TrackingRequest], *, now: datetime) -> list[TrackingUpdate]:
        return [self.track_one(request, now=now) for request in requests]

    def track_one(self, request: TrackingRequest, *, now: datetime) -> TrackingUpdate:
        if normalise_number(request.tracking_number) is None:
            return TrackingUpdate(
                carrier=request.carrier,
                tracking_number=request.tracking_number,
                status=TrackingStatus.UNKNOWN,
                found=False,
                messages=(NOT_FOUND,),
            )
        if request.shipped_at is None:
            return TrackingUpdate(
                carrier=request.carrier,
                tracking_number=request.tracking_number,
                status=TrackingStatus.PENDING,
                messages=(NOT_SHIPPED,),
            )
        planned = journey(request.tracking_number, request.shipped_at, request.destination_country)
        events = planned.events_at(now)
        status = events[-1].status if events else TrackingStatus.PENDING
        return TrackingUpdate(
            carrier=request.carrier,
            tracking_number=request.tracking_number,
            status=status,
            events=events,
            estimated_delivery=planned.estimate_at(now),
            delivered_at=events[-1].occurred_at if status is TrackingStatus.DELIVERED else None,
            service=str(planned.service),
        )


source = SimulatedSource()

__all__ = ["NOT_FOUND", "NOT_SHIPPED", "SimulatedSource", "source"]
