"""The story and what belongs to it: bylines, "Go deeper" links, corrections,
the body editor's lead-in labels, and its querysets."""

import html

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Lower, RowNumber
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from articles.models.addresses import listing_reverse, unique_slug
from articles.models.sections import Author, Section
from articles.richtext import BODY_EXTENSIONS, sanitize_body
from articles.search import article_refresh_search_vector, search
from articles.similar import similar_to
from core.kept import DatabaseKeptFields
from tags.managers import NormalizingTaggableManager
from tags.models import Tag, TaggedArticle


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class CommentsMode(models.TextChoices):
    """A story's own comment rule (comments/ reads it; the story owns it)."""

    SITE_DEFAULT = "default", _("Site default")
    OPEN = "open", _("Open (checked after publication)")
    PREMODERATED = "premoderated", _("Pre-moderated (checked before publication)")
    CLOSED = "closed", _("Closed (no new comments)")


# A listing's stories as read before their cards come from the cache: the
# cards' keys (story, section, hero image) and each story's address.
CARD_KEY_FIELDS = ("section", "hero_image", "published_at", "slug")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and not scheduled for later."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published with a go-live time still to come."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())

    def search(self, query: str):
        """Stories matching a reader's query, best first (see articles/search.py)."""
        return search(self, query)

    def for_listing(self):
        """What a story card needs: section, hero image and ordered bylines
        (the approved comment count is a column)."""
        return self.select_related("section", "hero_image").prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("author").order_by("position"),
                # A plain list: a prefetch into the related manager builds a
                # queryset per story, a sixth of a front page's time.
                to_attr="listed_bylines",
            )
        )

    def for_cards(self):
        """What a page of story cards needs when the cards themselves come
        from the fragment cache (pagecache/cards.py): the keys of each card
        and its address, the section for grouping. The cards that must be
        rendered are read again whole (`for_listing`), in one query."""
        return self.select_related("section").only(*CARD_KEY_FIELDS)

    def for_detail(self, *, preview: bool = False):
        """A story page's joins: its card's, its tags in name order, its
        corrections, and its "Go deeper" links to stories the public can see
        (any story, for a staff preview)."""
        targets = Article.objects.all() if preview else Article.objects.published()
        return self.for_listing().prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    Lower("tag__name")
                ),
            ),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            Prefetch(
                "related_links",
                queryset=RelatedLink.objects.filter(target__in=targets)
                .select_related("target__section")
                .order_by("position", "pk"),
            ),
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def latest_per_section(self, per_section: int):
        """The newest `per_section` stories of every section, in one query.

        The window ranks only stories at least as new as the oldest story any
        section shows: for each section, its `per_section`-th newest story (or
        its oldest, if it has fewer). That reads a few days of stories through
        the section index instead of ranking the whole archive.
        """
        rows = self.order_by()
        in_section = rows.filter(section=OuterRef("pk")).values("published_at")
        nth_newest = in_section.order_by("-published_at", "-pk")[
            per_section - 1 : per_section
        ]
        oldest = in_section.order_by("published_at", "pk")[:1]
        cutoff = (
            Section.objects.annotate(
                shown_since=Coalesce(Subquery(nth_newest), Subquery(oldest))
            )
            .filter(shown_since__isnull=False)
            .order_by("shown_since")
            .values("shown_since")[:1]
        )
        ranked = (
            rows.filter(published_at__gte=Subquery(cutoff))
            .annotate(
                section_rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(section_rank__lte=per_section)
            .values("pk")
        )
        return self.filter(pk__in=ranked).order_by(
            "section__position", "section__name", "-published_at", "-pk"
        )

    def similar_to(self, article, limit: int):
        """Other stories like `article`, best first (see articles/similar.py)."""
        return similar_to(self, article, limit)


class Article(DatabaseKeptFields, models.Model):
    headline = models.CharField(
        _("headline"),
        max_length=200,
        help_text=_("Quotes and colons are fine. Keep it under about 90 characters."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        blank=True,
        help_text=_(
            "The last part of the story's address. Filled in from the headline; "
            "leave it alone once the story is live."
        ),
    )
    dek = models.CharField(
        _("dek"),
        max_length=300,
        blank=True,
        help_text=_(
            "The standfirst under the headline: one sentence that says why "
            "the story matters. Also used by search engines and social cards."
        ),
    )
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EXTENSIONS,
        sanitize=sanitize_body,
        blank=True,
        help_text=_(
            "Short paragraphs. Start a paragraph with a lead-in from the "
            "“Lead-in” menu (“The big picture:”) and end with a “Go deeper:” line."
        ),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    hero_image = models.ForeignKey(
        "images.Image",
        verbose_name=_("hero image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The picture at the top of the story and on its cards."),
    )
    hero_caption = models.TextField(
        _("hero caption for this story"),
        blank=True,
        help_text=_("Leave empty to use the picture's own caption."),
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        through="Byline",
        related_name="articles",
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the story went (or goes) live."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    edit_version = models.PositiveIntegerField(
        _("edit version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one at every save; a stale form is refused."),
    )
    source_name = models.CharField(
        _("source outlet"),
        max_length=120,
        blank=True,
        help_text=_("For syndicated stories: the outlet that first published it."),
    )
    source_url = models.URLField(
        _("source URL"),
        blank=True,
        help_text=_("For syndicated stories: the original story's address."),
    )
    go_deeper = models.ManyToManyField(
        "self",
        verbose_name=_("go deeper"),
        through="RelatedLink",
        through_fields=("article", "target"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    comment_count = models.PositiveIntegerField(
        _("approved comments"),
        default=0,
        editable=False,
        help_text=_("Kept by the database as comments are approved, held or removed."),
    )
    comments_mode = models.CharField(
        _("comments"),
        max_length=20,
        choices=CommentsMode,
        default=CommentsMode.SITE_DEFAULT,
        help_text=_("Close or pre-moderate comments on a sensitive story."),
    )
    tags = TaggableManager(
        verbose_name=_("tags"),
        through="tags.TaggedArticle",
        manager=NormalizingTaggableManager,
        blank=True,
        help_text=_("Comma-separated. Reuse existing tags where you can."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [
            ("publish_article", _("Can publish and unpublish stories")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], name="articles_article_slug_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="articles_article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(source_url="") | ~Q(source_name=""),
                name="articles_article_source_url_needs_name",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="articles_search_idx"),
            models.Index(
                fields=["status", "-published_at"], name="articles_status_pub_idx"
            ),
            # The admin's story list: default ordering and its date drill-down.
            models.Index(fields=["-published_at", "-id"], name="articles_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="articles_section_pub_idx",
            ),
        ]

    def __str__(self):
        return self.headline

    # Triggers keep it (comments/migrations/0003).
    kept_by_database = ("comment_count",)

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.headline, exclude_pk=self.pk)
        super().save(*args, **kwargs)
        # Same row, derived from it: the stored search vector.
        article_refresh_search_vector(self.pk)

    def get_absolute_url(self):
        # Unpublished stories still get their future address, for "View on site".
        when = timezone.localtime(
            self.published_at or self.created_at or timezone.now()
        )
        return listing_reverse(
            "articles:detail",
            section=self.section.slug,
            year=when.year,
            month=f"{when.month:02d}",
            day=f"{when.day:02d}",
            slug=self.slug,
        )

    def clean(self):
        super().clean()
        if self.source_url and not self.source_name:
            raise ValidationError(
                {"source_name": _("Name the outlet the story comes from.")}
            )

    @property
    def byline_authors(self) -> list[Author]:
        bylines = getattr(self, "listed_bylines", None)
        if bylines is None:
            bylines = self.bylines.all()
        return [byline.author for byline in bylines]

    @property
    def tag_list(self) -> list[Tag]:
        """The story's tags in name order (prefetched by `for_detail()`)."""
        return [tagged.tag for tagged in self.tagged_items.all()]

    @property
    def is_live(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def opengraph(self, absolute) -> dict:
        """Social-card values; `absolute` turns a path into a full address."""
        rendition = self.hero_image.rendition("16:9", 1200) if self.hero_image else None
        return {
            "type": "article",
            "title": self.headline,
            "description": self.summary,
            "url": absolute(self.get_absolute_url()),
            "image": absolute(rendition["url"]) if rendition else "",
            "image_alt": self.hero_image.alt_text if rendition else "",
            "published_time": self.published_at.isoformat()
            if self.published_at
            else "",
            "modified_time": (self.last_noted_at or self.updated_at).isoformat(),
            "section": self.section.name,
            "tags": [tag.name for tag in self.tag_list],
        }

    def news_article_json_ld(self, absolute, *, publisher: str, logo: str) -> dict:
        """schema.org NewsArticle for search engines."""
        card = self.opengraph(absolute)
        return {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": card["url"],
            "headline": self.headline[:110],
            "description": card["description"],
            "image": [card["image"] or logo],
            "datePublished": card["published_time"],
            "dateModified": card["modified_time"],
            "author": [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": absolute(author.get_absolute_url()),
                }
                for author in self.byline_authors
            ],
            "publisher": {
                "@type": "Organization",
                "name": publisher,
                "logo": {"@type": "ImageObject", "url": logo},
            },
            "articleSection": self.section.name,
            "keywords": card["tags"],
        }

    @property
    def hero_caption_text(self) -> str:
        if self.hero_caption:
            return self.hero_caption
        return self.hero_image.caption if self.hero_image else ""

    @property
    def notes(self) -> list["Correction"]:
        """Corrections and updates, oldest first (prefetched by `for_detail()`)."""
        return list(self.corrections.all())

    @property
    def last_noted_at(self):
        """The "updated" time readers see: the newest correction or update."""
        notes = self.notes
        return notes[-1].created_at if notes else None

    @property
    def go_deeper_stories(self) -> list["Article"]:
        """Live "Go deeper" stories, in the editor's order (prefetched)."""
        return [link.target for link in self.related_links.all()]

    @property
    def summary(self) -> str:
        """Plain text: the dek, or the body's first words (its entities decoded,
        so templates and feeds escape it once)."""
        return self.dek or Truncator(html.unescape(strip_tags(self.body))).words(30)


class Byline(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="articles_byline_unique_author"
            ),
        ]

    def __str__(self):
        return f"{self.author} – {self.article}"


class LeadIn(models.Model):
    """A house lead-in label ("The big picture:") offered by the body editor."""

    label = models.CharField(
        _("label"),
        max_length=40,
        unique=True,
        help_text=_("Written as it appears, with the colon: “Why it matters:”."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Order in the editor's lead-in menu."),
    )

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("lead-in label")
        verbose_name_plural = _("lead-in labels")

    def __str__(self):
        return self.label


class RelatedLink(models.Model):
    """A "Go deeper" link from one story to another."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="related_links"
    )
    target = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A story readers should read next."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("“Go deeper” link")
        verbose_name_plural = _("“Go deeper” links")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target"], name="articles_relatedlink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(article=F("target")),
                name="articles_relatedlink_not_self",
                violation_error_message=_("A story cannot link to itself."),
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.target}"


class Correction(models.Model):
    """A timestamped correction or update note shown on the story page."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION
    )
    text = models.TextField(
        _("note"),
        max_length=1000,
        help_text=_(
            "What was wrong and what is right now, in a sentence or two. "
            "Readers see it under the story with its time."
        ),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
