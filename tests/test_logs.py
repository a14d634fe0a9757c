"""Log lines keep the ids passed as `extra`."""

from __future__ import annotations

import io
import logging

from app.logs import ExtraFormatter


def test_log_line_carries_its_extra_fields_sorted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ExtraFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("afterglow.test.logs")
    logger.addHandler(handler)
    logger.propagate = False

    logger.warning("inbox batch done", extra={"last_id": 9, "first_id": 7})

    assert stream.getvalue().strip() == "WARNING inbox batch done first_id=7 last_id=9"


def test_log_line_without_extras_is_unchanged():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", (), None)

    assert ExtraFormatter("%(message)s").format(record) == "plain"
