"""Which hubs a simulated parcel passes through, and what each hub scan says.

Domestic (US to US): origin hub, sometimes one hub on the way, the destination hub. International: origin hub, the
destination country's gateway (where import customs clears), sometimes a further hub there. That makes 2 to 5 hub
scans (an origin scan is printed half the time), plus the customs event abroad.
"""

from __future__ import annotations

from dataclasses import dataclass

from integrations.carriers.simulated.places import ORIGIN_COUNTRY, Place, hubs_in
from integrations.carriers.simulated.scenarios import seeded

ORIGIN_SCAN = "Origin scan"
ARRIVED = "Arrived at facility"
DEPARTED = "Departed from facility"
CUSTOMS = "Import customs clearance complete"
AT_FACILITY = (ORIGIN_SCAN, ARRIVED)  # scans after which the parcel sits in a building


@dataclass(frozen=True)
class Scan:
    place: Place
    description: str
    substatus: str | None = None


@dataclass(frozen=True)
class Route:
    origin: Place
    scans: tuple[Scan, ...]  # hub scans and customs, in order; the last one happens early on the delivery day
    destination: Place  # the hub that delivers
    international: bool

    @property
    def places(self) -> set[Place]:
        return {self.origin, self.destination, *(scan.place for scan in self.scans)}


def plan_route(number: str, destination: str) -> Route:
    rng = seeded(number, "route")
    home = hubs_in(ORIGIN_COUNTRY)
    origin = rng.choice(home)
    scans = [Scan(origin, ORIGIN_SCAN)] if rng.random() < 0.5 else []
    scans.append(Scan(origin, DEPARTED))
    if destination == ORIGIN_COUNTRY:
        target = rng.choice([hub for hub in home if hub != origin])
        if rng.random() < 0.5:
            via = rng.choice([hub for hub in home if hub not in (origin, target)])
            scans += [Scan(via, ARRIVED), Scan(via, DEPARTED)]
        scans.append(Scan(target, ARRIVED))
    else:
        abroad = hubs_in(destination)
        gateway, target = abroad[0], rng.choice(abroad)
        scans += [Scan(gateway, ARRIVED), Scan(gateway, CUSTOMS, "customs")]
        if target != gateway:
            scans += [Scan(gateway, DEPARTED), Scan(target, ARRIVED)]
    return Route(origin, tuple(scans), target, destination != ORIGIN_COUNTRY)


__all__ = ["ARRIVED", "AT_FACILITY", "CUSTOMS", "DEPARTED", "ORIGIN_SCAN", "Route", "Scan", "plan_route"]
