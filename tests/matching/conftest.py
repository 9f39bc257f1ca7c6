from tests.jobs.conftest import make_posting  # noqa: F401
