import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env):
    """Import the settings in a fresh interpreter with only `env` set."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
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
