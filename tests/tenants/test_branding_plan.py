"""Branding by plan: every employer brands its logo, colours and hero; fonts and design tokens come with
`custom_branding` and hiding "Powered by JobPilot" with `remove_powered_by` (Growth and up)."""

import pytest

from billing.errors import FeatureNotInPlan
from tenants import branding as rules
from tenants.selectors import branding_for
from tenants.services import branding_update
from tests.conftest import owner_of

pytestmark = pytest.mark.django_db

BASICS = {"primary_color": "#1d4ed8", "primary_text_color": "#ffffff", "accent_color": "#0f766e"}


def test_a_starter_employer_brands_colours_and_hero(tenant_a):
    branding_update(actor=owner_of(tenant_a), tenant=tenant_a, font="system", hero_title="Join us", **BASICS)
    assert branding_for(tenant=tenant_a).hero_title == "Join us"


@pytest.mark.parametrize(
    ("change", "feature"),
    [
        ({"font": "serif"}, "custom_branding"),
        ({"font": "system", "custom_css_variables": {"--radius": "4px"}}, "custom_branding"),
        ({"font": "system", "show_powered_by": False}, "remove_powered_by"),
    ],
)
def test_a_starter_employer_cannot_use_growth_branding(tenant_a, change, feature):
    with pytest.raises(FeatureNotInPlan) as refused:
        branding_update(actor=owner_of(tenant_a), tenant=tenant_a, **BASICS, **change)
    assert refused.value.status == 402
    assert refused.value.extra["feature"] == feature
    assert branding_for(tenant=tenant_a).pk is None  # nothing was saved


def test_a_growth_employer_uses_fonts_tokens_and_hides_powered_by(tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    branding_update(
        actor=owner_of(tenant_a),
        tenant=tenant_a,
        font="serif",
        custom_css_variables={"--radius": "4px"},
        show_powered_by=False,
        **BASICS,
    )
    branding = branding_for(tenant=tenant_a)
    assert (branding.font, branding.show_powered_by) == ("serif", False)


def test_after_a_downgrade_the_careers_site_shows_powered_by_and_the_default_design_until_an_upgrade(
    client_for, tenant_a, on_plan
):
    on_plan(tenant_a, "employer_growth")
    branding_update(
        actor=owner_of(tenant_a),
        tenant=tenant_a,
        font="serif",
        custom_css_variables={"--radius": "4px"},
        show_powered_by=False,
        **BASICS,
    )
    on_plan(tenant_a, "employer_starter")

    downgraded = client_for(tenant_a).get("/").content.decode()
    on_plan(tenant_a, "employer_growth")
    upgraded = client_for(tenant_a).get("/").content.decode()

    assert "Powered by" in downgraded and "--radius:4px" not in downgraded
    assert f"--brand-font:{rules.FONT_STACKS['system']};" in downgraded
    assert "--brand-primary:#1d4ed8;" in downgraded  # colours are every plan's
    assert "Powered by" not in upgraded and "--radius:4px" in upgraded
    assert f"--brand-font:{rules.FONT_STACKS['serif']};" in upgraded
    branding = branding_for(tenant=tenant_a)
    assert (branding.font, branding.show_powered_by) == ("serif", False)  # kept through the downgrade


def test_the_api_answers_402_with_the_feature_for_a_starter_employer(client_for, tenant_a):
    from ninja_jwt.tokens import RefreshToken

    token = RefreshToken.for_user(owner_of(tenant_a)).access_token
    response = client_for(tenant_a).put(
        "/api/v1/employer/branding/",
        {**BASICS, "font": "serif"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 402
    assert response.json()["code"] == "feature_not_in_plan"
    assert response.json()["feature"] == "custom_branding"


def test_after_a_downgrade_the_kept_design_can_be_sent_back_but_not_changed(tenant_a, on_plan):
    owner = owner_of(tenant_a)
    on_plan(tenant_a, "employer_growth")
    design = {"font": "serif", "custom_css_variables": {"--radius": "4px"}, "show_powered_by": False}
    branding_update(actor=owner, tenant=tenant_a, **BASICS, **design)
    on_plan(tenant_a, "employer_starter")

    # The colours stay editable while the former plan's design is sent back unchanged.
    branding_update(actor=owner, tenant=tenant_a, **{**BASICS, "accent_color": "#1e40af"}, **design)
    assert branding_for(tenant=tenant_a).accent_color == "#1e40af"
    for change, feature in (
        ({"font": "mono"}, "custom_branding"),
        ({"custom_css_variables": {"--radius": "8px"}}, "custom_branding"),
    ):
        with pytest.raises(FeatureNotInPlan) as refused:
            branding_update(actor=owner, tenant=tenant_a, **BASICS, **{**design, **change})
        assert refused.value.extra["feature"] == feature
    # Showing the credit again is always allowed; hiding it again then needs the plan.
    branding_update(actor=owner, tenant=tenant_a, **BASICS, **{**design, "show_powered_by": True})
    with pytest.raises(FeatureNotInPlan) as refused:
        branding_update(actor=owner, tenant=tenant_a, **BASICS, **design)
    assert refused.value.extra["feature"] == "remove_powered_by"
