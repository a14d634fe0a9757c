"""Carrier detection from a tracking number: conformance to tracking_number_data v2 and the tricky cases.

The conformance test reads every courier file in ../shared/fixtures/tracking-numbers at test time and runs each of
its valid and invalid test numbers through `detect_carrier`. `bench/detection.py` reuses `load_conformance_cases`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from integrations import detect_carrier as detect_carrier_entry_point
from integrations.carriers.codes import S10_COUNTRY_CARRIERS, Carrier
from integrations.carriers.detection import candidates, detect_carrier, normalise
from tests.integrations.conftest import load_json, shared_fixture_dir

VALID_TARGET = 0.95
INVALID_NONE_FLOOR = 0.95

# tracking_number_data courier code -> ours. A new courier file fails the conformance test until it is mapped here.
FIXTURE_COURIERS: dict[str, Carrier] = {
    "amazon": Carrier.AMAZON,
    "canada_post": Carrier.CANADA_POST,
    "canpar": Carrier.CANPAR,
    "dhl": Carrier.DHL,
    "dpd": Carrier.DPD,
    "fedex": Carrier.FEDEX,
    "gofo": Carrier.GOFO,
    "landmark": Carrier.LANDMARK,
    "lasership": Carrier.LASERSHIP,
    "old_dominion": Carrier.OLD_DOMINION,
    "ontrac": Carrier.ONTRAC,
    "purolator": Carrier.PUROLATOR,
    "speedee": Carrier.SPEEDEE,
    "ups": Carrier.UPS,
    "usps": Carrier.USPS,
    "yodel": Carrier.YODEL,
    "yunexpress": Carrier.YUNEXPRESS,
}
# dhl.json holds two networks we track apart.
FIXTURE_PRODUCTS: dict[str, Carrier] = {
    "dhl_ecommerce": Carrier.DHL_ECOMMERCE,
    "dhl_ecommerce_14": Carrier.DHL_ECOMMERCE,
}


@dataclass(frozen=True)
class ConformanceCase:
    courier: str  # the fixture file's courier_code
    product: str
    number: str
    valid: bool
    expected: Carrier
    # An "invalid" number the same file lists as valid for a sibling format (Purolator's "331426749957" is not
    # "alpha + 9" but is a valid 12-digit number): invalid for that format, yet rightly attributed to the courier.
    valid_elsewhere: bool = False


def expected_carrier(courier: str, product_id: str | None, number: str) -> Carrier:
    if courier == "s10":  # a national post, by the issuing country's suffix (see codes.S10_COUNTRY_CARRIERS)
        return S10_COUNTRY_CARRIERS.get(normalise(number)[-2:], Carrier.POSTAL)
    if product_id in FIXTURE_PRODUCTS:
        return FIXTURE_PRODUCTS[product_id]
    if courier not in FIXTURE_COURIERS:
        raise AssertionError(f"fixture courier {courier!r} has no canonical code in FIXTURE_COURIERS")
    return FIXTURE_COURIERS[courier]


def load_conformance_cases(folder: Path) -> list[ConformanceCase]:
    cases: list[ConformanceCase] = []
    for path in sorted(folder.glob("*.json")):
        data = load_json(path)
        if not isinstance(data, dict) or not isinstance(data.get("tracking_numbers"), list):
            continue  # glossary.json and anything else that is not a courier
        courier = data["courier_code"]
        formats = data["tracking_numbers"]
        valid_in_file = {normalise(n) for spec in formats for n in spec["test_numbers"].get("valid", [])}
        for spec in formats:
            product = spec.get("name") or spec.get("id") or courier
            for kind in ("valid", "invalid"):
                for number in spec["test_numbers"].get(kind, []):
                    cases.append(
                        ConformanceCase(
                            courier=courier,
                            product=product,
                            number=number,
                            valid=kind == "valid",
                            expected=expected_carrier(courier, spec.get("id"), number),
                            valid_elsewhere=kind == "invalid" and normalise(number) in valid_in_file,
                        )
                    )
    return cases


def conformance_table(cases: list[ConformanceCase]) -> str:
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    misses: list[str] = []
    for case in cases:
        got = detect_carrier(case.number)
        row = rows[(case.courier, case.product)]
        if case.valid:
            row[0] += got == case.expected
            row[1] += 1
        elif not case.valid_elsewhere:
            row[2] += got != case.expected
            row[3] += 1
        if (case.valid and got != case.expected) or (not case.valid and got is not None):
            kind = "valid" if case.valid else "sibling" if case.valid_elsewhere else "invalid"
            misses.append(f"  {kind:7} {case.number!r:42} expected {case.expected}, got {got}")
    lines = [f"{'courier':14} {'format':30} {'valid ok':>9} {'invalid rejected':>17}"]
    for (courier, product), (ok, total, rejected, invalid) in sorted(rows.items()):
        lines.append(f"{courier:14} {product[:30]:30} {ok:>4}/{total:<4} {rejected:>8}/{invalid:<8}")
    return "\n".join([*lines, "wrong, or not None (sibling: invalid here, valid for another format):", *misses])


def test_detect_carrier_conformance_to_tracking_number_data() -> None:
    # Given every test number of tracking_number_data v2
    cases = load_conformance_cases(shared_fixture_dir("tracking-numbers"))
    valid = [case for case in cases if case.valid]
    invalid = [case for case in cases if not case.valid and not case.valid_elsewhere]
    assert len(valid) >= 190 and len(invalid) >= 80, "the fixture set shrank: is the folder complete?"

    # When each is detected
    valid_ok = sum(detect_carrier(case.number) == case.expected for case in valid)
    invalid_attributed = sum(detect_carrier(case.number) == case.expected for case in invalid)
    invalid_none = sum(detect_carrier(case.number) is None for case in invalid)

    # Then at least 95% of valid numbers name the right carrier, and no invalid number names its own
    table = conformance_table(cases)
    summary = f"valid {valid_ok}/{len(valid)}, invalid attributed {invalid_attributed}, None {invalid_none}\n{table}"
    assert valid_ok / len(valid) >= VALID_TARGET, summary
    assert invalid_attributed == 0, summary
    assert invalid_none / len(invalid) >= INVALID_NONE_FLOOR, summary


def test_detect_carrier_normalises_spaces_dashes_and_case() -> None:
    assert detect_carrier(" 1z 5r8 939-0357 567127 ") == "ups"
    assert detect_carrier("9400\u20111112\u00a00108 0805 4830 16") == "usps"  # non-breaking hyphen and space


@pytest.mark.parametrize("number", ["", "   ", "hello", "12345", "N/A", "https://ups.com/track?1Z5R89390357567127"])
def test_detect_carrier_returns_none_for_what_is_not_a_tracking_number(number: str) -> None:
    assert detect_carrier(number) is None


@pytest.mark.parametrize("number", ["000000000000", "000000000000000", "1111111111", "99999999999999999999"])
def test_detect_carrier_rejects_one_digit_repeated(number: str) -> None:
    # "000000000000" passes FedEx 12 and Purolator check digits; merchants type it as a placeholder.
    assert detect_carrier(number) is None


def test_detect_carrier_returns_none_for_non_strings() -> None:
    assert detect_carrier(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("suffix", "carrier"),
    [
        ("US", "usps"),
        ("GB", "royal_mail"),
        ("CA", "canada_post"),
        ("DE", "deutsche_post"),
        ("AU", "australia_post"),
        ("NL", "postnl"),
        ("FR", "la_poste"),
        ("ES", "correos"),
        ("IT", "poste_italiane"),
        ("JP", "japan_post"),
        ("CN", "china_post"),
        ("CV", "postal"),
        ("CF", "postal"),
    ],
)
def test_detect_carrier_maps_s10_country_suffix_to_the_national_post(suffix: str, carrier: str) -> None:
    assert detect_carrier(f"RB123456785{suffix}") == carrier


def test_detect_carrier_rejects_s10_numbers_that_fail_the_upu_rules() -> None:
    assert detect_carrier("RB123456786US") is None  # wrong check digit
    assert detect_carrier("RB123456785XX") is None  # no such UPU member
    assert detect_carrier("AB123456785US") is None  # no such service indicator
    # An S10 shape under a DHL eCommerce prefix is a mistyped postal number, not DHL eCommerce.
    assert detect_carrier("LX123456786US") is None
    assert detect_carrier("LX123456785US") == "usps"


def test_detect_carrier_prefers_old_dominion_over_dhl_when_both_check_digits_pass() -> None:
    # Given an 11-digit number passing DHL Express's mod 7 and Old Dominion's prefix + Luhn
    found = {candidate.carrier for candidate in candidates("78045768393")}
    assert found == {Carrier.DHL, Carrier.OLD_DOMINION}
    # Then the prefixed format, which fewer numbers can satisfy, wins
    assert detect_carrier("78045768393") == "old_dominion"


def test_detect_carrier_prefers_fedex_over_purolator_for_12_digits_passing_both() -> None:
    # A documented trade-off: FedEx Express issues far more 12-digit numbers, so it wins the tie.
    assert [c.carrier for c in candidates("287809468872")] == [Carrier.FEDEX, Carrier.PUROLATOR]
    assert detect_carrier("287809468872") == "fedex"
    assert detect_carrier("320595463938") == "purolator"  # FedEx's check digit fails here


def test_detect_carrier_purolator_alpha_beats_dhl_piece_id_unless_it_reads_jjd() -> None:
    assert detect_carrier("JFV247545960") == "purolator"
    assert detect_carrier("JJD009999999") == "dhl"
    assert detect_carrier("JVGL0999999990") == "dhl"


def test_detect_carrier_ignores_fedex_smartpost_which_claims_bad_usps_numbers() -> None:
    assert detect_carrier("0307 1790 0005 2348 3741") == "usps"
    assert detect_carrier("0307 1790 0005 2348 3742") is None
    assert detect_carrier("9261292700768711948021") == "usps"  # USPS IMpb, also SmartPost's 92 form


def test_detect_carrier_extends_fedex_34_beyond_the_100_prefix() -> None:
    assert detect_carrier("1195266473930007521100871079919940") == "fedex"
    assert detect_carrier("1195266473930007521100871079919941") is None


def test_detect_carrier_recognises_dhl_paket_nve() -> None:
    # DHL's developer-portal sandbox numbers: an SSCC under DHL's GS1 prefix 340434.
    assert detect_carrier("00340434161094042557") == "dhl_paket"
    assert detect_carrier("00340434161094042558") is None


def test_detect_carrier_reads_lasership_numbers_with_a_dash_suffix() -> None:
    assert detect_carrier("1LS7119013618127-1") == "lasership"
    assert detect_carrier("1LS7119013618127-2") is None


def test_detect_carrier_uses_dpd_alphanumeric_check_character() -> None:
    assert detect_carrier("0998 0000 0200 34D") == "dpd"
    assert detect_carrier("0998 0000 0200 34E") is None


def test_detect_carrier_is_exposed_by_the_integrations_package() -> None:
    assert detect_carrier_entry_point("1Z5R89390357567127") == "ups"


def test_candidates_lists_every_accepting_format_best_first() -> None:
    found = candidates("TBA000000000000")
    assert {candidate.source for candidate in found} == {"tracking_numbers", "rules"}
    assert all(candidate.carrier is Carrier.AMAZON for candidate in found)
    priorities = [candidate.priority for candidate in candidates("78045768393")]
    assert priorities == sorted(priorities, reverse=True)
