"""Employer console API on the employer's own domain: branding (/api/v1/employer/branding/), the team
(/api/v1/employer/members/, invitations at /api/v1/employer/invitations/; the invitee answers at
/api/v1/invitations/) and custom domains (/api/v1/employer/domains/). Admins and owners only (members
with a lower role get 403, everyone else 404); the tenant is always the one of the host."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.responses import Status

from jobpilot.accounts.auth import user_auth
from jobpilot.core.openapi import response_example, schema_example
from tenants import services
from tenants.examples import (
    BRANDING_IN_EXAMPLE,
    BRANDING_OUT_EXAMPLE,
    DOMAIN_ADDED_EXAMPLE,
    DOMAIN_IN_EXAMPLE,
    DOMAIN_VERIFIED_EXAMPLE,
    DOMAINS_EXAMPLE,
    INVITATION_EXAMPLE,
    INVITATION_IN_EXAMPLE,
    INVITATION_TOKEN_EXAMPLE,
    INVITATIONS_EXAMPLE,
    MEMBER_EXAMPLE,
    MEMBER_PROMOTED_EXAMPLE,
    MEMBER_ROLE_IN_EXAMPLE,
    MEMBERS_EXAMPLE,
    MEMBERSHIP_ACCEPTED_EXAMPLE,
)
from tenants.models import Branding, Domain, Invitation, Membership
from tenants.permissions import require_member
from tenants.selectors import branding_for, domain_list, domain_routing_records, invitation_list, member_list
from tenants.services import branding_update

branding_router = Router(auth=user_auth, tags=["employer"])
members_router = Router(auth=user_auth, tags=["employer"])
team_invitations_router = Router(auth=user_auth, tags=["employer"])
invitations_router = Router(tags=["accounts"])  # the invitee's side: the link's token is the key
domains_router = Router(auth=user_auth, tags=["employer"])

HexColor = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#1d4ed8"])]


class FooterLink(Schema):
    label: str = Field(min_length=1, max_length=40)
    url: str = Field(min_length=1, max_length=300)


class BrandingIn(Schema):
    model_config = schema_example(BRANDING_IN_EXAMPLE)

    primary_color: HexColor
    primary_text_color: HexColor = "#ffffff"
    accent_color: HexColor
    font: Branding.Font = Branding.Font.SYSTEM
    hero_title: str = Field("", max_length=120)
    hero_text: str = Field("", max_length=400)
    custom_css_variables: dict[str, Annotated[str, Field(max_length=32)]] = Field(
        default_factory=dict, max_length=8
    )
    footer_links: list[FooterLink] = Field(default_factory=list, max_length=6)
    show_powered_by: bool = True


class BrandingOut(Schema):
    model_config = schema_example(BRANDING_OUT_EXAMPLE)

    primary_color: str
    primary_text_color: str
    accent_color: str
    font: str
    hero_title: str
    hero_text: str
    custom_css_variables: dict[str, str]
    footer_links: list[FooterLink]
    show_powered_by: bool
    logo_url: str | None
    favicon_url: str | None
    updated_at: datetime | None


def _out(request, branding: Branding) -> BrandingOut:
    def absolute(file) -> str | None:
        return request.build_absolute_uri(file.url) if file else None

    return BrandingOut(
        primary_color=branding.primary_color,
        primary_text_color=branding.primary_text_color,
        accent_color=branding.accent_color,
        font=branding.font,
        hero_title=branding.hero_title,
        hero_text=branding.hero_text,
        custom_css_variables=branding.custom_css_variables,
        footer_links=branding.footer_links,
        show_powered_by=branding.show_powered_by,
        logo_url=absolute(branding.logo),
        favicon_url=absolute(branding.favicon),
        updated_at=branding.updated_at,
    )


@branding_router.get("/", response=BrandingOut, summary="The careers portal's branding")
def branding_get(request):
    require_member(request, Membership.Role.ADMIN)
    return _out(request, branding_for(tenant=request.tenant))


@branding_router.put(
    "/",
    response=BrandingOut,
    summary="Replace the careers portal's branding",
    description="Colour pairs that text is drawn with must reach WCAG AA (4.5:1), else 422 "
    "`contrast_too_low` naming the field. The logo and favicon are uploaded on the console's branding page.",
)
def branding_put(request, payload: BrandingIn):
    require_member(request, Membership.Role.ADMIN)
    branding = branding_update(
        actor=request.auth,
        tenant=request.tenant,
        **payload.dict(exclude={"footer_links"}),
        footer_links=[link.dict() for link in payload.footer_links],
    )
    return _out(request, branding)


class MemberOut(Schema):
    model_config = schema_example(MEMBER_EXAMPLE)

    id: int
    user_id: int
    email: str
    name: str
    role: Membership.Role
    created_at: datetime

    @staticmethod
    def of(membership: Membership) -> "MemberOut":
        user = membership.user
        return MemberOut(
            id=membership.pk,
            user_id=user.pk,
            email=user.email,
            name=user.display_name,
            role=membership.role,
            created_at=membership.created_at,
        )


class InvitationIn(Schema):
    model_config = schema_example(INVITATION_IN_EXAMPLE)

    email: str = Field(..., min_length=3, max_length=254)
    role: Membership.Role = Membership.Role.RECRUITER


class InvitationOut(Schema):
    model_config = schema_example(INVITATION_EXAMPLE)

    id: int
    email: str
    role: Membership.Role
    status: str  # pending, expired, accepted, declined, revoked
    invited_by: str | None
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def of(invitation: Invitation) -> "InvitationOut":
        return InvitationOut(
            id=invitation.pk,
            email=invitation.email,
            role=invitation.role,
            status="expired" if invitation.is_expired else invitation.status,
            invited_by=invitation.invited_by.email if invitation.invited_by else None,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class InvitationTokenIn(Schema):
    model_config = schema_example(INVITATION_TOKEN_EXAMPLE)

    token: str = Field(..., min_length=1, max_length=200)


class MemberRoleIn(Schema):
    model_config = schema_example(MEMBER_ROLE_IN_EXAMPLE)

    role: Membership.Role


class DnsRecordOut(Schema):
    type: str
    name: str
    value: str


class DomainOut(Schema):
    model_config = schema_example(DOMAIN_VERIFIED_EXAMPLE)

    id: int
    domain: str
    is_primary: bool
    is_custom: bool
    verified: bool
    verified_at: datetime | None
    verification: (
        DnsRecordOut | None
    )  # the TXT record that proves ownership, while the domain is not verified
    routing: list[
        DnsRecordOut
    ]  # how a custom domain's requests reach JobPilot (CNAME, or A/AAAA for an apex)

    @staticmethod
    def of(domain: Domain) -> "DomainOut":
        return DomainOut(
            id=domain.pk,
            domain=domain.domain,
            is_primary=domain.is_primary,
            is_custom=domain.is_custom,
            verified=domain.is_verified,
            verified_at=domain.verified_at,
            verification=None
            if domain.is_verified
            else DnsRecordOut(type="TXT", name=domain.txt_record_name, value=domain.txt_record_value),
            routing=domain_routing_records(domain) if domain.is_custom else [],
        )


class DomainIn(Schema):
    model_config = schema_example(DOMAIN_IN_EXAMPLE)

    domain: str = Field(..., min_length=1, max_length=253)


@members_router.get(
    "/", response=list[MemberOut], summary="The team", openapi_extra=response_example(MEMBERS_EXAMPLE)
)
def member_index(request):
    require_member(request, Membership.Role.ADMIN)
    return [MemberOut.of(m) for m in member_list(tenant=request.tenant)]


@team_invitations_router.get(
    "/",
    response=list[InvitationOut],
    summary="Invitations of the last 30 days",
    openapi_extra=response_example(INVITATIONS_EXAMPLE),
)
def invitation_index(request):
    require_member(request, Membership.Role.ADMIN)
    return [InvitationOut.of(i) for i in invitation_list(tenant=request.tenant)]


@team_invitations_router.post(
    "/",
    response={201: InvitationOut},
    summary="Invite a person by email",
    description="Emails a link to accept or decline (valid 7 days). No account or seat is taken until the "
    "person accepts; inviting the address again replaces the link. 402 `limit_reached` when every seat is "
    "taken already.",
    openapi_extra=response_example(INVITATION_EXAMPLE, status=201),
)
def invitation_send(request, payload: InvitationIn):
    require_member(request, Membership.Role.ADMIN)
    invitation, _token = services.invitation_send(
        actor=request.auth, tenant=request.tenant, email=payload.email, role=payload.role
    )
    return Status(201, InvitationOut.of(invitation))


@team_invitations_router.delete(
    "/{invitation_id}/", response={204: None}, summary="Revoke a pending invitation"
)
def invitation_revoke(request, invitation_id: int):
    require_member(request, Membership.Role.ADMIN)
    services.invitation_revoke(actor=request.auth, tenant=request.tenant, invitation_id=invitation_id)
    return Status(204, None)


@invitations_router.post(
    "/accept/",
    auth=user_auth,
    response=MemberOut,
    summary="Accept an invitation to a team",
    description="As the signed-in user the invitation was emailed to (403 otherwise). Takes a seat of the "
    "employer's plan (402 when the team is full; the invitation stays open). 409 when expired or answered.",
    openapi_extra=response_example(MEMBERSHIP_ACCEPTED_EXAMPLE),
)
def invitation_accept(request, payload: InvitationTokenIn):
    return MemberOut.of(services.invitation_accept(user=request.auth, token=payload.token))


@invitations_router.post("/decline/", response={204: None}, summary="Decline an invitation to a team")
def invitation_decline(request, payload: InvitationTokenIn):
    services.invitation_decline(token=payload.token)
    return Status(204, None)


@members_router.patch(
    "/{membership_id}/",
    response=MemberOut,
    summary="Change a member's role",
    openapi_extra=response_example(MEMBER_PROMOTED_EXAMPLE),
)
def member_change_role(request, membership_id: int, payload: MemberRoleIn):
    require_member(request, Membership.Role.ADMIN)
    membership = services.membership_change_role(
        actor=request.auth, tenant=request.tenant, membership_id=membership_id, role=payload.role
    )
    return MemberOut.of(membership)


@members_router.delete("/{membership_id}/", response={204: None}, summary="Remove a member (frees a seat)")
def member_remove(request, membership_id: int):
    require_member(request, Membership.Role.ADMIN)
    services.membership_remove(actor=request.auth, tenant=request.tenant, membership_id=membership_id)
    return Status(204, None)


@domains_router.get(
    "/",
    response=list[DomainOut],
    summary="The site's domains",
    openapi_extra=response_example(DOMAINS_EXAMPLE),
)
def domain_index(request):
    require_member(request, Membership.Role.ADMIN)
    return [DomainOut.of(d) for d in domain_list(tenant=request.tenant)]


@domains_router.post(
    "/",
    response={201: DomainOut},
    summary="Add a custom domain (plan feature custom_domain)",
    openapi_extra=response_example(DOMAIN_ADDED_EXAMPLE, status=201),
)
def domain_add(request, payload: DomainIn):
    require_member(request, Membership.Role.ADMIN)
    domain = services.domain_add(actor=request.auth, tenant=request.tenant, domain=payload.domain)
    return Status(201, DomainOut.of(domain))


@domains_router.post("/{domain_id}/verify/", response=DomainOut, summary="Check the domain's TXT record")
def domain_verify(request, domain_id: int):
    require_member(request, Membership.Role.ADMIN)
    return DomainOut.of(
        services.domain_verify(actor=request.auth, tenant=request.tenant, domain_id=domain_id)
    )


@domains_router.delete("/{domain_id}/", response={204: None}, summary="Remove a custom domain")
def domain_remove(request, domain_id: int):
    require_member(request, Membership.Role.ADMIN)
    services.domain_remove(actor=request.auth, tenant=request.tenant, domain_id=domain_id)
    return Status(204, None)
