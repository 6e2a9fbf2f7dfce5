"""A story saved by staff, with or without a workflow action, start to finish.

Like Wagtail's PublishRevisionAction: check, write the story row once, keep
the revision and the audit trail, then announce what changed in one place
(`announce_story_changed`). The admin's save buttons ("Save", "Submit for
review", "Publish now", "Schedule", "Unpublish", "Return to draft") come
through `story_save`; the list actions and jobs through `article_transition`.
Both write the row with one UPDATE and refresh its search vector once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import search, workflow
from articles.models import Article, ArticleEvent, ArticleSlugHistory, Status
from articles.workflow import Action
from tags.services import trending_invalidate

_EVENT_FOR = {
    Action.SUBMIT: ArticleEvent.Action.SUBMITTED,
    Action.RETURN: ArticleEvent.Action.RETURNED,
    Action.PUBLISH: ArticleEvent.Action.PUBLISHED,
    Action.SCHEDULE: ArticleEvent.Action.SCHEDULED,
    Action.UNPUBLISH: ArticleEvent.Action.UNPUBLISHED,
}


@dataclass(frozen=True)
class SaveOutcome:
    """What a staff save did: the content is always saved; `action` is the
    workflow step taken (None if none was asked or it was refused, then
    `refused` says why in words the person can act on)."""

    article: Article
    action: Action | None = None
    refused: str = ""


def article_record_event(
    *, article: Article, action: str, by: AbstractBaseUser, note: str = ""
) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article, action=action, actor=by, note=note[:300]
    )


def story_save(
    *,
    article: Article,
    by: AbstractBaseUser,
    created: bool,
    old_slug: str = "",
    action: Action | None = None,
    at: datetime | None = None,
    save_parts: Callable[[], None] = lambda: None,
) -> SaveOutcome:
    """Save a story as edited in the admin form, then take `action` if asked.

    A new story's row is inserted first: `save_parts` (the form's tags, the
    bylines and links) point at it, and publishing checks the bylines. The
    row is then written once, with its content, edit counter and workflow
    state together. Who may edit and lost edits were checked by the form
    (`article_check_edit`), which also locked the row.
    """
    with transaction.atomic(), search.refresh_once():
        if created:
            article.created_by = by
            article.save()
            stored = article
        else:
            stored = Article.objects.select_for_update().get(pk=article.pk)
        save_parts()
        done, refused, note = None, "", ""
        if action is not None:
            try:
                note = _apply(article, stored=stored, action=action, by=by, at=at)
            except (PermissionDenied, ValidationError) as error:
                refused = _message(error)
            else:
                done = action
        _write(article, by=by, action=done)
        if created:
            article_record_event(
                article=article, action=ArticleEvent.Action.CREATED, by=by
            )
        if done is not None:
            article_record_event(
                article=article, action=_EVENT_FOR[done], by=by, note=note
            )
        keep_old_address(article, old_slug)
    announce_story_changed(article)
    return SaveOutcome(article=article, action=done, refused=refused)


@transaction.atomic
def article_transition(
    *,
    article: Article,
    action: Action,
    by: AbstractBaseUser,
    at: datetime | None = None,
) -> Article:
    """Move a story along the workflow, as `by`, if the rules allow it; only
    the workflow fields are written (the list actions, scheduled jobs)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    with search.refresh_once():
        note = _apply(article, stored=article, action=action, by=by, at=at)
        _write(
            article,
            by=by,
            action=action,
            fields=["status", "published_at", "edit_version", "updated_at"],
        )
        article_record_event(
            article=article, action=_EVENT_FOR[action], by=by, note=note
        )
    announce_story_changed(article)
    return article


def announce_story_changed(article: Article) -> None:
    """The one place a save says what changed, once it commits.

    Pages showing the story are invalidated and their CDN purges queued from
    the row's single post_save: articles/changes.py sends articles/signals.py's
    story signals, which pagecache turns into surrogate keys. The trending
    strip is worked out again once, after the commit.
    """
    transaction.on_commit(trending_invalidate)


def _apply(
    article: Article,
    *,
    stored: Article,
    action: Action,
    by: AbstractBaseUser,
    at: datetime | None,
) -> str:
    """Set the workflow fields `action` leads to, if the rules allow it from
    the state `stored`; returns the audit note. Raises, changing nothing."""
    workflow.check(by, stored, action)
    if action in {Action.PUBLISH, Action.SCHEDULE}:
        _require_publishable(article)
    if action == Action.SCHEDULE and (at is None or at <= timezone.now()):
        raise ValidationError(_("Choose a go-live time in the future."))
    note = ""
    if action == Action.SUBMIT:
        article.status = Status.IN_REVIEW
    elif action == Action.RETURN:
        article.status = Status.DRAFT
    elif action == Action.PUBLISH:
        article.status = Status.PUBLISHED
        # A story published before keeps its original time.
        if article.published_at is None or article.published_at > timezone.now():
            article.published_at = timezone.now()
    elif action == Action.SCHEDULE:
        article.status = Status.PUBLISHED
        article.published_at = at
        note = _("Goes live at %(time)s.") % {
            "time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M %Z")
        }
    elif action == Action.UNPUBLISH:
        article.status = Status.UNPUBLISHED
    return note


def _require_publishable(article: Article) -> None:
    if not article.body:
        raise ValidationError(_("A story needs a body before it can be published."))
    if not article.bylines.exists():
        raise ValidationError(
            _("A story needs at least one author before it can be published.")
        )


def _write(
    article: Article,
    *,
    by: AbstractBaseUser,
    action: Action | None,
    fields: list[str] | None = None,
) -> None:
    """The one UPDATE of the row, kept as a revision (with the bylines, tags
    and links saved before it); the edit counter goes up by one."""
    article.edit_version = F("edit_version") + 1
    with reversion.create_revision():
        article.save(update_fields=fields)
        article.refresh_from_db(fields=["edit_version"])
        reversion.set_user(by)
        if action is not None:
            reversion.set_comment(str(action.label))


def keep_old_address(article: Article, old_slug: str) -> None:
    """An earlier slug keeps answering (301); the current one is not "old"."""
    if old_slug and old_slug != article.slug:
        ArticleSlugHistory.objects.update_or_create(
            old_slug=old_slug, defaults={"article": article}
        )
    ArticleSlugHistory.objects.filter(old_slug=article.slug).delete()


def _message(error: PermissionDenied | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
