"""Alembic: one head, and upgrade → downgrade → upgrade works on PostgreSQL and leaves the models' schema."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.config import PROJECT_DIR
from app.extensions import db
from tests.conftest import make_settings


def test_migrations_have_a_single_head():
    from alembic.config import Config

    config = Config(str(PROJECT_DIR / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.postgres
def test_migrations_upgrade_downgrade_upgrade_on_postgres(postgres_url):
    # Named after the test database, so suites run against different databases never drop each other's copy.
    scratch = postgres_url.rsplit("/", 1)[1].split("?")[0] + "_migrations"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {scratch}"))
    url = postgres_url.rsplit("/", 1)[0] + "/" + scratch
    app = create_app(make_settings(url))
    try:
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert tables == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
        admin.dispose()
