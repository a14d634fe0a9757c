"""Our own tracking-number formats: where `tracking_numbers` (data from 2022) falls short of tracking_number_data v2.

Each `Rule` is declarative: a regex that must match the whole normalised number (upper case, no spaces or dashes)
with named groups `serial` and `check`, a check-digit function from `checksums`, and a priority. Formats that
`tracking_numbers` already knows are not repeated here, except where its version is narrower (see `detection`).

Priority decides between formats that accept the same number (higher wins). The fewer numbers a format admits,
the more a match says, so prefixes and check digits rank first:

    90  letters and a check digit                     UPS 1Z and waybills, OnTrac, S10
    80  a distinctive literal prefix, no check digit  TBA/TBC/TBM, JJD + 16, LTN..N1, 1LS7, GFUS, SP, YT
    70  a short letter prefix, no check digit         LaserShip LX, Canpar, DHL piece ids
    60  a fixed prefix and a check digit              USPS IMpb, FedEx 96 and ASTRA, Old Dominion, DHL Paket NVE;
                                                      also Purolator's 3 letters + 9 digits
    55  a loose prefix and a check digit              FedEx 34 (any first digit but 9), DHL J + 2 letters + 9 digits
    50  digits and a check digit                      FedEx 12/15/SSCC-18, DHL Express, USPS 20, Canada Post, DPD 28
    40  weaker versions of the above                  DPD 14, Purolator 12, DHL eCommerce letter prefixes
    20  no check digit at all                         DHL eCommerce 14 digits, Amazon International, UPS MI

Purolator's 12 digits rank below FedEx Express's 12 on purpose: about one number in ten passes both check digits,
and FedEx issues far more of them (a Canadian merchant's carrier name, read first, settles the rest). Formats of
two carriers at the same priority go to the one tried first: `tracking_numbers`' formats, then `RULES` in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from integrations.carriers import checksums
from integrations.carriers.codes import Carrier

Checksum = Callable[[str, str], bool]

_MOD10_UPS = partial(checksums.mod10, evens_multiplier=1, odds_multiplier=2)
_MOD10_31 = partial(checksums.mod10, evens_multiplier=3, odds_multiplier=1)
_FEDEX_34 = partial(
    checksums.sum_product_with_weightings_and_modulo,
    weightings=(1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1),
    modulo1=11,
    modulo2=10,
)
_FEDEX_12 = partial(
    checksums.sum_product_with_weightings_and_modulo,
    weightings=(3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1),
    modulo1=11,
    modulo2=10,
)


@dataclass(frozen=True, slots=True)
class Rule:
    carrier: Carrier
    product: str
    pattern: re.Pattern[str]
    priority: int
    checksum: Checksum | None = None
    # Some couriers compute the check digit over the serial with a prefix that is not printed (OnTrac "C" -> "4").
    implied_prefix: str = ""

    def accepts(self, number: str) -> bool:
        match = self.pattern.fullmatch(number)
        if match is None:
            return False
        if self.checksum is None:
            return True
        serial = match["serial"]
        if self.implied_prefix and not serial.startswith(self.implied_prefix):
            serial = self.implied_prefix + serial
        return self.checksum(serial, match["check"])


def _rule(
    carrier: Carrier,
    product: str,
    regex: str,
    priority: int,
    checksum: Checksum | None = None,
    implied_prefix: str = "",
) -> Rule:
    return Rule(carrier, product, re.compile(regex), priority, checksum, implied_prefix)


RULES: tuple[Rule, ...] = (
    # Letters and a check digit.
    _rule(Carrier.UPS, "UPS Waybill", r"[AHJKTV](?P<serial>\d{9})(?P<check>\d)", 90, _MOD10_UPS),
    _rule(Carrier.ONTRAC, "OnTrac D", r"D(?P<serial>\d{13})(?P<check>\d)", 90, _MOD10_UPS, "5"),
    # Literal prefixes without a check digit.
    _rule(Carrier.AMAZON, "Amazon Logistics", r"TB[ACM]\d{12}", 80),
    _rule(Carrier.YODEL, "Yodel", r"JJ?D\d{16}", 80),
    _rule(Carrier.LANDMARK, "Landmark Global LTN", r"LTN\d{8}N1", 80),
    _rule(Carrier.GOFO, "GOFO Express (US)", r"GFUS\d{14}", 80),
    _rule(Carrier.SPEEDEE, "Spee-Dee", r"SP\d{18}", 80),
    _rule(Carrier.YUNEXPRESS, "YunExpress", r"YT\d{16}", 80),
    _rule(Carrier.LASERSHIP, "LaserShip 1LS7 (15)", r"1LS7[12]\d{10}", 80),
    # Printed "1LS7119013618127-1": the dash goes in normalisation, the trailing 1 stays.
    _rule(Carrier.LASERSHIP, "LaserShip 1LS7 (18)", r"1LS7[12]\d{2}01[1-4]\d{6}1", 80),
    _rule(Carrier.LASERSHIP, "LaserShip 1LSCX", r"1LSCX[0-9A-Z]{10}", 80),
    _rule(Carrier.LASERSHIP, "LaserShip LX", r"L[AIEHNX][1-3]\d{7}", 70),
    _rule(Carrier.CANPAR, "Canpar (22)", r"[CDKLSUXZ]\d{21}", 70),
    _rule(Carrier.DHL, "DHL Express (Piece ID)", r"J(?:JD|[A-Z]{3})\d{9,10}|J[A-Z]{2}\d{10}", 70),
    # Purolator's 3 letters + 9 digits also fit DHL's J + 2 letters + 9 digits: Purolator wins unless it reads JJD.
    _rule(Carrier.PUROLATOR, "Purolator (alpha + 9)", r"[A-Z]{3}\d{9}", 60),
    _rule(Carrier.DHL, "DHL Express (Piece ID)", r"J[A-Z]{2}\d{9}", 55),
    # Digits with a fixed prefix and a check digit.
    _rule(
        Carrier.OLD_DOMINION,
        "Old Dominion",
        r"(?P<serial>(?:777|778|072|780)\d{7})(?P<check>\d)",
        60,
        checksums.luhn,
    ),
    _rule(Carrier.OLD_DOMINION, "Old Dominion Guaranteed", r"(?P<serial>80\d{8})(?P<check>\d)", 60, checksums.luhn),
    # DHL Paket's NVE: an SSCC (GS1 mod 10) under DHL's company prefix 340434, printed with the "00" identifier.
    _rule(Carrier.DHL_PAKET, "DHL Paket NVE", r"00(?P<serial>340434\d{11})(?P<check>\d)", 60, _MOD10_31),
    _rule(Carrier.FEDEX, "FedEx ASTRA (32)", r"3\d{15}(?P<serial>\d{11})(?P<check>\d)\d{4}", 60, _FEDEX_12),
    # tracking_numbers only knows FedEx 34 numbers starting "100"; v2 accepts any first digit but 9.
    _rule(Carrier.FEDEX, "FedEx Express (34)", r"[0-8]\d{19}(?P<serial>\d{13})(?P<check>\d)", 55, _FEDEX_34),
    # Digits and a check digit.
    _rule(Carrier.DPD, "DPD (28)", r"(?P<serial>\d{27})(?P<check>[0-9A-Z])", 50, checksums.mod_37_36),
    _rule(Carrier.CANADA_POST, "Canada Post (16)", r"(?P<serial>\d{15})(?P<check>\d)", 50, _MOD10_31),
    _rule(Carrier.DPD, "DPD (14)", r"(?P<serial>\d{14})(?P<check>[0-9A-Z])", 40, checksums.mod_37_36),
    _rule(Carrier.PUROLATOR, "Purolator (12)", r"(?P<serial>[0-5]\d{10})(?P<check>\d)", 40, checksums.luhn),
    # Broad shapes without a check digit: last resort. An S10 shape that failed its check digit is a typo, not DHL.
    _rule(
        Carrier.DHL_ECOMMERCE,
        "DHL eCommerce",
        r"(?![A-Z]{2}\d{9}[A-Z]{2}$)(?:GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)(?=[0-9A-Z]*\d)[0-9A-Z]{10,39}",
        40,
    ),
    _rule(Carrier.DHL_ECOMMERCE, "DHL eCommerce (14)", r"\d{14}", 20),
    _rule(Carrier.AMAZON, "Amazon International", r"[AFC]\d{10}", 20),
)


__all__ = ["RULES", "Checksum", "Rule"]
