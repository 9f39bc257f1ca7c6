"""Settings for the test suite: the product's settings, with what a test run needs set when the environment
does not say otherwise (the suite runs with DEBUG off, like production)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-suite-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("BASE_DOMAIN", "localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "none")
# The webhook tests' receivers listen on loopback, which production never allows (no SSRF).
os.environ.setdefault("WEBHOOKS_ALLOWED_PRIVATE_NETWORKS", "127.0.0.0/8")
os.environ.setdefault("WEBHOOKS_ALLOW_HTTP", "1")
# The inbox tests' IMAP server speaks plain IMAP on loopback.
os.environ.setdefault("INBOX_IMAP_ALLOW_PLAIN", "1")
if not os.environ.get("REDIS_URL"):
    # Tests always run against a real Redis: CI's, or one started here.
    from tests.embedded_redis import start_embedded_redis

    os.environ["REDIS_URL"] = start_embedded_redis()

from jobpilot.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # hashing speed is not under test
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in-process in tests, also when REDIS_URL is set; tests that need a real worker start one.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests: serve from the finders
WHITENOISE_USE_FINDERS = True
# One search index per test process, so parallel runs never share (or clobber) one.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="jobpilot-search-"))  # noqa: F405
# Off in the test process (the tests that test it start one); on in the servers the browser tests start.
SEARCH_FOLLOW = os.environ.get("SEARCH_FOLLOW") == "1"
