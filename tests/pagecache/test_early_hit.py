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


def recorded(monkeypatch, name: str) -> list:
    """The first argument of every call of the page-cache middleware's
    `name` from now on; the calls still go through."""
    seen = []
    real = getattr(middleware, name)

    def recording(first, *args, **kwargs):
        seen.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(middleware, name, recording)
    return seen


@pytest.fixture
def lookups(monkeypatch):
    """Every cache key the page-cache middleware looks up."""
    return recorded(monkeypatch, "_lookup")


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
    client.get(url, headers={"authorization": "Bearer nrs_abc_def"})
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


def test_a_hit_brings_the_etag_it_was_kept_with(client, monkeypatch):
    """The kept page carries its ETag, so a hit is not hashed again."""
    url = ArticleFactory(published=True).get_absolute_url()
    miss = client.get(url)
    hashed = recorded(monkeypatch, "set_response_etag")
    hit = client.get(url)
    assert hit["X-Cache"] == "HIT"
    assert hit["ETag"] == miss["ETag"]
    assert hashed == []


def test_files_pay_no_lookup(client, lookups):
    client.get(f"{settings.STATIC_URL}css/site.css")
    client.get(f"{settings.MEDIA_URL}no-such-file.jpg")
    assert lookups == []


def test_a_page_without_keys_is_looked_up_once_then_not_for_a_while(
    client, lookups, monkeypatch
):
    """robots.txt-like pages that never declare what they show can never be
    kept: after one built answer their address is not looked up again
    until UNKEPT_SECONDS pass; a page that can be kept always is."""
    clock = [1000.0]
    monkeypatch.setattr(middleware.time, "monotonic", lambda: clock[0])
    story = ArticleFactory(published=True).get_absolute_url()
    for _ in range(3):
        assert client.get("/robots.txt").status_code == 200
        assert client.get(story).status_code == 200
    assert len(lookups) == 4  # robots once, the story three times
    clock[0] += middleware.UNKEPT_SECONDS + 1
    client.get("/robots.txt")
    assert len(lookups) == 5


def test_a_page_that_used_a_csp_nonce_is_never_kept(client, rf):
    """A nonce is for one answer: a page built with one is never replayed."""
    from django.http import HttpResponse
    from django.test import override_settings
    from django.urls import path

    from pagecache import store

    def noncy(request):
        store.depends_on(request, "story-1")
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    urlpatterns = [path("noncy/", noncy)]
    with override_settings(ROOT_URLCONF=type("U", (), {"urlpatterns": urlpatterns})):
        first = client.get("/noncy/")
        second = client.get("/noncy/")
    assert first["X-Cache"] == second["X-Cache"] == "MISS"
    assert first["Content-Security-Policy"] != second["Content-Security-Policy"]
