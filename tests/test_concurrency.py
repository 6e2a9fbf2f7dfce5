"""Nothing is lost or doubled when people act at the same moment: readers
posting to one thread, double clicks, tag merges beside taggings, two editors
saving one story."""

import os
import threading
import time
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, ModerationLog
from comments.services import comment_post
from tags.models import Tag, TagAlias, TaggedArticle
from tags.services import tag_merge
from tests.articles.test_workflow import change_form, member
from tests.factories import ArticleFactory, TagFactory, UserFactory

POSTGRES = "postgres" in os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not POSTGRES,
        reason="row locks need PostgreSQL; SQLite runs one writer at a time",
    ),
]


def run_together(*calls) -> list:
    """Run each call in its own thread, so on its own database connection,
    all released at once; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# --- Comments -------------------------------------------------------------------------


def test_a_comment_sent_many_times_at_once_is_stored_once(settings):
    settings.NEWSROOM_COMMENT_RATE_PER_ACCOUNT = 100
    story = ArticleFactory(published=True)
    reader = UserFactory(username="double-clicker")

    results = run_together(
        *[
            partial(comment_post, article=story, author=reader, body="Me too!")
            for _ in range(8)
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert [created for _comment, created in results].count(True) == 1
    assert len({comment.pk for comment, _created in results}) == 1
    stored = Comment.objects.get(article=story)
    # Held (a first comment), with its log entry: the whole of one post.
    assert ModerationLog.objects.filter(comment=stored).count() == 1


# --- Tags -----------------------------------------------------------------------------


def tag_story(story_pk: int, name: str) -> str:
    Article.objects.get(pk=story_pk).tags.add(name)
    return name


def test_merges_beside_taggings_lose_and_double_nothing(tag_editor):
    survivor = TagFactory(name="harbour")
    plural, typo = TagFactory(name="harbours"), TagFactory(name="habour")
    stories = [ArticleFactory(tags=[plural]) for _ in range(4)]
    stories += [ArticleFactory(tags=[typo]) for _ in range(4)]
    stories += [ArticleFactory(tags=[plural, typo]) for _ in range(2)]
    untagged = [ArticleFactory() for _ in range(6)]

    results = run_together(
        partial(tag_merge, survivor=survivor, merged=[plural], by=tag_editor),
        partial(tag_merge, survivor=survivor, merged=[typo], by=tag_editor),
        *[partial(tag_story, story.pk, "harbour") for story in stories[:3]],
        *[partial(tag_story, story.pk, "harbours") for story in untagged[:3]],
        *[partial(tag_story, story.pk, "habour") for story in untagged[3:]],
    )

    merges, with_survivor, with_merged = results[:2], results[2:5], results[5:]
    assert all(isinstance(moved, int) for moved in merges), merges
    assert with_survivor == ["harbour"] * 3
    # A tagging that named a tag as it was merged away is refused whole (the
    # tag is gone when it commits); sent again, it files under the survivor.
    for story, result in zip(untagged, with_merged, strict=True):
        if isinstance(result, IntegrityError):
            assert "tags_taggedarticle_tag_id" in str(result)
            tag_story(story.pk, "harbours")
        else:
            assert result in {"harbours", "habour"}, result
    assert list(Tag.objects.values_list("name", flat=True)) == ["harbour"]
    for story in stories + untagged:
        assert list(story.tags.values_list("name", flat=True)) == ["harbour"]
    assert TaggedArticle.objects.count() == len(stories + untagged)
    assert sorted(TagAlias.objects.values_list("name", flat=True)) == [
        "habour",
        "harbours",
    ]


def test_merges_in_opposite_directions_one_wins_the_other_is_refused(tag_editor):
    east, west = TagFactory(name="east harbour"), TagFactory(name="east harbor")
    both = ArticleFactory(tags=[east, west])

    results = run_together(
        partial(tag_merge, survivor=east, merged=[west], by=tag_editor),
        partial(tag_merge, survivor=west, merged=[east], by=tag_editor),
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "merged or deleted" in refused[0].messages[0]
    (left,) = Tag.objects.all()
    assert list(both.tags.all()) == [left]
    assert TagAlias.objects.get().tag == left


@pytest.fixture
def tag_editor():
    return UserFactory(
        username="tag-editor",
        is_staff=True,
        permissions=["tags.change_tag", "tags.delete_tag", "tags.view_tag"],
    )


# --- Stories --------------------------------------------------------------------------


def _slow_story_saves(execute, sql, params, many, context):
    """Widen the gap between checking the version and writing the story, as a
    busy server would."""
    if sql.startswith('UPDATE "articles_article" SET "headline"'):
        time.sleep(0.3)
    return execute(sql, params, many, context)


def save_in_admin(user, url: str, data: dict):
    client = Client()
    client.force_login(user)
    with connection.execute_wrapper(_slow_story_saves):
        return client.post(url, data)


@pytest.mark.usefixtures("roles")
def test_two_editors_saving_the_same_version_one_wins_one_is_refused():
    story = ArticleFactory(headline="Ferries resume", dek="Original dek")
    opened = change_form(story, _continue="Save")  # both open the same version
    url = reverse("admin:articles_article_change", args=[story.pk])
    editors = [member("Editors", "ed"), member("Editors", "eve")]

    headlines = ["Ferries resume Monday", "Ferries resume Tuesday"]

    results = run_together(
        *[
            partial(save_in_admin, editor, url, opened | {"headline": headline})
            for editor, headline in zip(editors, headlines, strict=True)
        ]
    )

    assert sorted(response.status_code for response in results) == [200, 302]
    refused = next(response for response in results if response.status_code == 200)
    assert "saved this story at" in refused.content.decode()
    winner = results.index(next(r for r in results if r.status_code == 302))
    story.refresh_from_db()
    assert story.headline == headlines[winner]
    assert story.edit_version == opened["loaded_version"] + 1
