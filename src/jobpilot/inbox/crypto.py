"""Secrets stored at rest for the inbox (an IMAP app password), with `INBOX_ENCRYPTION_KEYS` (see core.crypto for
rotation and the development fallback)."""

from django.conf import settings

from jobpilot.core.crypto import SecretUnreadable, decrypt_with, encrypt_with, fernet_for

__all__ = ["SecretUnreadable", "decrypt", "encrypt"]


def _current():
    return fernet_for("jobpilot.inbox.crypto", tuple(settings.INBOX_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return encrypt_with(_current(), plaintext)


def decrypt(token: str) -> str:
    return decrypt_with(_current(), token)
