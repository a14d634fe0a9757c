"""The fake WooCommerce's HTTP plumbing: stores in folders of one server, WordPress's error and paging answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from flask import Response, jsonify, request

if TYPE_CHECKING:
    from fakes.woocommerce import FakeWooCommerce


class StoreFolders:
    """Find the store whose folder starts the path and move the folder into SCRIPT_NAME, as a WordPress below the
    root sees it."""

    def __init__(self, fake: FakeWooCommerce, app: Callable[..., Any]) -> None:
        self.fake, self.wsgi = fake, app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        for folder in sorted(self.fake.stores, key=len, reverse=True):
            if path == folder or path.startswith(folder + "/"):
                environ["fake.store"] = self.fake.stores[folder]
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + folder
                environ["PATH_INFO"] = path[len(folder) :]
                break
        return self.wsgi(environ, start_response)


def error(code: str, message: str, status: int) -> Response:
    answer = jsonify({"code": code, "message": message, "data": {"status": status}})
    answer.status_code = status
    return answer


def paging() -> tuple[int, int] | Response:
    try:
        page, per_page = int(request.args.get("page", 1)), int(request.args.get("per_page", 10))
    except ValueError:
        return error("rest_invalid_param", "Invalid parameter(s): page, per_page", 400)
    if not 1 <= per_page <= 100 or page < 1:
        return error("rest_invalid_param", "Invalid parameter(s): per_page", 400)
    return page, per_page


def paginated(items: list[dict[str, Any]], page: int, per_page: int) -> Response:
    answer = jsonify(items[(page - 1) * per_page : page * per_page])
    answer.headers["X-WP-Total"] = str(len(items))
    answer.headers["X-WP-TotalPages"] = str(-(-len(items) // per_page))
    return answer


def public(hook: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in hook.items() if name not in ("secret", "failure_count")}


def page(text: str) -> str:
    return f"<!doctype html><title>WooCommerce</title><p>{text}</p>"


def redirect(url: str, **params: str) -> Response:
    joiner = "&" if urlsplit(url).query else "?"
    return Response(status=302, headers={"Location": url + joiner + urlencode(params)})
