"""A production server with nothing but the required settings sends plain
HTTP to HTTPS and tells browsers to stay there, except the health probes."""

import os
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.servers import (
    HOST,
    Gunicorn,
    collectstatic,
    database_url,
    server_env,
    wait_for_disconnections,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="the server shares the test's PostgreSQL database",
    ),
]


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers):
    request = urllib.request.Request(url, headers={"Host": HOST} | headers)
    opener = urllib.request.build_opener(_Stay())
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        response.read()
    return response


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        database = database_url(connection.settings_dict)
    env = server_env(database=database, static_root=tmp_path_factory.mktemp("static"))
    # The defaults, not the tests' opt-outs; a TLS proxy in front says
    # X-Forwarded-Proto.
    del env["DJANGO_SECURE_SSL_REDIRECT"], env["DJANGO_SECURE_HSTS_SECONDS"]
    env["DJANGO_BEHIND_PROXY"] = "1"
    collectstatic(env)
    gunicorn = Gunicorn(
        env, tmp_path_factory.mktemp("logs") / "gunicorn.log", ready_path="/healthz"
    )
    try:
        gunicorn.wait_until_ready()
        yield gunicorn
    finally:
        gunicorn.stop()
        wait_for_disconnections(django_db_blocker)


def test_plain_http_is_redirected_to_https(server):
    response = fetch(server.base + "/?page=2")
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/?page=2"
    assert "Strict-Transport-Security" not in response.headers


def test_health_probes_answer_over_plain_http(server):
    for path in ("/healthz", "/readyz"):
        response = fetch(server.base + path)
        assert response.status == 200, (path, server.output())


def test_https_pages_tell_browsers_to_keep_to_https_for_a_year(server):
    response = fetch(server.base + "/", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200, server.output()
    assert (
        response.headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains"
    )
