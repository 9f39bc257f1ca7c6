from tests.applications.conftest import applied, apply_to, job  # noqa: F401
from tests.jobs.conftest import make_posting, member, signed_in, staff_client  # noqa: F401
