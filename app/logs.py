"""Log lines with their ids: the `extra` fields of a record are appended as key=value.

Loggers here pass ids and counts as `extra` (never payloads, tokens or personal data); without this formatter
those fields would be dropped from the line.
"""

from __future__ import annotations

import logging

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class ExtraFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {key: value for key, value in vars(record).items() if key not in _STANDARD}
        if extras:
            line += " " + " ".join(f"{key}={value}" for key, value in sorted(extras.items()))
        return line


def configure(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(ExtraFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h.formatter, ExtraFormatter) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(level)
    # Every outbound request at INFO drowns what matters (the demo seeding sends dozens).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
