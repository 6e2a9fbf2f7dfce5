"""An editor makes the morning brief in the admin: creates the edition,
fills it from the front page, moves one story down, drops another and trims
a third, writes the intro, previews it (the email and its plain text), sends
a test to themself and schedules it. Once it is sent, a correction added to
one of its stories in the story form shows on the archived edition's page.
The edition's admin page, the preview and the archived edition fit at 1280
and 375 px. (A reader subscribing from a story's box is
test_newsletter_journey.py.)

The live server runs in this process, on Django's test (locmem) email
backend: the test email is read from django.core.mail.outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from newsletters import sending
from newsletters.models import Edition, EditionStatus, SubscriptionStatus
from tests.e2e.admin_pages import add_correction, admin_login, staff
from tests.e2e.journey_checks import WIDTHS, assert_fits, keep_shots
from tests.factories import ArticleFactory
from tests.newsletters.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.e2e

SHOTS = "/work/notes/shots/i17-newsletters"
BODY = (
    '<p><strong class="lead-in">Why it matters:</strong> {}</p>'
    "<p>More of the story that stays on the site.</p>"
)


def at_both_widths(shot):
    """Screenshots at 1280 and at 375 px, under test-artifacts/ (and the
    lead's folder when it exists)."""

    def take(page, name: str) -> None:
        height = page.viewport_size["height"]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            shot(page, f"{name}-{width}")
        page.set_viewport_size({"width": WIDTHS[0], "height": height})

    return take


def stories():
    """Four published stories, newest first on the front page."""
    now = timezone.now()
    made = {}
    for hours, headline, dek, lead in [
        (1, "Councillors prepare for the harbour-authority vote",
         "A decade of port policy is decided tonight.",
         "Whoever wins runs the harbour for ten years."),
        (2, "Ferry strike called off after overnight talks",
         "Crossings run to the usual timetable from 6:00.",
         "Commuters to the islands can travel as normal."),
        (3, "Regatta weekend breaks its entry record",
         "Four hundred boats are signed up.",
         "Road closures along the quay start on Friday."),
        (4, "Library opens on Sundays from January",
         "A trial of six months, funded by the city.",
         "It is the first Sunday opening in twenty years."),
    ]:  # fmt: skip
        made[headline] = ArticleFactory(
            published=True,
            published_at=now - timedelta(hours=hours),
            headline=headline,
            dek=dek,
            body=BODY.format(lead),
        )
    return list(made.values())


def item_rows(page) -> list[str]:
    """The edition's stories as the inline lists them, top to bottom."""
    return [
        cell.strip()
        for cell in page.locator(
            "#items-group tr.form-row.has_original td.field-headline"
        ).all_inner_texts()
    ]


def says(page, text: str) -> None:
    """The admin's message list (after the page the button led to loaded)
    shows `text`."""
    page.locator(".messagelist li", has_text=text).wait_for()


def row_of(page, headline: str):
    return page.locator("#items-group tr.form-row", has_text=headline)


def test_an_editor_makes_previews_tests_and_schedules_the_morning_brief(
    page, live_server, screenshot, settings, roles
):
    settings.NEWSROOM_SITE_URL = live_server.url
    shot = at_both_widths(keep_shots(screenshot, SHOTS))
    harbour, ferry, regatta, library = stories()
    brief = NewsletterFactory(
        name="Morning Brief", slug="morning-brief", sender="brief@cupure.example"
    )
    for n in range(3):
        SubscriptionFactory(
            newsletter=brief,
            email=f"reader{n}@example.org",
            status=SubscriptionStatus.CONFIRMED,
        )
    editor = staff("desk-editor", "cupure-desk-editor", "Editors")
    editor.email = "desk@cupure.example"
    editor.save()

    admin_login(page, "desk-editor", "cupure-desk-editor")
    page.goto("/admin/newsletters/edition/add/")
    page.get_by_label("Newsletter").select_option(label="Morning Brief")
    page.get_by_label("Subject").fill("Harbour vote, ferries back, a record regatta")
    page.click("input[name=_continue]")
    says(page, "was added successfully")
    assert "This edition is draft." in page.locator(".edition-progress").inner_text()
    edition = Edition.objects.get()

    # Fill from the front page: its four stories, newest first.
    page.get_by_role("button", name="Fill from the front page").click()
    says(page, "4 stories from the front page were added.")
    assert item_rows(page) == [
        harbour.headline,
        ferry.headline,
        regatta.headline,
        library.headline,
    ]

    # The ferry story goes to the bottom, the library one out, the regatta
    # one without its dek or lead-in; and the intro.
    row_of(page, ferry.headline).locator("td.field-position input").fill("9")
    row_of(page, library.headline).locator("td.delete input[type=checkbox]").check()
    regatta_row = row_of(page, regatta.headline)
    regatta_row.locator("td.field-include_dek input").uncheck()
    regatta_row.locator("td.field-lead_ins input").fill("0")
    page.get_by_label("Intro").fill(
        "Good morning. The harbour decides tonight, and the ferries run."
    )
    page.click("input[name=_continue]")
    says(page, "was changed successfully")
    assert item_rows(page) == [harbour.headline, regatta.headline, ferry.headline]
    assert_fits(page)
    shot(page, "newsletter-edition-1-admin")

    # The preview: the email as a mail program shows it, and its plain text.
    page.get_by_role("link", name="Preview").click()
    page.get_by_role("heading", name="Plain text").wait_for()
    text = page.locator(".edition-preview__text").inner_text()
    assert "Good morning. The harbour decides tonight" in text
    assert text.index(harbour.headline) < text.index(regatta.headline)
    assert text.index(regatta.headline) < text.index(ferry.headline)
    assert library.headline not in text
    assert "Whoever wins runs the harbour for ten years." in text
    assert "Road closures along the quay" not in text  # its lead-in trimmed
    assert regatta.dek not in text
    email_view = page.frame_locator("iframe[title='The email, as HTML']")
    email_view.get_by_role("link", name=harbour.headline).wait_for()
    assert "Unsubscribe" in email_view.locator("body").inner_text()
    assert_fits(page)
    shot(page, "newsletter-edition-2-preview")

    # A test to the editor's own address, and nobody else.
    page.get_by_role("link", name="Back to the edition").click()
    page.get_by_role("button", name="Send a test to me (desk@cupure.example)").click()
    says(page, "A test was sent to desk@cupure.example.")
    [test_copy] = mail.outbox
    assert test_copy.to == ["desk@cupure.example"]
    assert test_copy.subject == "Harbour vote, ferries back, a record regatta"
    assert test_copy.from_email == "brief@cupure.example"
    assert harbour.headline in test_copy.body
    assert edition.deliveries.count() == 0

    # Scheduled for tomorrow at 6:30.
    page.get_by_role("link", name="Send now or schedule").click()
    assert (
        "Send “Morning Brief” to 3 subscribers?"
        in page.locator(".edition-send__question").inner_text()
    )
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Send at").fill(tomorrow.strftime("%Y-%m-%dT06:30"))
    page.get_by_role("button", name="Schedule").click()
    says(page, f"Scheduled for {tomorrow:%Y-%m-%d} 06:30.")
    assert (
        "This edition is scheduled." in page.locator(".edition-progress").inner_text()
    )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED

    # Its time comes (sent here through the service), then a correction.
    mail.outbox.clear()
    assert sending.edition_send(edition) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"reader{n}@example.org" for n in range(3)
    ]
    page.goto(f"/admin/articles/article/{harbour.pk}/change/")
    add_correction(page, "The vote is at 19:00, not 18:00.")

    page.goto(f"/newsletters/morning-brief/archive/{edition.pk}/")
    page.get_by_role(
        "heading", name="Harbour vote, ferries back, a record regatta"
    ).wait_for()
    main = page.locator("main").inner_text()
    assert main.index(harbour.headline) < main.index(regatta.headline)
    assert main.index(regatta.headline) < main.index(ferry.headline)
    assert library.headline not in main
    notes = page.get_by_role("complementary", name="Corrections and updates")
    assert "The vote is at 19:00, not 18:00." in notes.inner_text()
    assert_fits(page)
    shot(page, "newsletter-edition-3-archived")
