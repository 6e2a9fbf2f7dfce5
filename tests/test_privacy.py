"""Readers' own data: download it, close the account; logs keep no secrets and
carry a request id."""

import json
import logging
import re

import pytest
from django.core import mail

from comments.models import Comment
from newsroom.logs import JsonFormatter, RequestIdFilter, redact
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # the factories' password


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


# --- Logs ---------------------------------------------------------------------


def test_every_response_carries_a_request_id(client):
    response = client.get("/robots.txt")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    given = client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-1234")
    assert given["X-Request-ID"] == "lb-1234"
    hostile = client.get("/robots.txt", HTTP_X_REQUEST_ID="<script>\n")
    assert hostile["X-Request-ID"] != "<script>\n"


def test_logs_are_json_with_the_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-5678")
    record = next(r for r in caplog.records if r.name == "newsroom.requests")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/robots.txt" and line["status"] == 200
    assert line["request_id"] == "lb-5678"


def test_no_password_token_or_session_reaches_the_logs(client, caplog, settings):
    reader = ReaderFactory(email="known@example.com", username="known@example.com")
    with caplog.at_level(logging.DEBUG):
        client.post(
            "/accounts/login/",
            {"username": reader.username, "password": "hunter2-secret"},
        )
        client.post("/accounts/password-reset/", {"email": "known@example.com"})
        link = re.search(r"/accounts/reset/\S+/\S+/", mail.outbox[0].body).group(0)
        client.get(link)
        client.post(
            "/accounts/login/", {"username": reader.username, "password": PASSWORD}
        )
    session_id = client.cookies["sessionid"].value
    formatter = JsonFormatter()
    output = "\n".join(formatter.format(record) for record in caplog.records)
    token = link.rstrip("/").split("/")[-1]
    for secret in ["hunter2-secret", PASSWORD, session_id, token]:
        assert secret not in output


def test_redaction():
    assert redact("password=hunter2&next=/") == "password=[redacted]&next=/"
    assert redact('{"token": "abc123"}') == '{"token": "[redacted]"}'
    assert redact("/accounts/reset/MQ/c1x-abc/") == "/accounts/reset/[redacted]/"
    assert "abc.def" not in redact("Authorization: Bearer abc.def")
