import re
from datetime import timedelta

from django.apps import apps
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

_WHITESPACE = re.compile(r"\s+")


def normalize_tag_name(name: str) -> str:
    """Trim and collapse inner whitespace; case is kept as the editor typed it."""
    return _WHITESPACE.sub(" ", name or "").strip()


class TagQuerySet(models.QuerySet):
    def trending(self, *, days: int, limit: int):
        """Tags on the most stories published in the last `days`, one query."""
        article_model = apps.get_model("articles", "Article")
        since = timezone.now() - timedelta(days=days)
        recent = article_model.objects.published().filter(published_at__gt=since)
        in_recent = Q(tagged_articles__content_object__in=recent.values("pk"))
        return (
            self.annotate(recent_stories=Count("tagged_articles", filter=in_recent))
            .filter(recent_stories__gt=0)
            .order_by("-recent_stories", "name")[:limit]
        )


class Tag(TagBase):
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("A sentence or two shown at the top of the tag page."),
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tags_tag_name_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_tag_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tags:detail", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """Links a tag to a story; taggit reads and writes it for `Article.tags`."""

    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles"
    )

    class Meta:
        verbose_name = _("tagged story")
        verbose_name_plural = _("tagged stories")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tags_taggedarticle_unique"
            ),
        ]

    def __str__(self):
        return f"{self.tag} on {self.content_object_id}"
