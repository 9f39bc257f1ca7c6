"""allauth.mfa's signals are its only hook for "an authenticator was added / removed / reset" (its views do the
writes); they are forwarded to the audit service."""

from allauth.mfa import signals
from django.dispatch import receiver

from jobpilot.mfa.services import authenticator_change_audit


@receiver(signals.authenticator_added)
def _added(sender, user, authenticator, **kwargs):
    authenticator_change_audit(user=user, authenticator=authenticator, change="added")


@receiver(signals.authenticator_removed)
def _removed(sender, user, authenticator, **kwargs):
    authenticator_change_audit(user=user, authenticator=authenticator, change="removed")


@receiver(signals.authenticator_reset)
def _reset(sender, user, authenticator, **kwargs):
    authenticator_change_audit(user=user, authenticator=authenticator, change="reset")
