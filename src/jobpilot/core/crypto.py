"""Secrets stored at rest: Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`, one key list per purpose.

A purpose's setting lists Fernet keys, newest first: the first encrypts, every one decrypts, so a key is rotated by
putting a new one in front (and re-saving the values) before dropping the old. Without keys one is derived from
SECRET_KEY and the purpose, so a development server works out of the box; production sets its own, so that a
leaked SECRET_KEY alone opens nothing.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretUnreadable(Exception):
    """The stored value was encrypted with a key that is no longer configured (or was altered)."""


@cache
def fernet_for(purpose: str, keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(purpose.encode() + b":" + secret_key.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_with(fernet: MultiFernet, plaintext: str) -> str:
    return fernet.encrypt(plaintext.encode()).decode()


def decrypt_with(fernet: MultiFernet, token: str) -> str:
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable("The stored secret cannot be decrypted with the configured keys.") from error
