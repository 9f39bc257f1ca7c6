"""What a resume file is decided by its bytes and by whether it opens, never by its name."""

import pytest

from jobpilot.core.errors import Invalid
from jobpilot.seekers import documents
from tests.seekers.files import (
    OLD_WORD_DOC,
    WINDOWS_EXE,
    docx_bomb_bytes,
    docx_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    zip_bytes,
)


def test_a_pdf_is_recognised_and_its_text_extracted():
    content = pdf_bytes("Grace Hopper", "Rear Admiral (COBOL)")

    assert documents.validate_resume_bytes(content) == "pdf"
    assert documents.extract_resume_text(content, "pdf") == "Grace Hopper\nRear Admiral (COBOL)"


def test_a_docx_is_recognised_and_its_paragraphs_and_tables_extracted():
    from io import BytesIO

    from docx import Document

    document = Document()
    document.add_paragraph("Linus Torvalds")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Skill"
    table.rows[0].cells[1].text = "C"
    buffer = BytesIO()
    document.save(buffer)

    assert documents.validate_resume_bytes(buffer.getvalue()) == "docx"
    assert documents.extract_resume_text(buffer.getvalue(), "docx") == "Linus Torvalds\nSkill | C"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"Just some text pretending to be a resume", "unsupported_file_type"),
        (WINDOWS_EXE, "unsupported_file_type"),
        (OLD_WORD_DOC, "unsupported_file_type"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported_file_type"),
        (zip_bytes({"notes.txt": b"hello"}), "unsupported_file_type"),
        (zip_bytes({"word/styles.xml": b"<styles/>"}), "unsupported_file_type"),
        (zip_bytes({"word/document.xml": b"not xml at all"}), "unreadable_file"),
        (pdf_bytes("Cut short")[:120], "unreadable_file"),
        (b"%PDF-1.7\n" + b"garbage" * 50, "unreadable_file"),
        (docx_bomb_bytes(), "file_too_large"),
        (b"%PDF-1.4\n" + b"0" * (documents.MAX_RESUME_BYTES + 1), "file_too_large"),
    ],
)
def test_files_that_are_not_usable_resumes_are_refused_with_a_code(content, code):
    with pytest.raises(Invalid) as refused:
        documents.validate_resume_bytes(content)

    assert refused.value.code == code
    assert refused.value.status == 422


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(Invalid) as refused:
        documents.validate_resume_bytes(encrypted_pdf_bytes())

    assert refused.value.code == "encrypted_file"


def test_extracted_text_is_capped(monkeypatch):
    monkeypatch.setattr(documents, "MAX_TEXT_CHARS", 10)

    assert documents.extract_resume_text(docx_bytes("A very long resume indeed"), "docx") == "A very lon"


def test_the_docx_in_a_pdf_name_is_still_a_docx():
    # Names are irrelevant here: only bytes reach this function.
    assert documents.validate_resume_bytes(docx_bytes("Hello")) == "docx"
