"""Sections and authors: the listings a story appears in besides its tags."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.addresses import listing_reverse

# Top-level paths the site already uses; a section slug may not take them.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "accounts",
        "api",
        "authors",
        "comments",
        "feeds",
        "live",
        "media",
        "preview",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
        "tags",
    }
)


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site itself; choose another slug."),
            params={"slug": value},
        )


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_("Forms the section's address, e.g. /world/. Avoid changing it."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences shown at the top of the section page."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Order in the site navigation; lower numbers come first."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return listing_reverse("articles:section", section=self.slug)


class Author(models.Model):
    name = models.CharField(
        _("byline name"),
        max_length=120,
        help_text=_("The name as printed in the byline."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(
        _("short bio"),
        blank=True,
        help_text=_("One or two sentences for the author page."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text=_("The staff account that writes under this byline, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return listing_reverse("articles:author", slug=self.slug)
