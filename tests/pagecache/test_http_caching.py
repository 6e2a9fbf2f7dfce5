"""Cache-Control for a CDN in front (newsroom/middleware.py): anonymous pages
are public and answer 304; logged-in, staff and preview pages are never
shared."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_cdn_cacheable_and_answer_304(client):
    story = ArticleFactory(published=True)
    first = client.get(story.get_absolute_url())
    assert "public" in first["Cache-Control"]
    assert "s-maxage=60" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    assert "stale-while-revalidate=300" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_logged_in_and_staff_pages_are_never_shared(client):
    story = ArticleFactory(published=True)
    client.force_login(UserFactory())
    response = client.get(story.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    admin = client.get(reverse("admin:index"))
    assert "public" not in admin.get("Cache-Control", "")


def test_previews_are_never_cached(admin_client):
    story = ArticleFactory()
    response = admin_client.get(reverse("articles:preview", args=[story.pk]))
    assert "no-store" in response["Cache-Control"]
    assert Article.objects.published().count() == 0
