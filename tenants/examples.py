"""Examples of the employer console API (branding, team, domains) for the OpenAPI document, as Acme Robotics
(slug `acme`, site `acme.jobpilot.example`, on the Growth plan) answers them."""

BRANDING_IN_EXAMPLE = {
    "primary_color": "#c2410c",
    "primary_text_color": "#ffffff",
    "accent_color": "#1d4ed8",
    "font": "geometric",
    "hero_title": "Build the robots that build the future",
    "hero_text": "Acme Robotics designs warehouse robots in Lisbon and Berlin. Join 120 engineers, designers and "
    "operators.",
    "custom_css_variables": {"--radius": "6px", "--heading-weight": "700"},
    "footer_links": [
        {"label": "Imprint", "url": "https://acme-robotics.example/imprint"},
        {"label": "Privacy", "url": "https://acme-robotics.example/privacy"},
    ],
    "show_powered_by": False,
}

BRANDING_OUT_EXAMPLE = {
    **BRANDING_IN_EXAMPLE,
    "logo_url": "https://acme.jobpilot.example/media/branding/t_acme/logo-3f9c2a7b1d4e6f80.png",
    "favicon_url": "https://acme.jobpilot.example/media/branding/t_acme/favicon-8e1d0c5a92b47f36.png",
    "updated_at": "2026-11-20T10:15:00Z",
}

_OWNER = {
    "id": 1,
    "user_id": 12,
    "email": "maria.chen@example.com",
    "name": "Maria Chen",
    "role": "owner",
    "created_at": "2026-11-02T09:00:00Z",
}

MEMBER_EXAMPLE = {
    "id": 5,
    "user_id": 31,
    "email": "dana.reyes@example.com",
    "name": "Dana Reyes",
    "role": "recruiter",
    "created_at": "2026-11-10T14:20:00Z",
}

MEMBERS_EXAMPLE = [_OWNER, MEMBER_EXAMPLE]

INVITATION_IN_EXAMPLE = {"email": "lee.park@example.com", "role": "recruiter"}

# Sent: nothing exists for Lee yet and no seat is taken until the link is accepted.
INVITATION_EXAMPLE = {
    "id": 14,
    "email": "lee.park@example.com",
    "role": "recruiter",
    "status": "pending",
    "invited_by": "maria.chen@example.com",
    "created_at": "2026-11-21T16:05:00Z",
    "expires_at": "2026-11-28T16:05:00Z",
}

INVITATIONS_EXAMPLE = [INVITATION_EXAMPLE]

INVITATION_TOKEN_EXAMPLE = {"token": "mW3tq0x1VbH2nQe7sK9dL4yR8uA6cF5jZ-pT0oG1iE2"}

# Lee, signed in as lee.park@example.com, accepted: now a member of Acme Robotics, holding one seat.
MEMBERSHIP_ACCEPTED_EXAMPLE = {
    "id": 8,
    "user_id": 47,
    "email": "lee.park@example.com",
    "name": "Lee Park",
    "role": "recruiter",
    "created_at": "2026-11-22T08:40:00Z",
}

MEMBER_ROLE_IN_EXAMPLE = {"role": "admin"}
MEMBER_PROMOTED_EXAMPLE = {**MEMBER_EXAMPLE, "role": "admin"}

DOMAIN_IN_EXAMPLE = {"domain": "careers.acme-robotics.example"}

# Just added: serves nothing until the TXT record is published and checked.
DOMAIN_ADDED_EXAMPLE = {
    "id": 3,
    "domain": "careers.acme-robotics.example",
    "is_primary": False,
    "is_custom": True,
    "verified": False,
    "verified_at": None,
    "verification": {
        "type": "TXT",
        "name": "_jobpilot-challenge.careers.acme-robotics.example",
        "value": "jobpilot-verify=ZXQoLr6QTHa0zAByPHp8Llt5iUC7AvJA",
    },
    "routing": [
        {"type": "CNAME", "name": "careers.acme-robotics.example", "value": "sites.jobpilot.example"}
    ],
}

DOMAIN_VERIFIED_EXAMPLE = {
    **DOMAIN_ADDED_EXAMPLE,
    "verified": True,
    "verified_at": "2026-11-21T17:30:00Z",
    "verification": None,
}

DOMAINS_EXAMPLE = [
    {
        "id": 1,
        "domain": "acme.jobpilot.example",
        "is_primary": True,
        "is_custom": False,
        "verified": True,
        "verified_at": "2026-11-02T09:00:00Z",
        "verification": None,
        "routing": [],
    },
    DOMAIN_ADDED_EXAMPLE,
]
