"""The simulated carrier: deterministic, offline journeys for the embedded default, the demo and the tests.

    from integrations import get_carrier_source
    get_carrier_source("simulated").track([TrackingRequest("ups", "SIMFAIL0001", shipped_at=...)], now=...)

The tracking number seeds everything (scenario, service, route, timing; see `scenarios`), `shipped_at` anchors it in
time, and `now` decides how much of it has happened. `journey()` exposes the whole plan, future events included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from integrations.carriers.simulated.journeys import Journey, journey
from integrations.carriers.simulated.scenarios import FORCED, SHARES, Scenario, Service, scenario_for
from integrations.carriers.simulated.source import SimulatedSource, source

if TYPE_CHECKING:
    from integrations.carriers.sources import TrackingSource

    _conforms: TrackingSource = source

__all__ = ["FORCED", "SHARES", "Journey", "Scenario", "Service", "SimulatedSource", "journey", "scenario_for", "source"]
