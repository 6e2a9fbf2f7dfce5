"""The public archive: each newsletter's sent editions, and each sent edition
as a web page showing what the email showed plus every correction and update
note its stories have had since (tested through the real page cache). Unsent
editions are nowhere; the pages cost the same with 2 or 20 of anything."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Correction
from articles.services import article_correct, article_unpublish
from newsletters.email import edition_bodies, edition_items
from newsletters.models import EditionStatus
from newsletters.sending import edition_send
from tests.factories import ArticleFactory, UserFactory
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    NewsletterFactory,
    SubscriptionFactory,
)
from tests.pagecache.test_pagecache import change, fetch

__all__ = ["change"]  # the fixture: a change in a transaction that commits

pytestmark = pytest.mark.django_db

BODY = (
    '<p><strong class="lead-in">Why it matters:</strong> The harbour is run '
    "for a decade by whoever wins.</p>"
    "<p>An ordinary paragraph in between.</p>"
    '<p><strong class="lead-in">The big picture:</strong> Ports along the '
    "coast are merging.</p>"
)


@pytest.fixture
def editor(roles):
    """A member of the Editors group: may correct and unpublish stories."""
    user = UserFactory(username="desk-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sent_edition(newsletter=None, *, items=1, days_ago=0, **fields):
    edition = EditionFactory(
        newsletter=newsletter or NewsletterFactory(),
        status=EditionStatus.SENT,
        sent_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )
    for n in range(items):
        EditionItemFactory(
            edition=edition,
            story=ArticleFactory(
                published=True,
                headline=f"Story {n} of {edition.subject}",
                dek=f"Dek {n}.",
                body=BODY,
            ),
            lead_ins=1,
        )
    return edition


def archive_url(newsletter) -> str:
    return reverse("newsletters:archive", args=[newsletter.slug])


def edition_url(edition) -> str:
    return reverse("newsletters:edition", args=[edition.newsletter.slug, edition.pk])


def test_the_archive_lists_only_sent_editions_newest_first(client):
    brief = NewsletterFactory(name="Morning Brief")
    older = sent_edition(brief, subject="Monday: ferries", days_ago=2)
    newer = sent_edition(brief, subject="Tuesday: harbour vote", days_ago=1)
    for status in [EditionStatus.DRAFT, EditionStatus.SCHEDULED]:
        EditionFactory(newsletter=brief, subject=f"Not out: {status}", status=status)
    EditionFactory(newsletter=brief, subject="Half out", status=EditionStatus.SENDING)
    EditionFactory(newsletter=brief, subject="Stopped", status=EditionStatus.STOPPED)
    sent_edition(subject="Another newsletter's edition")

    page = fetch(client, archive_url(brief))

    assert "Morning Brief" in page
    assert page.index("Tuesday: harbour vote") < page.index("Monday: ferries")
    assert edition_url(newer) in page and edition_url(older) in page
    for hidden in ["Not out", "Half out", "Stopped", "Another newsletter"]:
        assert hidden not in page


def test_the_archive_is_paginated(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    brief = NewsletterFactory()
    for n in range(5):
        sent_edition(brief, items=0, subject=f"Edition number {n}", days_ago=n)
    first = fetch(client, archive_url(brief))
    second = fetch(client, archive_url(brief) + "?page=2")
    assert [f"Edition number {n}" in first for n in range(5)] == [1, 1, 1, 0, 0]
    assert [f"Edition number {n}" in second for n in range(5)] == [0, 0, 0, 1, 1]
    assert "Older editions" in first and "Newer editions" in second


def test_a_newsletter_with_nothing_sent_says_so(client):
    brief = NewsletterFactory()
    EditionFactory(newsletter=brief, subject="Still a draft")
    page = fetch(client, archive_url(brief))
    assert "No edition has been sent yet." in page
    assert "Still a draft" not in page


def test_the_edition_page_shows_what_the_email_showed(client, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    edition = sent_edition(
        subject="Harbour vote", intro="Good morning.\n\nThree things today.", items=2
    )
    page = fetch(client, edition_url(edition))
    assert '<h1 class="edition__subject">Harbour vote</h1>' in page
    assert "Good morning." in page and "Three things today." in page
    assert edition.sent_at.strftime("%Y") in page
    for item in edition_items(edition):
        assert f'<a href="{item.url}">{item.headline}</a>' in page
        assert item.dek in page
        # The lead-in paragraph exactly as the email has it; not the rest.
        assert item.paragraphs == [
            '<p><strong class="lead-in">Why it matters:</strong> The harbour is '
            "run for a decade by whoever wins.</p>"
        ]
        assert item.paragraphs[0] in page
    assert "An ordinary paragraph" not in page
    assert "The big picture" not in page
    assert reverse("newsletters:archive", args=[edition.newsletter.slug]) in page


def test_a_story_taken_down_after_sending_is_left_out(client, editor, change):
    edition = sent_edition(items=2)
    kept, gone = [item.story for item in edition.items.order_by("position")]
    with change():
        article_unpublish(article=gone, by=editor)
    page = fetch(client, edition_url(edition))
    assert kept.headline in page
    assert gone.headline not in page


@pytest.mark.parametrize(
    "status",
    [
        EditionStatus.DRAFT,
        EditionStatus.SCHEDULED,
        EditionStatus.SENDING,
        EditionStatus.STOPPED,
    ],
)
def test_an_edition_not_sent_is_not_found(client, status):
    edition = EditionFactory(status=status, subject="Secret plans")
    EditionItemFactory(edition=edition)
    response = client.get(edition_url(edition))
    assert response.status_code == 404
    assert b"Secret plans" not in response.content


def test_crafted_addresses_are_not_found(client):
    edition = sent_edition(subject="Out already")
    other = NewsletterFactory(slug="the-weekly")
    slug = edition.newsletter.slug
    for url in [
        # The edition under another newsletter's address.
        f"/newsletters/{other.slug}/archive/{edition.pk}/",
        f"/newsletters/no-such-letter/archive/{edition.pk}/",
        "/newsletters/no-such-letter/archive/",
        f"/newsletters/{slug}/archive/{edition.pk + 1000}/",
        f"/newsletters/{slug}/archive/99999999999999999999999999/",
        f"/newsletters/{slug}/archive/9223372036854775808/",
        f"/newsletters/{slug}/archive/2147483648/",
        f"/newsletters/{slug}/archive/-1/",
        f"/newsletters/{slug}/archive/abc/",
        f"/newsletters/{slug}/archive/1e3/",
        f"/newsletters/{slug}/archive/{edition.pk}.0/",
        "/newsletters/%C3%A9t%C3%A9/archive/",
        "/newsletters/bad%20slug/archive/",
        "/newsletters/" + "x" * 5000 + "/archive/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Out already" not in response.content, url


def test_a_page_number_past_the_end_or_odd_shows_a_real_page(client):
    brief = NewsletterFactory()
    sent_edition(brief, subject="The only one")
    for query in ["?page=999999999999999999999", "?page=-3", "?page=abc"]:
        assert "The only one" in fetch(client, archive_url(brief) + query)


def test_a_later_correction_shows_on_the_cached_edition_at_once(client, editor, change):
    edition = sent_edition(subject="Harbour vote")
    story = edition.items.get().story
    other = sent_edition(subject="Unrelated")
    url = edition_url(edition)
    fetch(client, url, expect="MISS")
    first = fetch(client, url, expect="HIT")
    fetch(client, edition_url(other), expect="MISS")
    assert "Corrections and updates" not in first

    with change():
        article_correct(
            article=story,
            kind=Correction.Kind.CORRECTION,
            text="The vote is on Thursday, not Wednesday.",
            by=editor,
        )
    page = fetch(client, url, expect="MISS")
    assert "The vote is on Thursday, not Wednesday." in page
    assert "Corrections and updates" in page
    assert fetch(client, url, expect="HIT") == page
    # Editions without the story stay cached.
    fetch(client, edition_url(other), expect="HIT")

    with change():
        article_correct(
            article=story,
            kind=Correction.Kind.UPDATE,
            text="The council has now voted.",
            by=editor,
        )
    page = fetch(client, url, expect="MISS")
    assert page.index("Thursday, not Wednesday") < page.index("has now voted")


def test_an_edition_becoming_sent_refreshes_the_cached_archive(client, mailbox, change):
    brief = NewsletterFactory()
    sent_edition(brief, subject="Yesterday's edition", days_ago=1)
    fetch(client, archive_url(brief), expect="MISS")
    fetch(client, archive_url(brief), expect="HIT")
    SubscriptionFactory(newsletter=brief, email="reader@example.org")
    today = EditionFactory(newsletter=brief, subject="Today's edition")
    EditionItemFactory(edition=today)

    with change():
        edition_send(today)  # one batch, run at once by the eager job engine
    today.refresh_from_db()
    assert today.status == EditionStatus.SENT
    page = fetch(client, archive_url(brief), expect="MISS")
    assert page.index("Today&#x27;s edition") < page.index("Yesterday&#x27;s edition")
    assert fetch(client, edition_url(today)).count("edition__item") >= 1


def test_renaming_the_newsletter_refreshes_its_archive(client, change):
    brief = NewsletterFactory(name="Morning Brief")
    fetch(client, archive_url(brief), expect="MISS")
    fetch(client, archive_url(brief), expect="HIT")
    brief.name = "Breakfast Brief"
    with change():
        brief.save()
    assert "Breakfast Brief" in fetch(client, archive_url(brief), expect="MISS")


def test_the_email_links_to_its_page_on_the_web(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    edition = sent_edition(subject="Harbour vote")
    text, page = edition_bodies(edition, edition_items(edition), "r@example.org")
    web = "https://news.example" + edition_url(edition)
    assert f"Read on the web: {web}" in text
    assert f'href="{web}"' in page and "Read on the web" in page


def test_the_newsletters_page_links_each_archive(client):
    brief = NewsletterFactory(name="Morning Brief")
    weekly = NewsletterFactory(name="The Weekly")
    page = client.get(reverse("newsletters:list")).content.decode()
    assert archive_url(brief) in page and archive_url(weekly) in page
    assert "Past editions of Morning Brief" in page


# --- Query budgets ----------------------------------------------------------------


def queries(client, url) -> int:
    """Queries for one anonymous request with a cold cache (the worst case)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_edition_page_costs_the_same_with_2_and_20_stories(client):
    small, large = sent_edition(items=2), sent_edition(items=20)
    for edition in [small, large]:
        for item in edition.items.all():
            Correction.objects.create(article=item.story, text="Fixed a name.")
    few = queries(client, edition_url(small))
    many = queries(client, edition_url(large))
    assert many == few
    assert "Fixed a name." in client.get(edition_url(large)).content.decode()
    # The edition, its items with their stories, their notes; and the five
    # every page costs on a cold cache.
    assert few <= 8


def test_the_archive_costs_the_same_with_2_and_20_editions(client):
    small, large = NewsletterFactory(), NewsletterFactory()
    for n in range(2):
        sent_edition(small, items=1, days_ago=n)
    for n in range(20):
        sent_edition(large, items=1, days_ago=n)
    few = queries(client, archive_url(small))
    many = queries(client, archive_url(large))
    assert many == few
    # The newsletter, the count and the page of editions, and the masthead's
    # and trending strip's five on a cold cache.
    assert few <= 8
