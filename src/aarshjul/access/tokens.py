"""Random tokens, their stored hashes, and signed action links.

* Session and sign-in tokens are 32 random bytes (URL-safe base64); only their SHA-256 is stored.
* Action links in digests (*Markér som udført*) are signed, not stored: an HMAC-SHA-256 over the
  task and the person under the installation's signing key, so one link works for one task and
  one person, until the task is done.
* The signing key is derived (HKDF) from ``AARSHJUL_SECRET_KEY`` when it is set; otherwise it is
  generated once into ``<data dir>/signing.key`` (mode 0600), which suits one machine. Several
  machines must share ``AARSHJUL_SECRET_KEY`` (see docs/operations.md).

>>> action_token(task_id=42, person_id=7, key=b"k" * 32)[:5]
'42.7.'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from aarshjul.config import Settings

KEY_FILE = "signing.key"


def new_token() -> str:
    """32 random bytes as URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 of ``token`` in hex (what the database stores)."""
    return hashlib.sha256(token.encode()).hexdigest()


def signing_key(settings: Settings, purpose: str = "web") -> bytes:
    """A 32-byte key for ``purpose`` derived from the installation's secret (see module doc)."""
    if settings.secret_key is not None:
        master = settings.secret_key.get_secret_value().encode()
    else:
        master = _key_file(settings.data_dir / KEY_FILE)
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"aarshjul:{purpose}".encode()
    )
    return hkdf.derive(master)


def _key_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key


def sign(key: bytes, message: str) -> str:
    """HMAC-SHA-256 of ``message`` under ``key``, URL-safe base64 without padding."""
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two strings."""
    return hmac.compare_digest(a.encode(), b.encode())


def action_token(*, task_id: int, person_id: int, key: bytes) -> str:
    """``<task>.<person>.<signature>``: the token of a digest's *Markér som udført* link."""
    return f"{task_id}.{person_id}.{sign(key, f'done:{task_id}:{person_id}')}"


def parse_action_token(token: str, key: bytes) -> tuple[int, int] | None:
    """(task id, person id) of a genuine action token, None for anything else."""
    parts = token.split(".")
    if len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    task_id, person_id = int(parts[0]), int(parts[1])
    expected = action_token(task_id=task_id, person_id=person_id, key=key)
    return (task_id, person_id) if same(expected, token) else None
