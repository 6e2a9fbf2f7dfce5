from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from core.kept import DatabaseKeptFields
from core.text import skeleton, skeleton_variants, visible_text

MAX_NAME_LENGTH = 100


def normalize_tag_name(name: str) -> str:
    """NFKC, trimmed, inner whitespace collapsed, invisible characters dropped
    and cut to the longest name a tag can have; case is kept as the editor
    typed it (see core.text.visible_text)."""
    return visible_text(visible_text(name)[:MAX_NAME_LENGTH])


def _with_skeletons(kwargs: dict, fields: dict[str, str]) -> dict:
    """save() kwargs that also write the skeleton of each field written."""
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        extra = {fields[name] for name in update_fields if name in fields}
        kwargs["update_fields"] = {*update_fields, *extra}
    return kwargs


def stories():
    """The stories' manager, found by app label: articles imports tags (a
    story's tags are its field), so tags never imports articles."""
    return apps.get_model("articles", "Article").objects


def _published_articles():
    return stories().published()


class TagQuerySet(models.QuerySet):
    def with_story_counts(self):
        """Annotate `story_count`: published stories carrying the tag.

        The database keeps `published_count` (status published); the few
        stories still scheduled are counted live and taken away.
        """
        scheduled = (
            TaggedArticle.objects.filter(
                tag=OuterRef("pk"),
                content_object__in=apps.get_model("articles", "Article")
                .objects.scheduled()
                .values("pk"),
            )
            .order_by()
            .values("tag")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            story_count=F("published_count") - Coalesce(Subquery(scheduled), 0)
        )

    def trending_candidates(self, *, days: int, limit: int):
        """Tags of stories published in the last `days`, one query.

        `trend_score` weighs each story by how recent it is (linear decay over
        the window: a story published now counts fully, one at the start of
        the window not at all); `story_count` is the all-time count, used to
        pick the most-used tag of a near-duplicate group.
        """
        now = timezone.now()
        since = now - timedelta(days=days)
        recent = Q(
            tagged_articles__content_object__in=_published_articles().filter(
                published_at__gt=since
            )
        )
        freshness = ExpressionWrapper(
            F("tagged_articles__content_object__published_at") - Value(since),
            output_field=DurationField(),
        )
        return (
            self.filter(is_hidden_from_strip=False)
            .with_story_counts()
            .annotate(trend_score=Sum(freshness, filter=recent))
            .filter(trend_score__isnull=False)
            .order_by("-trend_score", "name")[:limit]
        )

    def pinned(self):
        return self.filter(strip_position__isnull=False, is_hidden_from_strip=False)


