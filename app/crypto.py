"""Encryption at rest for secrets we hold for a shop (webhook secrets, access and refresh tokens).

Fernet (AES-128-CBC + HMAC-SHA256). `ENCRYPTION_KEY` holds one or more comma-separated Fernet keys, newest first:
new ciphertexts use the first, and every key is tried to decrypt, so a key can be rotated without downtime (add
the new key in front, run `flask shops rotate-keys`, then drop the old one). Without `ENCRYPTION_KEY` the key is
derived from `SECRET_KEY`.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

UNDECRYPTABLE = "secret cannot be decrypted with any ENCRYPTION_KEY (or the SECRET_KEY-derived key)"


class DecryptionError(RuntimeError):
    """The ciphertext was written with a key we no longer hold, or altered."""


class KeyConfigError(RuntimeError):
    """`ENCRYPTION_KEY` holds something that is not a Fernet key."""


def _keys() -> list[Fernet]:
    raw = os.environ.get("ENCRYPTION_KEY", "")
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        secret = current_app.config["SECRET_KEY"].encode()
        derived = hashlib.sha256(b"afterglow-encryption-v1:" + secret).digest()
        return [Fernet(base64.urlsafe_b64encode(derived))]
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError):
            # Never echo the value: it is a secret even when malformed.
            raise KeyConfigError(f"ENCRYPTION_KEY: key {position} is not a url-safe base64 Fernet key") from None
    return fernets


def _fernet() -> MultiFernet:
    return MultiFernet(_keys())


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError(UNDECRYPTABLE) from None


def rotate(ciphertext: str) -> str:
    """The same secret encrypted with the newest key (a ciphertext already under it is re-encrypted too)."""
    try:
        return _fernet().rotate(ciphertext.encode()).decode()
    except InvalidToken:
        raise DecryptionError(UNDECRYPTABLE) from None


def is_current(ciphertext: str) -> bool:
    """True when the newest key decrypts it (nothing to rotate)."""
    try:
        _keys()[0].decrypt(ciphertext.encode())
    except InvalidToken:
        return False
    return True
