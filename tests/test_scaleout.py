"""Two gunicorn instances on one PostgreSQL and one Redis behave as one site:
what is published through one is on the other at once, its cached pages
invalidated; a login and its messages carry across."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import ArticleFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "two-process-test-password"
# The name readers use, whichever process the load balancer picks.
HOST = "news.cupure.test"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="several processes share one PostgreSQL database",
    ),
]


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Gunicorn A and B, production settings, the test database, one Redis."""
    if not _redis_up():
        if os.environ.get("NEWSROOM_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    with django_db_blocker.unblock():
        database = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
        "NEWSROOM_CACHE_PREFIX": f"scaleout-{uuid.uuid4().hex[:8]}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-process-test-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [bin_dir / "gunicorn", "newsroom.wsgi", "--workers", "2"]
            + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_for(base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _wait_for(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


class Browser:
    """Cookies kept across both servers, as a browser behind a load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def open(self, url: str, data: bytes | None = None):
        request = urllib.request.Request(url, data=data, headers={"Host": HOST})
        return self.opener.open(request, timeout=10)

    def get(self, url: str):
        with self.open(url) as response:
            return response, response.read().decode()

    def post(self, url: str, form_url: str, data: dict):
        """Post a form read from `form_url`, CSRF token included."""
        _, page = self.get(form_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": token.group(1)}, doseq=True
        ).encode()
        with self.open(url, data=body) as response:
            return response, response.read().decode()


def test_two_processes_serve_one_site(servers):
    a, b = servers
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    # The servers hash passwords as production does.
    boss.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt")
    boss.save()
    ArticleFactory(published=True, headline="Yesterday's harbour story")
    story = ArticleFactory(headline="Ferry strike called off")

    reader = Browser()
    # The first visit also works out the trending strip, which invalidates
    # pages built meanwhile; the second keeps the page; the third is a hit.
    for _ in range(3):
        response, front = reader.get(b + "/")
    assert "Ferry strike" not in front
    assert response.headers["X-Cache"] == "HIT"
    response, front = reader.get(a + "/")  # kept by B, served by A
    assert response.headers["X-Cache"] == "HIT"

    editor = Browser()
    response, page = editor.post(
        a + "/admin/login/?next=/admin/",
        a + "/admin/login/",
        {"username": "boss", "password": PASSWORD, "next": "/admin/"},
    )
    assert "Log out" in page or "logout" in page
    # Logged in through A, known to B.
    response, page = editor.get(b + "/admin/articles/article/")
    assert response.url.startswith(b + "/admin/articles/article/")
    assert "Ferry strike called off" in page

    response, page = editor.post(
        a + "/admin/articles/article/",
        b + "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [story.pk]},
    )
    assert "1 story published." in page  # the message, shown after the redirect
    response, page = editor.get(b + "/admin/articles/article/")
    assert "1 story published." not in page  # ...and shown once

    response, front = reader.get(b + "/")
    assert response.headers["X-Cache"] == "MISS"
    assert "Ferry strike called off" in front
    story.refresh_from_db()
    response, page = reader.get(b + story.get_absolute_url())
    assert response.status == 200 and "Ferry strike called off" in page
