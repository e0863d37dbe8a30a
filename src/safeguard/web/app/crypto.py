"""Client facts at rest: AES-256-GCM. The key comes from SAFEGUARD_KEY (base64 of 32 bytes) or a key file
created on first use (mode 0600) in the data folder, never from the database. Each value is bound to its
place (case, fact) through the associated data, so a ciphertext copied to another row fails to open."""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class BadKey(Exception):
    pass


@lru_cache(maxsize=4)
def _key(env_value: str | None, path: str) -> bytes:
    if env_value:
        key = base64.urlsafe_b64decode(env_value.encode() + b"=" * (-len(env_value) % 4))
        if len(key) != 32:
            raise BadKey(f"SAFEGUARD_KEY = '{env_value[:4]}…': expected base64 of 32 bytes")
        return key
    p = Path(path)
    if not p.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(AESGCM.generate_key(bit_length=256))
    key = p.read_bytes()
    if len(key) != 32:
        raise BadKey(f"{p}: expected a 32-byte key")
    return key


def key() -> bytes:
    return _key(os.environ.get("SAFEGUARD_KEY"), str(settings.SAFEGUARD_KEY_FILE))


def new_key_text() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def seal(value: Any, place: str) -> bytes:
    nonce = os.urandom(12)
    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return nonce + AESGCM(key()).encrypt(nonce, data, place.encode())


def unseal(blob: bytes | memoryview, place: str) -> Any:
    raw = bytes(blob)
    return json.loads(AESGCM(key()).decrypt(raw[:12], raw[12:], place.encode()))
