"""The newsroom's record of a story: audit trail, earlier slugs, who has it open."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.stories import Article


class ArticleEvent(models.Model):
    """The audit trail: who moved a story through the workflow, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned to draft")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")
        UNPUBLISHED = "unpublished", _("unpublished")
        CORRECTED = "corrected", _("added a correction or update")
        RESTORED = "restored", _("restored an earlier revision")
        PREVIEW_LINK = "preview_link", _("created a preview link")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit trail entry")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["article", "-at"], name="articles_event_story_idx")
        ]

    def __str__(self):
        return f"{self.actor} {self.get_action_display()} “{self.article}”"


class ArticleSlugHistory(models.Model):
    """An earlier slug of a story; its old address answers 301."""

    old_slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class EditPresence(models.Model):
    """Who has a story open in the admin, refreshed while the form is open."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("editor presence")
        verbose_name_plural = _("editor presence")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="articles_editpresence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id} at {self.seen_at}"
