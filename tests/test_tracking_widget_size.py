"""The storefront widget loads on the merchant's own pages, so its weight is theirs: it stays within 10 KB gzipped."""

from __future__ import annotations

import gzip

import pytest

from app.config import PROJECT_DIR

WIDGET = PROJECT_DIR / "app" / "static" / "widgets" / "afterglow-tracking.js"


def test_tracking_widget_stays_within_10_kb_gzipped():
    if not WIDGET.exists():
        pytest.skip(f"{WIDGET} is not built (make widgets)")

    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))

    assert size <= 10 * 1024, f"{size} bytes gzipped"
