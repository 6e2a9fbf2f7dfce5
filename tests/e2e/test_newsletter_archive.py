"""A reader opens a newsletter's archive from the newsletters page, then a
sent edition, and reads a correction added after it went out; both screens
fit at 1280 and 375 px."""

import pytest
from django.utils import timezone

from articles.models import Correction
from newsletters.models import EditionStatus
from tests.e2e.journey_checks import assert_fits, keep_shots
from tests.factories import ArticleFactory
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    NewsletterFactory,
)

pytestmark = pytest.mark.e2e

SHOTS = "/work/notes/shots/i17-newsletters"
BODY = (
    '<p><strong class="lead-in">Why it matters:</strong> The harbour is run '
    "for a decade by whoever wins the vote on Thursday evening.</p>"
)


def test_a_reader_reads_a_past_edition_with_its_later_correction(
    page, live_server, screenshot
):
    shot = keep_shots(screenshot, SHOTS)
    brief = NewsletterFactory(name="Morning Brief", slug="morning-brief")
    edition = EditionFactory(
        newsletter=brief,
        subject="Harbour vote, ferry strike and a record-breaking regatta weekend",
        intro="Good morning. Three things to know today.",
        status=EditionStatus.SENT,
        sent_at=timezone.now(),
    )
    story = ArticleFactory(
        published=True,
        headline="Councillors-in-waiting prepare for the harbour-authority vote",
        dek="A decade of port policy is decided tonight.",
        body=BODY,
    )
    EditionItemFactory(edition=edition, story=story)
    Correction.objects.create(
        article=story, text="The vote is on Thursday, not Wednesday."
    )

    page.goto(live_server.url + "/newsletters/")
    page.get_by_role("link", name="Past editions of Morning Brief").click()
    page.get_by_role("heading", name="Morning Brief", exact=True).wait_for()
    assert_fits(page)
    shot(page, "newsletter-archive-1-list")

    page.get_by_role("link", name=edition.subject).click()
    page.get_by_role("heading", name=edition.subject).wait_for()
    notes = page.get_by_role("complementary", name="Corrections and updates")
    assert "The vote is on Thursday, not Wednesday." in notes.inner_text()
    assert page.get_by_role("link", name=story.headline).count() == 1
    assert_fits(page)
    shot(page, "newsletter-archive-2-edition")
