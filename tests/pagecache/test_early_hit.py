"""A page-cache hit is answered early: from the request alone, with no session,
no user and no query, yet with the same headers as the page it replays; a
request that can never be cached does not pay the lookup."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache import middleware
from tests.comments.factories import ReaderFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Set per response, or by the early answer itself.
CHANGES_PER_RESPONSE = {"X-Cache", "X-Request-ID", "Date", "Content-Security-Policy"}


@pytest.fixture
def lookups(monkeypatch):
    """Every cache key the page-cache middleware looks up."""
    seen = []
    real = middleware._lookup

    def counting(cache_key):
        seen.append(cache_key)
        return real(cache_key)

    monkeypatch.setattr(middleware, "_lookup", counting)
    return seen


def test_a_hit_runs_no_query_and_replays_every_header(client):
    story = ArticleFactory(published=True, headline="Harbour reopens")
    url = story.get_absolute_url()
    miss = client.get(url)
    assert miss["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(url)
    assert hit["X-Cache"] == "HIT"
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert "Harbour reopens" in hit.content.decode()
    for header, value in miss.items():
        if header not in CHANGES_PER_RESPONSE:
            assert hit[header] == value, header
    assert "public" in hit["Cache-Control"] and "s-maxage" in hit["Cache-Control"]
    assert "Cookie" in hit["Vary"]
    assert hit["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert hit["ETag"] == miss["ETag"]


def test_a_hit_still_answers_304_to_a_matching_etag(client):
    url = ArticleFactory(published=True).get_absolute_url()
    etag = client.get(url)["ETag"]
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_requests_that_are_never_cached_pay_no_lookup(client, lookups):
    url = ArticleFactory(published=True).get_absolute_url()
    client.post(url, {})
    client.get("/admin/login/")
    client.get("/healthz")
    client.cookies["messages"] = "pending"
    client.get(url)
    assert lookups == []


def test_a_logged_in_reader_pays_no_lookup_and_gets_a_personal_page(client, lookups):
    url = ArticleFactory(published=True).get_absolute_url()
    client.get(url)
    client.get(url)
    assert len(lookups) == 2
    client.force_login(ReaderFactory())
    assert settings.SESSION_COOKIE_NAME in client.cookies
    response = client.get(url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert len(lookups) == 2


def test_a_stale_session_cookie_gets_a_built_page_not_a_cached_one(client):
    url = ArticleFactory(published=True).get_absolute_url()
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Cache" not in response
