"""Password hashing with scrypt (memory-hard).

A password is stored as ``scrypt$n$r$p$salt_b64$hash_b64`` (hashlib.scrypt, n=2**14, r=8, p=1, 16
random bytes of salt, 32 bytes of hash). scrypt is memory-hard: each guess needs 128·n·r = 16 MiB of
memory and about 50 ms of one core, the parameters scrypt's author gives for interactive logins. (OWASP
currently asks for the same memory with p=5, about 250 ms per check: raise ``SCRYPT_P`` to adopt it.)
``verify_password`` compares in constant time and reads the parameters from the stored value, so
stronger parameters can be adopted later without invalidating existing hashes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 8
# Parameters accepted when verifying a stored hash (bounds stop a tampered row from exhausting memory).
_MAX_N = 2**20


class AccountError(ValueError):
    """A user or token cannot be created or updated as asked (message in Spanish)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64`` for ``password`` with a fresh random salt."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"la contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres")
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches the stored hash; ``False`` for a missing or malformed hash."""
    if not stored:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not (1 < n <= _MAX_N and n & (n - 1) == 0 and 0 < r <= 32 and 0 < p <= 16 and expected):
        return False
    actual = _scrypt(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def generate_password(length: int = 16) -> str:
    """A random password of letters and digits (easy to copy from a terminal)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


# Verified against when the user does not exist, so that response times do not reveal which users do.
DUMMY_HASH = ("scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$"
              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
