"""allauth.mfa's security-key forms, hardened: the credential is JSON sent by the browser, and fido2 raises
KeyError / AttributeError (not only the TypeError / ValueError allauth catches) on a payload of the wrong shape. A
malformed answer must be "Incorrect code" (the form again), never a 500 (MFA_FORMS in settings)."""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm

MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _well_shaped(credential) -> None:
    if not isinstance(credential, dict):
        raise get_adapter().validation_error("incorrect_code")


class SafeAddWebAuthnForm(AddWebAuthnForm):
    def clean(self):
        _well_shaped(self.cleaned_data.get("credential", {}))
        try:
            return super().clean()
        except MALFORMED as error:
            raise get_adapter().validation_error("incorrect_code") from error


class SafeAuthenticateWebAuthnForm(AuthenticateWebAuthnForm):
    def clean_credential(self):
        _well_shaped(self.cleaned_data["credential"])
        try:
            return super().clean_credential()
        except MALFORMED as error:
            raise get_adapter().validation_error("incorrect_code") from error


class SafeReauthenticateWebAuthnForm(ReauthenticateWebAuthnForm, SafeAuthenticateWebAuthnForm):
    pass
