"""allauth.mfa's adapter: TOTP secrets (and recovery-code seeds) encrypted at rest with `MFA_ENCRYPTION_KEYS`, so a
copy of the database alone does not let anyone compute a user's codes."""

from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from jobpilot.core.crypto import decrypt_with, encrypt_with, fernet_for


def _fernet():
    return fernet_for("jobpilot.mfa", tuple(settings.MFA_ENCRYPTION_KEYS), settings.SECRET_KEY)


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_with(_fernet(), text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_with(_fernet(), encrypted_text)
