"""One staff save through the admin writes the story row once, refreshes its
search vector once and recomputes the trending strip once (articles/publishing.py)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import search
from articles.models import Article, Status
from tags.services import trending_invalidate
from tests.articles.staff import change_form, member
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


@pytest.fixture
def editor_client(client):
    client.force_login(member("Editors", "ed"))
    return client


def _story():
    return ArticleFactory(
        headline="Ferries return", authors=[AuthorFactory()], tags=["quaysides"]
    )


def _post_counted(client, url, data, callbacks):
    """POST `data`; the story-row UPDATEs it issued, split into content
    writes and search-vector refreshes, and the refreshes asked of search."""
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(search, "_refresh", wraps=search._refresh) as refreshes,
        callbacks() as on_commit,
    ):
        response = client.post(url, data)
    updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "articles_article" ')
    ]
    vectors = [sql for sql in updates if "to_tsvector" in sql]
    content = [sql for sql in updates if "to_tsvector" not in sql]
    strips = [callback for callback in on_commit if callback is trending_invalidate]
    return response, content, vectors, refreshes.call_count, len(strips)


def _assert_one_of_each(content, vectors, refreshes, strips):
    assert len(content) == 1, content
    assert refreshes == 1
    # SQLite keeps no vector: its search matches words at query time.
    assert len(vectors) == (1 if connection.vendor == "postgresql" else 0), vectors
    assert strips == 1


@pytest.mark.parametrize(
    "button, status",
    [
        ("_publish", Status.PUBLISHED),
        ("_continue", Status.DRAFT),
        ("_submit", Status.IN_REVIEW),
    ],
)
def test_a_save_with_a_button_writes_the_row_once(
    editor_client, django_capture_on_commit_callbacks, button, status
):
    story = _story()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form(
        story, headline="Ferries return to Leith", tags="quaysides, leith"
    )

    response, content, vectors, refreshes, strips = _post_counted(
        editor_client,
        url,
        data | {button: "x"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    _assert_one_of_each(content, vectors, refreshes, strips)
    story.refresh_from_db()
    assert story.status == status
    assert story.headline == "Ferries return to Leith"
    assert story.edit_version == data["loaded_version"] + 1
    assert sorted(story.tags.names()) == ["leith", "quaysides"]


def test_scheduling_through_the_admin_writes_the_row_once(
    editor_client, django_capture_on_commit_callbacks
):
    story = _story()
    go_live = timezone.localtime() + timedelta(hours=5)
    data = change_form(
        story,
        go_live_at_0=go_live.strftime("%Y-%m-%d"),
        go_live_at_1=go_live.strftime("%H:%M:%S"),
        _schedule="Schedule",
    )

    response, content, vectors, refreshes, strips = _post_counted(
        editor_client,
        reverse("admin:articles_article_change", args=[story.pk]),
        data,
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    _assert_one_of_each(content, vectors, refreshes, strips)
    story.refresh_from_db()
    assert story.is_scheduled
    assert story.events.filter(action="scheduled").count() == 1


def test_publishing_keeps_one_revision_named_for_the_step(editor_client):
    story = _story()

    editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, headline="Ferries return to Leith", _publish="x"),
    )

    versions = Version.objects.get_for_object(story)
    assert versions.count() == 1
    version = versions.get()
    assert version.revision.comment == "Publish now"
    assert version.revision.user.username == "ed"
    assert version.field_dict["headline"] == "Ferries return to Leith"
    assert version.field_dict["status"] == Status.PUBLISHED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL stores a vector"
)
def test_the_one_refresh_sees_the_new_headline_and_tags(editor_client):
    story = _story()

    editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, headline="Ferries return", tags="leith", _publish="x"),
    )

    found = Article.objects.published().search("leith")
    assert list(found) == [story]
    assert not Article.objects.published().search("quaysides").exists()


def test_a_refused_button_still_saves_the_text_once(
    client, django_capture_on_commit_callbacks
):
    journalist = member("Journalists", "jo")
    story = ArticleFactory(created_by=journalist, authors=[AuthorFactory()])
    client.force_login(journalist)

    response, content, vectors, refreshes, strips = _post_counted(
        client,
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(story, headline="My own words", _publish="x"),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    _assert_one_of_each(content, vectors, refreshes, strips)
    story.refresh_from_db()
    assert (story.headline, story.status) == ("My own words", Status.DRAFT)
    assert not story.events.filter(action="published").exists()


def test_adding_and_publishing_inserts_then_writes_once(
    editor_client, django_capture_on_commit_callbacks
):
    author = AuthorFactory()
    section = ArticleFactory().section
    data = {
        "headline": "Ferries return",
        "slug": "",
        "dek": "",
        "section": section.pk,
        "body": "<p>Ferries return.</p>",
        "tags": "leith",
        "comments_mode": Article._meta.get_field("comments_mode").default,
        "source_name": "",
        "source_url": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        **{
            f"{inline}-{count}": "0"
            for inline in ("related_links", "corrections", "events")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }

    response, content, vectors, refreshes, strips = _post_counted(
        editor_client,
        reverse("admin:articles_article_add"),
        data | {"_publish": "x"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 302
    _assert_one_of_each(content, vectors, refreshes, strips)
    story = Article.objects.get(headline="Ferries return")
    assert story.is_live
    assert story.created_by.username == "ed"
    assert list(story.events.values_list("action", flat=True).order_by("pk")) == [
        "created",
        "published",
    ]