class Tag(DatabaseKeptFields, TagBase):
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("A sentence or two shown at the top of the tag page."),
    )
    is_hidden_from_strip = models.BooleanField(
        _("hidden from the trending strip"),
        default=False,
        help_text=_("Never show this tag in the trending strip (e.g. “explainer”)."),
    )
    strip_position = models.PositiveSmallIntegerField(
        _("pinned to the strip at position"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to let readers' interest decide. 1 puts the tag first in "
            "the trending strip, before the tags of the moment."
        ),
    )

    name_skeleton = models.TextField(
        _("what the name looks like"),
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Its confusables skeleton: look-alike names share one."),
    )
    slug_skeleton = models.TextField(
        _("what the address looks like"), blank=True, editable=False, db_index=True
    )

    published_count = models.PositiveIntegerField(
        _("stories with status published"),
        default=0,
        editable=False,
        help_text=_(
            "Kept by the database (tags/migrations/0004); scheduled stories "
            "included. Use with_story_counts() for what readers see."
        ),
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tags_tag_name_ci_unique",
                violation_error_message=_(
                    "A tag with this name already exists (capitals don't count)."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    # Triggers keep it (tags/migrations/0005).
    kept_by_database = ("published_count",)

    def save(self, *args, **kwargs):
        self.name = normalize_tag_name(self.name)
        self.name_skeleton = skeleton(self.name)
        if self._state.adding and not self.slug:
            self.slug = self._unmistakable_slug()
        self.slug_skeleton = skeleton(self.slug)
        fields = {"name": "name_skeleton", "slug": "slug_skeleton"}
        super().save(*args, **_with_skeletons(kwargs, fields))

    def get_absolute_url(self):
        return reverse("tags:detail", kwargs={"slug": self.slug})

    def slugify(self, tag, i=None):
        # A name of punctuation alone ("!!!") has no slug, so no address; and
        # the "_2" taggit adds for a taken slug must still fit the column.
        slug = super().slugify(tag) or "tag"
        suffix = "" if i is None else f"_{i}"
        return slug[: self._meta.get_field("slug").max_length - len(suffix)] + suffix

    def _unmistakable_slug(self) -> str:
        """The first of slug, slug_1, slug_2… that is neither taken nor looks
        like a taken one ("сafe" with a Cyrillic с beside "cafe")."""
        i = None
        while True:
            slug = self.slugify(self.name, i)
            taken = Q(slug=slug) | Q(slug_skeleton__in=skeleton_variants(slug))
            if not Tag.objects.filter(taken).exists():
                return slug
            i = 1 if i is None else i + 1

    def look_alike(self) -> "Tag | TagAlias | None":
        """Another tag, or a merged name, that readers would take this one for."""
        variants = skeleton_variants(self.name)
        tags = Tag.objects.filter(name_skeleton__in=variants)
        aliases = TagAlias.objects.filter(name_skeleton__in=variants)
        if self.pk:
            tags = tags.exclude(pk=self.pk)
            aliases = aliases.exclude(tag_id=self.pk)
        return (
            tags.order_by("pk").first()
            or aliases.select_related("tag").order_by("pk").first()
        )

    def clean(self):
        super().clean()
        self.name = normalize_tag_name(self.name)
        alias = TagAlias.objects.filter(name__iexact=self.name)
        if self.pk:
            alias = alias.exclude(tag_id=self.pk)
        if survivor := alias.select_related("tag").first():
            raise ValidationError(
                {
                    "name": _("“%(name)s” was merged into “%(tag)s”; use that tag.")
                    % {"name": self.name, "tag": survivor.tag}
                }
            )
        other = self.look_alike()
        if isinstance(other, TagAlias):
            raise ValidationError(
                {
                    "name": _(
                        "“%(name)s” looks like “%(alias)s”, which was merged into "
                        "“%(tag)s”; use that tag."
                    )
                    % {"name": self.name, "alias": other.name, "tag": other.tag}
                }
            )
        same_name = (
            Tag.objects.alias(lowered=Lower("name"))
            .filter(lowered=Lower(Value(self.name)))
            .exclude(pk=self.pk)
        )
        # The same name in other capitals gets the constraint's own message.
        if other is not None and not same_name.exists():
            raise ValidationError(
                {
                    "name": _(
                        "“%(name)s” looks like the existing tag “%(tag)s”; use "
                        "that tag, or choose a name that looks different."
                    )
                    % {"name": self.name, "tag": other.name}
                }
            )
        if self.slug:
            slugs = Tag.objects.filter(
                slug_skeleton__in=skeleton_variants(self.slug)
            ).exclude(slug=self.slug)
            if self.pk:
                slugs = slugs.exclude(pk=self.pk)
            if twin := slugs.first():
                raise ValidationError(
                    {
                        "slug": _(
                            "This address looks like the address of “%(tag)s” "
                            "(/tags/%(slug)s/); choose another."
                        )
                        % {"tag": twin.name, "slug": twin.slug}
                    }
                )


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


class TagAlias(models.Model):
    """A name merged into another tag: typing it again files under the survivor."""

    name = models.CharField(_("name"), max_length=100)
    name_skeleton = models.TextField(blank=True, editable=False, db_index=True)
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="aliases"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag alias")
        verbose_name_plural = _("tag aliases")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tags_tagalias_name_ci_unique"),
        ]

    def __str__(self):
        return f"{self.name} → {self.tag}"

    def save(self, *args, **kwargs):
        self.name = normalize_tag_name(self.name)
        self.name_skeleton = skeleton(self.name)
        super().save(*args, **_with_skeletons(kwargs, {"name": "name_skeleton"}))


class TagRedirect(models.Model):
    """An old tag address (after a merge or a new slug) that answers 301."""

    old_slug = models.CharField(_("old slug"), max_length=100, unique=True)
    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("tag redirect")
        verbose_name_plural = _("tag redirects")

    def __str__(self):
        return f"/tags/{self.old_slug}/ → {self.tag}"
