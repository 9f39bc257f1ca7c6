"""Fixtures for the audit log tests: staff members and postings made through the services."""

from tests.jobs.conftest import make_posting, member  # noqa: F401
