"""Curation: "Go deeper" links show live stories only; editors pick the front
page's lead, empty slots fall back to the newest, and the query count does
not grow with curated slots."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FrontPageSlot, RelatedLink, Status
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_go_deeper_links_show_live_stories_only(client):
    story = ArticleFactory(published=True)
    live = ArticleFactory(published=True, headline="Background: the strait")
    draft = ArticleFactory(headline="Unfinished background")
    RelatedLink.objects.create(article=story, target=live, position=0)
    RelatedLink.objects.create(article=story, target=draft, position=1)

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<strong class="lead-in">Go deeper:</strong>' in html
    assert "Background: the strait" in html
    assert "Unfinished background" not in html


def test_editors_pick_the_lead_and_empty_slots_fall_back_to_newest(client, settings):
    settings.NEWSROOM_TOP_STORIES = 2
    now = timezone.now()
    old_pick = ArticleFactory(
        published=True, headline="Chosen lead", published_at=now - timedelta(days=3)
    )
    newest = ArticleFactory(published=True, published_at=now - timedelta(minutes=5))
    second = ArticleFactory(published=True, published_at=now - timedelta(hours=1))
    FrontPageSlot.objects.create(position=0, article=old_pick)
    expired = ArticleFactory(published=True, published_at=now - timedelta(days=5))
    FrontPageSlot.objects.create(
        position=2, article=expired, expires_at=now - timedelta(minutes=1)
    )

    response = client.get(reverse("articles:headlines"))

    assert response.context["lead"] == old_pick
    assert list(response.context["top_stories"]) == [newest, second]


def test_curated_story_that_is_withdrawn_leaves_the_front_page(client):
    pick = ArticleFactory(published=True, headline="Withdrawn pick")
    FrontPageSlot.objects.create(position=0, article=pick)
    Article.objects.filter(pk=pick.pk).update(status=Status.UNPUBLISHED)
    fallback = ArticleFactory(published=True)

    assert client.get("/").context["lead"] == fallback


def test_headlines_queries_do_not_grow_with_curated_slots(client, settings):
    settings.NEWSROOM_TOP_STORIES = 6

    def count():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    for _ in range(8):
        ArticleFactory(published=True, authors=[AuthorFactory(), AuthorFactory()])
    none_curated = count()
    for position, story in enumerate(Article.objects.all()[:5]):
        FrontPageSlot.objects.create(position=position, article=story)
    curated = count()
    assert curated == none_curated
