"""Plan gates on the web are shown before the work: the page says which plan includes the feature (or has room)
with a link to the right billing page, and the gated part of the form is disabled or replaced. A request sent
past the gate anyway is refused by the service (402) and answered with the same notice and link, never a bare
banner; on a plan that includes it, the form works."""

import re

import pytest
from django_tenants.utils import tenant_context

from billing.entitlements import consume, plan_gate
from billing.plans import Audience, Feature, Metric
from billing.selectors import billing_account_for_tenant, billing_account_for_user
from jobpilot.marketplace.models import SavedSearch
from jobpilot.webhooks.models import WebhookEndpoint
from tenants.selectors import branding_for
from tests.conftest import owner_of
from tests.portal.test_console import branding_form

pytestmark = pytest.mark.django_db

BRANDING = "/console/branding/"
WEBHOOKS = "/console/webhooks/"
EMPLOYER_BILLING = 'href="/console/billing/">Upgrade to Growth</a>'
SEEKER_BILLING = 'href="/account/billing/">Upgrade to Pro</a>'


def owner_client(client_for, tenant):
    client = client_for(tenant)
    client.force_login(owner_of(tenant))
    return client


def gate_of(html: str, name: str) -> str:
    match = re.search(rf'<div class="alert [^"]*plan-gate" id="plan-gate-{name}".*?</div>', html, flags=re.S)
    assert match, f"no {name} gate on the page"
    return match.group(0)


# --- the selector -------------------------------------------------------------------------------------------------


def test_a_starter_employer_is_told_growth_unlocks_branding_and_has_more_seats(tenant_a, on_plan):
    """The selector's upgrade address is absolute (for emails and the API); pages get it as the browser reaches
    it (`portal.selectors.plan_gate_for`)."""
    account = billing_account_for_tenant(tenant_a)
    gate = plan_gate(account, feature=Feature.CUSTOM_BRANDING)
    assert (gate.open, gate.unlocked_by, gate.upgrade_url) == (
        False,
        "Growth",
        "https://acme.localhost/console/billing/",
    )
    assert plan_gate(account, metric=Metric.SEATS).open  # the owner holds 1 of 2
    assert plan_gate(account, feature=Feature.API_ACCESS).unlocked_by == "Enterprise"
    on_plan(tenant_a, "employer_growth")
    assert plan_gate(billing_account_for_tenant(tenant_a), feature=Feature.CUSTOM_BRANDING).open


def test_a_free_seeker_at_the_saved_search_limit_is_told_pro_has_twenty(public_tenant, make_user):
    seeker = make_user()
    for q in ("one", "two"):
        SavedSearch.objects.create(user=seeker, name=q)
        consume(billing_account_for_user(seeker, Audience.SEEKER), Metric.SAVED_SEARCHES)
    gate = plan_gate(billing_account_for_user(seeker, Audience.SEEKER), metric=Metric.SAVED_SEARCHES)
    assert (gate.open, gate.used, gate.limit, gate.unlocked_by, gate.unlocked_limit) == (
        False,
        2,
        2,
        "Pro",
        20,
    )


def test_the_selector_asks_about_one_thing(tenant_a):
    with pytest.raises(ValueError):
        plan_gate(billing_account_for_tenant(tenant_a))


# --- branding -----------------------------------------------------------------------------------------------------


def test_branding_on_starter_shows_the_gate_before_the_form_and_disables_the_gated_fields(
    client_for, tenant_a
):
    page = owner_client(client_for, tenant_a).get(BRANDING).content.decode()
    design = gate_of(page, "custom_branding")
    assert "The Growth plan includes your own font and design tokens." in design
    assert EMPLOYER_BILLING in design and 'role="status"' in design
    assert page.index('id="plan-gate-custom_branding"') < page.index('id="id_primary_color"')
    powered = gate_of(page, "remove_powered_by")
    assert "hiding “Powered by JobPilot”" in powered and EMPLOYER_BILLING in powered
    assert re.search(r'<select name="font"[^>]*disabled', page)
    assert re.search(r'<textarea name="custom_css_variables"[^>]*disabled', page)
    assert re.search(r'<input type="checkbox" name="show_powered_by"[^>]*disabled', page)
    # The disabled fields are held at their saved values, so what the page sends is allowed.
    assert '<textarea name="font" hidden>system</textarea>' in page
    assert '<textarea name="show_powered_by" hidden>on</textarea>' in page


