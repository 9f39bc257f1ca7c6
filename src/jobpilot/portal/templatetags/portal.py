from django import forms, template

from jobpilot.jobs.models import JobType, RemoteOption

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
def contains(collection, item) -> bool:
    return bool(collection) and item in collection
