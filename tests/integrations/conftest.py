from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
OWN_FIXTURES = PROJECT / "tests" / "fixtures"
# Real payloads nobody on the team wrote live beside the checkout, never inside it.
SHARED_FIXTURES = PROJECT.parent / "shared" / "fixtures"


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def shared_fixture_dir(name: str) -> Path:
    folder = SHARED_FIXTURES / name
    if not folder.is_dir():
        pytest.skip(f"shared fixtures absent: {folder} (they live beside the checkout in ../shared/fixtures)")
    return folder


def load_json(path: Path) -> Any:
    from integrations.parsing import loads

    return loads(path.read_bytes())


@pytest.fixture
def own_fixture():
    def _load(relative: str) -> Any:
        return load_json(OWN_FIXTURES / relative)

    return _load


__all__ = ["OWN_FIXTURES", "SHARED_FIXTURES", "json", "load_json", "shared_fixture_dir", "utc"]
