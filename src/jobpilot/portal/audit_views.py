"""Console: the employer's audit log (admins and owners), filtered by actor, action and days, and its CSV export
(the same filters). Reads through `jobpilot.audit.selectors`; bad filters answer 422 with the form's errors."""

import csv

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render

from jobpilot.audit import selectors
from jobpilot.audit import services as audit
from jobpilot.portal.views import console_page
from tenants.models import Membership

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, max_length=254)
    action = forms.CharField(required=False, max_length=64)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("“Since” must not be after “until”.")
        return data


class _Echo:
    def write(self, value):
        return value


@console_page(Membership.Role.ADMIN)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "portal/console/audit_log.html",
            {"console_section": "audit", "form": form, "entries": []},
            status=422,
        )
    entries = selectors.audit_entry_list(**(form.cleaned_data if request.GET else {}))
    if request.GET.get("format") == "csv":
        audit.record(
            actor=request.user, action="audit_log.export", after={"filters": request.GET.urlencode()}
        )
        writer = csv.writer(_Echo())
        header = [
            "created_at",
            "actor_email",
            "api_key_id",
            "action",
            "target_type",
            "target_id",
            "before",
            "after",
        ]
        rows = (
            [
                e.created_at.isoformat(),
                e.actor_email,
                e.api_key_id or "",
                e.action,
                e.target_type,
                e.target_id,
                e.before,
                e.after,
                e.ip or "",
                e.user_agent,
            ]
            for e in entries.iterator()
        )
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in [[*header, "ip", "user_agent"], *rows]), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
    return render(
        request,
        "portal/console/audit_log.html",
        {"console_section": "audit", "form": form, "entries": entries[:PAGE_SIZE]},
    )
