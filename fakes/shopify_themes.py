"""The fake Shopify's `themes` GraphQL field: a store's themes and their files, read as the Admin API reads them.

Faithful where the onboarding check depends on it (shopify.dev: "themes" query, "OnlineStoreTheme.files",
"OnlineStoreThemeFileBody"):
- needs the `read_themes` scope, else Shopify's ACCESS_DENIED error (HTTP 200, `data.themes` null);
- `roles: [MAIN, ...]` filters by ThemeRole (MAIN is the published theme), `first` (at most 250);
- `files(filenames:, first:, after:)`: at most 50 filenames, `*` matching any run of characters, `first` up to
  2500 (default 50), cursor pagination with `pageInfo`; text files come back as `OnlineStoreThemeFileBodyText`
  (`content`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

MAX_FILENAMES = 50
MAX_FILES = 2500
_ROLES = re.compile(r"themes\s*\([^)]*roles:\s*\[([A-Z_,\s]*)\]")
_FIRST = re.compile(r"themes\s*\([^)]*first:\s*(\d+)")


@dataclass
class FakeTheme:
    theme_id: int
    name: str
    role: str = "MAIN"  # MAIN, UNPUBLISHED, DEMO, DEVELOPMENT, ...
    files: dict[str, str] = field(default_factory=dict)  # filename -> content


def themes_cost(variables: dict[str, Any]) -> int:
    return 2 + int(variables.get("first") or 50)


def themes_operation(document: str, variables: dict[str, Any], themes: list[FakeTheme],
                     *, scopes: str) -> tuple[Any, list[Any]]:  # fmt: skip
    if "read_themes" not in scopes.split(","):
        required = "`read_themes` access scope."
        denied = {"code": "ACCESS_DENIED", "requiredAccess": required,
                  "documentation": "https://shopify.dev/api/usage/access-scopes"}  # fmt: skip
        message = f"Access denied for themes field. Required access: {required}"
        return {"themes": None}, [{"message": message, "path": ["themes"], "extensions": denied}]
    roles = _ROLES.search(document)
    wanted = {role.strip() for role in roles[1].split(",") if role.strip()} if roles else None
    first = int(m[1]) if (m := _FIRST.search(document)) else 50
    chosen = [theme for theme in themes if wanted is None or theme.role in wanted][:first]
    nodes = []
    for theme in chosen:
        files, problem = _files(theme, variables)
        if problem:
            return None, [{"message": problem, "extensions": {"code": "BAD_REQUEST"}}]
        nodes.append({"id": f"gid://shopify/OnlineStoreTheme/{theme.theme_id}", "name": theme.name,
                      "role": theme.role, "files": files})  # fmt: skip
    return {"themes": {"nodes": nodes}}, []


def _files(theme: FakeTheme, variables: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    patterns = variables.get("filenames")
    if patterns is not None and len(patterns) > MAX_FILENAMES:
        return None, f"filenames: at most {MAX_FILENAMES} can be given"
    first = int(variables.get("first") or 50)
    if not 0 < first <= MAX_FILES:
        return None, f"first must be between 1 and {MAX_FILES}"
    regexes = [re.compile("^" + ".*".join(re.escape(part) for part in str(p).split("*")) + "$")
               for p in patterns or ["*"]]  # fmt: skip
    matching = sorted(name for name in theme.files if any(regex.match(name) for regex in regexes))
    start = 0
    if variables.get("after"):
        start = int(base64.b64decode(str(variables["after"])).decode().removeprefix("file:"))
    page = matching[start : start + first]
    end = start + len(page)
    nodes = [{"filename": name, "body": {"content": theme.files[name]}} for name in page]
    cursor = base64.b64encode(f"file:{end}".encode()).decode() if page else None
    return {"nodes": nodes, "pageInfo": {"hasNextPage": end < len(matching), "endCursor": cursor}}, None
