"""Forms parse and shape what a page posts; the rules live in the services they hand the values to."""

from datetime import timedelta

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from jobpilot.core.errors import DomainError
from jobpilot.core.time_zones import time_zone_choices
from jobpilot.notifications.types import EmailDelivery
from jobpilot.tracker.models import PublicStatus
from jobpilot.tracker.schemas import MAX_NOTES
from tenants import branding as rules
from tenants.models import Branding
from tenants.services import tenant_slug_validate


class EmployerSignupForm(forms.Form):
    name = forms.CharField(
        label="Company name",
        max_length=200,
        widget=forms.TextInput(
            attrs={"autocomplete": "organization", "placeholder": "Acme Robotics", "data-slug-source": ""}
        ),
    )
    slug = forms.CharField(
        label="Careers site address",
        min_length=3,
        max_length=50,
        help_text="Lowercase letters, digits and hyphens; it starts with a letter. You cannot change it later.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "placeholder": "acme",
                "pattern": "[a-z][a-z0-9\\-]{1,48}[a-z0-9]",
                "data-slug-target": "",
                # htmx: say whether the address is free while it is typed.
                "hx-get": reverse_lazy("portal:employer-address-check"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#address-status",
            }
        ),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        try:
            tenant_slug_validate(slug=slug)  # early, so the page names every problem at once
        except DomainError as exc:
            raise forms.ValidationError(exc.detail) from exc
        return slug


class ColorInput(forms.TextInput):
    input_type = "color"


def _color_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=7,
        widget=ColorInput(attrs={"class": "color-input"}),
    )


