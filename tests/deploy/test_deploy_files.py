"""No Docker engine here: the deploy files are checked by reading them. They must name real commands, ports and
the environment variables the settings actually read."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "src" / "jobpilot" / "settings.py").read_text()
MODULES_WITH_ENV = [ROOT / "src" / "jobpilot" / "settings.py", *ROOT.glob("billing/*.py")]


def env_vars_read_by_settings() -> set[str]:
    names = set()
    for path in MODULES_WITH_ENV:
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_][A-Z0-9_]*)"', path.read_text()))
    return names


def test_every_env_var_the_deploy_files_set_is_read_by_the_app():
    read = env_vars_read_by_settings() | {
        "RUN_MIGRATIONS",
        "DB_WAIT_SECONDS",
        "PORT",
        "DJANGO_SETTINGS_MODULE",
        "PYTHONPATH",
        "PATH",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
    }
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
    render = yaml.safe_load((ROOT / "render.yaml").read_text())
    app_services = [compose["services"][name] for name in ("web", "worker", "beat")]
    set_by_compose = {key for service in app_services for key in service.get("environment", {})}
    set_by_render = {var["key"] for group in render["envVarGroups"] for var in group["envVars"]}
    set_by_render |= {var["key"] for s in render["services"] for var in s.get("envVars", []) if "key" in var}
    assert set_by_compose <= read, set_by_compose - read
    assert set_by_render <= read, set_by_render - read
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set_by_compose & set_by_render


def test_compose_runs_web_worker_and_beat_on_postgres_and_redis():
    services = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "edge"}
    assert services["edge"]["profiles"] == ["edge"]  # the TLS edge is opt-in
    assert services["web"]["command"][:1] == ["daphne"]
    assert "jobpilot.asgi:application" in services["web"]["command"]
    assert services["web"]["ports"] == ["8000:8000"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "jobpilot", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "jobpilot", "beat"]
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in services["web"]["environment"]["DATABASE_URL"]
    assert services["web"]["environment"]["REDIS_URL"].startswith("redis://redis:6379")


def test_render_blueprint_has_web_worker_beat_database_and_key_value():
    render = yaml.safe_load((ROOT / "render.yaml").read_text())
    by_name = {service["name"]: service for service in render["services"]}
    assert by_name["jobpilot-web"]["type"] == "web"
    assert by_name["jobpilot-web"]["healthCheckPath"] == "/health/ready/"
    assert "worker" in by_name["jobpilot-worker"]["dockerCommand"]
    assert " beat " in by_name["jobpilot-beat"]["dockerCommand"]
    assert by_name["jobpilot-redis"]["type"] == "keyvalue"
    assert render["databases"][0]["name"] == "jobpilot-db"
    for service in by_name.values():
        if service["type"] in ("web", "worker"):
            keys = {var.get("key") for var in service["envVars"]}
            assert {"DATABASE_URL", "REDIS_URL"} <= keys
            assert {"fromGroup": "jobpilot-shared"} in service["envVars"]


def test_dockerfile_is_multi_stage_non_root_and_serves_with_daphne():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2
    assert re.search(r"^USER jobpilot$", dockerfile, re.M)
    assert "collectstatic --noinput" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/health/" in dockerfile
    assert "uv sync --frozen" in dockerfile
    cmd = re.search(r"^CMD (.+)$", dockerfile, re.M).group(1)
    assert "daphne" in cmd and "jobpilot.asgi:application" in cmd
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.M)
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in dockerfile


def test_the_dockerfiles_collectstatic_succeeds_with_the_production_storage(tmp_path):
    """The manifest storage refuses a static file that references a missing one (a vendored script's source map,
    say): the image build would fail there."""
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "jobpilot.settings",
        "SECRET_KEY": "collectstatic-only",
        "DATABASE_URL": "postgres://build@localhost/build",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]  # the production storage ran
    referenced = {
        match
        for template in ROOT.glob("src/jobpilot/**/templates/**/*.html")
        for match in re.findall(r"""{% static ['"]([^'"]+)['"] %}""", template.read_text())
    }
    assert referenced and referenced <= manifest.keys()  # else the page answers 500 in production
    assert "ninja/swagger-ui-bundle.js" in manifest


def test_entrypoint_waits_for_the_database_migrates_and_execs():
    entrypoint = ROOT / "deploy" / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK)
    text = entrypoint.read_text()
    assert "migrate_schemas" in text and 'exec "$@"' in text
    assert subprocess.run(["sh", "-n", str(entrypoint)]).returncode == 0


@pytest.mark.parametrize("command", ["migrate_schemas", "seed_demo", "provision_tenant"])
def test_management_commands_named_by_deploy_files_exist(command):
    from django.core.management import get_commands

    assert command in get_commands()


def test_check_deploy_gives_no_warnings_with_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "jobpilot.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": ".jobpilot.example",
        "BASE_DOMAIN": "jobpilot.example",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_makefile_targets_the_readme_names():
    makefile = (ROOT / "Makefile").read_text()
    readme = (ROOT / "README.md").read_text()
    for target in ("run", "test"):
        assert re.search(rf"^{target}:", makefile, re.M)
        assert f"make {target}" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_tls_edge_asks_the_app_before_each_certificate_and_proxies_to_web():
    from tenants.tls import TLS_ASK_PATH

    services = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())["services"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    web_port = services["web"]["command"][services["web"]["command"].index("-p") + 1]

    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in services["edge"]["volumes"]
    assert f"ask http://web:{web_port}{TLS_ASK_PATH}" in caddyfile
    assert "on_demand" in caddyfile
    assert f"reverse_proxy web:{web_port}" in caddyfile
