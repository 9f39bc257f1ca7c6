"""Forms of the console's jobs, team and billing pages. They check the shape of what was typed; the product's
rules (lengths, country codes, salary ranges, who may do what) stay in the job schemas and the services."""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone
from pydantic import ValidationError

from jobpilot.core.time_zones import time_zone_choices
from jobpilot.jobs.models import JobType, RemoteOption, SalaryPeriod
from jobpilot.jobs.schemas import CompanyProfileIn, JobPostingIn, JobPostingPatch
from tenants.models import Membership

QUESTION_KINDS = [
    ("text", "Text answer"),
    ("yes_no", "Yes or no"),
    ("single_choice", "One of several choices"),
    ("multiple_choice", "Several choices"),
    ("number", "A number"),
]
MAX_QUESTIONS = 20


def _split(value: str) -> list[str]:
    """A typed list: commas or new lines between entries (the schema trims, de-duplicates and bounds it)."""
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


class ScreeningQuestionForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    question = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=QUESTION_KINDS, initial="text", label="Answer")
    required = forms.BooleanField(required=False, label="Required")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For choice questions: one choice per line.",
    )

    def question_data(self) -> dict | None:
        """The question as the schema takes it, or None for a row left empty or marked for deletion."""
        data = self.cleaned_data
        if not data.get("question") or data.get("DELETE"):
            return None
        question = {
            "question": data["question"],
            "kind": data["kind"],
            "required": data["required"],
            "choices": [line.strip() for line in data["choices"].splitlines() if line.strip()],
        }
        if data.get("id"):
            question["id"] = data["id"]  # kept, so answers already given stay attached to their question
        return question

    @staticmethod
    def initial_for(question: dict) -> dict:
        return {**question, "choices": "\n".join(question.get("choices", []))}


ScreeningQuestionFormSet = forms.formset_factory(
    ScreeningQuestionForm,
    extra=1,
    can_delete=True,
    max_num=MAX_QUESTIONS,
    validate_max=True,
    absolute_max=MAX_QUESTIONS,
)


class JobPostingForm(forms.Form):
    """Every field of the employer API's posting (`JobPostingIn`, plus the address `slug` once the job exists), and
    its screening questions as a formset (`self.questions`)."""

    title = forms.CharField(max_length=200, min_length=3)
    slug = forms.CharField(
        max_length=80,
        required=False,
        label="Address",
        help_text="The last part of the job's web address: lower-case letters, digits and dashes.",
    )
    department = forms.CharField(max_length=100, required=False)
    job_type = forms.ChoiceField(choices=JobType.choices, initial=JobType.FULL_TIME, label="Employment type")
    tags = forms.CharField(max_length=1000, required=False, help_text="Separated by commas.")
    skills = forms.CharField(
        max_length=2000,
        required=False,
        help_text="Separated by commas. Candidates search and match on these.",
    )
    remote = forms.ChoiceField(choices=RemoteOption.choices, initial=RemoteOption.ONSITE, label="Workplace")
    city = forms.CharField(max_length=100, required=False)
    region = forms.CharField(max_length=100, required=False, label="Region or state")
    country = forms.CharField(
        max_length=2, required=False, help_text="Two-letter code, like DE or US.", label="Country code"
    )
    applicant_countries = forms.CharField(
        max_length=200,
        required=False,
        label="Applicants may live in",
        help_text="Two-letter country codes separated by commas, like DE, AT, CH. A remote job needs at least one "
        "(or a country above): search engines list remote jobs only with it.",
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
    application_deadline = forms.DateField(
        required=False,
        label="Application deadline",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Applications are taken until the end of this day.",
    )
    expires_at = forms.DateField(
        required=False,
        label="Listed until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: the standard listing period from publishing.",
    )
    apply_url = forms.CharField(
        max_length=500,
        required=False,
        label="External apply link",
        help_text="Leave empty to take applications here.",
    )
    is_featured = forms.BooleanField(required=False, label="Feature this job on your careers site")

    LIST_FIELDS = ("tags", "skills", "applicant_countries")

    def __init__(self, data=None, *, posting=None, initial=None):
        super().__init__(data, initial=initial)
        if posting is None:
            del self.fields["slug"]  # a new job's address comes from its title
        elif posting.is_synced:
            # The board owns these (see JobPosting.ATS_OWNED_FIELDS): shown, not editable, never sent back.
            board_values = self.initial_for(posting)
            for name in posting.ATS_OWNED_FIELDS:
                self.fields[name].disabled = True
                self.initial.setdefault(name, board_values[name])
        questions = posting.screening_questions if posting is not None else []
        self.questions = ScreeningQuestionFormSet(
            data,
            prefix="questions",
            initial=None if data is not None else [ScreeningQuestionForm.initial_for(q) for q in questions],
        )

    def posting_data(self) -> dict | None:
        """The cleaned values checked by the API's schemas (`JobPostingIn`, and `JobPostingPatch` for the slug),
        or None with the errors on the form."""
        fields_valid = self.is_valid()
        questions_valid = self.questions.is_valid()
        if not (fields_valid and questions_valid):
            return None
        values = {key: value for key, value in self.cleaned_data.items() if value is not None}
        slug = values.pop("slug", None)
        for name in self.LIST_FIELDS:
            values[name] = _split(values.get(name, ""))
        if "expires_at" in values:
            values["expires_at"] = end_of_day(values["expires_at"])
        values["screening_questions"] = [
            question for form in self.questions if (question := form.question_data()) is not None
        ]
        data = validated(self, JobPostingIn, values)
        if data is None:
            return None
        if slug:
            patch = validated(self, JobPostingPatch, {"slug": slug})
            if patch is None:
                return None
            data["slug"] = patch["slug"]
        return data

    @classmethod
    def initial_for(cls, posting) -> dict:
        initial = {name: getattr(posting, name) for name in cls.base_fields}
        for name in cls.LIST_FIELDS:
            initial[name] = ", ".join(initial[name])
        if posting.expires_at:
            initial["expires_at"] = timezone.localdate(posting.expires_at)
        return initial


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in the current time zone (the employer's, on console pages)."""
    return timezone.make_aware(datetime.combine(day, time.max))


class CompanyProfileForm(forms.Form):
    name = forms.CharField(max_length=200)
    tagline = forms.CharField(max_length=200, required=False)
    website = forms.CharField(max_length=500, required=False)
    logo_url = forms.CharField(max_length=500, required=False, label="Logo URL")
    about = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        required=False,
        help_text="Application deadlines end at midnight in this time zone.",
    )

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or "UTC"

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
            loc = problem["loc"]
            field = str(loc[0]) if loc else None
            message = problem["msg"].removeprefix("Value error, ")
            if field == "screening_questions" and len(loc) > 1 and isinstance(loc[1], int):
                message = f"Question {loc[1] + 1}: {message}"
            elif field in form.fields and len(loc) > 1 and isinstance(loc[1], int):
                message = f"{form.fields[field].label or field} entry {loc[1] + 1}: {message}"
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


class AtsConnectionForm(forms.Form):
    """Which board to connect; the board name's rules are the service's (`atsync.services.board_clean`)."""

    kind = forms.ChoiceField(
        choices=[("greenhouse", "Greenhouse"), ("lever", "Lever"), ("ashby", "Ashby")], label="Your ATS"
    )
    board = forms.CharField(
        max_length=300,
        label="Board name",
        help_text="Greenhouse board token, Lever site name or Ashby job board name: the last part of your "
        "public job board's address (boards.greenhouse.io/<b>acme</b>). Pasting the address works too.",
    )
