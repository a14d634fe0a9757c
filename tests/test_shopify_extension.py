"""The theme app extension and the app configuration agree with what the app serves and handles."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from app.config import PROJECT_DIR
from integrations.shopify import webhooks

EXTENSION = PROJECT_DIR / "frontend" / "shopify-extension"
BLOCKS = sorted((EXTENSION / "blocks").glob("*.liquid"))
APP_TOML = tomllib.loads((PROJECT_DIR / "shopify.app.toml").read_text())


def schema(block: Path) -> dict[str, object]:
    match = re.search(r"{%\s*schema\s*%}(.*?){%\s*endschema\s*%}", block.read_text(), re.S)
    assert match, f"{block.name} has no schema"
    return json.loads(match[1])  # type: ignore[no-any-return]


def translation_keys(value: object) -> set[str]:
    if isinstance(value, str):
        return {value[2:]} if value.startswith("t:") else set()
    if isinstance(value, dict):
        return set().union(*(translation_keys(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(translation_keys(v) for v in value)) if value else set()
    return set()


def flatten(tree: dict[str, object], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, value in tree.items():
        path = f"{prefix}{name}"
        keys |= flatten(value, f"{path}.") if isinstance(value, dict) else {path}
    return keys


def test_extension_has_an_app_block_for_sections_and_an_app_embed_for_the_body():
    targets = sorted(str(schema(block)["target"]) for block in BLOCKS)

    assert targets == ["body", "section"]
    assert tomllib.loads((EXTENSION / "shopify.extension.toml").read_text())["type"] == "theme"


@pytest.mark.parametrize("locale", sorted((EXTENSION / "locales").glob("*.json")), ids=lambda p: p.name)
def test_extension_every_setting_label_is_translated_in_every_locale(locale):
    used = set().union(*(translation_keys(schema(block)) for block in BLOCKS))

    assert used <= flatten(json.loads(locale.read_text()))


def test_extension_blocks_call_the_app_proxy_the_app_configuration_declares():
    proxy = APP_TOML["app_proxy"]
    path = f"/{proxy['prefix']}/{proxy['subpath']}"

    assert proxy["url"].endswith("/proxy")  # the app's proxy blueprint lives at /proxy
    for block in BLOCKS:
        assert f"{path}/" in block.read_text()
    assert "'afterglow-tracking.js' | asset_url" in (EXTENSION / "blocks" / "order-tracking.liquid").read_text()


def test_app_configuration_subscribes_to_topics_the_webhook_endpoint_handles_and_the_compliance_topics():
    subscriptions = APP_TOML["webhooks"]["subscriptions"]
    topics = {topic for s in subscriptions for topic in s.get("topics", [])}
    compliance = {topic for s in subscriptions for topic in s.get("compliance_topics", [])}
    handled = webhooks.ORDER_TOPICS | webhooks.FULFILLMENT_TOPICS | set(webhooks._IGNORED_REASONS) | {
        "orders/delete", "refunds/create"
    } | set(webhooks.COMPLIANCE_TOPICS)  # fmt: skip

    assert topics <= handled
    assert compliance == {"customers/data_request", "customers/redact", "shop/redact"}
    assert {s["uri"] for s in subscriptions} == {"/webhooks/shopify"}
