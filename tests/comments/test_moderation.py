"""Moderation at speed: the queue opens on what waits, each comment is decided
from its row or its page, and a ban has a reason and a length and ends by
itself (checked when the reader next posts)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReaderProfile
from comments.models import Comment, CommentStatus, ModerationLog
from comments.services import CommentRefused, comment_post, reader_ban
from tests.comments.factories import CommentFactory, ReaderFactory
from tests.factories import ARTICLE_AUTHORING, ArticleFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]

QUEUE = "/admin/comments/comment/"


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def story():
    return ArticleFactory(published=True, headline="Ferries return to the strait")


def moderate_url(comment):
    return reverse("admin:comments_comment_moderate", args=[comment.pk])


def ban_url(reader):
    return reverse("admin:accounts_readerprofile_ban", args=[reader.reader.pk])


def shown(response):
    return [comment.pk for comment in response.context["cl"].result_list]


# --- The queue ----------------------------------------------------------------


def test_the_queue_opens_on_awaiting_review_oldest_first_and_all_is_reachable(
    mod_client, story
):
    now = timezone.now()
    newer = CommentFactory(
        article=story, status=CommentStatus.PENDING, created_at=now - timedelta(hours=1)
    )
    older = CommentFactory(
        article=story, status=CommentStatus.PENDING, created_at=now - timedelta(hours=5)
    )
    approved = CommentFactory(article=story)

    response = mod_client.get(QUEUE)
    assert shown(response) == [older.pk, newer.pk]
    page = response.content.decode()
    assert 'class="selected"' in page
    assert "?status=all" in page

    everything = mod_client.get(QUEUE, {"status": "all"})
    assert set(shown(everything)) == {older.pk, newer.pk, approved.pk}
    assert shown(mod_client.get(QUEUE, {"status": "approved"})) == [approved.pk]


def test_an_unknown_status_filter_is_refused_not_a_server_error(mod_client):
    response = mod_client.get(QUEUE, {"status": "nonsense\u00e9"})
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_each_row_shows_what_a_moderator_judges_by(mod_client, story):
    parent = CommentFactory(article=story, body="The timetable is a mess again.")
    author = ReaderFactory()
    CommentFactory.create_batch(2, author=author)
    CommentFactory(author=author, status=CommentStatus.REJECTED)
    held = CommentFactory(
        article=story,
        parent=parent,
        author=author,
        status=CommentStatus.PENDING,
        hold_reason="contains “scam”",
        body="Buy cheap tickets here, no scam.",
        created_at=timezone.now() - timedelta(hours=3),
    )
    for reason in ("Advertising", "Looks like a scam"):
        held.reports.create(reporter=ReaderFactory(), reason=reason)

    page = mod_client.get(QUEUE).content.decode()
    for text in [
        "Buy cheap tickets here, no scam.",
        "Ferries return to the strait",
        f"In reply to {parent.author_name}: “The timetable is a mess again.”",
        "contains “scam”",
        "2 reports: Advertising; Looks like a scam",
        author.reader.display_name,
        "2 approved, 1 rejected",
        ">3 h<",
        "Awaiting review",
        ban_url(author) + "?next=/admin/comments/comment/",
    ]:
        assert text in page, text
    for label in ("Approve", "Reject", "Spam"):
        assert f">{label}</button>" in page
    assert "<kbd>j</kbd>" in page and "<kbd>s</kbd>" in page


# --- Deciding from the row and from the comment's page --------------------------


def test_an_inline_button_decides_and_goes_back_to_the_same_place(
    mod_client, story, moderator
):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    back = QUEUE + "?status=pending&p=1"

    response = mod_client.post(
        moderate_url(comment), {"decision": "approve", "next": back}, follow=True
    )

    assert response.redirect_chain[0] == (back, 302)
    assert f"Comment by {comment.author_name} approved." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert ModerationLog.objects.get(
        comment=comment, action="approve", moderator=moderator
    )


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "publish"},
        {},
        {"decision": "approve\x00"},
    ],
)
def test_a_bad_decision_changes_nothing_and_says_so(mod_client, story, body):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    response = mod_client.post(moderate_url(comment), body, follow=True)
    assert "Choose approve, reject or spam. Nothing was changed." in (
        response.content.decode()
    )
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_an_outside_next_address_is_not_followed(mod_client, story):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    response = mod_client.post(
        moderate_url(comment), {"decision": "spam", "next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE


def test_deciding_is_a_post(mod_client, story):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    assert (
        mod_client.get(moderate_url(comment) + "?decision=approve").status_code == 405
    )
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING


def test_the_comments_own_page_has_the_decisions_not_save(mod_client, story):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    page = mod_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()
    for label in ("Approve", "Reject", "Spam"):
        assert f">{label}</button>" in page
    assert 'name="_save"' not in page
    assert "Ban the author" in page


def test_crafted_posts_from_journalists_and_readers_change_nothing(client, story):
    comment = CommentFactory(article=story, status=CommentStatus.PENDING)
    journalist = UserFactory(is_staff=True, permissions=ARTICLE_AUTHORING)
    reader = ReaderFactory()
    client.force_login(journalist)
    assert (
        client.post(moderate_url(comment), {"decision": "approve"}).status_code == 403
    )
    body = {"reason": "x", "length": "7", "confirm": "yes"}
    assert client.post(ban_url(reader), body).status_code == 403
    client.force_login(reader)
    response = client.post(moderate_url(comment), {"decision": "approve"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.post(ban_url(reader), body).status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
    assert not ReaderProfile.objects.get(user=reader).banned_at
    assert not ModerationLog.objects.filter(action__in=["approve", "ban"]).exists()


# --- Bans -----------------------------------------------------------------------


def test_a_ban_asks_then_confirms_with_the_end_date_then_is_logged(
    mod_client, moderator, time_machine
):
    time_machine.move_to("2026-12-02 10:00:00+00:00", tick=False)
    reader = ReaderFactory()
    name = reader.reader.display_name
    form = mod_client.get(ban_url(reader)).content.decode()
    assert "Reason" in form and "7 days" in form and "permanent" in form

    asked = mod_client.post(ban_url(reader), {"reason": "Abuse", "length": "7"})
    assert (
        f"Ban {name} for 7 days? They will not be able to comment until "
        "9 Dec 2026, 10:00." in asked.content.decode()
    )
    assert not ReaderProfile.objects.get(user=reader).banned_at  # asked only

    done = mod_client.post(
        ban_url(reader),
        {"reason": "Abuse", "length": "7", "confirm": "yes"},
        follow=True,
    )
    assert f"{name} is banned until 9 Dec 2026, 10:00." in (done.content.decode())
    profile = ReaderProfile.objects.get(user=reader)
    assert profile.banned_until == timezone.now() + timedelta(days=7)
    log = ModerationLog.objects.get(action="ban", reader=reader)
    assert (log.moderator, log.note) == (moderator, "7 days: Abuse")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"reason": "   ", "length": "7"}, "Give a reason for the ban"),
        ({"reason": "\u200b\u2060", "length": "7"}, "Give a reason for the ban"),
        ({"reason": "Abuse\x00", "length": "7"}, "Null characters are not allowed"),
        ({"reason": "Abuse", "length": "8"}, "Choose how long the ban lasts"),
        ({"reason": "Abuse"}, "Choose how long the ban lasts"),
    ],
)
def test_a_ban_without_reason_or_with_a_bad_length_changes_nothing(
    mod_client, body, message
):
    reader = ReaderFactory()
    response = mod_client.post(ban_url(reader), {**body, "confirm": "yes"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReaderProfile.objects.get(user=reader).banned_at
    assert not ModerationLog.objects.filter(action="ban").exists()


def test_the_service_refuses_a_blank_reason_or_unknown_length(moderator):
    reader = ReaderFactory()
    for reason, length in [("", "7"), ("Abuse", "14"), ("Abuse", "")]:
        with pytest.raises(ValidationError):
            reader_ban(
                user=reader,
                by=moderator,
                reason=reason,
                length=length,
                reject_pending=False,
            )
    assert not ReaderProfile.objects.get(user=reader).banned_at


def test_a_temporary_ban_ends_by_itself_at_posting_time(
    story, moderator, time_machine, mod_client
):
    # The story was out before the ban, whatever day the suite runs.
    story.published_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    story.save()
    time_machine.move_to("2026-12-02 10:00:00+00:00", tick=False)
    reader = ReaderFactory()
    reader_ban(
        user=reader, by=moderator, reason="Abuse", length="7", reject_pending=False
    )

    with pytest.raises(CommentRefused, match="until 9 Dec 2026, 10:00"):
        comment_post(article=story, author=reader, body="Let me back in.")
    listing = mod_client.get(reverse("admin:accounts_readerprofile_changelist"))
    assert "Banned until 9 Dec 2026, 10:00" in listing.content.decode()

    time_machine.move_to("2026-12-09 10:00:01+00:00", tick=False)
    comment, created = comment_post(article=story, author=reader, body="I'm back.")
    assert created
    listing = mod_client.get(
        reverse("admin:accounts_readerprofile_changelist"), {"ban": "ended"}
    )
    assert "Ban ended 9 Dec 2026, 10:00" in listing.content.decode()


def test_a_permanent_ban_stays_until_lifted(story, moderator, time_machine):
    reader = ReaderFactory()
    reader_ban(
        user=reader,
        by=moderator,
        reason="Spam",
        length="permanent",
        reject_pending=False,
    )
    time_machine.move_to(timezone.now() + timedelta(days=3650))
    with pytest.raises(CommentRefused, match="can no longer post"):
        comment_post(article=story, author=reader, body="Ten years on.")


def test_staff_are_not_banned_from_the_ban_page(mod_client):
    staff = UserFactory(is_staff=True)
    profile = ReaderProfile.objects.create(user=staff, display_name="Desk")
    response = mod_client.post(
        reverse("admin:accounts_readerprofile_ban", args=[profile.pk]),
        {"reason": "x", "length": "7", "confirm": "yes"},
        follow=True,
    )
    assert "Staff accounts are not banned from here." in response.content.decode()
    assert not ReaderProfile.objects.get(pk=profile.pk).banned_at
