"""The guarded cache (core/cache.py) against a real redis-server of the
test's own, killed, frozen and started again: reads are misses, writes are
dropped, a failed Redis is skipped for the cool-off and used again once it
answers; pages, probes and comment rate limits work meanwhile."""

import logging
import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article
from comments.services import CommentRefused, comment_post
from core.cache import ResilientRedisCache, is_reachable
from pagecache import store as pagecache
from tests.factories import ArticleFactory, TagFactory, UserFactory
from tests.pagecache.cdn import RECORDING, purged
from tests.servers import RedisServer, free_port

COOLOFF = 0.5


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def backend(redis_server):
    return ResilientRedisCache(
        redis_server.url,
        {"KEY_PREFIX": uuid.uuid4().hex[:8], "OPTIONS": {"cooloff": COOLOFF}},
    )


@pytest.fixture
def site_cache(settings, redis_server):
    """The site's default cache on the test's own Redis, as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": uuid.uuid4().hex[:8],
            "OPTIONS": {"cooloff": COOLOFF},
        }
    }
    return redis_server


def cache_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.cache"]


# --- The breaker ----------------------------------------------------------------------


def test_a_killed_redis_reads_as_a_miss_and_writes_as_nothing(backend, redis_server):
    backend.set("headline", "Ferry strike called off")
    backend.set("count", 1)
    assert backend.get("headline") == "Ferry strike called off"
    assert is_reachable(backend)

    redis_server.kill()
    started = time.monotonic()
    assert backend.get("headline", "built again") == "built again"
    assert backend.get_many(["headline", "count"]) == {}
    assert backend.add("new", 1) is False
    assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
    backend.set("headline", "Nobody keeps this")
    assert backend.delete("headline") is False
    assert backend.has_key("count") is False
    assert backend.get_or_set("strip", lambda: ["ferry"]) == ["ferry"]
    with pytest.raises(ValueError, match="not found"):
        backend.incr("count")
    assert time.monotonic() - started < 0.3
    assert not is_reachable(backend)


def test_a_hung_redis_costs_one_timeout_then_is_skipped(backend, redis_server):
    backend.set("headline", "Ferry strike called off")
    redis_server.freeze()
    try:
        started = time.monotonic()
        assert backend.get("headline") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            assert backend.get("headline") is None
            backend.set("headline", "Not kept")
        skipped = time.monotonic() - started
    finally:
        redis_server.thaw()
    assert 0.4 < first < 1.0  # the read timeout (0.5 s), once
    assert skipped < 0.05

    # Within the cool-off nothing is sent, though Redis answers again.
    time.sleep(0.1)  # Redis works through what was sent before the freeze
    idle = redis_server.stats()
    before = redis_server.stats()
    for _ in range(20):
        assert backend.get("headline") is None
    after = redis_server.stats()
    assert (
        after["commands"] - before["commands"] == before["commands"] - idle["commands"]
    )
    assert after["connections"] == before["connections"]


def test_the_breaker_closes_by_itself_when_redis_is_back(redis_server, caplog):
    cooloff = 1.0
    backend = ResilientRedisCache(redis_server.url, {"OPTIONS": {"cooloff": cooloff}})
    with caplog.at_level(logging.INFO, logger="core.cache"):
        redis_server.kill()
        deadline = time.monotonic() + 2.5 * cooloff
        while time.monotonic() < deadline:  # a failed probe every cool-off
            assert backend.get("count") is None
            time.sleep(0.05)
        time.sleep(cooloff)
        assert backend.get("count") is None  # a probe that fails: skip again
        redis_server.start()  # the same port, empty
        redis_server.client().set(backend.make_key("count"), 42)
        assert backend.get("count") is None  # still cooling off
        time.sleep(cooloff + 0.05)
        assert backend.get("count") == 42
        assert backend.incr("count") == 43
        assert is_reachable(backend)

    logged = cache_log(caplog)
    assert len(logged) == 2, logged
    assert "unreachable (ConnectionError" in logged[0]
    assert "reachable again" in logged[1]


def test_every_thread_skips_a_redis_another_thread_found_hung(redis_server):
    """Django gives each thread its own backend; they share one breaker."""
    backends = [
        ResilientRedisCache(redis_server.url, {"OPTIONS": {"cooloff": COOLOFF}})
        for _ in range(2)
    ]
    redis_server.freeze()
    try:
        assert backends[0].get("headline") is None  # waits for the timeout
        took = []

        def read():
            started = time.monotonic()
            backends[1].get("headline")
            took.append(time.monotonic() - started)

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(5)
    finally:
        redis_server.thaw()
    assert took and took[0] < 0.05, took


def test_the_log_names_redis_without_its_password(caplog):
    port = free_port()  # nothing listens there
    backend = ResilientRedisCache(
        f"redis://newsroom:s3cret-pass@127.0.0.1:{port}/4", {"OPTIONS": {}}
    )
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert backend.get("x") is None
    (logged,) = cache_log(caplog)
    assert f"redis://127.0.0.1:{port}/4 unreachable" in logged
    assert "s3cret" not in logged and "newsroom:" not in logged


# --- Probes ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_liveness_sends_nothing_to_redis(client, site_cache):
    client.get("/readyz")  # connected, breaker closed
    idle = site_cache.stats()
    before = site_cache.stats()
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    after = site_cache.stats()
    assert (
        after["commands"] - before["commands"] == before["commands"] - idle["commands"]
    )
    assert after["connections"] == before["connections"]


@pytest.mark.django_db
def test_probes_with_redis_hung(client, site_cache):
    site_cache.freeze()
    try:
        started = time.monotonic()
        live = client.get("/healthz")
        live_seconds = time.monotonic() - started
        started = time.monotonic()
        ready = client.get("/readyz")
        ready_seconds = time.monotonic() - started
    finally:
        site_cache.thaw()
    assert live.status_code == 200 and live_seconds < 0.5
    assert ready.status_code == 503 and ready_seconds < 2
    assert ready.json()["checks"] == {"database": "ok", "cache": "error"}
    # Back: ready at once, whatever the breaker was doing.
    assert client.get("/readyz").status_code == 200


# --- Pages and rate limits without Redis ----------------------------------------------


@pytest.mark.django_db
def test_pages_show_the_trending_strip_without_redis(
    client, site_cache, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_BACKEND = RECORDING
    purged.clear()
    ferry = TagFactory(name="ferry strike")
    story = ArticleFactory(
        published=True, headline="Ferries stay in port", tags=[ferry]
    )
    site_cache.kill()

    with django_capture_on_commit_callbacks(execute=True):
        for url in ["/", story.get_absolute_url(), "/", "/search/?q=ferries"]:
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 200, url
            assert response["X-Cache"] == "MISS"
            assert 'class="trending__tag"' in html and "ferry strike" in html, url
    assert "Ferries stay in port" in html
    # Working the strip out on every page does not purge the CDN every time.
    assert purged == []


@pytest.mark.django_db
def test_a_change_made_while_redis_hung_reaches_it_when_back(
    client, site_cache, django_capture_on_commit_callbacks
):
    story = ArticleFactory(published=True, headline="Harbour tunnel opens")
    url = story.get_absolute_url()
    for _ in range(3):
        page = client.get(url)
    assert page["X-Cache"] == "HIT"

    site_cache.freeze()
    try:
        assert cache.get("anything") is None  # the breaker opens
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.filter(pk=story.pk).update(headline="Tunnel delayed")
            pagecache.invalidate(f"story-{story.pk}")
    finally:
        site_cache.thaw()
    assert "Tunnel delayed" in client.get(url).content.decode()  # built afresh
    time.sleep(COOLOFF + 0.05)

    # Redis kept the page from before; the change dropped meanwhile is given
    # to it before anything is read again.
    for _ in range(3):
        page = client.get(url)
        assert "Tunnel delayed" in page.content.decode(), page["X-Cache"]
    assert page["X-Cache"] == "HIT"


@pytest.fixture
def story(db):
    return ArticleFactory(published=True, headline="Tunnel toll scrapped")


def post(story, reader, n, ip="203.0.113.7"):
    return comment_post(
        article=story, author=reader, body=f"Comment number {n}", ip_address=ip
    )


@pytest.mark.django_db
def test_comment_rate_limit_counts_in_the_database_without_redis(
    story, site_cache, settings
):
    settings.NEWSROOM_COMMENT_RATE_PER_ACCOUNT = 5
    reader = UserFactory(username="fast-typist")
    site_cache.kill()
    for n in range(5):
        _comment, created = post(story, reader, n)
        assert created
    with pytest.raises(CommentRefused, match="commenting very fast") as refused:
        post(story, reader, 6)
    assert refused.value.code == "rate"
    assert story.comments.filter(author=reader).count() == 5
    # Another reader is not held back by the first one's flood.
    assert post(story, UserFactory(username="calm-reader"), 1, ip="198.51.100.2")[1]


@pytest.mark.django_db
def test_comment_rate_limit_per_address_without_redis(story, site_cache, settings):
    settings.NEWSROOM_COMMENT_RATE_PER_IP = 3
    site_cache.kill()
    for n in range(3):
        assert post(story, UserFactory(), n)[1]
    with pytest.raises(CommentRefused, match="coming from your network"):
        post(story, UserFactory(), 4)


@pytest.mark.django_db
def test_comment_rate_limit_in_redis_survives_a_trip(story, site_cache, settings):
    """Counted in Redis while it answers; the database takes over mid-flood."""
    settings.NEWSROOM_COMMENT_RATE_PER_ACCOUNT = 3
    reader = UserFactory()
    for n in range(3):
        assert post(story, reader, n)[1]
    with pytest.raises(CommentRefused):
        post(story, reader, 4)
    site_cache.kill()
    with pytest.raises(CommentRefused):
        post(story, reader, 5)
    assert story.comments.count() == 3


@pytest.mark.django_db
def test_a_reader_signs_up_and_logs_in_without_redis(client, site_cache, settings):
    settings.AXES_ENABLED = True
    site_cache.kill()
    assert client.get(reverse("accounts:signup")).status_code == 200
    reader = UserFactory(username="reader")
    reader.set_password("a long reader password")
    reader.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": "reader", "password": "a long reader password"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


def test_one_redis_client_serves_every_call_and_survives_a_restart(
    backend, redis_server
):
    """Django makes a redis-py client per call (~0.4 ms of response-callback
    set-up each); ours keeps one per pool, and it reconnects by itself."""
    backend.set("harbour", "open")
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is client
    assert backend.get_many(["harbour"]) == {"harbour": "open"}
    assert backend._cache.get_client(write=True) is client
    redis_server.kill()
    assert backend.get("harbour") is None  # a miss while it is down
    redis_server.start()
    for _ in range(50):  # until the breaker's cool-off lets a probe through
        if backend.get("harbour", "gone") == "gone" and backend.breaker.is_closed:
            break
        time.sleep(COOLOFF / 5)
    backend.set("harbour", "reopened")
    assert backend.get("harbour") == "reopened"
    assert backend._cache.get_client() is client


def test_any_key_is_taken_without_memcached_warnings(backend, recwarn):
    long_key = "story:" + "é" * 300 + " with spaces"
    backend.set(long_key, 1)
    assert backend.get(long_key) == 1
    assert not [w for w in recwarn if "memcached" in str(w.message).lower()]
