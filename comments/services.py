"""Posting and moderating comments: every rule of the thread lives here."""

import re
import time
import unicodedata
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import (
    PasswordResetTokenGenerator,
    default_token_generator,
)
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from comments.models import (
    BannedPhrase,
    Comment,
    CommentReport,
    CommentStatus,
    Mode,
    ModerationLog,
    ReaderProfile,
)
from newsroom.cache import is_reachable
from newsroom.text import normalize_email, skeleton_variants

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
    from articles.models import Article

    if not Article.objects.published().filter(pk=article.pk).exists():
        raise CommentRefused(_("This story is not open for comments."))
    if comments_mode(article) == Mode.CLOSED:
        raise CommentRefused(_("Comments on this story are closed."))
    profile = ReaderProfile.objects.filter(user=author).first()
    if profile and profile.is_banned:
        raise CommentRefused(_("Your account can no longer post comments."))
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


@transaction.atomic
def reader_ban(
    *,
    user: AbstractBaseUser,
    by: AbstractBaseUser,
    reason: str = "",
    reject_pending: bool,
) -> int:
    """Stop a reader posting; optionally reject what they have waiting.
    Returns how many waiting comments were rejected."""
    _require_moderator(by)
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are not banned from here."))
    profile, _created = ReaderProfile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_username()[:60]}
    )
    profile.banned_at = timezone.now()
    profile.ban_reason = reason[:300]
    profile.save(update_fields=["banned_at", "ban_reason"])
    ModerationLog.objects.create(
        reader=user, moderator=by, action=ModerationLog.Action.BAN, note=reason[:300]
    )
    if not reject_pending:
        return 0
    waiting = Comment.objects.filter(author=user, status=CommentStatus.PENDING)
    return comment_moderate(comments=waiting, action=ModerationLog.Action.REJECT, by=by)


def reader_unban(*, user: AbstractBaseUser, by: AbstractBaseUser) -> None:
    _require_moderator(by)
    ReaderProfile.objects.filter(user=user).update(banned_at=None, ban_reason="")
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


# --- Accounts and privacy -------------------------------------------------------------


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """Links that open a new account; dead once it is open, and never
    mistaken for a password reset link (another salt)."""

    key_salt = "comments.services.SignUpTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


sign_up_tokens = SignUpTokenGenerator()


class DisplayNameTaken(ValidationError):
    """Another reader's name, or one that looks like it."""


def display_name_owner(name: str, *, exclude_user=None) -> ReaderProfile | None:
    """The reader whose display name `name` is, or looks like: the database's
    own rule (the lower-case name is unique) first, then the confusables
    skeleton ("Мarta" with a Cyrillic М is "Marta")."""
    same = Q(lowered=Lower(Value(name)))
    alike = Q(display_name_skeleton__in=skeleton_variants(name))
    readers = ReaderProfile.objects.alias(lowered=Lower("display_name"))
    if exclude_user is not None:
        readers = readers.exclude(user=exclude_user)
    exact = readers.filter(same).first()
    return exact or readers.filter(alike).order_by("pk").first()


def display_name_check(name: str, *, exclude_user=None) -> None:
    """Raise DisplayNameTaken, naming the reader it would be taken for."""
    owner = display_name_owner(name, exclude_user=exclude_user)
    if owner is None:
        return
    if owner.display_name.lower() == name.lower():
        raise DisplayNameTaken(_("Another reader already uses this name."))
    raise DisplayNameTaken(
        _(
            "“%(name)s” looks too much like “%(existing)s”, the name of another "
            "reader. Choose a name that looks different."
        )
        % {"name": name, "existing": owner.display_name}
    )


def _site_link(name: str, user) -> str:
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk))}
    tokens = sign_up_tokens if name == "accounts:signup_confirm" else None
    kwargs["token"] = (tokens or default_token_generator).make_token(user)
    return settings.NEWSROOM_SITE_URL + reverse(name, kwargs=kwargs)


def _send_sign_up_confirmation(user, display_name: str, next_url: str) -> None:
    link = _site_link("accounts:signup_confirm", user)
    if next_url:
        link += "?" + urlencode({"next": next_url})
    message = _(
        "Hello %(name)s,\n\nto open your %(site)s account and join the "
        "discussions, confirm your email address here:\n\n%(link)s\n\n"
        "If you did not sign up, ignore this email: no account is opened "
        "without this link.\n"
    ) % {
        "name": display_name,
        "site": settings.NEWSROOM_SITE_NAME,
        "link": link,
    }
    send_mail(
        _("Confirm your %(site)s account") % {"site": settings.NEWSROOM_SITE_NAME},
        message,
        None,
        [user.email],
    )


