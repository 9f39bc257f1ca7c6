"""Fixtures for two-factor sign-in: a controlled clock for allauth's TOTP, codes computed from a secret with the
HOTP math (RFC 6238 over RFC 4226), and accounts with a TOTP authenticator enrolled through allauth's own class."""

import types

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth

from tests.jobs.conftest import member  # noqa: F401

NOW = 1_900_000_000  # a fixed instant (2030): every code below is computed for it or a step after it
STEP = 30


def code_at(secret: str, at: float) -> str:
    """The 6-digit TOTP code an authenticator app shows for `secret` at Unix time `at`."""
    return totp_auth.format_hotp_value(totp_auth.hotp_value(secret, int(at) // STEP))


@pytest.fixture
def clock(monkeypatch):
    """allauth's TOTP check reads this clock: `clock.now` (settable) instead of the wall clock."""
    state = types.SimpleNamespace(now=NOW)
    monkeypatch.setattr(totp_auth, "time", types.SimpleNamespace(time=lambda: state.now))
    return state


@pytest.fixture
def verified(db):
    """allauth adds a second factor only to an account whose email address is verified."""

    def verify(user):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        return user

    return verify


@pytest.fixture
def with_totp(verified):
    """`with_totp(user)` -> (secret, recovery codes): the account gets an authenticator app and recovery codes."""

    def enrol(user):
        verified(user)
        secret = totp_auth.generate_totp_secret()
        totp_auth.TOTP.activate(user, secret)
        codes = RecoveryCodes.activate(user).generate_codes()
        return secret, codes

    return enrol
