"""The WordPress plugin: every PHP file parses (`php -l`), and the shortcode writes the element the widget reads.

The shortcode runs under the PHP CLI with the handful of WordPress functions it calls defined as WordPress
defines them (tests/wordpress/render_shortcode.php); the browser tests load the markup it prints.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.config import PROJECT_DIR

PLUGIN = PROJECT_DIR / "frontend" / "woocommerce-plugin" / "afterglow"
HARNESS = PROJECT_DIR / "tests" / "wordpress" / "render_shortcode.php"
PHP = shutil.which("php")
needs_php = pytest.mark.skipif(PHP is None, reason="php is missing (apt-get install php-cli; .ci/run installs it)")


def render_shortcode(*, home: str, app_url: str, locale: str = "en_US", **atts: str) -> dict[str, object]:
    pairs = [f"{key}={value}" for key, value in atts.items()]
    out = subprocess.run([str(PHP), str(HARNESS), home, app_url, locale, *pairs],
                         capture_output=True, text=True, check=True, timeout=30)  # fmt: skip
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@needs_php
@pytest.mark.parametrize("path", sorted(PLUGIN.rglob("*.php")), ids=lambda p: str(Path(p).relative_to(PLUGIN)))
def test_plugin_php_file_parses(path):
    result = subprocess.run([str(PHP), "-l", str(path)], capture_output=True, text=True, timeout=30)

    assert result.returncode == 0, result.stdout + result.stderr


def test_plugin_declares_the_headers_wordpress_and_woocommerce_read():
    main = (PLUGIN / "afterglow.php").read_text()
    readme = (PLUGIN / "readme.txt").read_text()

    for header in ("Plugin Name:", "Version:", "Requires at least:", "Requires PHP:", "WC requires at least:",
                   "WC tested up to:", "License:", "Text Domain:", "Requires Plugins:"):  # fmt: skip
        assert header in main
    assert "declare_compatibility( 'custom_order_tables'" in main  # HPOS
    assert "Stable tag: 0.1.0" in readme and "Version:              0.1.0" in main
    assert json.loads((PLUGIN / "blocks" / "tracking" / "block.json").read_text())["name"] == "afterglow/tracking"


@needs_php
def test_shortcode_writes_the_widget_for_this_store_in_its_language():
    rendered = render_shortcode(home="https://shop.example/", app_url="https://app.example/", locale="de_DE")

    assert rendered["markup"] == (
        '<afterglow-tracking style="display:block;min-height:22rem" endpoint="https://app.example/api/storefront"'
        ' shop="shop.example" locale="de-DE">'
        "</afterglow-tracking>"
    )
    assert rendered["script"] == "https://app.example/static/widgets/afterglow-tracking.js"
    assert rendered["enqueued"] == ["afterglow-tracking"]


@needs_php
def test_shortcode_names_a_store_in_a_folder_and_escapes_attributes():
    rendered = render_shortcode(home="https://Example.org/shop", app_url="https://app.example",
                                number='12"><script>', email="a@b.c")  # fmt: skip

    assert 'shop="example.org/shop"' in str(rendered["markup"])
    assert 'number="12&quot;&gt;&lt;script&gt;"' in str(rendered["markup"])
