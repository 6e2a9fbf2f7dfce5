"""A reader subscribes from a story page's box, is told to check their
inbox, confirms from the emailed link, and sees the confirmation page; every
screen fits at 1280 and 375 px."""

import re

import pytest
from django.core import mail

from newsletters.models import Subscription, SubscriptionStatus
from tests.e2e.journey_checks import WIDTHS, assert_fits, keep_shots
from tests.factories import ArticleFactory
from tests.newsletters.factories import NewsletterFactory

pytestmark = pytest.mark.e2e

SHOTS = "/work/notes/shots/i17-newsletters"


def both_widths(shot):
    """Screenshots at 1280 and at 375 px, under test-artifacts/ (and the
    lead's folder when it exists)."""

    def take(page, name: str) -> None:
        height = page.viewport_size["height"]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            shot(page, f"{name}-{width}")
        page.set_viewport_size({"width": WIDTHS[0], "height": height})

    return take


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/newsletters/confirm/\S+/", message.body).group(0)


def test_reader_subscribes_from_a_story_and_confirms_by_email(
    page, live_server, screenshot, settings
):
    settings.NEWSROOM_SITE_URL = live_server.url
    shot = both_widths(keep_shots(screenshot, SHOTS))
    NewsletterFactory(name="Morning Brief", schedule="Weekdays at 7:00")
    NewsletterFactory(name="The Weekly", schedule="Sundays at 9:00")
    story = ArticleFactory(published=True, headline="Harbour talks resume")

    page.goto(story.get_absolute_url())
    box = page.get_by_role("complementary", name="Get the newsletter")
    box.get_by_label("Your email address").fill("harbour.reader@example.com")
    assert_fits(page)
    shot(page, "newsletter-1-story-box")
    box.get_by_role("button", name="Sign up").click()

    page.get_by_role("heading", name="Newsletters", exact=True).wait_for()
    assert (
        page.get_by_label("Your email address").input_value()
        == "harbour.reader@example.com"
    )
    page.get_by_label("Morning Brief").check()
    assert_fits(page)
    shot(page, "newsletter-2-choose")
    page.get_by_role("button", name="Subscribe").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert "a message with a confirmation link is on its way" in page.inner_text("main")
    assert_fits(page)
    shot(page, "newsletter-3-check-inbox")

    [message] = mail.outbox
    assert message.to == ["harbour.reader@example.com"]
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    page.goto(confirmation_link(message))
    page.get_by_role("heading", name="Confirm your newsletters").wait_for()
    assert "Morning Brief" in page.inner_text("main")
    assert_fits(page)
    shot(page, "newsletter-4-confirm")
    page.get_by_role("button", name="Yes, send me these newsletters").click()

    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert "Morning Brief — Weekdays at 7:00" in page.inner_text("main")
    assert "The Weekly" not in page.inner_text("main")
    assert_fits(page)
    shot(page, "newsletter-5-subscribed")
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert subscription.newsletter.name == "Morning Brief"
