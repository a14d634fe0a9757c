"""Carrier detection: accuracy per courier over tracking_number_data v2, and detections per second.

    .venv/bin/python bench/detection.py [--numbers 10000]

Prints figures, asserts nothing. Side by side in one run: our `detect_carrier` and `tracking_numbers` alone (its
first valid match, courier codes mapped to ours), on the same numbers. Reads ../shared/fixtures at run time.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tracking_numbers import get_tracking_number  # noqa: E402

from integrations.carriers.codes import S10_COUNTRY_CARRIERS, Carrier  # noqa: E402
from integrations.carriers.detection import detect_carrier, normalise  # noqa: E402
from tests.integrations.conftest import SHARED_FIXTURES  # noqa: E402
from tests.integrations.test_carrier_detection import ConformanceCase, load_conformance_cases  # noqa: E402

Detector = Callable[[str], str | None]


def library_only(number: str) -> str | None:
    result = get_tracking_number(normalise(number))
    if result is None:
        return None
    code = str(result.courier.code)
    if code == "s10":
        return str(S10_COUNTRY_CARRIERS.get(str(result.number)[-2:], Carrier.POSTAL))
    return code if code in {str(carrier) for carrier in Carrier} else None


def accuracy(cases: list[ConformanceCase], detector: Detector) -> dict[str, list[int]]:
    """courier -> [valid right, valid, invalid not given to their courier, invalid, invalid given None]."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for case in cases:
        got = detector(case.number)
        row = rows[case.courier]
        if case.valid:
            row[0] += got == case.expected
            row[1] += 1
        elif not case.valid_elsewhere:
            row[2] += got != case.expected
            row[3] += 1
            row[4] += got is None
    return dict(rows)


def rate(detector: Detector, numbers: list[str]) -> float:
    started = time.perf_counter()
    for number in numbers:
        detector(number)
    return len(numbers) / (time.perf_counter() - started)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def row(courier: str, ok: int, total: int, rejected: int, invalid: int, lib_ok: int) -> str:
    ours = f"{ok:>4}/{total:<4} {percent(ok, total)} {rejected:>5}/{invalid:<4} {percent(rejected, invalid)}"
    return f"{courier:14} {ours}   {lib_ok:>14}/{total:<4} {percent(lib_ok, total)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=10_000, help="numbers timed per detector (fixtures repeated)")
    args = parser.parse_args()

    folder = SHARED_FIXTURES / "tracking-numbers"
    if not folder.is_dir():
        sys.exit(f"fixtures absent: {folder}")
    cases = load_conformance_cases(folder)

    ours = accuracy(cases, detect_carrier)
    theirs = accuracy(cases, library_only)
    print(f"{'courier':14} {'ours valid':>16} {'ours invalid rej.':>18}   {'tracking_numbers alone valid':>28}")
    totals = [0] * 7
    for courier in sorted(ours):
        ok, total, rejected, invalid, none = ours[courier]
        lib_ok = theirs[courier][0]
        print(row(courier, ok, total, rejected, invalid, lib_ok))
        for index, value in enumerate((ok, total, rejected, invalid, none, lib_ok, theirs[courier][4])):
            totals[index] += value
    ok, total, rejected, invalid, none, lib_ok, lib_none = totals
    print(row("overall", ok, total, rejected, invalid, lib_ok))
    print(
        f"invalid numbers given no carrier at all: ours {none}/{invalid}, tracking_numbers alone {lib_none}/{invalid}"
    )

    pool = [case.number for case in cases]
    numbers = (pool * (args.numbers // len(pool) + 1))[: args.numbers]
    rate(detect_carrier, numbers[:500])  # warm-up: regex compilation, imports
    ours_rate = rate(detect_carrier, numbers)
    library_rate = rate(library_only, numbers)
    cpu = platform.processor() or platform.machine()
    machine = f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"\nspeed over {len(numbers):,} numbers ({len(pool)} fixture numbers repeated), one process, {machine}")
    print(f"  detect_carrier          {ours_rate:>10,.0f} numbers/s")
    ratio = ours_rate / library_rate
    print(f"  tracking_numbers alone  {library_rate:>10,.0f} numbers/s  (ours / theirs = {ratio:.2f})")


if __name__ == "__main__":
    main()
