"""Tenant provisioning time: replaying the template schema's blueprint vs running every migration per tenant.

Runs in a throwaway database (test_<name of DATABASE_URL's database>, created and dropped here) and prints the
median and spread of several provisionings each way, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobpilot .venv/bin/python bench/provision.py [--rounds 7]
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings, setup_databases, teardown_databases

    from tenants.services import provision_tenant

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        owner = get_user_model().objects.create_user(email="bench@provision.example", password="x")
        from tenants.services import ensure_public_tenant

        ensure_public_tenant()

        def timed(slug: str) -> float:
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # migrate_schemas reports every migration
                provision_tenant(name=slug, slug=slug, owner=owner)
            return time.perf_counter() - started

        by_clone = [timed(f"clone-{i}") for i in range(rounds)]
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
            by_migrate = [timed(f"migrate-{i}") for i in range(rounds)]
    finally:
        teardown_databases(databases, verbosity=0)

    def line(label, samples):
        ms = sorted(s * 1000 for s in samples)
        return (
            f"{label:<28} median {statistics.median(ms):8.1f} ms   min {ms[0]:8.1f} ms   "
            f"max {ms[-1]:8.1f} ms   (n={len(ms)})"
        )

    print(f"Provisioning one tenant ({rounds} rounds each, same run)")
    print(line("replay of the template", by_clone))
    print(line("migrations per tenant", by_migrate))
    print(f"speed-up: {statistics.median(by_migrate) / statistics.median(by_clone):.1f}x")


if __name__ == "__main__":
    main()
