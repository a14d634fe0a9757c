"""The scratch PostgreSQL database a bench fills: dropped and created again on every run."""

from __future__ import annotations

from sqlalchemy import create_engine, make_url, text


def scratch_database(admin_url: str, name: str) -> str:
    """The URL of an empty database `name` on the server of `admin_url` (whose own database is left alone)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
