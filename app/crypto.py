"""Encryption at rest for secrets we hold for a shop (webhook secrets now, access tokens later).

Fernet (AES-128-CBC + HMAC-SHA256) keyed by `ENCRYPTION_KEY`, or derived from `SECRET_KEY` when that is unset.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class DecryptionError(RuntimeError):
    """The ciphertext was written with another key, or altered."""


def _fernet() -> Fernet:
    key = os.environ.get("ENCRYPTION_KEY")
    if key:
        return Fernet(key.encode())
    secret = current_app.config["SECRET_KEY"].encode()
    derived = hashlib.sha256(b"afterglow-encryption-v1:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError("secret cannot be decrypted with the current ENCRYPTION_KEY/SECRET_KEY") from None
