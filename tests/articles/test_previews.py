"""Previews: staff see a draft as the public page would show it; signed links
for outsiders expire and refuse tampering; readers get no staff preview."""

from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.services import article_from_preview_token, article_preview_link
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def test_staff_preview_renders_a_draft_as_the_public_page_would(client, editor_user):
    story = ArticleFactory(headline="Draft headline")
    client.force_login(editor_user)

    response = client.get(reverse("articles:preview", args=[story.pk]))

    assert response.status_code == 200
    assert "Draft headline" in response.content.decode()
    assert "Preview" in response.content.decode()
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert "no-store" in response["Cache-Control"]


def test_readers_get_no_staff_preview(client):
    story = ArticleFactory()
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 302  # to the login page
    assert "Draft" not in response.content.decode()


def test_signed_preview_link_valid_expired_and_tampered(client, editor_user, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 2
    story = ArticleFactory(headline="For the lawyer")
    url, expires = article_preview_link(article=story, by=editor_user)

    valid = client.get(url)
    assert valid.status_code == 200
    assert "For the lawyer" in valid.content.decode()
    assert valid["X-Robots-Tag"] == "noindex, nofollow"
    assert story.events.filter(action="preview_link", actor=editor_user).exists()

    tampered = url.rstrip("/")[:-3] + "abc/"
    assert client.get(tampered).status_code == 404

    token = url.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(signing.SignatureExpired):
        import time_machine as tm

        with tm.travel(expires + timedelta(minutes=1), tick=False):
            article_from_preview_token(token)
    with tm_travel(expires + timedelta(minutes=1)):
        expired = client.get(url)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()


def tm_travel(when):
    import time_machine

    return time_machine.travel(when, tick=False)


def test_journalists_cannot_make_preview_links(journalist_user):
    with pytest.raises(PermissionDenied):
        article_preview_link(article=ArticleFactory(), by=journalist_user)
