"""Employer console API on the employer's own domain: the team (/api/v1/employer/members/) and custom
domains (/api/v1/employer/domains/). Owners and admins only; the tenant is always the one of the host."""

from datetime import datetime

from ninja import Field, Router, Schema
from ninja.responses import Status

from jobpilot.accounts.auth import user_auth
from tenants import services
from tenants.models import Domain, Membership
from tenants.permissions import require_member
from tenants.selectors import domain_list, member_list

members_router = Router(auth=user_auth, tags=["employer"])
domains_router = Router(auth=user_auth, tags=["employer"])


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    name: str
    role: Membership.Role
    invited: bool  # has not chosen a password yet
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
            invited=not user.has_usable_password(),
            created_at=membership.created_at,
        )


class MemberIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    role: Membership.Role = Membership.Role.RECRUITER


class MemberRoleIn(Schema):
    role: Membership.Role


class TxtRecordOut(Schema):
    type: str = "TXT"
    name: str
    value: str


class DomainOut(Schema):
    id: int
    domain: str
    is_primary: bool
    is_custom: bool
    verified: bool
    verified_at: datetime | None
    verification: TxtRecordOut | None  # what to publish in DNS while the domain is not verified

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
            else TxtRecordOut(name=domain.txt_record_name, value=domain.txt_record_value),
        )


class DomainIn(Schema):
    domain: str = Field(..., min_length=1, max_length=253)


@members_router.get("/", response=list[MemberOut], summary="The team")
def member_index(request):
    require_member(request, Membership.Role.ADMIN)
    return [MemberOut.of(m) for m in member_list(tenant=request.tenant)]


@members_router.post("/", response={201: MemberOut}, summary="Add a team member (takes a seat)")
def member_add(request, payload: MemberIn):
    require_member(request, Membership.Role.ADMIN)
    membership = services.membership_add(
        actor=request.auth, tenant=request.tenant, email=payload.email, role=payload.role
    )
    return Status(201, MemberOut.of(membership))


@members_router.patch("/{membership_id}/", response=MemberOut, summary="Change a member's role")
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


@domains_router.get("/", response=list[DomainOut], summary="The site's domains")
def domain_index(request):
    require_member(request, Membership.Role.ADMIN)
    return [DomainOut.of(d) for d in domain_list(tenant=request.tenant)]


@domains_router.post(
    "/", response={201: DomainOut}, summary="Add a custom domain (plan feature custom_domain)"
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
