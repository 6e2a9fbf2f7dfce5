"""Readers' own data: download it, close the account."""

import json

import pytest

from comments.models import Comment
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_with_comments():
    reader = ReaderFactory()
    story = ArticleFactory(published=True, headline="Harbour vote due")
    mine = CommentFactory(
        article=story, author=reader, body="I was at the vote.", ip_address="192.0.2.1"
    )
    reply = CommentFactory(article=story, parent=mine, body="So was I.")
    return reader, story, mine, reply


def test_a_reader_downloads_everything_kept_about_them(client, reader_with_comments):
    reader, story, mine, reply = reader_with_comments
    client.force_login(reader)
    response = client.get("/accounts/my-data/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == reader.email
    assert [c["body"] for c in data["comments"]] == ["I was at the vote."]
    assert data["comments"][0]["ip_address"] == "192.0.2.1"
    assert data["comments"][0]["story"] == "Harbour vote due"


def test_the_data_download_needs_a_login(client):
    response = client.get("/accounts/my-data/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_closing_an_account_needs_the_password(client, reader_with_comments):
    reader = reader_with_comments[0]
    client.force_login(reader)
    response = client.post("/accounts/", {"password": "not it"})
    assert "That is not your password." in response.content.decode()
    reader.refresh_from_db()
    assert reader.is_active and reader.email


def test_closing_an_account_anonymises_and_keeps_the_thread(
    client, reader_with_comments, django_capture_on_commit_callbacks
):
    reader, story, mine, reply = reader_with_comments
    other_device = type(client)()
    other_device.force_login(reader)
    assert "I was at the vote." in client.get(story.get_absolute_url()).content.decode()

    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/", {"password": PASSWORD}, follow=True)
    assert "Your account is closed" in response.content.decode()

    reader.refresh_from_db()
    assert not reader.is_active and reader.email == ""
    assert not reader.has_usable_password()
    assert reader.username == f"deleted-{reader.pk}"
    comment = Comment.objects.get(pk=mine.pk)
    assert comment.ip_address is None and comment.user_agent == ""
    assert comment.author_name == "Former reader"
    # The thread reads as before, replies included, under the new name.
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "I was at the vote." in page and "So was I." in page
    assert "Former reader" in page
    # Signed out everywhere, and the old password opens nothing.
    assert other_device.get("/accounts/").status_code == 302
    assert not client.login(username=reader.email or "x", password=PASSWORD)


def test_staff_accounts_are_not_closed_from_the_reader_page(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.post("/accounts/", {"password": PASSWORD}, follow=True)
    assert "closed by an administrator" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active
