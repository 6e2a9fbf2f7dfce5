"""Autosaved copies of a story form: one per person and story, never the story.

A draft copy is what someone typed and had not saved yet. It lives apart
from the story (public pages, feeds, previews, search and revision history
never read this table) and is deleted when its owner saves for real.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AutosaveDraft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # An existing story, or (for one never saved) the key its add form made up.
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    new_key = models.UUIDField(null=True, blank=True)
    # The story's edit_version when the form was opened: if the story has a
    # higher one now, someone saved in between and the person must choose.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    # Field name -> text as typed, kept as data: cleaned only when restored.
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(_("autosaved at"))

    class Meta:
        verbose_name = _("autosaved draft")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_story_and_person",
            ),
            models.UniqueConstraint(
                fields=["user", "new_key"],
                condition=Q(new_key__isnull=False),
                name="autosave_one_per_new_story_and_person",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True) ^ Q(new_key__isnull=True),
                name="autosave_story_or_new_key",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"])]

    def __str__(self):
        return f"{self.user} / {self.article_id or self.new_key}"
