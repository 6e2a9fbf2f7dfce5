"""API answers are cached like pages: ETag and 304, Cache-Control for a CDN,
kept in the page cache, and made stale by the workflow's own changes."""

import pytest
from django.core.cache import cache

from articles.models import Correction
from articles.services import article_correct, article_publish, article_unpublish
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/stories",
    "/api/v1/stories?tag=ferries",
    "/api/v1/stories?q=lighthouse",
    "/api/v1/tags",
    "/api/v1/sections",
    "/api/v1/authors",
]


def fetch(client, url, expect):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["X-Cache"] == expect, (url, response["X-Cache"])
    return response


def test_answers_carry_etag_and_cache_control_and_answer_304(client):
    story = ArticleFactory(published=True)
    for url in [*LISTS, f"/api/v1/stories/{story.pk}", "/api/v1/openapi.json"]:
        first = client.get(url)
        assert first.status_code == 200
        assert "public" in first["Cache-Control"], url
        assert "s-maxage=60" in first["Cache-Control"], url
        assert first["ETag"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""


def test_errors_are_never_cached(client):
    response = client.get("/api/v1/stories/12345")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    response = client.get("/api/v1/stories?limit=500")
    assert response.status_code == 422
    assert "no-store" in response["Cache-Control"]


def test_answers_are_kept_with_the_surrogate_keys_of_what_they_show(client):
    tag = TagFactory(name="ferries")
    story = ArticleFactory(published=True, tags=[tag])
    detail = f"/api/v1/stories/{story.pk}"
    first = fetch(client, detail, "MISS")
    assert {f"story-{story.pk}", f"tag-{tag.pk}"} <= set(first["Surrogate-Key"].split())
    hit = fetch(client, detail, "HIT")
    assert hit.content == first.content
    listing = fetch(client, "/api/v1/stories", "MISS")
    assert {"search", f"story-{story.pk}"} <= set(listing["Surrogate-Key"].split())
    fetch(client, "/api/v1/stories", "HIT")


def test_publishing_refreshes_every_list(client, boss, change):
    ArticleFactory(published=True, headline="Old news", tags=["ferries"])
    waiting = ArticleFactory(headline="Lighthouse keeper retires", tags=["ferries"])
    for url in LISTS:
        fetch(client, url, "MISS")
        assert "Lighthouse keeper" not in fetch(client, url, "HIT").content.decode()
    with change():
        article_publish(article=waiting, by=boss)
    stories = fetch(client, "/api/v1/stories", "MISS").json()["items"]
    assert stories[0]["headline"] == "Lighthouse keeper retires"
    for url in LISTS[1:]:
        fetch(client, url, "MISS")
    assert "Lighthouse keeper" in client.get(LISTS[2]).content.decode()
    tags = client.get("/api/v1/tags").json()["items"]
    assert tags[0]["story_count"] == 2


def test_unpublishing_takes_the_story_out_at_once(client, boss, change):
    story = ArticleFactory(published=True, headline="Ferry timetable changes")
    detail = f"/api/v1/stories/{story.pk}"
    fetch(client, detail, "MISS")
    fetch(client, detail, "HIT")
    fetch(client, "/api/v1/stories", "MISS")
    with change():
        article_unpublish(article=story, by=boss)
    assert client.get(detail).status_code == 404
    assert fetch(client, "/api/v1/stories", "MISS").json()["items"] == []


def test_a_correction_shows_at_once(client, boss, change):
    story = ArticleFactory(published=True)
    detail = f"/api/v1/stories/{story.pk}"
    fetch(client, detail, "MISS")
    fetch(client, "/api/v1/stories", "MISS")
    with change():
        article_correct(
            article=story,
            kind=Correction.Kind.CORRECTION,
            text="An earlier version misnamed the ferry.",
            by=boss,
        )
    for url in [detail, "/api/v1/stories"]:
        assert "misnamed the ferry" in fetch(client, url, "MISS").content.decode()


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, settings):
    settings.NEWSROOM_API_RATE_PER_IP = 3
    ArticleFactory(published=True)
    # Cached answers count too.
    for _ in range(3):
        assert client.get("/api/v1/stories").status_code == 200
    refused = client.get("/api/v1/stories")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.json()["detail"]
    assert "no-store" in refused["Cache-Control"]
    # Another address still gets in, and so do the site's pages.
    assert client.get("/api/v1/stories", REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/").status_code == 200


def test_the_limit_counts_nothing_while_the_cache_is_down(
    client, settings, monkeypatch
):
    settings.NEWSROOM_API_RATE_PER_IP = 1

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    for _ in range(3):
        assert client.get("/api/v1/sections").status_code == 200
