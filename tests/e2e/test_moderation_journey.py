"""A moderator works the queue at 1280 px with the keyboard, approves inline,
and bans a reader for 7 days with a reason; the reader cannot post until the
ban ends by itself."""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import ReaderProfile
from comments.models import Comment, CommentStatus, ModerationLog
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.e2e.admin_pages import admin_login
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]

SHOTS = Path("/work/notes/shots/i15-moderation")

# Anything wider than the window, or any box that scrolls sideways.
OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = root.scrollWidth - root.clientWidth;
  const boxes = [...document.querySelectorAll("*")].filter((el) => {
    const style = getComputedStyle(el).overflowX;
    const scrolls = style === "auto" || style === "scroll";
    return scrolls && el.scrollWidth > el.clientWidth + 1;
  }).map((el) => `${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
  // A cell whose text runs out of it (into the next one) is cut off too.
  const cells = [...document.querySelectorAll("td, th")].filter(
    (cell) => cell.scrollWidth > cell.clientWidth + 1 && cell.offsetParent
  ).map((cell) => `${cell.className}: ${cell.innerText.slice(0, 30)}`);
  return {wide, boxes: boxes.concat(cells)};
}"""


def assert_fits(page, what, shot=None, name=""):
    """No sideways scrolling at 1280 or 375 px (a screenshot at 375 when
    asked); back to 1280 after."""
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if shot and width == 375:
            shot(page, f"{name}-375")
        found = page.evaluate(OVERFLOW)
        assert found["wide"] <= 0, (
            f"{what} at {width} px is {found['wide']} px too wide"
        )
        assert not found["boxes"], f"{what} at {width} px scrolls: {found['boxes']}"


@pytest.fixture
def shot(screenshot):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        shutil.copy(screenshot(page, f"moderation-{name}"), SHOTS / f"{name}.png")

    return take


def test_moderator_works_the_queue_by_keyboard_and_bans_for_seven_days(
    browser, live_server, shot, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    story = ArticleFactory(published=True, headline="Ferries return to the strait")
    moderator = UserFactory(username="mod", password="pw-moderator-1", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    regular = ReaderFactory()
    CommentFactory.create_batch(2, author=regular, article=story)
    parent = CommentFactory(
        article=story, author=regular, body="The timetable is a mess again."
    )
    troll = ReaderFactory(password="troll-reader-pass")
    ReaderProfile.objects.filter(user=troll).update(display_name="Harbour Troll")
    now = timezone.now()
    spam = CommentFactory(
        article=story,
        author=troll,
        parent=parent,
        status=CommentStatus.PENDING,
        hold_reason="contains “cheap tickets”",
        body="Cheap tickets at my site, best prices on the strait.",
        created_at=now - timedelta(hours=3),
    )
    spam.reports.create(reporter=ReaderFactory(), reason="Advertising")
    fair = CommentFactory(
        article=story,
        author=ReaderFactory(),
        status=CommentStatus.PENDING,
        hold_reason="first comment from this reader",
        body="Good news for the island schools at last.",
        created_at=now - timedelta(minutes=40),
    )

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    admin_login(page, "mod", "pw-moderator-1")
    page.goto("/admin/comments/comment/")

    # The queue opens on what waits, oldest first, every column readable.
    assert page.locator("#changelist-filter li.selected").inner_text().strip() == (
        "Awaiting review"
    )
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    for text in [
        "Cheap tickets at my site",
        "In reply to",
        "The timetable is a mess again.",
        "Ferries return to the strait",
        "contains “cheap tickets”",
        "1 report: Advertising",
        "Harbour Troll",
        "0 approved, 0 rejected",
        "3 h",
        "Awaiting review",
    ]:
        cell = first.get_by_text(text, exact=False).first
        assert cell.is_visible(), text
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 1280, f"{text} is cut off"
    assert "40 min" in rows.nth(1).inner_text()
    keys = page.locator(".queue-keys").inner_text()
    for key in ["j", "next", "k", "previous", "a", "approve", "r", "reject", "spam"]:
        assert key in keys
    shot(page, "1-queue-1280")
    assert_fits(page, "the queue", shot, "1-queue")

    # j moves to the second comment (focus shown), a approves it inline.
    assert "queue-current" in (first.get_attribute("class") or "")
    page.keyboard.press("j")
    second = rows.nth(1)
    assert "queue-current" in (second.get_attribute("class") or "")
    assert second.evaluate("row => document.activeElement === row")
    outline = second.evaluate("row => getComputedStyle(row).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("k")
    assert "queue-current" in (first.get_attribute("class") or "")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.locator(".messagelist", has_text="approved.").wait_for()
    assert Comment.objects.get(pk=fair.pk).status == CommentStatus.APPROVED
    assert page.locator("#result_list tbody tr").count() == 1
    assert (
        "Cheap tickets"
        in page.locator("#result_list tbody tr.queue-current").inner_text()
    )
    shot(page, "2-approved-inline")

    # Ban the troll from their row: a reason and a length, then a confirmation.
    page.locator("#result_list tbody tr", has_text="Cheap tickets").get_by_role(
        "link", name="Ban…"
    ).click()
    page.fill("#id_reason", "Advertising in every thread")
    page.get_by_label("7 days").check()
    page.get_by_label("Also reject their comments awaiting review").check()
    assert_fits(page, "the ban form", shot, "3-ban-form")
    shot(page, "3-ban-form")
    page.get_by_role("button", name="Ban…").click()
    until = (timezone.localtime() + timedelta(days=7)).strftime("%-d %b %Y")
    question = page.locator(".ban-question").inner_text()
    assert question.startswith("Ban Harbour Troll for 7 days? They will not be able ")
    assert f"to comment until {until}, " in question
    assert not ReaderProfile.objects.get(user=troll).banned_at
    assert_fits(page, "the ban confirmation", shot, "4-ban-confirm")
    shot(page, "4-ban-confirm")
    page.get_by_role("button", name="Yes, ban Harbour Troll").click()
    message = page.locator(".messagelist").inner_text()
    assert f"Harbour Troll is banned until {until}, " in message
    assert "1 waiting comment rejected." in message
    assert Comment.objects.get(pk=spam.pk).status == CommentStatus.REJECTED
    # Back on the queue, which has nothing left waiting.
    assert page.url.endswith("/admin/comments/comment/")
    assert page.locator("#result_list tbody tr").count() == 0
    shot(page, "5-banned")

    page.goto("/admin/comments/moderationlog/")
    logged = page.locator("#result_list tbody tr", has_text="banned the reader")
    assert "7 days: Advertising in every thread" in logged.inner_text()
    assert ModerationLog.objects.filter(action="ban", moderator=moderator).count() == 1
    assert_fits(page, "the moderation log", shot, "6-log")
    shot(page, "6-log")
    context.close()

    # The reader cannot post while banned, and can once the 7 days are over.
    reader_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    reader = reader_ctx.new_page()

    def log_in_and_post(body):
        reader.goto("/accounts/login/")
        reader.fill("#id_username", troll.username)
        reader.fill("#id_password", "troll-reader-pass")
        reader.click(".stacked-form button[type=submit]")
        reader.goto(story.get_absolute_url())
        reader.fill("#id_body", body)
        reader.click("#comments button[type=submit]")

    log_in_and_post("Why can I not post?")
    refused = reader.locator(".messages", has_text="cannot post comments until")
    refused.wait_for()
    assert until in refused.inner_text()
    assert not Comment.objects.filter(body="Why can I not post?").exists()
    assert_fits(reader, "the refused reader", shot, "7-reader-refused")
    shot(reader, "7-reader-refused")

    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1), tick=True)
    reader_ctx.clear_cookies()
    log_in_and_post("Back after a week, on topic this time.")
    reader.locator(".messages", has_text="awaiting review").wait_for()
    assert Comment.objects.filter(body__startswith="Back after a week").exists()
    shot(reader, "8-reader-back")
    reader_ctx.close()
