"""What happens to a simulated parcel, decided by its tracking number alone.

Every choice is drawn from a `random.Random` seeded with sha256 of the (normalised) number and a purpose word, so a
number always gets the same scenario, service and route, whatever the process, the clock or the call order.

Seeded shares (over many numbers): normal 78%, one failed attempt then delivered 6%, weather delay then delivered
2%, damaged (terminal exception) 2%, held for pickup then collected 3%, returned to sender 3%, stalled after a hub
scan 4%, never picked up 2%.

Tests and demos force a scenario with a prefix: SIMOK, SIMFAIL, SIMWEATHER, SIMEXC, SIMPICKUP, SIMRTS, SIMDELAY,
SIMLOST; SIMNOTFOUND is a number the carrier has no record of. Example: "SIMDELAY0001".
"""

from __future__ import annotations

import enum
import hashlib
import random
import re

_NUMBER = re.compile(r"[A-Z0-9]{5,40}")
NOT_FOUND_PREFIX = "SIMNOTFOUND"


class Scenario(enum.StrEnum):
    NORMAL = "normal"
    ATTEMPT_FAILED = "attempt_failed"  # one failed attempt, delivered the next delivery day
    WEATHER_DELAY = "weather_delay"  # exception at a hub, then delivered one or two delivery days late
    DAMAGED = "damaged"  # exception at a hub, nothing after it
    PICKUP = "pickup"  # held at a locker / post office, collected by the shopper days later
    RETURN_TO_SENDER = "return_to_sender"  # refused or undeliverable, travels back, returned
    STALL = "stall"  # no scan after some hub scan, ever
    NOT_PICKED_UP = "not_picked_up"  # label created only


class Service(enum.StrEnum):
    GROUND = "Ground"
    EXPRESS = "Express"
    INTERNATIONAL = "International"


SHARES: tuple[tuple[Scenario, float], ...] = (
    (Scenario.NORMAL, 0.78),
    (Scenario.ATTEMPT_FAILED, 0.06),
    (Scenario.WEATHER_DELAY, 0.02),
    (Scenario.DAMAGED, 0.02),
    (Scenario.PICKUP, 0.03),
    (Scenario.RETURN_TO_SENDER, 0.03),
    (Scenario.STALL, 0.04),
    (Scenario.NOT_PICKED_UP, 0.02),
)

FORCED: dict[str, Scenario] = {
    "SIMOK": Scenario.NORMAL,
    "SIMFAIL": Scenario.ATTEMPT_FAILED,
    "SIMWEATHER": Scenario.WEATHER_DELAY,
    "SIMEXC": Scenario.DAMAGED,
    "SIMPICKUP": Scenario.PICKUP,
    "SIMRTS": Scenario.RETURN_TO_SENDER,
    "SIMDELAY": Scenario.STALL,
    "SIMLOST": Scenario.NOT_PICKED_UP,
}

EXPRESS_SHARE = 0.3  # of domestic parcels; the rest go Ground


def normalise_number(raw: str | None) -> str | None:
    """The number as the simulated carrier knows it (upper case, no spaces), or None when it has no record of it."""
    number = "".join((raw or "").split()).upper()
    if not _NUMBER.fullmatch(number) or number.startswith(NOT_FOUND_PREFIX):
        return None
    return number


def seeded(number: str, purpose: str) -> random.Random:
    """An independent, reproducible stream per number and purpose (adding a draw to one leaves the others alone)."""
    digest = hashlib.sha256(f"{purpose}:{number}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def scenario_for(number: str) -> Scenario:
    for prefix, scenario in FORCED.items():
        if number.startswith(prefix):
            return scenario
    draw = seeded(number, "scenario").random()
    for scenario, share in SHARES:
        if draw < share:
            return scenario
        draw -= share
    return Scenario.NORMAL  # float rounding at the very top of the range


def service_for(number: str, *, international: bool) -> Service:
    if international:
        return Service.INTERNATIONAL
    return Service.EXPRESS if seeded(number, "service").random() < EXPRESS_SHARE else Service.GROUND


__all__ = [
    "FORCED",
    "NOT_FOUND_PREFIX",
    "SHARES",
    "Scenario",
    "Service",
    "normalise_number",
    "scenario_for",
    "seeded",
    "service_for",
]
