"""Forms of the console's jobs, team and billing pages. They check the shape of what was typed; the product's
rules (lengths, country codes, salary ranges, who may do what) stay in the job schemas and the services."""

from django import forms
from pydantic import ValidationError

from jobpilot.jobs.models import JobType, RemoteOption, SalaryPeriod
from jobpilot.jobs.schemas import CompanyProfileIn, JobPostingIn
from tenants.models import Membership


class JobPostingForm(forms.Form):
    title = forms.CharField(max_length=200, min_length=3)
    department = forms.CharField(max_length=100, required=False)
    job_type = forms.ChoiceField(choices=JobType.choices, initial=JobType.FULL_TIME, label="Employment type")
    remote = forms.ChoiceField(choices=RemoteOption.choices, initial=RemoteOption.ONSITE, label="Workplace")
    city = forms.CharField(max_length=100, required=False)
    country = forms.CharField(
        max_length=2, required=False, help_text="Two-letter code, like DE or US.", label="Country code"
    )
    salary_min = forms.IntegerField(min_value=0, required=False, label="Salary from")
    salary_max = forms.IntegerField(min_value=0, required=False, label="Salary to")
    salary_currency = forms.CharField(max_length=3, min_length=3, initial="USD", label="Currency")
    salary_period = forms.ChoiceField(choices=SalaryPeriod.choices, initial=SalaryPeriod.YEAR, label="Per")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Simple HTML is kept (paragraphs, lists, bold, links). Needed before publishing.",
    )
    requirements = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    benefits = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    apply_url = forms.CharField(
        max_length=500,
        required=False,
        label="External apply link",
        help_text="Leave empty to take applications here.",
    )

    def posting_data(self) -> dict | None:
        """The cleaned values checked by `JobPostingIn` (the API's rules), or None with the errors on the form."""
        if not self.is_valid():
            return None
        values = {key: value for key, value in self.cleaned_data.items() if value is not None}
        return validated(self, JobPostingIn, values)

    @classmethod
    def initial_for(cls, posting) -> dict:
        return {name: getattr(posting, name) for name in cls.base_fields}


class CompanyProfileForm(forms.Form):
    name = forms.CharField(max_length=200)
    tagline = forms.CharField(max_length=200, required=False)
    website = forms.CharField(max_length=500, required=False)
    logo_url = forms.CharField(max_length=500, required=False, label="Logo URL")
    about = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)

    def profile_data(self) -> dict | None:
        if not self.is_valid():
            return None
        return validated(self, CompanyProfileIn, self.cleaned_data)


ROLE_CHOICES = [(role.value, role.label) for role in Membership.Role]


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Membership.Role.RECRUITER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


def validated(form: forms.Form, schema, values: dict) -> dict | None:
    try:
        return schema(**values).model_dump(exclude_unset=False)
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else None
            message = problem["msg"].removeprefix("Value error, ")
            form.add_error(field if field in form.fields else None, message)
        return None


class WebhookEndpointForm(forms.Form):
    """The shape of an endpoint; the URL's rules (https, public addresses) and the event names are the service's."""

    url = forms.CharField(max_length=500, label="Endpoint URL", help_text="Where we POST each event, signed.")
    description = forms.CharField(max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, label="Events to send"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, **kwargs):
        from jobpilot.webhooks.events import SUBSCRIBABLE

        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [
            (event.value, f"{event.value}: {event.label}") for event in SUBSCRIBABLE
        ]

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        return {name: getattr(endpoint, name) for name in cls.base_fields}