class BrandingForm(forms.Form):
    primary_color = _color_field("Primary colour", "Header, hero and buttons.")
    primary_text_color = _color_field("Text on primary", "Must stay readable on the primary colour.")
    accent_color = _color_field("Accent colour", "Links and highlights on white.")
    font = forms.ChoiceField(label="Font", choices=Branding.Font.choices)
    hero_title = forms.CharField(
        label="Hero title",
        required=False,
        max_length=120,
        help_text="The headline of your careers site. Left empty, it reads “Careers at” and your company name.",
    )
    hero_text = forms.CharField(
        label="Hero text",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences about working with you.",
    )
    logo = forms.FileField(
        label="Logo", required=False, help_text="PNG, JPG, WebP or GIF, up to 1 MB. Shown in the header."
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    favicon = forms.FileField(
        label="Favicon", required=False, help_text="ICO, PNG or similar, up to 256 KB. The browser-tab icon."
    )
    remove_favicon = forms.BooleanField(label="Remove the current favicon", required=False)
    custom_css_variables = forms.CharField(
        label="Design tokens",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "placeholder": "--radius: 12px"}),
        help_text="Optional, one per line as name: value. You can tune "
        + ", ".join(rules.TUNABLE_TOKENS)
        + ".",
    )
    show_powered_by = forms.BooleanField(label="Show “Powered by JobPilot” in the footer", required=False)

    def clean_custom_css_variables(self) -> dict[str, str]:
        tokens = {}
        for number, line in enumerate(self.cleaned_data["custom_css_variables"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            if not sep:
                raise forms.ValidationError(f"Line {number}: write it as name: value, e.g. --radius: 12px.")
            tokens[name.strip()] = value.strip().rstrip(";").strip()
        return tokens

    @staticmethod
    def initial_for(branding: Branding) -> dict:
        return {
            "primary_color": branding.primary_color,
            "primary_text_color": branding.primary_text_color,
            "accent_color": branding.accent_color,
            "font": branding.font,
            "hero_title": branding.hero_title,
            "hero_text": branding.hero_text,
            "custom_css_variables": "\n".join(
                f"{name}: {value}" for name, value in branding.custom_css_variables.items()
            ),
            "show_powered_by": branding.show_powered_by,
        }


class FooterLinkForm(forms.Form):
    label = forms.CharField(label="Label", max_length=40, required=False)
    url = forms.CharField(label="Address", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("label")) != bool(data.get("url")):
            raise forms.ValidationError("Give a link both a label and an address, or leave both empty.")
        return data


FooterLinkFormSet = forms.formset_factory(
    FooterLinkForm,
    extra=0,
    max_num=rules.MAX_FOOTER_LINKS,
    validate_max=True,
    absolute_max=rules.MAX_FOOTER_LINKS,
)


class ExternalApplicationForm(forms.Form):
    """An application sent outside JobPilot. The tracker's own schema validates it again before it is saved."""

    title = forms.CharField(label="Job title", max_length=200)
    company = forms.CharField(label="Company", max_length=200)
    location = forms.CharField(label="Location", max_length=200, required=False)
    job_url = forms.URLField(label="Link to the job", max_length=500, required=False, assume_scheme="https")
    status = forms.ChoiceField(label="Status", choices=PublicStatus.choices, initial=PublicStatus.APPLIED)
    applied_on = forms.DateField(
        label="Applied on", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SeekerProfileForm(forms.Form):
    headline = forms.CharField(label="Headline", max_length=200, required=False)
    location = forms.CharField(label="Location", max_length=200, required=False)
    phone = forms.CharField(label="Phone", max_length=32, required=False)
    experience_years = forms.IntegerField(
        label="Years of experience", min_value=0, max_value=70, required=False
    )
    bio = forms.CharField(
        label="About you", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=lambda: [("", "My browser's")] + time_zone_choices(),
        required=False,
        help_text="Interview times in emails and notifications are written in it.",
    )


class ResumeUploadForm(forms.Form):
    file = forms.FileField(label="Resume file", help_text="PDF or Word (.docx), at most 5 MB.")
    title = forms.CharField(label="Name it", max_length=200, required=False)


# --- the seeker's application page and account settings ------------------------------------------------------------


class ApplicationNotesForm(forms.Form):
    notes = forms.CharField(
        label="Your notes",
        required=False,
        max_length=MAX_NOTES,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only you see these, also on applications made through JobPilot.",
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, withdraw this application",
        error_messages={"required": "Tick the box to confirm: a withdrawal cannot be undone."},
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my tracker, profile and resumes are deleted for good",
        error_messages={"required": "Tick the box to confirm that you want your account deleted."},
    )


class NotificationPreferencesForm(forms.Form):
    """One in-app checkbox and one email choice per notification type (`<type>-in_app`, `<type>-email`), built
    from the registry the API reads too."""

    def __init__(self, *args, preferences: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.preferences = preferences
        for row in preferences:
            self.fields[f"{row['type']}-in_app"] = forms.BooleanField(
                label=f"{row['label']}: show in the app", required=False, initial=row["in_app"]
            )
            self.fields[f"{row['type']}-email"] = forms.ChoiceField(
                label=f"{row['label']}: email", choices=EmailDelivery.choices, initial=row["email"]
            )

    def rows(self) -> list[dict]:
        return [
            {
                **row,
                "in_app_field": self[f"{row['type']}-in_app"],
                "email_field": self[f"{row['type']}-email"],
            }
            for row in self.preferences
        ]

    def changes(self) -> list[dict]:
        """The types whose channels differ from what is in effect: the others keep following their default."""
        changed = []
        for row in self.preferences:
            in_app = self.cleaned_data[f"{row['type']}-in_app"]
            email = self.cleaned_data[f"{row['type']}-email"]
            if (in_app, email) != (row["in_app"], row["email"]):
                changed.append({"type": row["type"], "in_app": in_app, "email": email})
        return changed


class ApiKeyForm(forms.Form):
    """A new API key: a name, what it may do (among the scopes this kind of owner may grant) and how long it
    lives. The service checks the plan and the per-owner cap."""

    EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]

    name = forms.CharField(
        label="Name",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Nightly sync"}),
        error_messages={"required": "Give the key a name, e.g. the system that will use it."},
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the key may do."},
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires", choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, scope_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = scope_choices
        self.fields["scopes"].initial = [scope_choices[0][0]]

    def expires_at(self):
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=days) if days else None
