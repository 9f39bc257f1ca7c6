"""GET /api/v1/applications/export/ and POST /api/v1/applications/import/: one CSV format both ways."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobpilot.tracker import csv_io
from jobpilot.tracker.models import TrackedApplication, TrackedApplicationEvent
from tests.seeker_factories import apply_through_jobpilot, track_external

pytestmark = pytest.mark.django_db

COMPARED = [column for column in csv_io.COLUMNS if column not in {"id", "source"}]


def export(client) -> str:
    response = client.get("/api/v1/applications/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="jobpilot-applications-')
    return response.content.decode()


def import_csv(client, content: str | bytes, name="applications.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/api/v1/applications/import/", {"file": SimpleUploadedFile(name, data)})


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_an_export_imports_into_another_account_unchanged(api_client_for, seeker, make_user, tenant_a):
    track_external(
        seeker,
        company='Hooli, "Inc."',
        title="Engineer",
        job_url="https://hooli.example/42",
        location="Palo Alto",
        status="interviewing",
        applied_on=datetime.date(2025, 2, 3),
        deadline=datetime.date(2025, 3, 1),
        salary_min=100,
        salary_max=200,
        salary_currency="USD",
        notes="Line one\nLine two, with comma",
        contacts=[{"name": "Denpok", "email": "d@hooli.example", "phone": "+1 555", "role": "Recruiter"}],
    )
    track_external(
        seeker, company="=cmd|' /C calc'!A0", title="-1+1", notes="@SUM(A1)", status="not_selected"
    )
    apply_through_jobpilot(seeker, tenant_a, title="Robot Wrangler")
    exported = export(api_client_for(seeker))
    newcomer = make_user()

    response = import_csv(api_client_for(newcomer), exported)

    assert response.status_code == 200
    assert response.json() == {"created": 3, "skipped": 0}
    reexported = export(api_client_for(newcomer))
    before = sorted([{c: r[c] for c in COMPARED} for r in rows(exported)], key=lambda r: r["company"])
    after = sorted([{c: r[c] for c in COMPARED} for r in rows(reexported)], key=lambda r: r["company"])
    assert after == before


def test_an_application_made_through_jobpilot_exports_with_the_jobs_address_and_imports_back(
    api_client_for, seeker, make_user, tenant_a, apply_for_real, settings
):
    tracked = apply_for_real(seeker, tenant_a, title="Robot Wrangler")
    exported = export(api_client_for(seeker))

    response = import_csv(api_client_for(make_user()), exported)

    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "skipped": 0}
    [row] = rows(exported)
    assert row["job_url"] == f"{settings.SITE_URL}/jobs/{tracked.job_public_id}/"


def test_imported_rows_are_external_even_when_the_export_says_jobpilot(
    api_client_for, seeker, make_user, tenant_a
):
    apply_through_jobpilot(seeker, tenant_a)
    newcomer = make_user()

    import_csv(api_client_for(newcomer), export(api_client_for(seeker)))

    imported = TrackedApplication.objects.get(seeker=newcomer)
    assert (imported.source, imported.tenant_id, imported.tenant_application_id, imported.resume_id) == (
        "external",
        None,
        None,
        None,
    )
    assert TrackedApplicationEvent.objects.get(application=imported).actor == "import"


def test_re_importing_my_own_export_changes_nothing(api_client_for, seeker):
    track_external(seeker)
    track_external(seeker, company="Second")
    client = api_client_for(seeker)

    response = import_csv(client, export(client))

    assert response.json() == {"created": 0, "skipped": 2}
    assert TrackedApplication.objects.filter(seeker=seeker).count() == 2


def test_spreadsheet_formulas_are_neutralised_in_the_export(api_client_for, seeker):
    track_external(seeker, company='=HYPERLINK("http://evil")', title="+SUM(1)")

    (row,) = rows(export(api_client_for(seeker)))

    assert row["company"] == '\'=HYPERLINK("http://evil")'
    assert row["title"] == "'+SUM(1)"


def test_a_hand_written_file_with_labels_and_loose_headers_imports(api_client_for, seeker):
    content = (
        "\ufeffCompany,Title,Status,Applied On,Salary Min,Notes\n"
        "Pied Piper,CEO,In review,2025-01-15,90000,Middle-out\n"
        "Raviga,Partner,,,,\n"
        ",,,,,\n"
    )

    response = import_csv(api_client_for(seeker), content)

    assert response.json() == {"created": 2, "skipped": 0}
    piper = TrackedApplication.objects.get(seeker=seeker, company="Pied Piper")
    assert (piper.status, piper.applied_on, piper.salary_min, piper.responded) == (
        "in_review",
        datetime.date(2025, 1, 15),
        90000,
        True,
    )


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_error(api_client_for, seeker):
    content = (
        "company,title,status,applied_on,salary_min,salary_max,job_url,contacts,id\n"
        "Good Co,Engineer,applied,2025-01-01,,,,,\n"
        "Bad Status,Engineer,ghosted,2025-01-01,,,,,\n"
        ",Missing company,applied,2025-01-01,,,,,\n"
        "Bad Date,Engineer,applied,01/02/2025,,,,,\n"
        "Bad Salary,Engineer,applied,2025-01-01,300,100,,,\n"
        "Bad URL,Engineer,applied,2025-01-01,,,not a url,,\n"
        "Bad Contacts,Engineer,applied,2025-01-01,,,,{oops,\n"
        "Bad Id,Engineer,applied,2025-01-01,,,,,12345\n"
    )

    response = import_csv(api_client_for(seeker), content)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert {(error["row"], error["field"]) for error in body["errors"]} == {
        (3, "status"),
        (4, "company"),
        (5, "applied_on"),
        (6, None),
        (7, "job_url"),
        (8, "contacts"),
        (9, "id"),
    }
    assert not TrackedApplication.objects.filter(seeker=seeker).exists()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"", "header"),
        (b"name,role\nA,B\n", "header"),
        ("company,title\nCaf\u00e9,Barista\n".encode("latin-1"), "file"),
    ],
)
def test_unusable_files_are_422(api_client_for, seeker, content, field):
    response = import_csv(api_client_for(seeker), content)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_a_file_over_the_row_limit_is_refused(api_client_for, seeker, monkeypatch):
    monkeypatch.setattr(csv_io, "MAX_IMPORT_ROWS", 3)
    content = "company,title\n" + "".join(f"Co {n},Dev\n" for n in range(4))

    response = import_csv(api_client_for(seeker), content)

    assert response.status_code == 422
    assert "at most 3" in response.json()["errors"][0]["message"]


def test_a_file_over_2_mb_is_refused(api_client_for, seeker):
    content = "company,title,notes\n" + "Co,Dev," + "x" * (2 * 1024 * 1024) + "\n"

    response = import_csv(api_client_for(seeker), content)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_the_export_holds_only_my_applications(api_client_for, seeker, make_user):
    track_external(make_user(), company="Someone else's")
    track_external(seeker, company="Mine")

    assert [row["company"] for row in rows(export(api_client_for(seeker)))] == ["Mine"]


def test_import_and_export_need_authentication(public_client):
    assert public_client.get("/api/v1/applications/export/").status_code == 401
    assert import_csv(public_client, "company,title\nA,B\n").status_code == 401


def test_an_import_without_a_file_is_422(api_client_for, seeker):
    assert api_client_for(seeker).post("/api/v1/applications/import/", {}).status_code == 422
