"""A reader's account from the sign-up form to the welcome page, and the
password reset email."""

import re
import urllib.parse

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import ReaderProfile
from tests.accounts.factories import ReaderFactory

pytestmark = pytest.mark.django_db


def test_reader_signs_up_confirms_by_email_and_is_logged_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "display_name": "Marta",
            "email": "Marta@Example.com",
            "password1": "a-long-harbour-password",
            "password2": "a-long-harbour-password",
        },
        follow=True,
    )
    assert "Check your email" in response.content.decode()
    assert "_auth_user_id" not in client.session
    profile = ReaderProfile.objects.get()
    assert (profile.display_name, profile.user.email) == ("Marta", "marta@example.com")
    assert not profile.user.is_staff and not profile.user.is_active

    (sent,) = mail.outbox
    assert sent.to == ["marta@example.com"]
    link = re.search(r"http://\S+/accounts/signup/confirm/\S+/", sent.body).group()
    path = urllib.parse.urlsplit(link).path
    assert "Open my account" in client.get(path).content.decode()
    welcome = client.post(path, follow=True)

    assert "Welcome!" in welcome.content.decode()
    assert client.session["_auth_user_id"] == str(profile.user.pk)
    profile.user.refresh_from_db()
    assert profile.user.is_active
    assert client.post(path).status_code == 404  # the link works once


@pytest.mark.parametrize(
    "data, message",
    [
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password2": "different-password-1"}, "The two passwords differ."),
        ({"display_name": "   "}, "This field is required."),
    ],
)
def test_sign_up_errors_are_explained(client, data, message):
    base = {
        "display_name": "Marta",
        "email": "marta@example.com",
        "password1": "a-long-harbour-password",
        "password2": "a-long-harbour-password",
    }
    response = client.post(reverse("accounts:signup"), base | data)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ReaderProfile.objects.exists()


def test_password_reset_sends_an_email(client):
    regular = ReaderFactory()
    client.post(reverse("accounts:password_reset"), {"email": regular.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
