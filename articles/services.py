"""Changes to a story's workflow state. Views and admin actions call these."""

from datetime import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Status
from tags.services import trending_invalidate

PUBLISH_PERMISSION = "articles.publish_article"


def _require_publisher(user: AbstractBaseUser) -> None:
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only editors can publish or unpublish stories."))


def _log(*, article: Article, by: AbstractBaseUser, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[article],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def article_publish(
    *, article: Article, by: AbstractBaseUser, at: datetime | None = None
) -> Article:
    """Publish now, or from `at` onwards. Editors only."""
    _require_publisher(by)
    if not article.body:
        raise ValidationError(_("A story needs a body before it can be published."))
    if not article.bylines.exists():
        raise ValidationError(
            _("A story needs at least one author before it can be published.")
        )
    article.status = Status.PUBLISHED
    # A story published earlier keeps its original time unless a new one is given.
    article.published_at = at or article.published_at or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    _log(article=article, by=by, message=_("Published."))
    transaction.on_commit(trending_invalidate)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: AbstractBaseUser) -> Article:
    """Withdraw a story from the public site. Editors only."""
    _require_publisher(by)
    article.status = Status.UNPUBLISHED
    article.save(update_fields=["status", "updated_at"])
    _log(article=article, by=by, message=_("Unpublished."))
    transaction.on_commit(trending_invalidate)
    return article
