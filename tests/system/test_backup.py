"""scripts/backup-restore-check, run against the test database: a dump
restores into a fresh database that serves the same newest story."""

import os
import secrets
import subprocess
from urllib.parse import quote

import pytest
from django.db import connection

from tests.factories import ArticleFactory
from tests.servers import ROOT

SCRIPT = ROOT / "scripts" / "backup-restore-check"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"
)


def database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "", safe="")
    password = (
        f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    )
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def run_check(tmp_path, *args):
    env = {
        **os.environ,
        # The script runs the site as it is configured, not as the tests are.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "1",  # no collected static files here
        "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [SCRIPT, *args, database_url()],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftover_copies() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{connection.settings_dict['NAME'][:40]}_restorecheck_%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_backup_restores_and_serves_the_newest_story(tmp_path):
    ArticleFactory(published=True, headline="An older story")
    newest = ArticleFactory(
        published=True, headline="Harbour deal: “yes” & <no> votes counted"
    )
    ArticleFactory(headline="A draft nobody may see")
    dump = tmp_path / "newsroom.dump"

    result = run_check(tmp_path, "-o", str(dump))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore check passed." in result.stdout
    assert newest.get_absolute_url() in result.stdout
    assert dump.stat().st_size > 0
    assert leftover_copies() == []


@pytest.mark.django_db(transaction=True)
def test_backup_check_fails_when_there_is_nothing_to_compare(tmp_path):
    ArticleFactory(headline="A draft nobody may see")

    result = run_check(tmp_path)

    assert result.returncode == 1
    assert "no published story" in result.stderr
    assert leftover_copies() == []
