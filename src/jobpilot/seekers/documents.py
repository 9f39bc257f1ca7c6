"""Resume files: what a file really is (its bytes, not its name), whether it opens, and its text.

An upload is accepted only when its magic bytes say PDF or DOCX *and* the matching parser opens it, so a renamed
executable, a broken file or a zip bomb is refused with a clear 4xx before anything is stored.
"""

import io
import zipfile

import filetype
from docx import Document
from pypdf import PdfReader

from jobpilot.core.errors import Invalid

MAX_RESUME_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
MAX_PDF_PAGES = 50
# A .docx is a zip: refuse archives that would inflate far beyond any real resume before python-docx reads them.
MAX_DOCX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_DOCX_ENTRIES = 1000

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SNIFF_BYTES = 8192


def _bad_file(detail: str, code: str = "invalid_file") -> Invalid:
    return Invalid(detail, code=code, field="file")


def sniff_resume_kind(head: bytes) -> str:
    """'pdf' or 'docx' from the first bytes of a file; anything else is refused."""
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == PDF_MIME:
        return "pdf"
    if mime == DOCX_MIME:
        return "docx"
    if mime in {"application/msword", "application/x-ole-storage"} or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _bad_file(
            "Old .doc files are not supported. Save the resume as PDF or .docx.", "unsupported_file_type"
        )
    raise _bad_file("The file is not a PDF or a Word (.docx) document.", "unsupported_file_type")


def validate_resume_bytes(content: bytes) -> str:
    """Check size, type and that the document opens. Returns the kind ('pdf' or 'docx')."""
    if not content:
        raise _bad_file("The file is empty.", "empty_file")
    if len(content) > MAX_RESUME_BYTES:
        raise _bad_file(f"The file is larger than {MAX_RESUME_BYTES // (1024 * 1024)} MB.", "file_too_large")
    kind = sniff_resume_kind(content[:SNIFF_BYTES])
    if kind == "pdf":
        _open_pdf(content)
    else:
        _open_docx(content)
    return kind


def _open_pdf(content: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _bad_file("The PDF is password-protected.", "encrypted_file")
        pages = len(reader.pages)
    except Invalid:
        raise
    except Exception as error:  # noqa: BLE001 - whatever the parser trips on, the file is not a usable PDF
        raise _bad_file("The PDF is damaged or cannot be read.", "unreadable_file") from error
    if pages == 0:
        raise _bad_file("The PDF has no pages.", "unreadable_file")
    if pages > MAX_PDF_PAGES:
        raise _bad_file(f"A resume can have at most {MAX_PDF_PAGES} pages.", "too_many_pages")
    return reader


def _open_docx(content: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as error:
        raise _bad_file("The Word document is damaged or cannot be read.", "unreadable_file") from error
    if len(entries) > MAX_DOCX_ENTRIES or sum(e.file_size for e in entries) > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise _bad_file("The Word document is too large once unpacked.", "file_too_large")
    if "word/document.xml" not in names:
        raise _bad_file("The file is not a Word (.docx) document.", "unsupported_file_type")
    try:
        return Document(io.BytesIO(content))
    except Exception as error:  # noqa: BLE001 - whatever the parser trips on, the file is not a usable document
        raise _bad_file("The Word document is damaged or cannot be read.", "unreadable_file") from error


def extract_resume_text(content: bytes, kind: str) -> str:
    """Plain text of a validated resume, capped at MAX_TEXT_CHARS. Raises on a file that does not parse."""
    if kind == "pdf":
        reader = _open_pdf(content)
        parts = [page.extract_text() or "" for page in reader.pages]
    else:
        document = _open_docx(content)
        parts = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" | ".join(cell.text for cell in row.cells))
    text = "\n".join(part.strip() for part in parts if part and part.strip())
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]  # PostgreSQL text cannot hold NUL


def pdf_has_images(content: bytes) -> bool:
    """Whether any page of a validated PDF draws an image (a scan has images and no text layer)."""
    reader = _open_pdf(content)
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        if any(xobject.get_object().get("/Subtype") == "/Image" for xobject in xobjects.values()):
            return True
    return False
