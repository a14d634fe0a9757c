"""App Bridge session tokens checked as shopify.dev says: HS256 with the client secret, audience, times with 10 s of
leeway, and `iss`/`dest` naming the same store; the previous secret still accepted during a rotation."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
import pytest

from integrations.shopify.session_tokens import SessionTokenError, frame_ancestors, verify_session_token

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

API_KEY = "test-key"
SECRET = "test-shopify-secret"
OLD_SECRET = "retired-shopify-secret"
SHOP = "afterglow-demo.myshopify.com"


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": f"https://{SHOP}/admin", "dest": f"https://{SHOP}", "aud": API_KEY, "sub": "42",
            "exp": now + 60, "nbf": now - 1, "iat": now - 1, "jti": "abc", "sid": "session-1"}  # fmt: skip
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def token(secret: str = SECRET, algorithm: str = "HS256", **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), secret, algorithm=algorithm)


def verify(value: str, secrets: tuple[str, ...] = (SECRET,)) -> Any:
    return verify_session_token(value, api_key=API_KEY, secrets=list(secrets))


def test_session_token_valid_names_the_store_and_the_staff_member():
    verified = verify(token())

    assert (verified.shop_domain, verified.user_id, verified.session_id) == (SHOP, "42", "session-1")
    assert verified.token not in repr(verified)


@dataclass(frozen=True)
class Ago:
    seconds: int  # negative: in the future


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"aud": "someone-elses-app"}, "invalid_aud"),
        ({"exp": Ago(11)}, "expired_id_token"),
        ({"nbf": Ago(-30)}, "invalid_id_token"),
        ({"dest": "https://other-store.myshopify.com"}, "iss_dest_mismatch"),
        ({"iss": "https://other-store.myshopify.com/admin"}, "iss_dest_mismatch"),
        ({"iss": "https://evil.example/admin", "dest": "https://evil.example"}, "invalid_dest"),
        ({"dest": None}, "missing_claims"),
        ({"exp": None}, "missing_claims"),
    ],
)
def test_session_token_refused_when_a_claim_is_wrong(overrides: dict[str, Any], code: str):
    # Times are taken when the test runs, not when it is collected (a long suite would age them into the leeway).
    claims = {name: int(time.time()) - value.seconds if isinstance(value, Ago) else value
              for name, value in overrides.items()}  # fmt: skip
    with pytest.raises(SessionTokenError) as refused:
        verify(token(**claims))

    assert refused.value.code == code


def test_session_token_expired_within_the_10_second_leeway_is_still_accepted():
    assert verify(token(exp=int(time.time()) - 5)).shop_domain == SHOP


def test_session_token_signed_with_another_secret_is_refused():
    with pytest.raises(SessionTokenError):
        verify(token(secret="not-our-secret"))


def test_session_token_with_alg_none_is_refused():
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()

    with pytest.raises(SessionTokenError):
        verify(f"{header}.{body}.")


def test_session_token_with_another_hmac_algorithm_is_refused():
    with pytest.raises(SessionTokenError):
        verify(token(algorithm="HS512"))


def test_session_token_signed_with_the_previous_secret_is_accepted_only_during_a_rotation():
    old = token(secret=OLD_SECRET)

    assert verify(old, (SECRET, OLD_SECRET)).shop_domain == SHOP
    with pytest.raises(SessionTokenError):
        verify(old, (SECRET,))


def test_session_token_empty_is_refused_without_decoding():
    with pytest.raises(SessionTokenError, match="no session token"):
        verify("")


def test_frame_ancestors_allows_only_the_store_and_shopify_admin():
    assert frame_ancestors(SHOP) == f"frame-ancestors https://{SHOP} https://admin.shopify.com;"
