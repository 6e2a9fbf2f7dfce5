"""Revisions: every save keeps one, the diff reads well, and a restore brings
back old text, bylines and tags as a new revision."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Status
from articles.services import article_restore
from tests.articles.staff import edit
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_every_save_keeps_a_revision_and_the_diff_reads_well(admin_client):
    # A dek sharing no word with the new one (a random one sometimes did).
    story = ArticleFactory(
        headline="Ports reopen on Monday", dek="Harbour staff return after the strike."
    )
    edit(admin_client, story, headline="Ports reopen on Tuesday")
    edit(admin_client, story, dek="A new dek.")

    versions = Version.objects.get_for_object(story)
    assert versions.count() == 2
    newest, older = versions[0], versions[1]
    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": older.pk, "b": newest.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>Monday</del>" not in html  # same headline in both
    first = Version.objects.get_for_object(story).last()
    response = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": first.pk, "b": newest.pk},
    )
    assert "<ins>A new dek.</ins>" in response.content.decode()


def test_diff_marks_removed_and_added_words(admin_client):
    story = ArticleFactory(headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Monday")
    edit(admin_client, story, headline="Ports reopen on Tuesday")
    newest, older = Version.objects.get_for_object(story)[:2]

    html = admin_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": older.pk, "b": newest.pk},
    ).content.decode()

    assert "<del>Monday</del><ins>Tuesday</ins>" in html


def test_restore_brings_back_old_text_as_a_new_revision(admin_client, admin_user):
    story = ArticleFactory(headline="First headline", published=True)
    edit(admin_client, story, headline="First headline")
    edit(admin_client, story, headline="Second headline")
    first = Version.objects.get_for_object(story).last()

    response = admin_client.post(
        reverse("admin:articles_article_restore", args=[story.pk, first.pk]),
        follow=True,
    )

    story.refresh_from_db()
    assert story.headline == "First headline"
    assert story.status == Status.PUBLISHED  # workflow state is not restored
    assert Version.objects.get_for_object(story).count() == 3  # nothing lost
    assert "nothing was lost" in response.content.decode()
    assert story.events.filter(action="restored").exists()


def test_restore_brings_back_bylines_and_tags(admin_user):
    first_author, second_author = AuthorFactory(), AuthorFactory()
    story = ArticleFactory(authors=[first_author], tags=["ferries"])
    import reversion

    with reversion.create_revision():
        reversion.add_to_revision(story)
    old = Version.objects.get_for_object(story).first()
    story.bylines.update(author=second_author)
    story.tags.set(["glaciers"])

    article_restore(article=story, version=old, by=admin_user)

    story = Article.objects.for_detail().get(pk=story.pk)
    assert story.byline_authors == [first_author]
    assert [tag.name for tag in story.tag_list] == ["ferries"]
