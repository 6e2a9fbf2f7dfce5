"""No lost edits: the second of two concurrent saves is refused, and staff see
who else has a story open."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.staff import change_form, member
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_the_second_of_two_concurrent_saves_is_refused(client, editor_user):
    story = ArticleFactory(headline="Original", dek="Original dek")
    other = member("Editors", "other-editor")
    client.force_login(editor_user)
    loaded = change_form(story)  # both open the form now

    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    first = other_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {**loaded, "headline": "Their headline", "_continue": "Save"},
    )
    assert first.status_code == 302

    second = client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        {
            **loaded,
            "initial-headline": "Original",
            "initial-dek": "Original dek",
            "initial-body": story.body,
            "initial-slug": story.slug,
            "initial-section": story.section_id,
            "dek": "My dek",
            "_continue": "Save",
        },
    )

    html = second.content.decode()
    assert second.status_code == 200
    assert "other-editor saved this story at" in html
    assert "They changed: Headline." in html
    story.refresh_from_db()
    assert (story.headline, story.dek) == ("Their headline", "Original dek")


def test_opening_a_story_others_have_open_names_them(client, editor_user):
    story = ArticleFactory()
    other = member("Editors", "Ines")
    from django.test import Client

    their_client = Client()
    their_client.force_login(other)
    their_client.get(reverse("admin:articles_article_change", args=[story.pk]))

    client.force_login(editor_user)
    html = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert "Ines had this story open in the last few minutes." in html


def test_presence_expires_and_clears_on_leaving(client, editor_user, time_machine):
    story = ArticleFactory()
    other = member("Editors", "Ines")
    from django.test import Client

    their_client = Client()
    their_client.force_login(other)
    presence = reverse("admin:articles_article_presence", args=[story.pk])
    their_client.post(presence)
    client.force_login(editor_user)
    assert client.post(presence).json() == {"others": ["Ines"]}

    time_machine.move_to(timezone.now() + timedelta(minutes=10))
    assert client.post(presence).json() == {"others": []}

    their_client.post(presence)
    their_client.post(presence, {"leaving": "1"})
    assert client.post(presence).json() == {"others": []}
