"""Check-digit functions against published vectors (UPS, USPS, FedEx, DHL, DPD, UPU S10, ISO 7064, Luhn)."""

from __future__ import annotations

import pytest

from integrations.carriers import checksums

FEDEX_12_WEIGHTS = (3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1)


def test_char_value_maps_letters_the_ups_way() -> None:
    assert [checksums.char_value(c) for c in "09AZ"] == [0, 9, 2, 7]


@pytest.mark.parametrize(
    ("sequence", "check", "options", "expected"),
    [
        ("5R8939035756712", "7", {"evens_multiplier": 1, "odds_multiplier": 2}, True),  # UPS 1Z5R89390357567127
        ("5R8939035756712", "8", {"evens_multiplier": 1, "odds_multiplier": 2}, False),
        ("0307179000052348374", "1", {"evens_multiplier": 3, "odds_multiplier": 1}, True),  # USPS 20
        ("0307179000052348374", "2", {"evens_multiplier": 3, "odds_multiplier": 1}, False),
        ("940011120620640626078", "7", {"evens_multiplier": 3, "odds_multiplier": 1, "reverse": True}, True),  # IMpb
        # Direction only matters for an even length: reversed "12" weighs 2 by 3, forward weighs 1 by 3.
        ("12", "3", {"evens_multiplier": 3, "odds_multiplier": 1, "reverse": True}, True),
        ("12", "3", {"evens_multiplier": 3, "odds_multiplier": 1}, False),
        ("04144176022896", "4", {"evens_multiplier": 1, "odds_multiplier": 3}, True),  # FedEx Ground
    ],
)
def test_mod10_matches_carrier_numbers(sequence: str, check: str, options: dict[str, int], expected: bool) -> None:
    assert checksums.mod10(sequence, check, **options) is expected  # type: ignore[arg-type]


def test_mod7_matches_dhl_express_waybills() -> None:
    assert checksums.mod7("331881002", "5")  # 3318810025
    assert checksums.mod7("7389105114", "6")  # 73891051146
    assert not checksums.mod7("331881001", "0")


def test_s10_matches_upu_examples_and_both_special_remainders() -> None:
    assert checksums.s10("12345678", "5")  # RB123456785GB
    assert not checksums.s10("12345678", "6")
    assert checksums.s10("10000002", "5")  # weighted sum = 0 mod 11 -> check digit 5
    assert checksums.s10("10000014", "0")  # weighted sum = 1 mod 11 -> check digit 0
    assert not checksums.s10("1234567", "5")  # too short


def test_sum_product_with_weightings_and_modulo_matches_fedex() -> None:
    options = {"weightings": FEDEX_12_WEIGHTS, "modulo1": 11, "modulo2": 10}
    assert checksums.sum_product_with_weightings_and_modulo("98657878885", "5", **options)  # type: ignore[arg-type]
    assert not checksums.sum_product_with_weightings_and_modulo("99657878885", "5", **options)  # type: ignore[arg-type]


def test_luhn_matches_the_textbook_number_and_purolator() -> None:
    assert checksums.luhn("7992739871", "3")
    assert not checksums.luhn("7992739871", "4")
    assert checksums.luhn("32059546393", "8")  # Purolator 320595463938


def test_mod_37_36_matches_iso_7064_and_dpd() -> None:
    assert checksums.mod_37_36("A12425GABC1234002", "M")  # the ISO/IEC 7064 example
    assert checksums.mod_37_36("008182709980000020033350276", "C")  # DPD parcel label
    assert not checksums.mod_37_36("008182709980000020033350276", "A")
    assert not checksums.mod_37_36("0081-8270", "C")  # outside the alphabet


def test_numeric_checks_reject_a_letter_check_character() -> None:
    assert not checksums.luhn("7992739871", "X")
    assert not checksums.mod7("331881002", "")
