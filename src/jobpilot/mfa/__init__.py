"""Multi-factor sign-in around allauth.mfa: the employer's "require MFA for all staff" policy, the audit trail of
members' authenticators, the API login's second factor and encryption of TOTP secrets at rest (ADR 0028)."""
