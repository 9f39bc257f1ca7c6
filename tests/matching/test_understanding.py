"""Job understanding: required vs nice-to-have skills, seniority, and an extractive summary."""

from jobpilot.matching.understanding import seniority, understand_job

DESCRIPTION = """You will build and maintain our payment services in Python.
5+ years of experience with PostgreSQL and Kubernetes is required.
Experience with Rust is a plus.
We offer health insurance, a pension and 30 days of paid time off.
Salary: $140,000 - $170,000 per year."""


def test_required_and_nice_to_have_skills():
    job = understand_job(title="Senior Backend Engineer", description=DESCRIPTION, listed_skills=["js"])
    required = [s.label for s in job.required_skills]
    assert required == ["JavaScript", "Python", "PostgreSQL", "Kubernetes"]
    assert [s.label for s in job.nice_to_have_skills] == ["Rust"]


def test_summary_is_extractive_and_bucketed():
    summary = understand_job(title="Engineer", description=DESCRIPTION).summary
    assert summary["responsibilities"] == ["You will build and maintain our payment services in Python."]
    assert summary["requirements"][0].startswith("5+ years")
    assert summary["benefits"] == ["We offer health insurance, a pension and 30 days of paid time off."]
    assert summary["pay"] == ["Salary: $140,000 - $170,000 per year."]
    every = [s for bucket in summary.values() for s in bucket]
    assert all(s in DESCRIPTION for s in every)
    assert understand_job(title="", description="").summary == {
        "responsibilities": [], "requirements": [], "benefits": [], "pay": []}


def test_seniority_from_title_then_years():
    assert seniority("Senior Registered Nurse") == "senior"
    assert seniority("Head of Sales") == "executive"
    assert seniority("Software Engineering Intern") == "intern"
    assert seniority("Accountant", "At least 2 years in audit") == "mid"
    assert seniority("Accountant") == "mid"
