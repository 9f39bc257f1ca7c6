"""The taxonomy normalizes synonyms and finds skills in free text without confusing neighbours (C / C++ / C#)."""

import pytest

from jobpilot.matching.taxonomy import all_skills, extract_skills, normalize_label, normalize_skill


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("js", "JavaScript"),
        ("k8s", "Kubernetes"),
        ("RN", "Registered Nurse"),
        ("  reactjs ", "React"),
        ("Golang", "Go"),
        ("c++", "C++"),
        ("C#", "C#"),
        ("dotnet", ".NET"),
        ("node js", "Node.js"),
        ("Full stack development", "Full-Stack Development"),
        ("CPA", "Certified Public Accountant"),
        ("forklift", "Forklift Operation"),
        ("figma", "Figma"),
    ],
)
def test_synonyms_normalize_to_the_canonical_label(typed, label):
    assert normalize_skill(typed).label == label


def test_unknown_or_empty_is_none_and_kept_as_typed():
    assert normalize_skill("") is None
    assert normalize_skill("underwater basket weaving") is None
    assert normalize_label("  underwater   basket weaving ") == "underwater basket weaving"
    assert normalize_label("postgres") == "PostgreSQL"


def test_taxonomy_covers_several_occupations():
    skills = all_skills()
    assert len(skills) >= 500
    assert {s.category for s in skills} >= {"tech", "healthcare", "sales_marketing", "business", "trades", "design"}
    assert len({s.id for s in skills}) == len(skills)


def labels(text):
    return [h.skill.label for h in extract_skills(text)]


def test_c_plus_plus_is_not_c_and_csharp_is_not_c():
    assert labels("Modern C++ and C# experience") == ["C++", "C#"]
    assert labels("Embedded C and C++") == ["C", "C++"]


def test_dotted_names_and_longest_match():
    assert labels("Node.js services on .NET and ASP.NET") == ["Node.js", ".NET", "ASP.NET"]
    assert labels("React Native apps, plus React on the web") == ["React Native", "React"]
    assert labels("Apache Kafka and Kubernetes (k8s)") == ["Apache Kafka", "Kubernetes", "Kubernetes"]


def test_short_terms_are_case_sensitive_in_prose():
    assert labels("we go to the office") == []
    assert labels("Services in Go, pages in JS") == ["Go", "JavaScript"]
    assert labels("RN with BLS and ACLS") == ["Registered Nurse", "Basic Life Support", "Advanced Cardiac Life Support"]


def test_hits_carry_offsets_and_confidence():
    text = "Strong Python and k8s"
    hits = extract_skills(text)
    assert [text[h.start:h.end] for h in hits] == ["Python", "k8s"]
    assert hits[0].confidence == 1.0 and 0 < hits[1].confidence < 1.0
    assert extract_skills("") == []