def _send_already_signed_up(user) -> None:
    message = _(
        "Someone, perhaps you, tried to sign up to %(site)s with this email "
        "address. You already have an account, and nothing about it changed.\n\n"
        "If you forgot your password, choose a new one here:\n\n%(link)s\n\n"
        "If it was not you, you can ignore this email.\n"
    ) % {
        "site": settings.NEWSROOM_SITE_NAME,
        "link": _site_link("accounts:password_reset_confirm", user),
    }
    send_mail(
        _("Sign-up attempt with your %(site)s address")
        % {"site": settings.NEWSROOM_SITE_NAME},
        message,
        None,
        [user.email],
    )


def _is_waiting_for_confirmation(user) -> bool:
    # Staff accounts an administrator closed are never reopened from here.
    return not (user.is_active or user.is_staff) and user.last_login is None


def reader_waiting_for_confirmation(email: str):
    """The account a sign-up with `email` started and nobody confirmed yet."""
    return (
        get_user_model()
        .objects.filter(
            username=email, is_active=False, is_staff=False, last_login=None
        )
        .first()
    )


def reader_sign_up(
    *, email: str, password: str, display_name: str, next_url: str = ""
) -> None:
    """Start a reader's account, closed until they follow the link mailed to
    them; if the address already has an account, mail its owner instead.

    Both ways hash the password once, write to the database and send one
    email, and return nothing, so neither the page nor its timing tells
    whether the address was known. Raises DisplayNameTaken.
    """
    user_model = get_user_model()
    email = normalize_email(email)
    password_hash = make_password(password)
    try:
        with transaction.atomic():
            existing = (
                user_model.objects.select_for_update().filter(username=email).first()
            )
            if existing is None:
                user = user_model.objects.create(
                    username=email, email=email, password=password_hash, is_active=False
                )
                ReaderProfile.objects.create(user=user, display_name=display_name)
            elif _is_waiting_for_confirmation(existing):
                # A new try replaces an unconfirmed one: only the latest
                # link works, and it opens the account with the latest
                # password, so nobody can sit on someone else's address.
                existing.password = password_hash
                existing.save(update_fields=["password"])
                ReaderProfile.objects.update_or_create(
                    user=existing, defaults={"display_name": display_name}
                )
    except IntegrityError:
        # The address or the name was taken a moment ago by another sign-up.
        existing = user_model.objects.filter(username=email).first()
        if existing is None:
            raise DisplayNameTaken(
                _("Another reader already uses this name.")
            ) from None
    if existing is None:
        _send_sign_up_confirmation(user, display_name, next_url)
    elif _is_waiting_for_confirmation(existing):
        profile = ReaderProfile.objects.filter(user=existing).first()
        name = profile.display_name if profile else display_name
        _send_sign_up_confirmation(existing, name, next_url)
    else:
        _send_already_signed_up(existing)


@transaction.atomic
def reader_create(*, email: str, password: str, display_name: str):
    """An open reader account at once, with no email: for accounts a newsroom
    makes itself (the demo's readers). Readers sign up with reader_sign_up.
    Raises DisplayNameTaken."""
    display_name_check(display_name)
    email = normalize_email(email)
    user = get_user_model().objects.create_user(
        username=email, email=email, password=password
    )
    ReaderProfile.objects.create(user=user, display_name=display_name)
    return user


def reader_confirm_sign_up(*, user, token: str) -> bool:
    """Open the account the link was mailed for; False if the link is not
    (or no longer) good."""
    if user is None or user.is_staff or not sign_up_tokens.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


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


# --- Readers' own data ------------------------------------------------------------


def reader_data_export(user) -> dict:
    """Everything the site keeps about a reader, for them to download."""
    profile = getattr(user, "reader", None)
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article__section")
        .order_by("created_at", "pk")
    )
    reports = CommentReport.objects.filter(reporter=user).order_by("pk")
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "display_name": profile.display_name if profile else "",
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
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


@transaction.atomic
def reader_delete_account(*, user) -> None:
    """Close a reader's account for good. Their comments stay in the threads
    (replies would lose their context otherwise) under “Former reader”, with
    nothing that identifies them: the account's name, email, password, IP
    addresses and browsers are erased."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts are closed by an administrator."))
    Comment.objects.filter(author=user).update(
        ip_address=None, user_agent="", notify_on_reply=False
    )
    ReaderProfile.objects.update_or_create(
        user=user,
        defaults={"display_name": _("Former reader"), "ban_reason": ""},
    )
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    # A new password hash also ends every session the account had open.
    user.save()
