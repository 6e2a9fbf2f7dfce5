"""What keeps pages fast at 100,000 stories: counters the database keeps exact,
the capped paginator, and queries that read only what a page shows."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from comments.models import Comment, CommentStatus
from core.pagination import CappedPaginator
from tags.models import Tag, TaggedArticle
from tags.services import trending_tags
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def approved_count(story) -> int:
    story.refresh_from_db(fields=["comment_count"])
    return story.comment_count


def test_comment_count_follows_every_status_change():
    story = ArticleFactory(published=True)
    first = CommentFactory(article=story)
    CommentFactory(article=story, status=CommentStatus.PENDING)
    assert approved_count(story) == 1

    Comment.objects.filter(status=CommentStatus.PENDING).update(
        status=CommentStatus.APPROVED
    )
    assert approved_count(story) == 2

    first.status = CommentStatus.DELETED
    first.save(update_fields=["status"])
    assert approved_count(story) == 1

    Comment.objects.filter(article=story).delete()
    assert approved_count(story) == 0


def test_comment_count_moves_with_a_comment_to_another_story():
    story, other = ArticleFactory(published=True), ArticleFactory(published=True)
    comment = CommentFactory(article=story)

    Comment.objects.filter(pk=comment.pk).update(article=other)

    assert (approved_count(story), approved_count(other)) == (0, 1)


def test_saving_a_stale_story_keeps_the_comment_count():
    story = ArticleFactory(published=True)
    stale = Article.objects.get(pk=story.pk)
    CommentFactory.create_batch(2, article=story)

    stale.headline = "A new headline"
    stale.save()

    assert approved_count(story) == 2


def test_cards_show_the_approved_count(client):
    story = ArticleFactory(published=True)
    CommentFactory.create_batch(3, article=story)
    CommentFactory(article=story, status=CommentStatus.REJECTED)

    html = client.get(story.section.get_absolute_url()).content.decode()

    assert "3 comments" in html


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


def test_capped_paginator_counts_no_further_than_its_last_page(settings):
    for _ in range(7):
        ArticleFactory(published=True)
    stories = Article.objects.published().for_listing()

    capped = CappedPaginator(stories, 2, max_pages=3)
    whole = CappedPaginator(stories, 2, max_pages=4)

    assert (capped.count, capped.num_pages, capped.is_capped) == (6, 3, True)
    assert (whole.count, whole.num_pages, whole.is_capped) == (7, 4, False)


def test_a_capped_listing_leaves_out_the_page_total(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory()
    for _ in range(52):
        ArticleFactory(published=True, section=section)

    html = client.get(section.get_absolute_url()).content.decode()

    assert "Page 1<" in html and "Page 1 of" not in html


def test_latest_per_section_reaches_back_for_a_quiet_section():
    now = timezone.now()
    busy, quiet = SectionFactory(position=0), SectionFactory(position=1)
    for hours in range(1, 6):
        ArticleFactory(
            section=busy, published=True, published_at=now - timedelta(hours=hours)
        )
    old = ArticleFactory(
        section=quiet, published=True, published_at=now - timedelta(days=900)
    )
    ArticleFactory(section=quiet, scheduled=True)

    latest = list(Article.objects.published().for_listing().latest_per_section(2))

    assert [story.section for story in latest] == [busy, busy, quiet]
    assert latest[-1] == old


def test_headlines_queries_do_not_depend_on_comments_or_sections(client, settings):
    # Small enough that five stories fill every part of the page.
    settings.NEWSROOM_TOP_STORIES = 2
    settings.NEWSROOM_PAGE_SIZE = 2

    def headline_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("articles:headlines")).status_code == 200
        return len(queries)

    ArticleFactory.create_batch(5, published=True, section=SectionFactory())
    few = headline_queries()
    for n in range(6):
        story = ArticleFactory(published=True, section=SectionFactory(position=n))
        CommentFactory.create_batch(2, article=story)

    assert headline_queries() == few


def test_admin_lists_do_not_grow_with_rows(admin_client):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    stories = reverse("admin:articles_article_changelist")
    queue = reverse("admin:comments_comment_changelist")
    story = ArticleFactory(published=True)
    parent = CommentFactory(article=story)
    CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)
    few = (queries(stories), queries(queue))

    for _ in range(5):
        story = ArticleFactory(published=True)
        parent = CommentFactory(article=story)
        CommentFactory(article=story, parent=parent, status=CommentStatus.PENDING)

    assert (queries(stories), queries(queue)) == few
