"""A reader signs up (confirming by email), logs in with "Email", and resets
the password; every page and both emails carry the publication's name."""

import re

import pytest
from django.core import mail

from tests.e2e.journey_checks import assert_fits, keep_shots

pytestmark = pytest.mark.e2e

NAME = "Quillbury Ledger"
SHOTS = "/work/notes/shots/i15-tags-site"


def assert_publication(page, host: str) -> None:
    """The name in the title, the masthead and the footer; the host as a
    brand nowhere; and the page fits at 1280 and 375 px."""
    assert page.title().endswith(f"– {NAME}"), page.title()
    assert page.locator(".masthead__logo").inner_text().endswith(NAME)
    assert page.locator(".site-footer__name").inner_text() == NAME
    assert host not in page.locator("body").inner_text()
    assert_fits(page)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_reader_signs_up_logs_in_with_email_and_resets_the_password(
    page, live_server, screenshot, settings
):
    settings.NEWSROOM_SITE_NAME = NAME
    settings.NEWSROOM_SITE_URL = live_server.url
    settings.NEWSROOM_PAGE_CACHE = False
    host = live_server.url.split("//", 1)[1]
    shot = keep_shots(screenshot, SHOTS)

    page.goto("/accounts/signup/")
    assert_publication(page, host)
    page.get_by_label("Display name").fill("Harbour Watcher")
    page.get_by_label("Email").fill("watcher@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-harbour-password")
    page.get_by_label("Password again").fill("a-long-harbour-password")
    shot(page, "reader-1-sign-up")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email", exact=True).wait_for()
    assert_publication(page, host)

    [confirmation] = mail.outbox
    assert confirmation.subject == f"Confirm your {NAME} account"
    assert host not in confirmation.subject
    page.goto(link_in(confirmation))
    assert_publication(page, host)
    page.get_by_role("button", name="Open my account").click()
    page.get_by_text("Welcome! You can now join the discussions.").wait_for()
    page.get_by_role("button", name="Log out").click()

    page.goto("/accounts/login/")
    email = page.get_by_label("Email")
    assert email.get_attribute("type") == "email"
    assert email.get_attribute("autocomplete") == "email"
    assert page.get_by_text("Username").count() == 0
    assert_publication(page, host)
    email.fill("watcher@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("That email and password do not match an account.").wait_for()
    shot(page, "reader-2-login-refused")
    page.get_by_label("Email").fill("Watcher@Example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-harbour-password")
    page.get_by_role("button", name="Log in").click()
    page.locator(".account-nav__name", has_text="Harbour Watcher").wait_for()

    page.goto("/accounts/")
    page.get_by_role("heading", name="Your account", exact=True).wait_for()
    assert_publication(page, host)
    shot(page, "reader-3-account")
    page.get_by_role("link", name="Change your password").click()
    assert_publication(page, host)
    page.get_by_label("Email").fill("watcher@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email", exact=True).wait_for()
    assert_publication(page, host)

    reset = mail.outbox[-1]
    assert reset.subject == f"Choose a new password for your {NAME} account"
    assert f"your {NAME} account" in reset.body and f"The {NAME} team" in reset.body
    assert "127.0.0.1:8000" not in reset.subject + reset.body.replace(
        link_in(reset), ""
    )
    page.goto(link_in(reset))
    page.get_by_role("heading", name="Choose a new password", exact=True).wait_for()
    assert_publication(page, host)
    page.get_by_label(re.compile(r"^New password:?$")).fill("another-long-password")
    page.get_by_label("New password confirmation").fill("another-long-password")
    shot(page, "reader-4-new-password")
    page.get_by_role("button", name="Save password").click()
    page.get_by_role("heading", name="Password changed", exact=True).wait_for()
    assert_publication(page, host)
    shot(page, "reader-5-password-changed")
