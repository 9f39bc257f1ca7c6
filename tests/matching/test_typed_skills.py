"""Skills typed into a posting or a seeker profile are stored as the taxonomy's canonical labels."""

import pytest
from pydantic import ValidationError

from jobpilot.jobs.schemas import JobPostingIn
from jobpilot.seekers.schemas import SkillSchema


def test_posting_skills_are_normalized_and_deduplicated():
    posting = JobPostingIn(title="Backend engineer", skills=["js", "JavaScript", "k8s", "Underwater welding rigs"])
    assert posting.skills == ["JavaScript", "Kubernetes", "Underwater welding rigs"]


def test_seeker_skill_names_are_normalized():
    assert SkillSchema(name=" reactjs ").name == "React"
    assert SkillSchema(name="RN").name == "Registered Nurse"
    with pytest.raises(ValidationError):
        SkillSchema(name="   ")
