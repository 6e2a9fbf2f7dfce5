"""A story's live coverage and its timestamped entries."""

import html

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.richtext import BODY_EXTENSIONS, sanitize_body

# A short entry: the story's editor without headings, pictures and rules.
ENTRY_EXTENSIONS = {
    name: BODY_EXTENSIONS[name]
    for name in (
        "Bold",
        "Italic",
        "Link",
        "BulletList",
        "OrderedList",
        "ListItem",
        "Blockquote",
        "HardBreak",
        "LeadIn",
    )
}


class LiveCoverageQuerySet(models.QuerySet):
    def running(self):
        """Coverage that has started and not ended."""
        now = timezone.now()
        return self.filter(starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class LiveCoverage(models.Model):
    story = models.OneToOneField(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="live_coverage",
    )
    starts_at = models.DateTimeField(
        _("starts at"),
        default=timezone.now,
        help_text=_("When the story starts showing the “Live” badge."),
    )
    ends_at = models.DateTimeField(
        _("ends at"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty while the coverage runs. After this time the story reads "
            "as a normal story with its entries."
        ),
    )
    journalists_may_post = models.BooleanField(
        _("journalists may post"),
        default=False,
        help_text=_(
            "Let journalists who may edit this story post entries without review. "
            "Only editors can change this."
        ),
    )
    # The newest entry, kept here by LiveEntry.save() and delete() so that a
    # story card (pagecache/cards.py reads the coverage with the story) shows
    # "Updated 10:42 — …" without reading the entries.
    latest_entry_at = models.DateTimeField(
        _("latest entry at"), null=True, blank=True, editable=False
    )
    latest_entry_text = models.CharField(
        _("latest entry"), max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LiveCoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="live_coverage_ends_after_start",
            ),
        ]

    def __str__(self):
        return str(self.story)

    def get_absolute_url(self):
        return self.story.get_absolute_url()

    @property
    def is_live(self) -> bool:
        """Started and not ended: the story shows the “Live” badge."""
        now = timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

    @property
    def has_ended(self) -> bool:
        return self.ends_at is not None and self.ends_at <= timezone.now()

    def note_latest_entry(self) -> None:
        """Copy the newest entry's time and first words onto the coverage
        (an update, not a save: only the entry's own signal tells readers)."""
        newest = self.entries.newest_first().only("posted_at", "body").first()
        self.latest_entry_at = newest.posted_at if newest else None
        self.latest_entry_text = entry_first_line(newest.body) if newest else ""
        LiveCoverage.objects.filter(pk=self.pk).update(
            latest_entry_at=self.latest_entry_at,
            latest_entry_text=self.latest_entry_text,
        )


def entry_first_line(body: str, words: int = 14) -> str:
    """An entry's first words as plain text (cards, key events, feed titles)."""
    # As text: "&lt;" in the stored HTML is the "<" the journalist typed.
    text = html.unescape(strip_tags(body)).strip()
    return Truncator(text).words(words, truncate="…")[:300]


class LiveEntryQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("author", "image")

    def newest_first(self):
        return self.order_by("-pk")


class LiveEntry(models.Model):
    coverage = models.ForeignKey(
        LiveCoverage,
        verbose_name=_("coverage"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = ProseEditorField(
        _("entry"),
        extensions=ENTRY_EXTENSIONS,
        sanitize=sanitize_body,
        help_text=_("A few short sentences. Lead-ins and links are fine."),
    )
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Pinned entries stay at the top of the coverage."),
    )
    is_key_event = models.BooleanField(
        _("key event"),
        default=False,
        help_text=_("Listed in the “Key events” box at the top of the story."),
    )
    image = models.ForeignKey(
        "images.Image",
        verbose_name=_("picture"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Optional: a picture from the library, shown with its alt text."),
    )
    edited_at = models.DateTimeField(
        _("edited at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Readers see “Updated” once an entry was edited."),
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("live entry")
        verbose_name_plural = _("live entries")
        indexes = [
            models.Index(fields=["coverage", "-id"], name="live_entry_newest_idx"),
            models.Index(
                fields=["coverage", "-id"],
                condition=Q(is_pinned=True),
                name="live_entry_pinned_idx",
            ),
            models.Index(
                fields=["coverage", "-id"],
                condition=Q(is_key_event=True),
                name="live_entry_key_idx",
            ),
        ]

    def __str__(self):
        return f"{self.coverage} · {self.posted_at:%H:%M}"

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        with transaction.atomic():
            super().save(*args, **kwargs)
            fields = kwargs.get("update_fields")
            if fields is None or {"body", "posted_at"} & set(fields):
                self.coverage.note_latest_entry()

    def get_absolute_url(self):
        return f"{self.coverage.get_absolute_url()}#{self.anchor}"

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            self.coverage.note_latest_entry()
        return deleted

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def author_name(self) -> str:
        if self.author is None:
            return ""
        return self.author.get_full_name() or self.author.get_username()
