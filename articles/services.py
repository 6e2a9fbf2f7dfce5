"""Changes to stories that have consequences. Views and the admin call these;
saving and moving a story along the workflow is in articles/publishing.py."""

from datetime import datetime, timedelta

import reversion
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import search, signals, workflow
from articles.models import (
    Article,
    ArticleEvent,
    Correction,
    EditPresence,
)
from articles.publishing import (
    announce_story_changed,
    article_record_event,
    article_transition,
    keep_old_address,
)
from articles.workflow import Action

PUBLISH_PERMISSION = workflow.PUBLISH_PERMISSION
PREVIEW_SALT = "articles.preview-link"


def article_publish(
    *, article: Article, by: AbstractBaseUser, at: datetime | None = None
) -> Article:
    """Publish now, or schedule for `at`. Editors only."""
    action = Action.SCHEDULE if at and at > timezone.now() else Action.PUBLISH
    return article_transition(article=article, action=action, by=by, at=at)


def article_unpublish(*, article: Article, by: AbstractBaseUser) -> Article:
    """Withdraw a story from the public site. Editors only."""
    return article_transition(article=article, action=Action.UNPUBLISH, by=by)


def article_submit(*, article: Article, by: AbstractBaseUser) -> Article:
    return article_transition(article=article, action=Action.SUBMIT, by=by)


# --- Editing -------------------------------------------------------------------------


class EditConflict(ValidationError):
    """Someone saved the story after this form was opened."""


def article_check_edit(
    *, article: Article, by: AbstractBaseUser, loaded_version: int | None
) -> None:
    """Refuse an edit the rules don't allow, or one made on a stale copy.

    Inside a transaction (the admin's change form), the story stays locked
    until the save commits: a second save from the same version waits here,
    then finds the new version and is refused.
    """
    if article.pk is None:
        if not by.has_perm("articles.add_article"):
            raise PermissionDenied(_("You cannot write stories."))
        return
    stories = Article.objects.all()
    if transaction.get_connection().in_atomic_block:
        stories = stories.select_for_update(no_key=True)
    current = stories.get(pk=article.pk)
    if not workflow.can_edit(by, current):
        raise PermissionDenied(
            _("You can't edit this story: it is not yours, or it is no longer a draft.")
        )
    if loaded_version is not None and loaded_version != current.edit_version:
        raise EditConflict(
            _("Someone else saved this story after you opened it."), code="conflict"
        )


# --- Corrections ---------------------------------------------------------------------


@transaction.atomic
def article_correct(
    *, article: Article, kind: str, text: str, by: AbstractBaseUser
) -> Correction:
    """Append a correction or update note to a published story. Editors only."""
    if not by.has_perm("articles.add_correction"):
        raise PermissionDenied(_("Only editors can add corrections and updates."))
    if article.published_at is None:
        raise ValidationError(
            _("Corrections are for stories that have been published.")
        )
    text = text.strip()
    if not text:
        raise ValidationError(_("Write what was corrected or updated."))
    correction = Correction.objects.create(
        article=article, kind=kind, text=text, created_by=by
    )
    signals.story_corrected.send(
        Correction, story_id=article.pk, correction_id=correction.pk
    )
    article_record_event(
        article=article,
        action=ArticleEvent.Action.CORRECTED,
        by=by,
        note=f"{correction.get_kind_display()}: {text}",
    )
    return correction


# --- Previews ------------------------------------------------------------------------


