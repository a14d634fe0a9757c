"""Which carrier issued a tracking number, from the number alone.

    detect_carrier("1Z 999 AA1 0123 4567 84")  # -> "ups"
    detect_carrier("RB123456785GB")            # -> "royal_mail" (UPU S10, by its country suffix)
    detect_carrier("12345")                     # -> None

The number is normalised (spaces and dashes removed, upper case), then every format of `tracking_numbers` and of our
`rules` is tried; a format counts only when its check digit and lookups pass. Of the formats that accept the number,
the highest priority wins (the scale is in `rules`); a number no format accepts gives None. Shipments whose platform
named the carrier should use `carrier_from_name` first: detection is the fallback for numbers without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracking_numbers import DEFINITIONS

from integrations.carriers.codes import S10_COUNTRY_CARRIERS, Carrier
from integrations.carriers.rules import RULES

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_PLAUSIBLE = re.compile(r"[0-9A-Z]{8,40}")

# tracking_numbers product -> (our code, priority). Codes of its couriers map one to one, except S10 (by country).
_LIBRARY_PRODUCTS: dict[str, tuple[Carrier, int]] = {
    "UPS": (Carrier.UPS, 90),
    "OnTrac": (Carrier.ONTRAC, 90),
    "Amazon Logistics": (Carrier.AMAZON, 80),
    "USPS 34v2": (Carrier.USPS, 60),
    "USPS 91": (Carrier.USPS, 60),
    "FedEx Ground 96 (22)": (Carrier.FEDEX, 60),
    "FedEx Ground GSN": (Carrier.FEDEX, 60),
    "FedEx Express (34)": (Carrier.FEDEX, 55),
    "USPS 20": (Carrier.USPS, 50),
    "FedEx Express (12)": (Carrier.FEDEX, 50),
    "FedEx Ground": (Carrier.FEDEX, 50),
    "FedEx Ground (SSCC-18)": (Carrier.FEDEX, 50),
    "DHL Express": (Carrier.DHL, 50),
    "DHL Express Air": (Carrier.DHL, 50),
    "UPS Mail Innovations - Sequence Number": (Carrier.UPS, 20),
}
# Products we skip. SmartPost: tracking_number_data v2 dropped it; its 20-digit form has no prefix and claims USPS
# numbers whose own check digit fails, and its 92... form is a USPS IMpb number that USPS tracks. CDL: its regex
# wants lower-case hex, which normalised input never has, and we keep no code for CDL.
_LIBRARY_SKIPPED = frozenset({"FedEx SmartPost", "CDL Last Mile Solutions"})
# A product a newer tracking_numbers adds still counts, at a middling priority, through its courier code.
_LIBRARY_COURIERS: dict[str, Carrier] = {
    "ups": Carrier.UPS,
    "usps": Carrier.USPS,
    "fedex": Carrier.FEDEX,
    "dhl": Carrier.DHL,
    "amazon": Carrier.AMAZON,
    "ontrac": Carrier.ONTRAC,
}
_LIBRARY_DEFAULT_PRIORITY = 45
_S10_PRIORITY = 90


@dataclass(frozen=True, slots=True)
class Candidate:
    """One format that accepts the number: which carrier, which of its products, and how much we trust it."""

    carrier: Carrier
    product: str
    priority: int
    source: str  # "tracking_numbers" or "rules"


def normalise(number: str) -> str:
    """Spaces, dashes and dash-like characters removed, upper case: the form every format is matched against."""
    return _SEPARATORS.sub("", number).upper()


def candidates(number: str) -> list[Candidate]:
    """Every format accepting `number`, best first (highest priority, then the order formats are tried in)."""
    normalised = normalise(number)
    if not _PLAUSIBLE.fullmatch(normalised) or _is_placeholder(normalised):
        return []
    found = _library_candidates(normalised)
    found.extend(
        Candidate(rule.carrier, rule.product, rule.priority, "rules") for rule in RULES if rule.accepts(normalised)
    )
    found.sort(key=lambda candidate: -candidate.priority)  # stable: ties keep their order
    return found


def detect_carrier(number: str) -> str | None:
    """The canonical carrier code (see `codes.Carrier`) for a tracking number, or None when no format accepts it."""
    if not isinstance(number, str):
        return None
    found = candidates(number)
    return str(found[0].carrier) if found else None


def _library_candidates(normalised: str) -> list[Candidate]:
    found: list[Candidate] = []
    for definition in DEFINITIONS:
        product = str(definition.product.name)
        if product in _LIBRARY_SKIPPED:
            continue
        result = definition.test(normalised)
        if result is None or not result.valid:
            continue
        candidate = _from_library(result, product)
        if candidate is not None:
            found.append(candidate)
    return found


def _from_library(result: Any, product: str) -> Candidate | None:
    courier = str(result.courier.code)
    if courier == "s10":
        # The library has already checked the suffix against the UPU member list.
        carrier = S10_COUNTRY_CARRIERS.get(str(result.number)[-2:], Carrier.POSTAL)
        return Candidate(carrier, product, _S10_PRIORITY, "tracking_numbers")
    if product in _LIBRARY_PRODUCTS:
        carrier, priority = _LIBRARY_PRODUCTS[product]
        return Candidate(carrier, product, priority, "tracking_numbers")
    if courier in _LIBRARY_COURIERS:
        return Candidate(_LIBRARY_COURIERS[courier], product, _LIBRARY_DEFAULT_PRIORITY, "tracking_numbers")
    return None


def _is_placeholder(normalised: str) -> bool:
    # "000000000000" passes FedEx's and Purolator's check digits; no carrier issues one digit repeated.
    return normalised.isdigit() and len(set(normalised)) == 1


__all__ = ["Candidate", "candidates", "detect_carrier", "normalise"]
