"""Every reader's page and email carries the publication's name from
NEWSROOM_SITE_NAME, never the host name Django's auth views would use, and
the login field asks for the email readers sign in with."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.accounts.factories import ReaderFactory

pytestmark = pytest.mark.django_db

NAME = "Quillbury Ledger"
HOST = "testserver"


@pytest.fixture(autouse=True)
def publication(settings):
    settings.NEWSROOM_SITE_NAME = NAME
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def reader():
    return ReaderFactory(
        username="reader@example.com",
        email="reader@example.com",
        password="a-long-harbour-password",
    )


def reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def assert_named(page: str) -> None:
    """The name in the title, the masthead and the footer; the host never."""
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip().endswith(f"– {NAME}"), title
    assert re.search(r'class="masthead__logo"[^>]*>.*?' + NAME, page, re.S)
    assert re.search(r'class="site-footer__name">' + NAME, page)
    assert HOST not in page.replace(f"http://{HOST}", "")


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:signup_sent"),
        reverse("accounts:password_reset"),
        reverse("accounts:password_reset_done"),
        reverse("accounts:password_reset_complete"),
    ],
)
def test_every_account_page_carries_the_publications_name(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_named(response.content.decode())


def test_the_reset_confirmation_and_account_pages_carry_it_too(client, reader):
    response = client.get(reset_link(reader), follow=True)
    assert response.status_code == 200
    assert_named(response.content.decode())
    client.force_login(reader)
    assert_named(client.get(reverse("accounts:account")).content.decode())


def test_the_reset_email_is_the_publications(client, reader, settings):
    settings.NEWSROOM_SITE_URL = "https://ledger.example"
    client.post(reverse("accounts:password_reset"), {"email": "reader@example.com"})

    [message] = mail.outbox
    assert message.subject == f"Choose a new password for your {NAME} account"
    assert f"your {NAME} account" in message.body
    assert f"The {NAME} team" in message.body
    assert re.search(r"https://ledger\.example/accounts/reset/\S+/\S+/", message.body)
    assert HOST not in message.subject + message.body


def test_the_sign_up_email_is_the_publications(client):
    client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Newcomer",
            "email": "new@example.com",
            "password1": "a-long-harbour-password",
            "password2": "a-long-harbour-password",
        },
    )
    [message] = mail.outbox
    assert message.subject == f"Confirm your {NAME} account"
    assert NAME in message.body and HOST not in message.body


def test_the_admin_is_titled_with_the_publications_name(admin_client, client):
    login = client.get(reverse("admin:login")).content.decode()
    assert f"<title>Log in | {NAME} newsroom</title>" in login
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert f"{NAME} newsroom</a>" in index
    assert "Cupure" not in index


def test_the_login_field_asks_for_an_email(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<label for="id_username">Email:</label>' in page
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert 'type="email"' in field and 'autocomplete="email"' in field
    assert "Username" not in page


def test_a_failed_login_says_email(client, reader):
    response = client.post(
        reverse("accounts:login"),
        {"username": "reader@example.com", "password": "wrong"},
    )
    page = response.content.decode()
    assert "That email and password do not match an account." in page
    assert (
        "username"
        not in page.replace('name="username"', "").replace('id_username"', "").lower()
    )
    empty = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert "Enter your email address." in empty.content.decode()


def test_a_reader_logs_in_with_an_email_in_other_capitals(client, reader):
    response = client.post(
        reverse("accounts:login"),
        {"username": "Reader@Example.com", "password": "a-long-harbour-password"},
    )
    assert response.status_code == 302
