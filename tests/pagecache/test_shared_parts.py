"""The part of a page every reader sees the same is kept whole
(pagecache/parts.py): a logged-in reader's listing or story page takes it
from the cache and adds only what is theirs; the events that make a page
stale make its part stale; nothing personal is ever kept in one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, CommentStatus
from comments.services import comment_post
from tags.models import Tag
from tags.services import tag_merge
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, SectionFactory
from tests.pagecache.test_pagecache import (
    approve_comment_on,
    boss,
    change,
    correct,
    fetch,
)

__all__ = ["boss", "change"]  # fixtures shared with the page-cache tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        published=True, headline="Harbour wall repaired", tags=["harbour"]
    )


@pytest.fixture
def reader(client):
    user = ReaderFactory()
    client.force_login(user)
    client.user = user
    return client


def comment_actions(page: str, comment) -> str:
    found = re.search(rf'id="comment-{comment.pk}">(.*?)</article>', page, flags=re.S)
    assert found, f"comment {comment.pk} not on the page"
    return found.group(1)


def story_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return [q["sql"] for q in queries]


def test_a_logged_in_readers_story_page_reads_no_story_and_no_thread_when_warm(
    reader, story
):
    CommentFactory.create_batch(3, article=story)
    url = story.get_absolute_url()
    fetch(reader, url)
    sql = story_queries(reader, url)
    assert not [q for q in sql if 'FROM "articles_article"' in q]
    # One look for the reader's own comments awaiting review; no thread read.
    thread_reads = [q for q in sql if 'FROM "comments_comment"' in q]
    assert len(thread_reads) == 1 and "pending" in thread_reads[0]


def test_the_thread_kept_for_everyone_carries_no_readers_actions_or_token(
    reader, client, story, django_user_model
):
    others = CommentFactory(article=story, body="The wall held in the storm.")
    mine = CommentFactory(article=story, author=reader.user, body="Mine, approved.")
    url = story.get_absolute_url()
    # The logged-in reader builds the kept parts first...
    page = fetch(reader, url)
    assert ">Edit</a>" in comment_actions(page, mine)
    assert ">Report</a>" in comment_actions(page, others)
    assert 'id="reply-form"' in page
    # ...an anonymous reader gets the same thread without any of it.
    anonymous = client.__class__()
    public = fetch(anonymous, url)
    assert "The wall held in the storm." in public and "Mine, approved." in public
    for personal in (">Edit</a>", ">Report</a>", "csrfmiddlewaretoken", "reply-form"):
        assert personal not in public, personal
    # And a second reader sees their own actions, not the first one's.
    other_reader = client.__class__()
    other_reader.force_login(ReaderFactory())
    theirs = fetch(other_reader, url)
    assert ">Edit</a>" not in comment_actions(theirs, mine)
    assert ">Report</a>" in comment_actions(theirs, mine)


def test_a_readers_own_comment_awaiting_review_shows_to_them_only(
    reader, client, story, change
):
    story.comments_mode = "premoderated"
    story.save()
    CommentFactory(article=story, body="Approved before.")
    url = story.get_absolute_url()
    fetch(reader, url)
    with change():
        comment_post(
            article=story, author=reader.user, body="Wait for the moderator, please."
        )
    assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 1
    page = fetch(reader, url)
    assert "Wait for the moderator, please." in page
    assert "Awaiting review" in page
    assert "Approved before." in page
    anonymous = client.__class__()
    assert "Wait for the moderator, please." not in fetch(anonymous, url)
    someone = client.__class__()
    someone.force_login(ReaderFactory())
    assert "Wait for the moderator, please." not in fetch(someone, url)


def test_a_correction_an_edit_and_an_approval_reach_a_logged_in_readers_page(
    reader, story, boss, change
):
    url = story.get_absolute_url()
    fetch(reader, url)
    with change():
        correct(story, boss, "An earlier version misnamed the ferry.")
    assert "An earlier version misnamed the ferry." in fetch(reader, url)
    with change():
        story.headline = "Harbour wall rebuilt"
        story.save()
    assert "Harbour wall rebuilt" in fetch(reader, url)
    with change():
        approve_comment_on(story, boss, body="Approved while you read.")
    assert "Approved while you read." in fetch(reader, url)


def test_a_tag_merge_reaches_the_kept_story_and_listing_parts(
    reader, story, boss, change
):
    url = story.get_absolute_url()
    assert "/tags/harbour/" in fetch(reader, url)
    survivor = Tag.objects.create(name="harbours", slug="harbours")
    with change():
        tag_merge(survivor=survivor, merged=[Tag.objects.get(slug="harbour")], by=boss)
    page = fetch(reader, url)
    assert "/tags/harbours/" in page and "/tags/harbour/" not in page


def test_a_new_story_reaches_the_kept_listings(reader, boss, change):
    section = SectionFactory()
    ArticleFactory(published=True, section=section, headline="Yesterday's news")
    for url in ("/", section.get_absolute_url()):
        fetch(reader, url)
    with change():
        ArticleFactory(published=True, section=section, headline="Breaking: ferry back")
    for url in ("/", section.get_absolute_url()):
        assert "Breaking: ferry back" in fetch(reader, url), url


def test_a_crafted_page_number_is_never_kept(reader, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory()
    ArticleFactory.create_batch(3, published=True, section=section)
    url = section.get_absolute_url()
    fetch(reader, url)
    for number in ("2", "3", "999", "x"):
        reader.get(url, {"page": number})
    sql = story_queries(reader, url)
    # The first page is kept; asking for others never replaced it.
    assert not [q for q in sql if 'FROM "articles_article"' in q]
    second = story_queries(reader, f"{url}?page=2")
    assert [q for q in second if 'FROM "articles_article"' in q]


def test_a_preview_is_never_kept(client, boss):
    draft = ArticleFactory(headline="Secret draft headline")
    client.force_login(boss)
    assert "Secret draft headline" in fetch(client, f"/preview/{draft.pk}/")
    draft.headline = "Changed draft headline"
    draft.save()
    page = fetch(client, f"/preview/{draft.pk}/")
    assert "Changed draft headline" in page and "Secret draft headline" not in page
