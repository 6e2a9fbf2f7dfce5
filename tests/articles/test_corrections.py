"""Corrections: shown on the story with the updated time, added by editors to
published stories only, in the admin too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from articles.services import article_correct
from tests.articles.staff import change_form
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_correction_shows_on_the_story_with_the_updated_time(client, editor_user):
    story = ArticleFactory(published=True)
    note = article_correct(
        article=story, kind="correction", text="The vote is on Friday.", by=editor_user
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert "The vote is on Friday." in html
    assert "Updated" in html
    seconds = timezone.localtime(note.created_at).isoformat(timespec="seconds")
    assert f'datetime="{seconds}"' in html
    assert story.events.filter(action="corrected", actor=editor_user).exists()


def test_corrections_are_for_editors_and_published_stories(
    journalist_user, editor_user
):
    with pytest.raises(PermissionDenied):
        article_correct(
            article=ArticleFactory(published=True),
            kind="update",
            text="x",
            by=journalist_user,
        )
    with pytest.raises(ValidationError):
        article_correct(
            article=ArticleFactory(), kind="update", text="x", by=editor_user
        )
    with pytest.raises(ValidationError):
        article_correct(
            article=ArticleFactory(published=True),
            kind="update",
            text="  ",
            by=editor_user,
        )
    assert not Correction.objects.exists()


def test_editor_adds_a_correction_in_the_admin(client, editor_user):
    story = ArticleFactory(published=True)
    client.force_login(editor_user)

    client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "update",
                "corrections-0-text": "Officials confirmed the date.",
                "_continue": "Save",
            },
        ),
    )

    note = story.corrections.get()
    assert (note.kind, note.created_by) == ("update", editor_user)
