"""Browser tests: Debian's Chromium driven by Playwright, against the app served on a real local HTTP server.

Chromium comes from the system (`apt-get install chromium`; .ci/run installs it); Playwright never downloads a
browser here. Without /usr/bin/chromium these tests skip and say why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.config import PROJECT_DIR
from app.extensions import db
from fakes.server import FakeServer
from tests.conftest import make_settings, truncate_all

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDGET = PROJECT_DIR / "app" / "static" / "widgets" / "afterglow-tracking.js"


# Module scope: Playwright's sync API keeps an event loop running while it is open, which would break code that
# calls asyncio.run() (karrio) in later test modules.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)")
    if not WIDGET.exists():
        pytest.skip(f"{WIDGET} is not built (make widgets)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class LiveApp:
    """The app on a local port, with its Flask object for seeding data."""

    def __init__(self, app: Flask, server: FakeServer) -> None:
        self.app, self.server = app, server

    @property
    def url(self) -> str:
        return self.server.base_url


@pytest.fixture
def live_app(sqlite_url: str, request: pytest.FixtureRequest) -> Iterator[LiveApp]:
    overrides: dict[str, Any] = getattr(request, "param", {})
    app = create_app(make_settings(sqlite_url, **overrides))
    truncate_all(app)
    with FakeServer(app) as server:
        app.config["AFTERGLOW"].public_url = server.base_url  # what PUBLIC_URL says in a deployment
        yield LiveApp(app, server)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["afterglow.jobs"].close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    locale = getattr(request, "param", "en-US")
    context = browser.new_context(locale=locale, timezone_id="Europe/Berlin")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
