import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository


def load_settings(show="s.DEBUG, s.DATABASES['default']['ENGINE']", **env):
    """Import the settings in a fresh interpreter with only `env` set and
    print `show` (the settings are `s`)."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"from django.conf import settings as s; print({show})",
        ],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key_on_the_given_database(tmp_path):
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_debug_runs_without_configuration(tmp_path):
    result = load_settings(DJANGO_DEBUG="1", NEWSROOM_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite3").parent.exists()


def test_postgres_url_selects_postgresql():
    result = load_settings(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/newsroom"
    )
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


HTTPS = "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS"


def production(tmp_path, **env) -> dict:
    """Only what production must set: a long random key, the hosts and the
    database."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "news.cupure.example",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}"
        ),
    } | env


def test_production_redirects_to_https_and_sends_hsts_for_a_year_by_default(tmp_path):
    result = load_settings(HTTPS, **production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True"]


def test_a_proxy_that_does_https_itself_turns_redirect_and_hsts_off(tmp_path):
    result = load_settings(
        HTTPS,
        **production(
            tmp_path, DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0"
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "False"]


def test_development_serves_plain_http(tmp_path):
    result = load_settings(HTTPS, DJANGO_DEBUG="1", NEWSROOM_VAR_DIR=str(tmp_path))
    assert result.stdout.split() == ["False", "0", "False"]


def test_deploy_check_is_clean_with_only_the_required_variables(tmp_path):
    environment = {"PATH": os.environ["PATH"]} | production(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output, output
