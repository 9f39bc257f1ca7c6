"""The tracker as CSV: one format for export and import, so an export imports back unchanged.

Cells that a spreadsheet would run as a formula (starting with = + - @ tab CR, or an apostrophe) are written with
a leading apostrophe, which the import removes again.
"""

import csv
import io
import json
import uuid

from pydantic import ValidationError

from jobpilot.tracker.models import PublicStatus
from jobpilot.tracker.schemas import ExternalApplicationIn

COLUMNS = [
    "id",
    "source",
    "company",
    "title",
    "job_url",
    "location",
    "status",
    "applied_on",
    "deadline",
    "salary_min",
    "salary_max",
    "salary_currency",
    "notes",
    "contacts",
]
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_STATUS_BY_NAME = {
    **{status.value: status for status in PublicStatus},
    **{status.label.lower(): status for status in PublicStatus},
}


def _cell_out(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cell_in(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def write_tracker_csv(applications) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for application in applications:
        writer.writerow(
            _cell_out(value)
            for value in (
                application.id,
                application.source,
                application.company,
                application.title,
                application.job_url,
                application.location,
                application.status,
                application.applied_on.isoformat(),
                application.deadline.isoformat() if application.deadline else "",
                application.salary_min,
                application.salary_max,
                application.salary_currency,
                application.notes,
                json.dumps(application.contacts, ensure_ascii=False) if application.contacts else "",
            )
        )
    return buffer.getvalue()


def _error(row: int, field: str | None, message: str) -> dict:
    return {"row": row, "field": field, "message": message}


def parse_tracker_csv(content: bytes) -> tuple[list[tuple[uuid.UUID | None, dict]], list[dict]]:
    """([(id or None, validated fields), ...], [{"row", "field", "message"}, ...]). `row` is the line number."""
    if len(content) > MAX_IMPORT_BYTES:
        return [], [_error(0, "file", f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_error(0, "file", "The file must be UTF-8 encoded CSV.")]
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(name or "").strip().lower().replace(" ", "_") for name in (reader.fieldnames or [])]
    except csv.Error as error:
        return [], [_error(1, "file", f"This is not a readable CSV file ({error}).")]
    missing = [name for name in ("company", "title") if name not in header]
    if missing:
        return [], [_error(1, "header", f"The header row must name the columns {', '.join(missing)}.")]
    reader.fieldnames = header

    rows, errors, count = [], [], 0
    try:
        for record in reader:
            line = reader.line_num
            values = {
                key: _cell_in(value.strip())
                for key, value in record.items()
                if key in COLUMNS and isinstance(value, str) and value.strip()
            }
            if not values:
                continue  # blank line
            count += 1
            if count > MAX_IMPORT_ROWS:
                return [], [_error(line, "file", f"A file can hold at most {MAX_IMPORT_ROWS} applications.")]
            parsed = _parse_row(line, values, errors)
            if parsed is not None:
                rows.append(parsed)
    except csv.Error as error:
        errors.append(_error(reader.line_num, "file", f"The CSV is malformed here ({error})."))
    return rows, errors


def _parse_row(line: int, values: dict, errors: list) -> tuple[uuid.UUID | None, dict] | None:
    row_errors = []
    row_id = None
    if "id" in values:
        try:
            row_id = uuid.UUID(values["id"])
        except ValueError:
            row_errors.append(_error(line, "id", "must be an id from a JobPilot export, or empty"))
    if "status" in values:
        status = _STATUS_BY_NAME.get(values["status"].lower())
        if status is None:
            row_errors.append(
                _error(line, "status", f"must be one of: {', '.join(s.label for s in PublicStatus)}")
            )
        else:
            values["status"] = status.value
    if "contacts" in values:
        try:
            values["contacts"] = json.loads(values["contacts"])
        except ValueError:
            row_errors.append(_error(line, "contacts", "must be a JSON list, as in an export"))
    # `source` and `id` describe the exported row; an import always creates external applications.
    fields = {key: value for key, value in values.items() if key not in {"id", "source"}}
    try:
        data = ExternalApplicationIn.model_validate(fields)
    except ValidationError as error:
        for issue in error.errors():
            field = ".".join(str(part) for part in issue["loc"]) or None
            if not any(existing["field"] == field for existing in row_errors):
                row_errors.append(_error(line, field, issue["msg"]))
    if row_errors:
        errors.extend(row_errors)
        return None
    return row_id, data.model_fields_for_create()
