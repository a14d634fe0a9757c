"""A store's own address for tracking pushes, for merchants who point their own aggregator account at Afterglow.

Pushes to `/webhooks/carriers/<source>` are signed with the app's own secret and may update any store's parcel with
that carrier and number: that secret never leaves whoever runs Afterglow. A merchant who points their own EasyPost
account at us gets a URL of their store (`/webhooks/carriers/<source>/shops/<token>`) and a secret of their own;
pushes there are checked against that secret and applied to that store's parcels only, so no merchant can write
into another's.

Both are derived from `SECRET_KEY` (nothing to store): the token names the shop (signed, so it cannot be forged or
guessed), the secret is an HMAC of the shop and the source.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


def shop_push_token(*, shop_id: int) -> str:
    return _serializer().dumps(shop_id)


def shop_from_push_token(token: str) -> int | None:
    try:
        shop_id = _serializer().loads(token)
    except BadSignature:
        return None
    return shop_id if isinstance(shop_id, int) else None


def shop_push_secret(*, shop_id: int, source: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"afterglow.push-secret:{source}:{shop_id}".encode(), hashlib.sha256).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="afterglow.push-url")
