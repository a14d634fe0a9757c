"""Is our storefront tracking in the store's live theme? Read through the Admin GraphQL API (`read_themes`).

A theme app extension's blocks appear in the theme's JSON as `"type": "shopify://apps/<app handle>/blocks/<block
handle>/<extension uuid>"`: an app block in a template (`templates/*.json`) or a section group (`sections/*.json`),
an app embed in `config/settings_data.json` (`current.blocks`). Either may carry `"disabled": true`, which the
theme editor writes when the merchant switches it off: that one does not count. Theme JSON files may start with a
`/* ... */` comment, which Shopify writes into generated templates.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from integrations.shopify.client import AdminClient

FILES = ["config/settings_data.json", "templates/*.json", "sections/*.json"]
PAGE_SIZE = 50
MAX_PAGES = 10  # 500 theme JSON files: far more than any theme holds

MAIN_THEME_FILES = """
query MainThemeFiles($filenames: [String!], $first: Int!, $after: String) {
  themes(first: 1, roles: [MAIN]) {
    nodes {
      id
      name
      files(filenames: $filenames, first: $first, after: $after) {
        nodes {
          filename
          body {
            ... on OnlineStoreThemeFileBodyText { content }
            ... on OnlineStoreThemeFileBodyBase64 { contentBase64 }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""

_COMMENT = re.compile(r"^\s*/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Placement:
    theme: str | None  # the live theme's name; None: the store has no published theme
    found: bool
    where: str | None = None  # the file holding it ("templates/page.tracking.json")
    block: str | None = None  # which of our blocks ("order-tracking")


def find_blocks(client: AdminClient, *, app_handle: str, block_handles: Iterable[str]) -> Placement:
    """Where the first of our blocks is placed and switched on in the live theme, else `found=False`."""
    handles = tuple(block_handles)
    after: str | None = None
    name: str | None = None
    for _ in range(MAX_PAGES):
        data = client.query(MAIN_THEME_FILES, {"filenames": FILES, "first": PAGE_SIZE, "after": after},
                            cost=2 + PAGE_SIZE)  # fmt: skip
        themes = (data.get("themes") or {}).get("nodes") or []
        if not themes:
            return Placement(theme=None, found=False)
        theme = themes[0]
        name = str(theme.get("name") or "")
        files = theme.get("files") or {}
        for node in files.get("nodes") or []:
            filename = str(node.get("filename") or "")
            block = placed_block(_content(node.get("body")), filename=filename, app_handle=app_handle,
                                 block_handles=handles)  # fmt: skip
            if block is not None:
                return Placement(theme=name, found=True, where=filename, block=block)
        info = files.get("pageInfo") or {}
        if not info.get("hasNextPage") or not info.get("endCursor"):
            break
        after = str(info["endCursor"])
    return Placement(theme=name, found=False)


def placed_block(
    content: str | None, *, filename: str = "", app_handle: str, block_handles: Iterable[str]
) -> str | None:
    """The handle of the first of our blocks switched on in one theme JSON file, else None. In
    settings_data.json only the `current` settings count (its presets are other looks, not the live one)."""
    if not content:
        return None
    try:
        document = json.loads(_COMMENT.sub("", content, count=1))
    except ValueError:
        return None  # a file the theme editor would refuse too
    if filename.endswith("settings_data.json") and isinstance(document, Mapping):
        document = document.get("current")
    handles = "|".join(re.escape(handle) for handle in block_handles)
    pattern = re.compile(rf"shopify://apps/{re.escape(app_handle)}/blocks/({handles})/[^/]+$")
    for node in _objects(document):
        kind = node.get("type")
        if isinstance(kind, str) and node.get("disabled") is not True and (match := pattern.match(kind)):
            return match[1]
    return None


def _objects(value: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


def _content(body: Any) -> str | None:
    if not isinstance(body, Mapping):
        return None  # a body only reachable by URL: large files, never the JSON we read
    if isinstance(body.get("content"), str):
        return str(body["content"])
    if isinstance(body.get("contentBase64"), str):
        try:
            return base64.b64decode(body["contentBase64"]).decode()
        except ValueError:
            return None
    return None
