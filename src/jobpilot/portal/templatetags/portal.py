from datetime import datetime

from django import forms, template
from django.utils import timezone

from jobpilot.core.time_zones import format_moment
from jobpilot.jobs.models import JobType, RemoteOption
from jobpilot.tracker.models import PublicStatus

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def field_input(bound_field, **attrs):
    """The field's widget, tied to its help text and errors for screen readers (aria-describedby/-invalid).
    Keyword arguments become attributes, `data_code` as `data-code`."""
    attrs = {name.replace("_", "-"): value for name, value in attrs.items()}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_help")
    described_by += [f"{bound_field.auto_id}_error{n}" for n in range(1, len(bound_field.errors) + 1)]
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


JOB_TYPE_LABELS = dict(JobType.choices)
REMOTE_LABELS = dict(RemoteOption.choices)
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}
PERIOD_WORDS = {"year": "a year", "month": "a month", "week": "a week", "day": "a day", "hour": "an hour"}


@register.filter
def job_type_label(value: str) -> str:
    return JOB_TYPE_LABELS.get(value, value)


@register.filter
def remote_label(value: str) -> str:
    return REMOTE_LABELS.get(value, value)


@register.filter
def salary_text(salary) -> str:
    """`{"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}` -> "€60,000–80,000 a year"."""
    if not salary:
        return ""
    sign = CURRENCY_SIGNS.get(salary["currency"], f"{salary['currency']} ")
    low, high = salary["min"], salary["max"]
    amount = (
        f"{low:,}–{high:,}" if low is not None and high is not None and low != high else f"{low or high:,}"
    )
    return f"{sign}{amount} {PERIOD_WORDS.get(salary['period'], '')}".strip()


@register.filter
def percent_of(used: int, limit) -> int:
    if not limit:
        return 0
    return min(100, round(100 * used / limit))


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template (None when absent or when there is no mapping)."""
    return mapping.get(key) if mapping else None


@register.filter
def contains(collection, item) -> bool:
    return bool(collection) and item in collection


@register.filter
def moment(value) -> str:
    """A moment on the reader's clock (the zone the page is shown in: profile, else browser), e.g.
    "Wed 9 Dec 2026, 05:45 CET". Accepts a datetime or an ISO 8601 string (event data)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_moment(value, timezone.get_current_timezone_name())


STATUS_LABELS = dict(PublicStatus.choices)
INTERVIEW_WORDS = {
    "interview_scheduled": "Interview scheduled",
    "interview_updated": "Interview changed",
    "interview_cancelled": "Interview cancelled",
}


@register.filter
def event_text(event) -> str:
    """One tracker history entry in words ("In review → Interviewing"; "Interview scheduled for …")."""
    if event.kind == "created":
        return f"Added as {STATUS_LABELS.get(event.to_status, event.to_status)}"
    if event.kind == "status_changed":
        return f"{STATUS_LABELS.get(event.from_status, event.from_status)} → {STATUS_LABELS.get(event.to_status, event.to_status)}"
    words = INTERVIEW_WORDS.get(event.kind, event.kind.replace("_", " ").capitalize())
    starts = event.data.get("starts_at") if isinstance(event.data, dict) else None
    return f"{words} for {moment(starts)}" if starts else words


@register.filter
def actor_text(event) -> str:
    return {"seeker": "you", "employer": "the employer", "import": "CSV import"}.get(event.actor, event.actor)


@register.filter
def highlighted(snippet: dict) -> str:
    """A search snippet ({"text", "highlights"}) as HTML: the text escaped, the matched words in <mark>."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    text, out, at = snippet["text"], [], 0
    for start, end in snippet["highlights"]:
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of job text above is escaped
