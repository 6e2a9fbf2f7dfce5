"""Posting and moderating comments: every rule of the thread lives here."""

import re
import time
import unicodedata
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import ReaderProfile
from articles.models import Article
from articles.models import CommentsMode as Mode
from comments.models import (
    BanLength,
    BannedPhrase,
    Comment,
    CommentReport,
    CommentStatus,
    ModerationLog,
)
from core.cache import is_reachable

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")


class CommentRefused(ValidationError):
    """A comment that cannot be taken, with the reason for its author."""


# --- Reading the rules ----------------------------------------------------------------


def comments_mode(article) -> str:
    """The story's mode, after the site default and the automatic closing."""
    mode = article.comments_mode
    if mode == Mode.SITE_DEFAULT:
        mode = settings.NEWSROOM_COMMENTS_MODE
    closes_at = comments_close_at(article)
    if closes_at is not None and closes_at < timezone.now():
        return Mode.CLOSED
    return mode


def comments_close_at(article) -> datetime | None:
    """When the story's thread closes by itself, if it does."""
    days = settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS
    if not (days and article.published_at):
        return None
    return article.published_at + timedelta(days=days)


def clean_comment_text(text: str) -> str:
    """Plain text as typed, minus invisible control characters; line breaks stay."""
    visible = "".join(
        char
        for char in text or ""
        if char in "\n\t" or not unicodedata.category(char).startswith("C")
    )
    lines = [_SPACES.sub(" ", line).strip() for line in visible.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_trusted(user) -> bool:
    """Enough approved comments, and nothing rejected in the last 30 days."""
    mine = Comment.objects.filter(author=user)
    recent_rejection = mine.filter(
        status__in=[CommentStatus.REJECTED, CommentStatus.SPAM],
        created_at__gte=timezone.now() - timedelta(days=30),
    ).exists()
    approved = mine.filter(status=CommentStatus.APPROVED).count()
    return not recent_rejection and approved >= settings.NEWSROOM_COMMENT_TRUSTED_AFTER


def hold_reasons(*, article, author, body: str) -> list[str]:
    """Why a new comment should wait for a moderator; empty if it needn't."""
    reasons = []
    if comments_mode(article) == Mode.PREMODERATED and not is_trusted(author):
        reasons.append(_("this story's comments are checked before publication"))
    links = len(_LINK.findall(body))
    if links > settings.NEWSROOM_COMMENT_MAX_LINKS:
        reasons.append(_("%(count)d links") % {"count": links})
    lowered = body.casefold()
    for phrase in BannedPhrase.objects.values_list("phrase", flat=True):
        if re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", lowered):
            reasons.append(_("contains “%(phrase)s”") % {"phrase": phrase})
    if not Comment.objects.filter(
        author=author, status=CommentStatus.APPROVED
    ).exists():
        reasons.append(_("first comment from this reader"))
    return reasons


def _within_rate(key: str, limit: int, *, posted: QuerySet) -> bool:
    """Counted in the shared cache; while it is unreachable, from the comments
    `posted` in the last window, so a flood is still refused."""
    seconds = settings.NEWSROOM_COMMENT_RATE_WINDOW_SECONDS
    if is_reachable(cache):
        window = int(time.time() // seconds)
        key = f"comments:rate:{key}:{window}"
        cache.add(key, 0, timeout=seconds * 2)
        try:
            within = cache.incr(key) <= limit
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=seconds * 2)
            within = True
        if is_reachable(cache):
            return within
    since = timezone.now() - timedelta(seconds=seconds)
    return posted.filter(created_at__gte=since).count() < limit


# --- Readers --------------------------------------------------------------------------


@transaction.atomic
def comment_post(
    *,
    article,
    author: AbstractBaseUser,
    body: str,
    parent: Comment | None = None,
    notify_on_reply: bool = False,
    ip_address: str | None = None,
    user_agent: str = "",
) -> tuple[Comment, bool]:
    """Take a reader's comment. Returns (comment, created); a repeat of the same
    text within a minute returns the first one. Raises CommentRefused."""
    if not Article.objects.published().filter(pk=article.pk).exists():
        raise CommentRefused(_("This story is not open for comments."))
    if comments_mode(article) == Mode.CLOSED:
        raise CommentRefused(_("Comments on this story are closed."))
    profile = ReaderProfile.objects.filter(user=author).first()
    if profile and profile.is_banned:
        raise CommentRefused(ban_message(profile))
    body = clean_comment_text(body)
    if not body:
        raise CommentRefused(_("Write something before posting."))
    if len(body) > settings.NEWSROOM_COMMENT_MAX_LENGTH:
        raise CommentRefused(
            _("Comments can be at most %(limit)d characters; yours has %(count)d.")
            % {"limit": settings.NEWSROOM_COMMENT_MAX_LENGTH, "count": len(body)}
        )
    if parent is not None and (
        parent.article_id != article.pk
        or parent.status not in {CommentStatus.APPROVED, CommentStatus.DELETED}
    ):
        raise CommentRefused(_("You can only reply to a published comment."))

    # One reader's posts are taken one at a time, so the same text sent twice
    # at once (a double click) finds the first copy here instead of adding a
    # second. Others may still insert rows referring to the reader meanwhile.
    get_user_model().objects.select_for_update(no_key=True).filter(
        pk=author.pk
    ).exists()
    window = timezone.now() - timedelta(seconds=60)
    repeat = Comment.objects.filter(
        article=article, author=author, body=body, created_at__gte=window
    ).first()
    if repeat is not None:
        return repeat, False

    if not _within_rate(
        f"user:{author.pk}",
        settings.NEWSROOM_COMMENT_RATE_PER_ACCOUNT,
        posted=Comment.objects.filter(author=author),
    ):
        raise CommentRefused(
            _("You are commenting very fast. Please wait a minute and try again."),
            code="rate",
        )
    if ip_address and not _within_rate(
        f"ip:{ip_address}",
        settings.NEWSROOM_COMMENT_RATE_PER_IP,
        posted=Comment.objects.filter(ip_address=ip_address),
    ):
        raise CommentRefused(
            _("Many comments are coming from your network. Please wait a minute."),
            code="rate",
        )

    if parent is not None and parent.depth >= settings.NEWSROOM_COMMENT_MAX_DEPTH:
        parent = parent.parent  # deeper replies sit at the last level
    reasons = hold_reasons(article=article, author=author, body=body)
    comment = Comment.objects.create(
        article=article,
        author=author,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        status=CommentStatus.PENDING if reasons else CommentStatus.APPROVED,
        hold_reason="; ".join(reasons)[:200],
        notify_on_reply=notify_on_reply,
        ip_address=ip_address,
        user_agent=user_agent[:300],
    )
    comment.root_id = parent.root_id if parent else comment.pk
    comment.save(update_fields=["root"])
    if reasons:
        ModerationLog.objects.create(
            comment=comment,
            reader=author,
            action=ModerationLog.Action.HOLD,
            new_status=comment.status,
            note=comment.hold_reason,
        )
    else:
        _notify_parent_author(comment)
    return comment, True


def comment_edit(*, comment: Comment, by: AbstractBaseUser, body: str) -> Comment:
    if comment.author_id != by.pk:
        raise PermissionDenied(_("You can only edit your own comments."))
    if comment.is_deleted or timezone.now() > comment.can_still_edit_until:
        raise CommentRefused(
            _("Comments can be edited for %(minutes)d minutes after posting.")
            % {"minutes": settings.NEWSROOM_COMMENT_EDIT_MINUTES}
        )
    body = clean_comment_text(body)
    if not body:
        raise CommentRefused(_("A comment cannot be empty; delete it instead."))
    if len(body) > settings.NEWSROOM_COMMENT_MAX_LENGTH:
        raise CommentRefused(
            _("Comments can be at most %(limit)d characters.")
            % {"limit": settings.NEWSROOM_COMMENT_MAX_LENGTH}
        )
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def comment_delete(*, comment: Comment, by: AbstractBaseUser) -> Comment:
    """The author takes a comment down; replies stay, under a placeholder."""
    if comment.author_id != by.pk:
        raise PermissionDenied(_("You can only delete your own comments."))
    comment.status = CommentStatus.DELETED
    comment.save(update_fields=["status"])
    return comment


@transaction.atomic
def comment_report(*, comment: Comment, by: AbstractBaseUser, reason: str) -> bool:
    """Record a reader's report; enough distinct readers hide the comment until a
    moderator looks. Returns False if this reader had already reported it."""
    reason = clean_comment_text(reason)[:300]
    if not reason:
        raise CommentRefused(_("Say briefly what is wrong with this comment."))
    if comment.author_id == by.pk:
        raise CommentRefused(_("You cannot report your own comment."))
    _report, created = CommentReport.objects.get_or_create(
        comment=comment, reporter=by, defaults={"reason": reason}
    )
    if not created:
        return False
    reports = comment.reports.count()
    if (
        comment.status == CommentStatus.APPROVED
        and reports >= settings.NEWSROOM_COMMENT_REPORTS_TO_HIDE
    ):
        comment.status = CommentStatus.PENDING
        comment.hold_reason = _("reported by %(count)d readers") % {"count": reports}
        comment.save(update_fields=["status", "hold_reason"])
        ModerationLog.objects.create(
            comment=comment,
            action=ModerationLog.Action.HOLD,
            old_status=CommentStatus.APPROVED,
            new_status=CommentStatus.PENDING,
            note=comment.hold_reason,
        )
    return True


# --- Moderators -----------------------------------------------------------------------

_MODERATION = {
    ModerationLog.Action.APPROVE: CommentStatus.APPROVED,
    ModerationLog.Action.REJECT: CommentStatus.REJECTED,
    ModerationLog.Action.SPAM: CommentStatus.SPAM,
}


def _require_moderator(user) -> None:
    if not user.has_perm("comments.change_comment"):
        raise PermissionDenied(_("Only moderators can do that."))


@transaction.atomic
def comment_moderate(*, comments, action: str, by: AbstractBaseUser) -> int:
    """Approve, reject or mark as spam; every change is logged. Returns how many
    comments changed."""
    _require_moderator(by)
    new_status = _MODERATION[action]
    changed = 0
    locked = comments.select_for_update(of=("self",))
    for comment in locked.select_related("parent__author"):
        if comment.status in {new_status, CommentStatus.DELETED}:
            continue
        old_status = comment.status
        comment.status = new_status
        if new_status == CommentStatus.APPROVED:
            comment.hold_reason = ""
        comment.save(update_fields=["status", "hold_reason"])
        ModerationLog.objects.create(
            comment=comment,
            reader_id=comment.author_id,
            moderator=by,
            action=action,
            old_status=old_status,
            new_status=new_status,
        )
        if new_status == CommentStatus.APPROVED:
            _notify_parent_author(comment)
        changed += 1
    return changed


def local_time(moment: datetime) -> str:
    """ "9 Dec 2026, 10:00" in the newsroom's time zone: ban ends, ages."""
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def ban_message(profile: ReaderProfile) -> str:
    """What a banned reader is told when they try to post."""
    if profile.banned_until is None:
        return _("Your account can no longer post comments.")
    return _("Your account cannot post comments until %(until)s.") % {
        "until": local_time(profile.banned_until)
    }


def ban_ends_at(length: str, *, now: datetime | None = None) -> datetime | None:
    """When a ban of `length` (a BanLength value) given now ends; None if never.
    Raises ValidationError for any other length."""
    if length not in BanLength.values:
        raise ValidationError(
            _("Choose how long the ban lasts: 1 day, 7 days, 30 days or permanent.")
        )
    if length == BanLength.PERMANENT:
        return None
    return (now or timezone.now()) + timedelta(days=int(length))


@transaction.atomic
def reader_ban(
    *,
    user: AbstractBaseUser,
    by: AbstractBaseUser,
    reason: str,
    length: str = BanLength.PERMANENT,
    reject_pending: bool,
) -> int:
    """Stop a reader posting, for `length` (a BanLength value), with a reason
    the moderation log keeps; optionally reject what they have waiting.
    Returns how many waiting comments were rejected. Raises ValidationError,
    before changing anything, for a blank reason or an unknown length."""
    _require_moderator(by)
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are not banned from here."))
    reason = clean_comment_text(reason)[:300]
    if not reason:
        raise ValidationError(_("Give a reason for the ban: the log keeps it."))
    now = timezone.now()
    until = ban_ends_at(length, now=now)
    profile, _created = ReaderProfile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_username()[:60]}
    )
    profile.banned_at = now
    profile.banned_until = until
    profile.ban_reason = reason
    profile.save(update_fields=["banned_at", "banned_until", "ban_reason"])
    ModerationLog.objects.create(
        reader=user,
        moderator=by,
        action=ModerationLog.Action.BAN,
        note=f"{BanLength(length).label}: {reason}"[:300],
    )
    if not reject_pending:
        return 0
    waiting = Comment.objects.filter(author=user, status=CommentStatus.PENDING)
    return comment_moderate(comments=waiting, action=ModerationLog.Action.REJECT, by=by)


