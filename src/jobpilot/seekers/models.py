"""A job seeker's own data, in the public schema: the profile employers see when the seeker applies, and resumes."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

# A seeker's preferences speak the same vocabulary as the postings they are matched against.
from jobpilot.jobs.models import JobType, RemoteOption, SalaryPeriod


class EducationLevel(models.TextChoices):
    NONE = "none", "No formal education"
    SECONDARY = "secondary", "Secondary school"
    VOCATIONAL = "vocational", "Vocational training"
    ASSOCIATE = "associate", "Associate degree"
    BACHELOR = "bachelor", "Bachelor's degree"
    MASTER = "master", "Master's degree"
    DOCTORATE = "doctorate", "Doctorate"


class ProfileVisibility(models.TextChoices):
    # Employers the seeker applied to always see the snapshot sent with the application; this controls the rest.
    PRIVATE = "private", "Only me"
    EMPLOYERS_APPLIED = "employers_applied", "Employers I applied to"
    ALL_EMPLOYERS = "all_employers", "All employers on JobPilot"


class SeekerProfile(models.Model):
    """One per user, created on first write (users who signed up on the web have none until then)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="seeker_profile"
    )
    headline = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # [{"label": str, "url": str}], validated by the API schema
    links = models.JSONField(default=list, blank=True)

    desired_job_types = ArrayField(
        models.CharField(max_length=16, choices=JobType.choices), default=list, blank=True
    )
    desired_locations = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    work_arrangements = ArrayField(
        models.CharField(max_length=16, choices=RemoteOption.choices), default=list, blank=True
    )
    salary_expectation = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    salary_period = models.CharField(max_length=8, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR)
    experience_years = models.PositiveSmallIntegerField(null=True, blank=True)
    education_level = models.CharField(max_length=16, choices=EducationLevel.choices, blank=True)

    notify_application_updates = models.BooleanField(default=True)
    notify_interview_reminders = models.BooleanField(default=True)
    notify_job_recommendations = models.BooleanField(default=True)
    notify_product_news = models.BooleanField(default=False)
    profile_visibility = models.CharField(
        max_length=24, choices=ProfileVisibility.choices, default=ProfileVisibility.EMPLOYERS_APPLIED
    )
    share_contact_details = models.BooleanField(default=True)  # phone and links in what employers see

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user_id}"


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    EXPERT = "expert", "Expert"


class SeekerSkill(models.Model):
    profile = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=80)
    level = models.CharField(max_length=16, choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint("profile", Lower("name"), name="seeker_skill_unique_name")]

    def __str__(self):
        return f"{self.name} ({self.level})"


def resume_upload_to(instance, filename: str) -> str:
    # A random name: the path says nothing about the person, and a guessed path finds nothing.
    return f"resumes/{uuid.uuid4().hex}.{instance.kind}"


class Resume(models.Model):
    """An uploaded CV. Employers reach it only through an application the seeker sent them (see selectors)."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"

    class TextStatus(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=resume_upload_to, max_length=255)
    original_filename = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_default = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    text_status = models.CharField(max_length=8, choices=TextStatus.choices, default=TextStatus.PENDING)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the seeker deletes a resume that employers received: it leaves the seeker's list, and the employers
    # it was sent to keep their copy until the seeker deletes the account.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="resume_owner_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="resume_one_default_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(is_default=False),
                name="resume_deleted_is_not_default",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def content_type(self) -> str:
        return RESUME_CONTENT_TYPES[self.kind]


RESUME_CONTENT_TYPES = {
    Resume.Kind.PDF: "application/pdf",
    Resume.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ResumeParse(models.Model):
    """What the parser read from one resume (fields with confidence and source), kept for review and apply."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="parses")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resume_parses")
    quality = models.CharField(max_length=24)
    result = models.JSONField()
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"parse of {self.resume_id} ({self.quality})"
