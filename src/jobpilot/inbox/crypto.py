"""Secrets stored at rest (an IMAP app password): Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`.

`INBOX_ENCRYPTION_KEYS` lists Fernet keys, newest first: the first encrypts, every one decrypts, so a key is
rotated by putting a new one in front (and re-saving connections) before dropping the old. Without the setting a
key is derived from SECRET_KEY, so a development server works out of the box; production sets its own, so that a
leaked SECRET_KEY alone does not open the mailboxes.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored value was encrypted with a key that is no longer configured (or was altered)."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(b"jobpilot.inbox.crypto:" + secret_key.encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.INBOX_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable("The stored secret cannot be decrypted with the configured keys.") from error
