"""Authenticated encryption of personal data at rest (AES-256-GCM).

Ciphertexts name the key that made them, so several keys can be live during a
rotation: the first key in FIELD_ENCRYPTION_KEYS encrypts, every key decrypts.
"""

import base64
import hashlib
import json
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


class DecryptionError(Exception):
    code = "decryption_failed"


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    ring: dict[str, AESGCM] = {}
    primary = ""
    for encoded in keys:
        raw = base64.urlsafe_b64decode(encoded.encode() + b"=" * (-len(encoded) % 4))
        if len(raw) != 32:
            raise ValueError("FIELD_ENCRYPTION_KEYS entries must be 32 bytes, urlsafe-base64 encoded.")
        key_id = hashlib.sha256(raw).hexdigest()[:8]
        ring[key_id] = AESGCM(raw)
        primary = primary or key_id
    return primary, ring


def _current() -> tuple[str, dict[str, AESGCM]]:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_json(values: dict[str, Any]) -> str:
    if not values:
        return ""
    key_id, ring = _current()
    nonce = os.urandom(12)
    plaintext = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    sealed = ring[key_id].encrypt(nonce, plaintext, key_id.encode())
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        prefix, key_id, payload = token.split(":", 2)
        _, ring = _current()
        blob = base64.urlsafe_b64decode(payload.encode())
        plaintext = ring[key_id].decrypt(blob[:12], blob[12:], key_id.encode())
    except (ValueError, KeyError) as exc:
        raise DecryptionError("Personal data could not be decrypted with the configured keys.") from exc
    except Exception as exc:  # cryptography's InvalidTag
        raise DecryptionError("Personal data failed its integrity check.") from exc
    if prefix != PREFIX:
        raise DecryptionError("Unknown ciphertext format.")
    result: dict[str, Any] = json.loads(plaintext)
    return result


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1] if token else ""


def primary_key_id() -> str:
    return _current()[0]


def reencrypt(token: str) -> str:
    return encrypt_json(decrypt_json(token))


# Files (uploads, archived PDFs) are sealed the same way, in a binary envelope:
# magic, the key id, the nonce, then the AES-GCM ciphertext and tag.
FILE_MAGIC = b"MWENC1\n"
_KEY_ID_LEN = 8


def encrypt_bytes(data: bytes) -> bytes:
    key_id, ring = _current()
    nonce = os.urandom(12)
    return FILE_MAGIC + key_id.encode() + nonce + ring[key_id].encrypt(nonce, data, key_id.encode())


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(FILE_MAGIC)


def sealed_key_id(blob: bytes) -> str:
    """The key a sealed file was made with; "" for a file stored before files were encrypted."""
    return blob[len(FILE_MAGIC) : len(FILE_MAGIC) + _KEY_ID_LEN].decode("ascii", "replace") if is_sealed(blob) else ""


def decrypt_bytes(blob: bytes) -> bytes:
    if not is_sealed(blob):
        raise DecryptionError("The file is not encrypted.")
    key_id = sealed_key_id(blob)
    start = len(FILE_MAGIC) + _KEY_ID_LEN
    _, ring = _current()
    if key_id not in ring:
        raise DecryptionError("The file could not be decrypted with the configured keys.")
    try:
        return ring[key_id].decrypt(blob[start : start + 12], blob[start + 12 :], key_id.encode())
    except Exception as exc:  # cryptography's InvalidTag
        raise DecryptionError("The file failed its integrity check.") from exc
