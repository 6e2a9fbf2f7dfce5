"""A tag's published-story count, kept exact by the database (tags' triggers),
and the trending strip's tie-break that reads it."""

import pytest
from django.utils import timezone

from articles.models import Article, Status
from tags.models import Tag, TaggedArticle
from tags.services import trending_tags
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def story_counts() -> dict[str, int]:
    return dict(Tag.objects.with_story_counts().values_list("name", "story_count"))


def test_tag_story_counts_follow_taggings_and_story_status():
    live = ArticleFactory(published=True, tags=["ferries", "glaciers"])
    ArticleFactory(published=True, tags=["ferries"])
    draft = ArticleFactory(tags=["ferries"])
    ArticleFactory(scheduled=True, tags=["ferries"])
    assert story_counts() == {"ferries": 2, "glaciers": 1}

    Article.objects.filter(pk=draft.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    assert story_counts()["ferries"] == 3

    Article.objects.filter(pk=live.pk).update(status=Status.UNPUBLISHED)
    assert story_counts() == {"ferries": 2, "glaciers": 0}

    live.tags.clear()
    Article.objects.filter(pk=live.pk).update(status=Status.PUBLISHED)
    assert story_counts() == {"ferries": 2, "glaciers": 0}


def test_tag_story_counts_survive_a_retagging_and_a_deleted_story():
    story = ArticleFactory(published=True, tags=["ferries"])
    glaciers = TagFactory(name="glaciers")

    TaggedArticle.objects.filter(content_object=story).update(tag=glaciers)
    assert story_counts() == {"ferries": 0, "glaciers": 1}

    story.delete()
    assert story_counts() == {"ferries": 0, "glaciers": 0}


def test_saving_a_stale_tag_keeps_its_count():
    tag = TagFactory(name="ferries")
    stale = Tag.objects.get(pk=tag.pk)
    ArticleFactory(published=True, tags=[tag])

    stale.description = "Boats across the strait."
    stale.save()

    assert story_counts() == {"ferries": 1}


def test_trending_tie_break_ignores_scheduled_stories():
    ArticleFactory(published=True, tags=["trump putin"])
    ArticleFactory(published=True, tags=["trumpputin"])
    ArticleFactory(published=True, tags=["trumpputin"])
    for _ in range(3):
        ArticleFactory(scheduled=True, tags=["trump putin"])

    names = [tag.name for tag in trending_tags()]

    assert "trumpputin" in names and "trump putin" not in names
