"""Starting and ending live coverage, and posting, editing, pinning and
deleting its entries. Every function checks who may do it, server-side.

Editors (the publish permission) may do everything. A journalist may post,
edit, pin or delete entries only on a story that is their own in the
workflow's sense (they started it or write under its byline, and may change
stories) and only while an editor allows journalists to post on it.
"""

from datetime import datetime

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Article
from articles.richtext import sanitize_body
from images.models import Image
from live.models import LiveCoverage, LiveEntry


def may_manage_coverage(user) -> bool:
    """Start, end and open coverage to journalists: editors only."""
    return workflow.is_editor(user)


def may_post(user, coverage: LiveCoverage) -> bool:
    """Post, edit, pin or delete entries on `coverage`."""
    if not user.is_active:
        return False
    if workflow.is_editor(user):
        return True
    return (
        coverage.journalists_may_post
        and user.has_perm("articles.change_article")
        and workflow.is_own(user, coverage.story)
    )


def check_may_post(user, coverage: LiveCoverage) -> None:
    """Raise with a message the person can act on, or return if allowed."""
    if not may_post(user, coverage):
        if workflow.is_editor(user) or coverage.journalists_may_post:
            raise PermissionDenied(
                _("You can only post live entries on your own stories.")
            )
        raise PermissionDenied(
            _(
                "Only editors can post on this live story. Ask an editor to let "
                "journalists post."
            )
        )


def _check_manage(user) -> None:
    if not may_manage_coverage(user):
        raise PermissionDenied(_("Only editors can start or end live coverage."))


def _log(by, obj, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


def _clean_body(body: str) -> str:
    cleaned = sanitize_body(body)
    if not cleaned:
        raise ValidationError({"body": _("Write something before posting.")})
    return cleaned


@transaction.atomic
def live_coverage_start(
    *,
    story: Article,
    by: AbstractBaseUser,
    starts_at: datetime | None = None,
    journalists_may_post: bool = False,
) -> LiveCoverage:
    """Mark `story` live from `starts_at` (now by default); a story whose
    coverage ended runs live again."""
    _check_manage(by)
    starts_at = starts_at or timezone.now()
    coverage, created = LiveCoverage.objects.select_for_update().get_or_create(
        story=story,
        defaults={
            "starts_at": starts_at,
            "journalists_may_post": journalists_may_post,
            "created_by": by,
        },
    )
    if not created:
        coverage.ends_at = None
        coverage.journalists_may_post = journalists_may_post
        if coverage.starts_at > starts_at:
            coverage.starts_at = starts_at
        coverage.save(update_fields=["ends_at", "journalists_may_post", "starts_at"])
    _log(by, coverage, ADDITION if created else CHANGE, "Live coverage started.")
    return coverage


@transaction.atomic
def live_coverage_end(
    *, coverage: LiveCoverage, by: AbstractBaseUser, at: datetime | None = None
) -> LiveCoverage:
    """End the coverage now (or at `at`); the story then reads as a normal
    story with its entries."""
    _check_manage(by)
    at = at or timezone.now()
    if at <= coverage.starts_at:
        raise ValidationError(
            {"ends_at": _("The coverage cannot end before it starts.")}
        )
    coverage.ends_at = at
    coverage.save(update_fields=["ends_at"])
    _log(by, coverage, CHANGE, "Live coverage ended.")
    return coverage


@transaction.atomic
def live_coverage_open_to_journalists(
    *, coverage: LiveCoverage, by: AbstractBaseUser, allowed: bool
) -> LiveCoverage:
    _check_manage(by)
    coverage.journalists_may_post = allowed
    coverage.save(update_fields=["journalists_may_post"])
    _log(
        by,
        coverage,
        CHANGE,
        "Journalists may post." if allowed else "Only editors may post.",
    )
    return coverage


@transaction.atomic
def live_entry_post(
    *,
    coverage: LiveCoverage,
    by: AbstractBaseUser,
    body: str,
    is_key_event: bool = False,
    is_pinned: bool = False,
    image: Image | None = None,
) -> LiveEntry:
    """A new entry at the top of the coverage, posted now, with an optional
    picture from the library."""
    check_may_post(by, coverage)
    if coverage.has_ended:
        raise ValidationError(
            _("This live coverage has ended. An editor can start it again.")
        )
    entry = LiveEntry(
        coverage=coverage,
        author=by,
        body=_clean_body(body),
        is_key_event=is_key_event,
        is_pinned=is_pinned,
        image=image,
    )
    entry.save()
    _log(by, entry, ADDITION, "Live entry posted.")
    return entry


@transaction.atomic
def live_entry_edit(*, entry: LiveEntry, by: AbstractBaseUser, body: str) -> LiveEntry:
    """New text for the entry; readers see “Updated”."""
    check_may_post(by, entry.coverage)
    body = _clean_body(body)
    if body == entry.body:
        return entry
    entry.body = body
    entry.edited_at = timezone.now()
    entry.save(update_fields=["body", "edited_at"])
    _log(by, entry, CHANGE, "Live entry edited.")
    return entry


@transaction.atomic
def live_entry_mark(
    *,
    entry: LiveEntry,
    by: AbstractBaseUser,
    is_pinned: bool | None = None,
    is_key_event: bool | None = None,
) -> LiveEntry:
    """Pin or unpin the entry, mark it a key event or not."""
    check_may_post(by, entry.coverage)
    changed = []
    if is_pinned is not None and is_pinned != entry.is_pinned:
        entry.is_pinned = is_pinned
        changed.append("is_pinned")
    if is_key_event is not None and is_key_event != entry.is_key_event:
        entry.is_key_event = is_key_event
        changed.append("is_key_event")
    if changed:
        entry.save(update_fields=changed)
        _log(by, entry, CHANGE, f"Live entry: {', '.join(changed)} changed.")
    return entry


@transaction.atomic
def live_entry_delete(*, entry: LiveEntry, by: AbstractBaseUser) -> None:
    """Remove the entry for good (readers never see it again)."""
    check_may_post(by, entry.coverage)
    _log(by, entry, DELETION, "Live entry deleted.")
    entry.delete()
