"""Who may do what to a story, in one place.

Draft → in review → published (now, or scheduled for later) → unpublished.
Journalists write and edit their own stories while they are drafts or in
review, and submit them; editors (the publish permission) do everything.
Services call `check()`; the admin asks `allowed_actions()` to draw buttons.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Status

PUBLISH_PERMISSION = "articles.publish_article"


class Action(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("Submit for review")
    RETURN = "return", gettext_lazy("Return to draft")
    PUBLISH = "publish", gettext_lazy("Publish now")
    SCHEDULE = "schedule", gettext_lazy("Schedule")
    UNPUBLISH = "unpublish", gettext_lazy("Unpublish")


FROM_STATES = {
    Action.SUBMIT: {Status.DRAFT, Status.UNPUBLISHED},
    Action.RETURN: {Status.IN_REVIEW},
    Action.PUBLISH: {
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.UNPUBLISHED,
        Status.PUBLISHED,
    },
    Action.SCHEDULE: {
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.UNPUBLISHED,
        Status.PUBLISHED,
    },
    Action.UNPUBLISH: {Status.PUBLISHED},
}
EDITOR_ONLY = {Action.PUBLISH, Action.SCHEDULE, Action.UNPUBLISH}


def is_editor(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def is_own(user, article: Article) -> bool:
    """The user started the story or writes under one of its bylines."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return any(author.user_id == user.pk for author in article.byline_authors)


def can_edit(user, article: Article) -> bool:
    if not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return is_own(user, article) and article.status in {Status.DRAFT, Status.IN_REVIEW}


def check(user, article: Article, action: Action) -> None:
    """Raise with a message the person can act on, or return if allowed."""
    if action in EDITOR_ONLY and not is_editor(user):
        raise PermissionDenied(
            _("Only editors can publish, schedule or unpublish stories.")
        )
    if not (
        is_editor(user)
        or (user.has_perm("articles.change_article") and is_own(user, article))
    ):
        raise PermissionDenied(_("You can only move your own stories along."))
    if article.status not in FROM_STATES[action]:
        raise ValidationError(
            _("A story that is “%(status)s” cannot be sent to “%(action)s”.")
            % {"status": article.get_status_display(), "action": action.label}
        )


def allowed_actions(user, article: Article) -> list[Action]:
    allowed = []
    for action in Action:
        try:
            check(user, article, action)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


def state_label(article: Article) -> str:
    """The state in the newsroom's words, scheduled included."""
    if article.is_scheduled:
        return _("Scheduled")
    if article.status == Status.PUBLISHED:
        return _("Live")
    return article.get_status_display()


def refuse_image_change(sender, *, image, by, **kwargs) -> None:
    """A picture on a published story (live or scheduled) is part of it:
    changing its alt text, caption, credit, crop or file takes the right to
    edit that story (sent by images/services.py as `image_will_change`)."""
    published = Article.objects.filter(hero_image=image, status=Status.PUBLISHED)
    for article in published.prefetch_related("bylines__author"):
        if not can_edit(by, article):
            raise PermissionDenied(
                _(
                    "This picture leads “%(headline)s”, which is published: only "
                    "an editor can change it, as with the story itself. Ask an "
                    "editor, or upload a new picture and submit it with a draft "
                    "of the story."
                )
                % {"headline": article.headline}
            )
