"""INSERT ... ON CONFLICT DO NOTHING on PostgreSQL and SQLite alike: the database, not a prior read, decides
whether a row is new, so two workers writing the same key at the same moment still leave one row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def insert_new(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    db.session.execute(module.insert(table).on_conflict_do_nothing(), list(rows))
