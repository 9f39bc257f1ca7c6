from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401
