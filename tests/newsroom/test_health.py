import threading
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections

from newsroom import health


def test_liveness_answers_without_touching_the_database(client):
    # No database access is allowed in this test: /healthz must not need one.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_reports_database_and_cache_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_are_never_cached(client, url):
    for _ in range(2):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert response.get("X-Cache") != "HIT"
        assert not response.has_header("Surrogate-Key")


@pytest.mark.django_db
def test_probes_need_no_login_even_for_staff_only_sites(admin_client, client):
    assert client.get("/readyz").status_code == 200
    assert admin_client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_unreachable_database_makes_the_instance_not_ready(client):
    # The check runs in a thread with a connection of its own: patch the class.
    with mock.patch.object(
        type(connections["default"]),
        "cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "error", "cache": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_failing_cache_makes_the_instance_not_ready(client):
    with mock.patch.object(
        caches["default"], "set", side_effect=ConnectionError("connection refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "error"},
    }


@pytest.mark.django_db
def test_a_hanging_check_is_given_up_after_the_timeout(client, monkeypatch):
    monkeypatch.setattr(health, "CHECK_TIMEOUT", 0.2)
    released = threading.Event()
    monkeypatch.setattr(health, "cache_check", lambda cache: released.wait(5))
    try:
        response = client.get("/readyz")
    finally:
        released.set()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "timeout"}


def test_liveness_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1",
    }
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        ("/healthz", 200, {"status": "ok"}),
        (
            "/readyz",
            503,
            {"status": "unavailable", "checks": {"database": "ok", "cache": "error"}},
        ),
    ],
)
def test_probes_with_redis_unreachable(client, settings, url, status, body):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get(url)
    assert response.status_code == status
    assert response.json() == body
