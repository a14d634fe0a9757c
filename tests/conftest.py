"""Shared fixtures: `app`, `client`, `runner`, on SQLite (the embedded default) and on real PostgreSQL.

The pipeline's jobs run in their own sessions (and, in the RQ tests, in other processes), which cannot see an
uncommitted outer transaction; so instead of rolling back one transaction per test, each test starts from
truncated tables on a schema that Alembic built once per run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.config import Settings
from app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
SHOPIFY_SECRET = "test-shopify-secret"
WOO_SECRET = "test-woo-secret"
SHOP = "afterglow-demo.myshopify.com"


def make_settings(database_url: str, **overrides: object) -> Settings:
    settings = Settings(
        database_url=database_url,
        redis_url=None,
        job_backend="eager",
        shopify_api_key="test-key",
        shopify_api_secret=SHOPIFY_SECRET,
        secret_key="test-secret-key",
    )
    for name, value in overrides.items():
        setattr(settings, name, value)
    return settings


def _upgrade(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set (make test and .ci/run set it to the local PostgreSQL)")
    url = Settings(database_url=TEST_DATABASE_URL).database_url
    url = url if "+psycopg" in url else url.replace("postgresql://", "postgresql+psycopg://", 1)
    _reset_postgres(url)
    _upgrade(create_app(make_settings(url)))
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'afterglow-test.sqlite3'}"
    _upgrade(create_app(make_settings(url)))
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set (make test and .ci/run set it to the local Redis)")
    return TEST_REDIS_URL


def truncate_all(app: Flask) -> None:
    from app.services import estimates, shop_keys

    with app.app_context():
        shop_keys.forget()
        estimates.cache.forget()
        names = [table.name for table in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata
        db.session.commit()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def app_settings() -> dict[str, object]:
    """Settings a test module changes for its `app` (override this fixture in the module)."""
    return {}


@pytest.fixture
def app(database_url: str, app_settings: dict[str, object]) -> Iterator[Flask]:
    yield from running_app(database_url, **app_settings)


def running_app(database_url: str, **overrides: object) -> Iterator[Flask]:
    """An app on truncated tables, inside its context, closed afterwards: the body of every app fixture
    (`yield from running_app(...)`), whatever settings it changes."""
    application = create_app(make_settings(database_url, **overrides))
    truncate_all(application)
    with application.app_context():
        yield application
        db.session.remove()
    application.extensions["afterglow.jobs"].close()
    with application.app_context():
        db.engine.dispose()
    dispose_engines(application)


def dispose_engines(application: Flask) -> None:
    """Close the pools an app opened besides Flask-SQLAlchemy's (webhook ingress keeps an autocommit one), so a
    suite holds a handful of PostgreSQL connections, not one more per test."""
    ingest = application.extensions.pop("afterglow.ingest_engine", None)
    if ingest is not None:
        ingest.dispose()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def table_names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(inspect(db.engine).get_table_names())


FIXTURES = Path(__file__).parent / "fixtures"
