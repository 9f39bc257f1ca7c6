"""A seeker who already applied sees it on the job page (both hosts) before filling anything in, with the way to
their tracker; the apply form is not offered again."""

import pytest

from jobpilot.marketplace.models import MarketplaceJob

pytestmark = pytest.mark.django_db


def _job_path(tracked) -> str:
    job = MarketplaceJob.objects.get(public_id=tracked.job_public_id)
    return f"/jobs/{job.public_id}/{job.slug}/"


@pytest.mark.parametrize("on_careers_site", [True, False])
def test_the_job_page_says_already_applied_instead_of_apply_now(
    apply_for_real, seeker, tenant_a, client_for, on_careers_site
):
    tracked = apply_for_real(seeker, tenant_a)
    client = client_for(tenant_a if on_careers_site else None)
    client.force_login(seeker)

    page = client.get(_job_path(tracked)).content.decode()

    assert 'id="already-applied"' in page and "Apply now" not in page
    if on_careers_site:  # the tracker is on the public site, reached signed in through a handoff
        assert 'action="/auth/to-public/tracker/"' in page
    else:
        assert 'href="http://localhost/tracker/"' in page


def test_the_apply_form_is_not_offered_again(apply_for_real, seeker, tenant_a, client_for):
    tracked = apply_for_real(seeker, tenant_a)
    client = client_for(tenant_a)
    client.force_login(seeker)

    response = client.get(f"/apply/{tracked.job_public_id}/", follow=True)

    assert response.redirect_chain[0][0] == _job_path(tracked)
    assert "You have already applied to this job." in response.content.decode()


def test_another_seeker_still_sees_apply_now(apply_for_real, seeker, make_user, tenant_a, client_for):
    tracked = apply_for_real(seeker, tenant_a)
    client = client_for(tenant_a)
    client.force_login(make_user())
    page = client.get(_job_path(tracked)).content.decode()
    assert "Apply now" in page and 'id="already-applied"' not in page
