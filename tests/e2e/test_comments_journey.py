import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from comments.models import Comment, CommentReport, CommentStatus
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.e2e.admin_pages import admin_login, assert_no_horizontal_overflow
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("roles")]


def test_reader_comment_is_moderated_then_replied_to_and_reported(
    browser, live_server, screenshot
):
    story = ArticleFactory(
        published=True,
        headline="Ferries return to the strait",
        comments_mode="premoderated",
    )
    moderator = UserFactory(username="mod", password="pw-moderator-1", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    second = ReaderFactory(password="second-reader-pass")
    CommentFactory.create_batch(5, author=second)  # trusted: skips pre-moderation
    url = story.get_absolute_url()

    # A new reader signs up from the story and comments.
    reader_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    page = reader_ctx.new_page()
    page.goto(url)
    page.click("#comments >> text=sign up")
    page.fill("#id_display_name", "Marta from Tessmund")
    page.fill("#id_email", "marta@example.com")
    page.fill("#id_password1", "a-long-harbour-password")
    page.fill("#id_password2", "a-long-harbour-password")
    page.click(".stacked-form button[type=submit]")
    page.get_by_role("heading", name="Check your email").wait_for()
    (welcome,) = mail.outbox
    link = re.search(r"/accounts/signup/confirm/\S+", welcome.body).group()
    page.goto(link)
    page.click("text=Open my account")
    page.wait_for_url(f"**{url}*")
    page.fill("#id_body", "Good news for the island schools at last.")
    page.click("#comments button[type=submit]")
    page.locator(".messages", has_text="awaiting review").wait_for()
    mine = page.locator(".comment", has_text="Good news for the island schools")
    assert "Awaiting review" in mine.inner_text()
    screenshot(page, "comments-journey-1-awaiting-review")
    comment = Comment.objects.get(body__startswith="Good news")
    assert comment.status == CommentStatus.PENDING

    # The moderator approves it from the queue.
    mod_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1400, "height": 1000}
    )
    mod_page = mod_ctx.new_page()
    admin_login(mod_page, "mod", "pw-moderator-1")
    mod_page.goto("/admin/comments/comment/")
    row = mod_page.locator("#result_list tbody tr", has_text="Good news for the island")
    assert "first comment from this reader" in row.inner_text()
    assert "Ferries return to the strait" in row.inner_text()
    screenshot(mod_page, "comments-journey-2-queue")
    row.locator("input[name=_selected_action]").check()
    mod_page.select_option("select[name=action]", "approve")
    mod_page.click("button[name=index]")
    mod_page.locator(".messagelist", has_text="1 comment approved.").wait_for()

    page.reload()
    published = page.locator(".comment", has_text="Good news for the island schools")
    assert "Awaiting review" not in published.inner_text()

    # Another reader sees it, replies, and reports it.
    other_ctx = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 1000}
    )
    other = other_ctx.new_page()
    other.goto("/accounts/login/")
    other.fill("#id_username", second.username)
    other.fill("#id_password", "second-reader-pass")
    other.click(".stacked-form button[type=submit]")
    other.goto(url)
    target = other.locator(f"#comment-{comment.pk}")
    assert "Good news for the island schools" in target.inner_text()
    # The page's one reply form waits out of sight until a Reply is opened.
    assert not other.locator("#reply-form").is_visible()
    reply_button = target.get_by_role("button", name="Reply", exact=True)
    reply_button.click()
    assert other.locator("#reply-form").is_visible()
    assert reply_button.get_attribute("aria-expanded") == "true"
    reply_button.click()  # pressed again, the form goes away
    assert not other.locator("#reply-form").is_visible()
    reply_button.click()
    assert other.locator("#reply-form").is_visible()
    target.locator("textarea[name=body]").fill("Agreed, and the clinics too.")
    assert target.locator("label[for=reply-body]").inner_text() == (
        "Reply to Marta from Tessmund"
    )
    screenshot(other, "comments-journey-3a-reply-form")
    target.locator("button", has_text="Post reply").click()
    other.locator(".messages", has_text="published").wait_for()
    reply = Comment.objects.get(body="Agreed, and the clinics too.")
    assert reply.parent == comment
    assert other.locator(f"#comment-{comment.pk} .comment-list--replies").inner_text()

    other.locator(f"#comment-{comment.pk} > article a", has_text="Report").click()
    other.fill("#id_reason", "It repeats a rumour about the clinics.")
    other.click(".stacked-form button[type=submit]")
    other.locator(".messages", has_text="A moderator will look").wait_for()
    assert CommentReport.objects.filter(comment=comment, reporter=second).exists()
    screenshot(other, "comments-journey-3-reply")

    for context in (reader_ctx, mod_ctx, other_ctx):
        context.close()


def test_reply_without_javascript_goes_through_the_comments_own_page(
    browser, live_server, screenshot
):
    story = ArticleFactory(published=True, headline="Causeway reopens")
    comment = CommentFactory(article=story, body="About time, the bus was slow.")
    reader = ReaderFactory(password="plain-reader-pass")
    CommentFactory.create_batch(5, author=reader)  # trusted: skips pre-moderation
    for width in (1280, 375):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            java_script_enabled=False,
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", reader.username)
        page.fill("#id_password", "plain-reader-pass")
        page.click(".stacked-form button[type=submit]")
        page.goto(story.get_absolute_url())
        target = page.locator(f"#comment-{comment.pk} > article")
        target.get_by_role("link", name="Reply", exact=True).click()
        page.get_by_label(f"Reply to {comment.author_name}").fill(
            f"Agreed, at {width} px."
        )
        assert_no_horizontal_overflow(page)
        screenshot(page, f"comments-journey-4-reply-without-js-{width}")
        page.get_by_role("button", name="Post reply").click()
        page.locator(".messages", has_text="published").wait_for()
        reply = Comment.objects.get(body=f"Agreed, at {width} px.")
        assert reply.parent == comment
        context.close()
