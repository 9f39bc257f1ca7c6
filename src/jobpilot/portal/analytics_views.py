"""Analytics pages: the employer's hiring analytics in its console (members; the Growth plan's "Hiring analytics",
an upgrade notice without it), the seeker's numbers on their dashboard, and the platform's numbers in the staff
area. Every page reads the same selectors as /api/v2/analytics/; a bad range answers 422 with the form's errors."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from billing.errors import FeatureNotInPlan
from billing.plans import Feature
from billing.selectors import billing_account_for_tenant
from jobpilot.analytics import selectors
from jobpilot.analytics.api import job_performance_csv
from jobpilot.core.errors import Invalid
from jobpilot.portal.selectors import plan_gate_for
from jobpilot.portal.views import console_page
from tenants.models import Membership


class RangeForm(forms.Form):
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(
        required=False, choices=[("", "Automatic"), ("day", "By day"), ("week", "By week")]
    )

    def date_range(self) -> selectors.DateRange:
        """The range the form asks for; a form error (and so a 422) when it is reversed, too long or ahead."""
        data = self.cleaned_data
        try:
            return selectors.date_range_parse(
                since=data.get("since"), until=data.get("until"), granularity=data.get("granularity") or None
            )
        except Invalid as exc:
            self.add_error(None, exc.detail)
            raise


def range_of(request) -> tuple[RangeForm, selectors.DateRange | None]:
    form = RangeForm(request.GET)
    if not form.is_valid():
        return form, None
    try:
        return form, form.date_range()
    except Invalid:
        return form, None


@console_page(Membership.Role.VIEWER)
@require_GET
def console_analytics(request):
    gate = plan_gate_for(
        request, account=billing_account_for_tenant(request.tenant), feature=Feature.ANALYTICS
    )
    form, dates = range_of(request)
    context = {"console_section": "analytics", "form": form, "gate": gate, "data": None}
    if dates is None:
        return render(request, "portal/console/analytics.html", context, status=422)
    if not gate.open:
        if request.GET.get("format") == "csv":
            return HttpResponse("Your plan does not include hiring analytics.", status=402)
        return render(request, "portal/console/analytics.html", context)
    try:
        data = selectors.job_performance(tenant=request.tenant, dates=dates)
    except FeatureNotInPlan:  # the plan changed between the gate and the read
        return render(request, "portal/console/analytics.html", context, status=402)
    if request.GET.get("format") == "csv":
        response = HttpResponse(job_performance_csv(data), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="job-performance-{dates.since}-{dates.until}.csv"'
        )
        return response
    context["data"] = data
    context["scores"] = selectors.score_distribution(tenant=request.tenant, dates=dates)
    return render(request, "portal/console/analytics.html", context)


@login_required
@never_cache
@require_GET
def staff_analytics(request):
    """The operator's page (public domain): staff only, 403 for everyone else."""
    if not request.user.is_staff:
        raise PermissionDenied("Staff only.")
    dates = selectors.date_range_parse(since=None, until=None)  # the last 30 days
    return render(
        request,
        "portal/staff/analytics.html",
        {
            "data": selectors.platform_metrics(),
            "recommendations": selectors.recommendation_rates(dates=dates),
            "recommendations_days": dates.days,
        },
    )
