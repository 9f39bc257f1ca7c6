"""Google for Jobs' required and recommended `JobPosting` properties
(https://developers.google.com/search/docs/appearance/structured-data/job-posting#structured-data-type-definitions),
checked on the JSON-LD we publish. Publishing refuses a job that lacks a required one; the console's health panel
shows what each listed job lacks of the recommended ones."""

from dataclasses import dataclass, field

REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")
RECOMMENDED = ("validThrough", "baseSalary", "employmentType", "identifier", "directApply")
REMOTE_RECOMMENDED = ("jobLocationType", "applicantLocationRequirements")


@dataclass(frozen=True)
class Check:
    missing_required: list[str] = field(default_factory=list)
    missing_recommended: list[str] = field(default_factory=list)
    covered: int = 0  # required and recommended properties present
    expected: int = 0

    @property
    def eligible(self) -> bool:
        return not self.missing_required


def _present(value) -> bool:
    return value not in (None, "", [], {})


def google_jobs_check(data: dict) -> Check:
    remote = data.get("jobLocationType") == "TELECOMMUTE" or bool(data.get("applicantLocationRequirements"))
    required = [name for name in REQUIRED if not (name == "jobLocation" and remote)]
    if remote:
        # A fully remote job may leave out jobLocation but then must say where applicants may live.
        required.append("applicantLocationRequirements")
    recommended = list(RECOMMENDED)
    if remote:
        recommended += [name for name in REMOTE_RECOMMENDED if name not in required]
    organization = data.get("hiringOrganization") or {}
    missing_required = [
        name
        for name in required
        if not _present(data.get(name)) or (name == "hiringOrganization" and not organization.get("name"))
    ]
    missing_recommended = [name for name in recommended if not _present(data.get(name))]
    expected = len(required) + len(recommended)
    return Check(
        missing_required=missing_required,
        missing_recommended=missing_recommended,
        covered=expected - len(missing_required) - len(missing_recommended),
        expected=expected,
    )