def reader_unban(*, user: AbstractBaseUser, by: AbstractBaseUser) -> None:
    _require_moderator(by)
    ReaderProfile.objects.filter(user=user).update(
        banned_at=None, banned_until=None, ban_reason=""
    )
    ModerationLog.objects.create(
        reader=user, moderator=by, action=ModerationLog.Action.UNBAN
    )


def oldest_waiting_since() -> datetime | None:
    return (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


# --- Privacy ------------------------------------------------------------------


def comment_purge_personal_data(*, now: datetime | None = None) -> int:
    """Forget IP addresses and browsers older than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.NEWSROOM_COMMENT_IP_RETENTION_DAYS
    )
    stale = Comment.objects.filter(created_at__lt=cutoff).exclude(
        ip_address=None, user_agent=""
    )
    return stale.update(ip_address=None, user_agent="")


def _reply_notification_wanted(reply: Comment) -> bool:
    parent = reply.parent
    return bool(
        reply.status == CommentStatus.APPROVED
        and parent is not None
        and parent.notify_on_reply
        and parent.author_id != reply.author_id
        and parent.author.email
    )


def _notify_parent_author(reply: Comment) -> None:
    """Queue the reply email once the reply is committed; the task worker
    sends it (see comment_reply_notify)."""
    from comments.tasks import send_reply_notification

    if _reply_notification_wanted(reply):
        transaction.on_commit(
            partial(send_reply_notification.enqueue, reply_id=reply.pk)
        )


def comment_reply_notify(*, reply: Comment) -> bool:
    """Email the author of the comment `reply` answers, if they asked to be
    told and still would be. Returns whether a mail went out; a mail server
    error is raised, so the job is retried."""
    if not _reply_notification_wanted(reply):
        return False
    parent = reply.parent
    link = settings.NEWSROOM_SITE_URL + reverse(
        "comments:thread", kwargs={"pk": reply.pk}
    )
    message = _(
        "%(name)s replied to your comment on “%(story)s”:\n\n%(body)s\n\n"
        "Read the thread: %(link)s\n"
    ) % {
        "name": reply.author_name,
        "story": reply.article.headline,
        "body": reply.body,
        "link": link,
    }
    send_mail(_("New reply to your comment"), message, None, [parent.author.email])
    return True


# --- Readers' own data (accounts.signals) ---------------------------------------------


def reader_comments_export(user) -> dict:
    """The reader's comments and reports, for their data download."""
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article__section")
        .order_by("created_at", "pk")
    )
    reports = CommentReport.objects.filter(reporter=user).order_by("pk")
    return {
        "comments": [
            {
                "story": comment.article.headline,
                "story_url": settings.NEWSROOM_SITE_URL
                + comment.article.get_absolute_url(),
                "body": comment.body,
                "status": comment.status,
                "posted_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat()
                if comment.edited_at
                else None,
                "ip_address": comment.ip_address,
                "browser": comment.user_agent,
            }
            for comment in comments
        ],
        "reports": [
            {"comment_id": report.comment_id, "reason": report.reason}
            for report in reports
        ],
    }


def reader_comments_anonymise(user) -> int:
    """A closing account's comments stay, without its IP addresses and
    browsers, and mail no more replies. Returns how many comments it had."""
    return Comment.objects.filter(author=user).update(
        ip_address=None, user_agent="", notify_on_reply=False
    )