def article_preview_link(
    *, article: Article, by: AbstractBaseUser
) -> tuple[str, datetime]:
    """A signed address showing the story as it stands, for people without an
    account; it stops working after `NEWSROOM_PREVIEW_LINK_HOURS`."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only editors can share preview links."))
    token = signing.dumps({"article": article.pk}, salt=PREVIEW_SALT, compress=True)
    expires = timezone.now() + timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)
    article_record_event(
        article=article, action=ArticleEvent.Action.PREVIEW_LINK, by=by
    )
    return reverse("articles:preview_link", kwargs={"token": token}), expires


def article_from_preview_token(token: str) -> Article:
    """The story a preview token names; raises `signing.BadSignature` (tampered)
    or `signing.SignatureExpired` (too old)."""
    data = signing.loads(
        token,
        salt=PREVIEW_SALT,
        max_age=timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS),
    )
    return Article.objects.for_detail(preview=True).get(pk=data["article"])


# --- Presence ------------------------------------------------------------------------


def article_presence_touch(*, article: Article, by: AbstractBaseUser) -> None:
    EditPresence.objects.update_or_create(
        article=article, user=by, defaults={"seen_at": timezone.now()}
    )


def article_other_editors(*, article: Article, by: AbstractBaseUser) -> list[str]:
    """Names of other people who had the story open in the last few minutes."""
    since = timezone.now() - timedelta(minutes=settings.NEWSROOM_PRESENCE_MINUTES)
    presences = (
        EditPresence.objects.filter(article=article, seen_at__gte=since)
        .exclude(user=by)
        .select_related("user")
        .order_by("-seen_at")
    )
    return [p.user.get_full_name() or p.user.get_username() for p in presences]


def article_presence_leave(*, article: Article, by: AbstractBaseUser) -> None:
    EditPresence.objects.filter(article=article, user=by).delete()


# --- Revisions -----------------------------------------------------------------------

RESTORED_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "section_id",
    "source_name",
    "source_url",
]


def _followed(version, model) -> list[dict]:
    """Field values of `model` rows saved in the same revision as `version`."""
    return [
        other.field_dict
        for other in version.revision.version_set.all()
        if other._model is model
    ]


@transaction.atomic
def article_restore(*, article: Article, version, by: AbstractBaseUser) -> Article:
    """Make an earlier revision the current content, as a new revision.

    Workflow state is not restored: a live story stays live, a draft a draft.
    """
    from articles.models import Byline, RelatedLink
    from tags.models import TaggedArticle

    article = Article.objects.select_for_update().get(pk=article.pk)
    if not workflow.can_edit(by, article):
        raise PermissionDenied(_("You can't edit this story."))
    if version.object_id != str(article.pk) or version._model is not Article:
        raise ValidationError(_("That revision belongs to another story."))
    old_slug = article.slug
    values = version.field_dict
    for field in RESTORED_FIELDS:
        setattr(article, field, values[field])
    if Article.objects.exclude(pk=article.pk).filter(slug=article.slug).exists():
        article.slug = old_slug
    with search.refresh_once(), reversion.create_revision():
        article.edit_version = F("edit_version") + 1
        article.save()
        article.refresh_from_db(fields=["edit_version"])
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(
                article=article, author_id=row["author_id"], position=row["position"]
            )
            for row in _followed(version, Byline)
        )
        article.tagged_items.all().delete()
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag_id=row["tag_id"])
            for row in _followed(version, TaggedArticle)
            if Article.tags.through.tag_model()
            .objects.filter(pk=row["tag_id"])
            .exists()
        )
        article.related_links.all().delete()
        RelatedLink.objects.bulk_create(
            RelatedLink(
                article=article, target_id=row["target_id"], position=row["position"]
            )
            for row in _followed(version, RelatedLink)
            if Article.objects.filter(pk=row["target_id"]).exists()
        )
        reversion.add_to_revision(article)
        reversion.set_user(by)
        when = timezone.localtime(version.revision.date_created)
        comment = _("Restored the revision of %(when)s.") % {
            "when": when.strftime("%Y-%m-%d %H:%M")
        }
        reversion.set_comment(comment)
    keep_old_address(article, old_slug)
    announce_story_changed(article)
    article_record_event(
        article=article, action=ArticleEvent.Action.RESTORED, by=by, note=comment
    )
    return article