def test_after_a_downgrade_the_page_keeps_the_saved_design_and_still_saves_the_colours(
    client_for, tenant_a, on_plan
):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    sent = branding_form(font="serif", show_powered_by=None)
    assert client.post(BRANDING, sent).status_code == 302
    on_plan(tenant_a, "employer_starter")

    page = client.get(BRANDING).content.decode()
    assert '<textarea name="font" hidden>serif</textarea>' in page
    assert (
        '<textarea name="custom_css_variables" hidden>--radius: 14px\n--heading-weight: 800</textarea>'
        in page
    )
    assert '<textarea name="show_powered_by" hidden></textarea>' in page
    # What the browser sends back: the new colour and the held values. Saved, and the design kept for an upgrade.
    held = {
        "font": "serif",
        "custom_css_variables": "--radius: 14px\n--heading-weight: 800",
        "show_powered_by": "",
    }
    assert client.post(BRANDING, {**sent, **held, "primary_color": "#1e3a8a"}).status_code == 302
    branding = branding_for(tenant=tenant_a)
    assert (branding.primary_color, branding.font, branding.show_powered_by) == ("#1e3a8a", "serif", False)
    assert branding.custom_css_variables == {"--radius": "14px", "--heading-weight": "800"}
    # Changing the kept design is a new design: refused, with the gate.
    refused = client.post(BRANDING, {**sent, **held, "font": "mono"})
    assert refused.status_code == 402 and 'role="alert"' in gate_of(
        refused.content.decode(), "custom_branding"
    )


def test_branding_on_starter_saves_what_the_plan_includes(client_for, tenant_a):
    client = owner_client(client_for, tenant_a)
    sent = branding_form(font="system", custom_css_variables="", hero_title="Starter brand")
    response = client.post(BRANDING, sent)
    assert response.status_code == 302
    assert branding_for(tenant=tenant_a).hero_title == "Starter brand"


@pytest.mark.parametrize(
    ("overrides", "gate"),
    [
        ({"font": "rounded", "custom_css_variables": ""}, "custom_branding"),
        ({"font": "system"}, "custom_branding"),  # design tokens
        ({"font": "system", "custom_css_variables": "", "show_powered_by": None}, "remove_powered_by"),
    ],
)
def test_a_forced_branding_post_on_starter_is_refused_with_the_notice_and_link(
    client_for, tenant_a, overrides, gate
):
    before = branding_for(tenant=tenant_a)
    response = owner_client(client_for, tenant_a).post(BRANDING, branding_form(**overrides))
    assert response.status_code == 402
    refused = gate_of(response.content.decode(), gate)
    assert 'role="alert"' in refused and "Your plan does not include" in refused
    assert EMPLOYER_BILLING in refused
    after = branding_for(tenant=tenant_a)
    assert (after.pk, after.font, after.hero_title) == (before.pk, before.font, before.hero_title)


