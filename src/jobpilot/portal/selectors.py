"""Reads that only the web pages need (everything else comes from the apps' own selectors)."""

from django.conf import settings
from django.urls import reverse

from billing.entitlements import PlanGate, plan_gate
from billing.models import BillingAccount
from billing.plans import Audience, Feature, Metric
from billing.selectors import BILLING_PAGES, billing_account_for_user
from jobpilot.marketplace.models import SavedJob
from jobpilot.matching.selectors import match_scores_for_jobs
from jobpilot.notifications import selectors as notification_selectors
from jobpilot.portal.links import public_url, tenant_url

NOTIFICATIONS_PAGE = 50


def saved_job_ids(*, user, public_ids) -> set:
    """Which of these jobs the user has saved (for the Save/Saved buttons on a page of cards)."""
    if not user.is_authenticated or not public_ids:
        return set()
    return set(
        SavedJob.objects.filter(user=user, job_public_id__in=list(public_ids)).values_list(
            "job_public_id", flat=True
        )
    )


def notification_page(*, user, tenant) -> list:
    """The user's latest notifications, each with a `link`: the one it carries, or, for an application that came in
    on the employer whose console this is (`tenant`), its candidate page there."""
    notifications = list(notification_selectors.notification_feed(user=user)[:NOTIFICATIONS_PAGE])
    for notification in notifications:
        notification.link = notification.data.get("url") or ""
        application_id = notification.data.get("application_id")
        if not notification.link and application_id and notification.tenant_id == tenant.pk:
            notification.link = reverse(
                "portal:pipeline-application", args=[application_id], urlconf=settings.ROOT_URLCONF
            )
    return notifications


def plan_gate_for(
    request, *, account: BillingAccount, feature: Feature | None = None, metric: Metric | None = None
) -> PlanGate:
    """`billing.entitlements.plan_gate` for a page, rendered with `portal/partials/plan_gate.html`. Its upgrade
    link leads to the payer's billing page as this browser reaches it: a path on the same host (the console's
    billing page on the employer's host, the seeker's on the public site), else that host on this scheme and
    port."""
    path = BILLING_PAGES[Audience(account.audience)]
    if account.tenant_id is not None:
        same_host = request.tenant.pk == account.tenant_id
        url = path if same_host else tenant_url(request, account.tenant, path)
    else:
        url = path if request.tenant.is_public else public_url(request, path)
    return plan_gate(account, feature=feature, metric=metric, upgrade_url=url)


def match_context(request, *, public_ids) -> dict:
    """Match scores for the jobs a public page shows the signed-in user, when the seeker's plan has AI
    recommendations (one batch for all the cards, `matching.selectors.match_scores_for_jobs`), else the plan gate
    the page shows instead. Nothing for visitors or on employers' careers sites."""
    if not request.user.is_authenticated or not request.tenant.is_public:
        return {"match_scores": {}, "match_gate": None}
    gate = plan_gate_for(
        request,
        account=billing_account_for_user(request.user, Audience.SEEKER),
        feature=Feature.AI_RECOMMENDATIONS,
    )
    if not gate.open:
        return {"match_scores": {}, "match_gate": gate}
    return {
        "match_scores": match_scores_for_jobs(seeker=request.user, public_ids=public_ids),
        "match_gate": gate,
    }
