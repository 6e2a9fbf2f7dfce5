"""Composing an edition in the admin: what the email looks like, the
preview, the test send, filling from the front page, and who may send."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletters.email import edition_bodies, edition_items, edition_message
from newsletters.models import Delivery, Edition, EditionItem, EditionStatus
from tests.factories import ArticleFactory, UserFactory
from tests.newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

BODY = (
    '<p><strong class="lead-in">Why it matters:</strong> The harbour is run '
    "for a decade by whoever wins.</p>"
    "<p>An ordinary paragraph in between.</p>"
    '<p><strong class="lead-in">The big picture:</strong> Ports along the '
    "coast are merging.</p>"
    '<p><strong class="lead-in">What\'s next:</strong> A second vote.</p>'
)


def staff(username: str, role: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_in_role(roles, client):
    client.force_login(staff("desk-editor", "Editors"))
    return client


@pytest.fixture
def journalist_in_role(roles, client):
    client.force_login(staff("reporter", "Journalists"))
    return client


@pytest.fixture
def edition(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    edition = EditionFactory(
        subject="Harbour vote", intro="Good morning.\n\n<b>Not bold</b> & plain."
    )
    story = ArticleFactory(
        published=True,
        headline="Council votes on the harbour",
        dek="A decade of port policy is decided tonight.",
        body=BODY,
    )
    EditionItemFactory(edition=edition, story=story, lead_ins=2, include_dek=True)
    return edition


def test_the_email_has_the_chosen_parts_of_each_story(edition):
    story = edition.items.get().story
    text, page = edition_bodies(edition, edition_items(edition), "reader@example.org")

    url = "https://news.example" + story.get_absolute_url()
    assert f'<a href="{url}"' in page
    assert "A decade of port policy is decided tonight." in page
    # The first two lead-in paragraphs, bold as on the site; not the third,
    # nor the paragraph without a lead-in.
    assert re.search(r'<strong class="lead-in" style="[^"]*font-weight: ?700', page)
    assert "Why it matters:" in page and "The big picture:" in page
    assert "What's next" not in page and "ordinary paragraph" not in page
    assert "Read more" in page
    # Plain text: the same, without markup.
    assert "Why it matters: The harbour is run for a decade" in text
    assert "The big picture: Ports along the coast are merging." in text
    assert f"Read more: {url}" in text
    assert "<strong" not in text


def test_the_html_is_inlined_table_free_and_self_contained(edition):
    _text, page = edition_bodies(edition, edition_items(edition), "r@example.org")
    assert "<table" not in page
    assert "<script" not in page
    assert "<style" not in page  # inlined into the elements
    assert "@import" not in page and "fonts.googleapis" not in page
    assert 'name="viewport"' in page
    assert re.search(r'<div class="wrap" style="[^"]*max-width: ?600px', page)
    # The intro is the editor's plain text, escaped.
    assert "&lt;b&gt;Not bold&lt;/b&gt; &amp; plain." in page
    assert "<b>Not bold</b>" not in page


def test_the_message_has_both_parts_the_branding_and_the_way_out(edition, settings):
    settings.NEWSROOM_SITE_NAME = "Harbour Times"
    message = edition_message(edition, edition_items(edition), "reader@example.org")
    assert message.subject == "Harbour vote"
    assert message.to == ["reader@example.org"]
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert "/newsletters/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    [(page, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Harbour Times" in page and "Harbour Times" in message.body
    assert "/newsletters/preferences/" in page
    assert "/newsletters/unsubscribe/" in page
    assert "/newsletters/unsubscribe/" in message.body


def test_the_preview_shows_both_parts(editor_in_role, edition):
    preview = editor_in_role.get(
        reverse("admin:newsletters_edition_preview", args=[edition.pk])
    )
    page = preview.content.decode()
    assert preview.status_code == 200
    email_url = reverse("admin:newsletters_edition_preview_email", args=[edition.pk])
    assert f'<iframe src="{email_url}"' in page
    assert "Why it matters: The harbour is run" in page  # the plain text part
    framed = editor_in_role.get(email_url)
    assert framed.status_code == 200
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]
    assert "script-src 'none'" in framed["Content-Security-Policy"]
    assert "Council votes on the harbour" in framed.content.decode()


def test_a_test_goes_to_the_editor_only(editor_in_role, edition, mailbox):
    SubscriptionFactory(newsletter=edition.newsletter, email="reader@example.org")
    response = editor_in_role.post(
        reverse("admin:newsletters_edition_send_test", args=[edition.pk]),
        follow=True,
    )
    assert "A test was sent to desk-editor@example.com" in response.content.decode()
    assert [m["To"] for m in mailbox.messages] == ["desk-editor@example.com"]
    assert not Delivery.objects.exists()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_an_editor_sends_after_confirming(editor_in_role, edition, mailbox):
    SubscriptionFactory(newsletter=edition.newsletter, email="a@example.org")
    SubscriptionFactory(newsletter=edition.newsletter, email="b@example.org")
    url = reverse("admin:newsletters_edition_send", args=[edition.pk])
    question = editor_in_role.get(url).content.decode()
    assert "to 2 subscribers?" in question
    assert mailbox.messages == []

    done = editor_in_role.post(url, {"confirm": "yes", "now": "1"}, follow=True)

    page = done.content.decode()
    assert "Sending to 2 subscribers." in page
    assert '<span data-status="sent">2</span>' in page
    assert sorted(m["To"] for m in mailbox.messages) == [
        "a@example.org",
        "b@example.org",
    ]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_an_editor_schedules_and_a_past_time_is_refused(editor_in_role, edition):
    url = reverse("admin:newsletters_edition_send", args=[edition.pk])
    past = editor_in_role.post(
        url, {"confirm": "yes", "schedule": "1", "send_at": "2001-01-01T07:00"}
    )
    assert "Choose a time in the future." in past.content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT

    editor_in_role.post(
        url, {"confirm": "yes", "schedule": "1", "send_at": "2099-06-01T07:00"}
    )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED
    assert edition.send_at.year == 2099


def test_a_journalist_composes_but_a_crafted_send_is_forbidden(
    journalist_in_role, edition, mailbox
):
    SubscriptionFactory(newsletter=edition.newsletter, email="a@example.org")
    change = journalist_in_role.get(
        reverse("admin:newsletters_edition_change", args=[edition.pk])
    )
    assert change.status_code == 200
    assert "Send now or schedule" not in change.content.decode()
    url = reverse("admin:newsletters_edition_send", args=[edition.pk])

    sent = journalist_in_role.post(url, {"confirm": "yes", "now": "1"})
    scheduled = journalist_in_role.post(
        url, {"confirm": "yes", "schedule": "1", "send_at": "2099-06-01T07:00"}
    )

    assert sent.status_code == 403 and scheduled.status_code == 403
    assert mailbox.messages == []
    assert not Delivery.objects.exists()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_fill_from_the_front_page_adds_its_stories_once(editor_in_role, roles):
    edition = EditionFactory()
    stories = ArticleFactory.create_batch(3, published=True)
    ArticleFactory(headline="Still a draft")
    url = reverse("admin:newsletters_edition_fill", args=[edition.pk])

    assert editor_in_role.get(url).status_code == 405
    editor_in_role.post(url)
    editor_in_role.post(url)  # twice: nothing added the second time

    items = list(edition.items.order_by("position"))
    assert {item.story for item in items} == set(stories)
    assert [item.position for item in items] == [1, 2, 3]


def test_a_sent_edition_can_no_longer_be_changed(editor_in_role, edition):
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.SENT)
    change = editor_in_role.post(
        reverse("admin:newsletters_edition_change", args=[edition.pk]),
        {"subject": "Rewritten after the fact"},
    )
    assert change.status_code == 403
    edition.refresh_from_db()
    assert edition.subject == "Harbour vote"


def test_the_edition_page_keeps_its_queries_as_items_grow(editor_in_role):
    def queries_with(count: int) -> int:
        edition = EditionFactory()
        stories = ArticleFactory.create_batch(count, published=True)
        for story in stories:
            EditionItem.objects.create(edition=edition, story=story)
        url = reverse("admin:newsletters_edition_change", args=[edition.pk])
        with CaptureQueriesContext(connection) as queries:
            response = editor_in_role.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert all(story.headline in page for story in stories)
        return len(queries)

    assert queries_with(2) == queries_with(20) <= 15
