"""Employer API for the tenant of the host: its branding. Admins and owners only; everyone else gets 404."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from jobpilot.accounts.auth import user_auth
from tenants.models import Branding, Membership
from tenants.permissions import require_member
from tenants.selectors import branding_for
from tenants.services import branding_update

router = Router(auth=user_auth, tags=["employer"])

HexColor = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#1d4ed8"])]


class FooterLink(Schema):
    label: str = Field(min_length=1, max_length=40)
    url: str = Field(min_length=1, max_length=300)


class BrandingIn(Schema):
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


@router.get("/", response=BrandingOut, summary="The careers portal's branding")
def branding_get(request):
    require_member(request, Membership.Role.ADMIN)
    return _out(request, branding_for(tenant=request.tenant))


@router.put(
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