def test_branding_on_growth_has_no_gate_and_saves_the_font(client_for, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    client = owner_client(client_for, tenant_a)
    page = client.get(BRANDING).content.decode()
    assert "plan-gate" not in page and not re.search(r'<select name="font"[^>]*disabled', page)
    assert client.post(BRANDING, branding_form(font="serif")).status_code == 302
    assert branding_for(tenant=tenant_a).font == "serif"


# --- webhooks -----------------------------------------------------------------------------------------------------


def test_webhooks_on_starter_replace_the_form_with_the_gate(client_for, tenant_a):
    page = owner_client(client_for, tenant_a).get(WEBHOOKS).content.decode()
    notice = gate_of(page, "webhooks")
    assert "The Growth plan includes webhooks." in notice and EMPLOYER_BILLING in notice
    assert "Add an endpoint" not in page


def test_a_forced_webhook_post_on_starter_is_refused_with_the_notice_and_link(client_for, tenant_a):
    response = owner_client(client_for, tenant_a).post(
        WEBHOOKS, {"url": "https://hooks.example.com/in", "event_types": ["job.published"], "is_active": "on"}
    )
    assert response.status_code == 402
    notice = gate_of(response.content.decode(), "webhooks")
    assert 'role="alert"' in notice and "Your plan does not include webhooks" in notice
    assert EMPLOYER_BILLING in notice
    with tenant_context(tenant_a):
        assert not WebhookEndpoint.objects.filter(url="https://hooks.example.com/in").exists()


def test_webhooks_on_growth_show_the_form_without_a_gate(client_for, tenant_a, on_plan):
    on_plan(tenant_a, "employer_growth")
    page = owner_client(client_for, tenant_a).get(WEBHOOKS).content.decode()
    assert "Add an endpoint" in page and "plan-gate" not in page


# --- saved searches -----------------------------------------------------------------------------------------------


@pytest.fixture
def seeker(make_user):
    return make_user()


def _signed_in(public_client, user):
    public_client.force_login(user)
    return public_client


def test_a_search_with_no_results_offers_to_alert_when_jobs_match(public_client, seeker):
    page = _signed_in(public_client, seeker).get("/jobs/?q=zzyzxquarkologist").content.decode()
    assert "No jobs match this search" in page
    assert "Get alerted when jobs match" in page
    form = re.search(r'<form class="save-search-form".*?</form>', page, flags=re.S).group(0)
    assert 'value="zzyzxquarkologist"' in form and '<option value="off">Off</option>' in form
    saved = public_client.post("/saved-searches/", {"q": "zzyzxquarkologist", "frequency": "daily"})
    assert saved.status_code == 302
    assert SavedSearch.objects.get(user=seeker).q == "zzyzxquarkologist"


def test_visitors_are_not_offered_to_save_a_search(public_client):
    assert "Get alerted when jobs match" not in public_client.get("/jobs/?q=nothing").content.decode()


def test_at_the_limit_the_save_control_shows_the_gate_instead_of_the_form(public_client, seeker):
    client = _signed_in(public_client, seeker)
    for q in ("one", "two"):
        assert client.post("/saved-searches/", {"q": q, "frequency": "daily"}).status_code == 302
    page = client.get("/jobs/?q=three").content.decode()
    notice = gate_of(page, "saved_searches")
    assert "You have used 2 of the 2 saved searches with alerts your plan includes." in notice
    assert "The Pro plan includes 20." in notice and SEEKER_BILLING in notice
    assert 'class="save-search-form"' not in page
    listing = client.get("/saved-searches/").content.decode()
    assert SEEKER_BILLING in gate_of(listing, "saved_searches")


def test_on_pro_a_third_search_is_saved(public_client, seeker, on_plan):
    on_plan(seeker, "seeker_pro")
    client = _signed_in(public_client, seeker)
    for q in ("one", "two", "three"):
        assert client.post("/saved-searches/", {"q": q, "frequency": "daily"}).status_code == 302
    assert "plan-gate" not in client.get("/jobs/?q=four").content.decode()


def test_a_search_saved_with_alerts_off_and_switched_off_on_the_page(public_client, seeker):
    client = _signed_in(public_client, seeker)
    response = client.post("/saved-searches/", {"q": "quietjob", "frequency": "off"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=seeker)
    assert saved.frequency == "off"
    assert "with alerts off" in client.get("/saved-searches/").content.decode()

    on = client.post(f"/saved-searches/{saved.pk}/", {"frequency": "weekly"}, HTTP_HX_REQUEST="true")
    assert "weekly alerts" in on.content.decode()
    off = client.post(f"/saved-searches/{saved.pk}/", {"frequency": "off"}, HTTP_HX_REQUEST="true")
    assert off.status_code == 200 and "Saved: alerts off" in off.content.decode()
    saved.refresh_from_db()
    assert saved.frequency == "off"
    page = client.get("/saved-searches/").content.decode()
    assert '<option value="off" selected>Off</option>' in page


def test_another_seekers_search_cannot_be_switched_off_on_the_page(public_client, seeker, make_user):
    theirs = SavedSearch.objects.create(user=make_user(), name="Theirs", frequency="instant")
    response = _signed_in(public_client, seeker).post(f"/saved-searches/{theirs.pk}/", {"frequency": "off"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.frequency == "instant"


def test_switching_alerts_off_needs_sign_in(public_client, make_user):
    theirs = SavedSearch.objects.create(user=make_user(), name="Theirs", frequency="instant")
    response = public_client.post(f"/saved-searches/{theirs.pk}/", {"frequency": "off"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    theirs.refresh_from_db()
    assert theirs.frequency == "instant"


def test_saving_a_job_past_the_limit_links_the_seekers_billing_page(
    public_client, seeker, tenant_a, make_posting
):
    from billing.services import billing_account_override_limits

    billing_account_override_limits(
        actor="tests", account=billing_account_for_user(seeker, Audience.SEEKER), limits={"saved_jobs": 0}
    )
    posting = make_posting(tenant_a, title="Keeper of gates")
    response = _signed_in(public_client, seeker).post(
        f"/saved/{posting.public_id}/", {"action": "save"}, HTTP_HX_REQUEST="true"
    )
    button = response.content.decode()
    assert "Your plan allows 0 saved jobs" in button
    assert '<a href="https://localhost/account/billing/">Upgrade for more room</a>' in button
