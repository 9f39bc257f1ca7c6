"""CSV bulk import: all rows become drafts, or none do and every problem is reported by row and field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from jobpilot.jobs.models import JobPosting
from tenants.models import Membership

pytestmark = pytest.mark.django_db
URL = "/api/v1/employer/jobs/import/"


def upload(client, text: str, name="jobs.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")})


def count_titles(tenant, prefix: str) -> int:
    with tenant_context(tenant):
        return JobPosting.objects.filter(title__startswith=prefix).count()


def test_a_valid_file_creates_one_draft_per_row(tenant_a, staff_client):
    text = (
        "title,description,job_type,city,country,remote,salary_min,salary_max,skills,tags\n"
        'Imported Welder,"<p>Weld <b>things</b><script>x</script></p>",contract,Leeds,gb,onsite,30000,40000,'
        '"Welding; Safety",urgent\n'
        "Imported Painter,<p>Paint.</p>,,,,remote,,,,\n"
    )
    response = upload(staff_client(tenant_a, Membership.Role.RECRUITER), text)
    assert response.status_code == 201
    body = response.json()
    assert body["created"] == 2
    welder = body["jobs"][0]
    assert (welder["status"], welder["job_type"], welder["country"]) == ("draft", "contract", "GB")
    assert welder["skills"] == ["Welding", "Safety"]
    assert welder["description"] == "<p>Weld <b>things</b></p>"
    assert body["jobs"][1]["job_type"] == "full_time"


def test_invalid_rows_are_reported_by_line_and_field_and_nothing_is_created(tenant_a, staff_client):
    text = (
        "title,job_type,salary_min,salary_max,country,apply_url\n"
        "Rowtest Fine,full_time,,,DE,\n"
        "Rowtest Bad Type,forever,,,DE,\n"
        "x,part_time,10,5,Germany,ftp://nope\n"
    )
    response = upload(staff_client(tenant_a), text)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    problems = {(error["row"], error["field"]) for error in body["errors"]}
    assert problems == {(3, "job_type"), (4, "title"), (4, "country"), (4, "apply_url")}
    assert count_titles(tenant_a, "Rowtest") == 0


def test_an_upside_down_salary_is_reported_on_its_row(tenant_a, staff_client):
    response = upload(staff_client(tenant_a), "title,salary_min,salary_max\nRowsalary Job,90,10\n")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"row": 2, "field": "salary_max", "message": "The minimum salary is above the maximum."}
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "missing_header"),
        ("description\n<p>no title column</p>\n", "missing_header"),
        ("title,colour\nJob,red\n", "unknown_columns"),
        ("title\n", "empty_file"),
        ("title\nJob,extra,values\n", "malformed_csv"),
    ],
)
def test_a_file_that_is_not_a_job_table_is_refused(tenant_a, staff_client, text, code):
    response = upload(staff_client(tenant_a), text)
    assert response.status_code == 422
    assert response.json()["code"] == code


def test_a_file_that_is_not_utf8_or_too_large_or_too_long_is_refused(tenant_a, staff_client, settings):
    client = staff_client(tenant_a)
    raw = client.post(URL, {"file": SimpleUploadedFile("j.csv", "title\nCaf\xe9\n".encode("latin-1"))})
    assert raw.json()["code"] == "invalid_encoding"
    settings.JOB_IMPORT_MAX_ROWS = 2
    assert upload(client, "title\nRow one\nRow two\nRow three\n").json()["code"] == "too_many_rows"
    settings.JOB_IMPORT_MAX_BYTES = 10
    assert upload(client, "title\nA long enough title\n").json()["code"] == "file_too_large"


def test_a_viewer_cannot_import_and_another_employers_owner_gets_404(
    tenant_a, tenant_b, staff_client, member, signed_in
):
    assert upload(staff_client(tenant_a, Membership.Role.VIEWER), "title\nViewer Job\n").status_code == 403
    outsider = signed_in(member(tenant_b, Membership.Role.OWNER), tenant_a)
    assert upload(outsider, "title\nOutsider Job\n").status_code == 404
    assert count_titles(tenant_a, "Viewer") == count_titles(tenant_a, "Outsider") == 0


def test_the_import_needs_a_file(tenant_a, staff_client):
    assert staff_client(tenant_a).post(URL, {}).status_code == 422
