"""Check-digit algorithms couriers print into tracking numbers, as pure functions.

Each takes the `sequence` the courier computes over and the printed `check` character and answers whether they agree.
The definitions follow tracking_number_data's CHECKSUM_ALGORITHMS (the reference used by every tracking-number
library); `tracking_numbers` implements only mod7, mod10, s10 and the weighted sum, so we keep all six here.
"""

from __future__ import annotations

from collections.abc import Sequence

_ALPHABET_36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def char_value(char: str) -> int:
    """Digits count as themselves; letters as (ASCII code - 3) mod 10, the mapping UPS uses (A=2, B=3, ..., Z=7)."""
    if char.isdigit():
        return int(char)
    return (ord(char) - 3) % 10


def mod10(
    sequence: str,
    check: str,
    *,
    evens_multiplier: int = 1,
    odds_multiplier: int = 1,
    reverse: bool = False,
) -> bool:
    """Weighted sum of the characters (position 0 is "even"), check = (10 - sum mod 10) mod 10."""
    chars = sequence[::-1] if reverse else sequence
    total = 0
    for index, char in enumerate(chars):
        total += char_value(char) * (odds_multiplier if index % 2 else evens_multiplier)
    return _digit(check) == (10 - total % 10) % 10


def mod7(sequence: str, check: str) -> bool:
    """The check digit is the sequence, read as a number, modulo 7 (DHL Express waybills)."""
    return sequence.isdigit() and _digit(check) == int(sequence) % 7


def s10(sequence: str, check: str) -> bool:
    """UPU S10: weights 8,6,4,2,3,5,9,7 modulo 11; remainder 1 gives 0 and remainder 0 gives 5."""
    if len(sequence) != len(_S10_WEIGHTS) or not sequence.isdigit():
        return False
    remainder = sum(int(c) * w for c, w in zip(sequence, _S10_WEIGHTS, strict=True)) % 11
    expected = {0: 5, 1: 0}.get(remainder, 11 - remainder)
    return _digit(check) == expected


def sum_product_with_weightings_and_modulo(
    sequence: str,
    check: str,
    *,
    weightings: Sequence[int],
    modulo1: int,
    modulo2: int,
) -> bool:
    """Sum of digit x weight (pairs beyond the shorter of the two are ignored), then modulo1, then modulo2."""
    total = sum(int(c) * w for c, w in zip(sequence, weightings, strict=False))
    return _digit(check) == total % modulo1 % modulo2


def luhn(sequence: str, check: str) -> bool:
    """Luhn (ISO/IEC 7812): double every second digit from the right of the sequence, sum the digits of the results."""
    total = 0
    for index, char in enumerate(reversed(sequence)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return _digit(check) == (10 - total % 10) % 10


def mod_37_36(sequence: str, check: str) -> bool:
    """ISO 7064 MOD 37,36 (DPD parcel labels): an alphanumeric check character."""
    modulus = 36
    product = modulus
    for char in sequence:
        value = _ALPHABET_36.find(char)
        if value < 0:
            return False
        product += value
        if product > modulus:
            product -= modulus
        product *= 2
        if product > modulus:
            product -= modulus + 1
    expected = (modulus + 1 - product) % modulus
    return check == _ALPHABET_36[expected]


def _digit(check: str) -> int:
    # A letter never equals a computed digit, so it fails every numeric scheme rather than raising.
    return int(check) if len(check) == 1 and check.isdigit() else -1


__all__ = [
    "char_value",
    "luhn",
    "mod7",
    "mod10",
    "mod_37_36",
    "s10",
    "sum_product_with_weightings_and_modulo",
]
