"""Two gunicorn instances on one PostgreSQL and one Redis behave as one site:
what is published through one is on the other at once, its cached pages
invalidated; a login and its messages carry across."""

import os

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import ArticleFactory, UserFactory
from tests.servers import (
    Browser,
    production_servers,
    run_prefix,
)

PASSWORD = "two-process-test-password"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="several processes share one PostgreSQL database",
    ),
]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Gunicorn A and B, production settings, the test database, one Redis."""
    with production_servers(
        django_db_blocker,
        tmp_path_factory.mktemp("servers"),
        count=2,
        workers=2,
        cache_prefix=run_prefix("scaleout"),
    ) as started:
        yield [server.base for server in started]


def test_two_processes_serve_one_site(servers):
    a, b = servers
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    # The servers hash passwords as production does.
    boss.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt")
    boss.save()
    ArticleFactory(published=True, headline="Yesterday's harbour story")
    story = ArticleFactory(headline="Ferry strike called off")

    reader = Browser()
    # The first visit builds and keeps the page (working the strip out no
    # longer invalidates anything); later visits are hits.
    for _ in range(3):
        front = reader.get(b + "/")
    assert "Ferry strike" not in front.text
    assert front.headers["X-Cache"] == "HIT"
    front = reader.get(a + "/")  # kept by B, served by A
    assert front.headers["X-Cache"] == "HIT"

    editor = Browser()
    page = editor.post(
        a + "/admin/login/?next=/admin/",
        {"username": "boss", "password": PASSWORD, "next": "/admin/"},
        token=editor.csrf_token(a + "/admin/login/"),
    )
    assert "Log out" in page.text or "logout" in page.text
    # Logged in through A, known to B.
    page = editor.get(b + "/admin/articles/article/")
    assert page.url.startswith(b + "/admin/articles/article/")
    assert "Ferry strike called off" in page.text

    page = editor.post(
        a + "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [story.pk]},
        token=editor.csrf_token(b + "/admin/articles/article/"),
    )
    assert "1 story published." in page.text  # the message, shown after the redirect
    page = editor.get(b + "/admin/articles/article/")
    assert "1 story published." not in page.text  # ...and shown once

    front = reader.get(b + "/")
    assert front.headers["X-Cache"] == "MISS"
    assert "Ferry strike called off" in front.text
    story.refresh_from_db()
    page = reader.get(b + story.get_absolute_url())
    assert page.status == 200 and "Ferry strike called off" in page.text
