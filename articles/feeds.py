"""RSS 2.0 and Atom feeds: latest stories, and per section, tag and author.

Readers render an RSS title or description, and an Atom summary of type
"html", as HTML: journalists' text goes into those escaped, so a headline or
dek that looks like markup shows as the characters typed and runs nothing.
Names and categories are plain text in both formats (XML-escaped only).
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, Author, Correction, Section
from tags.models import Tag, TaggedArticle

FEED_SIZE = 30


def latest_update(story, updated):
    """`updated`, or the story's latest live entry if that came later: a live
    story reads as updated with every entry (read with the story, as
    `select_related("live_coverage")`; no coverage, no query)."""
    coverage = getattr(story, "live_coverage", None)
    latest = coverage.latest_entry_at if coverage is not None else None
    return max(updated, latest) if latest else updated


def _stories():
    return (
        Article.objects.published()
        .for_listing()
        # A live story's latest entry time (live/ keeps it on the coverage).
        .select_related("live_coverage")
        .prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    "tag__name"
                ),
            ),
            # item_updateddate reads each story's newest correction.
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
        )
        .newest_first()
    )


# Characters XML 1.0 cannot carry; one in a headline (a vertical tab pasted
# from a word processor) would otherwise turn the whole feed into an error.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_FIELDS = ("title", "subtitle", "description", "author_name")


def _xml_text(fields: dict) -> dict:
    """`fields` with the characters XML cannot carry dropped from its text."""
    cleaned = {
        name: _NOT_XML.sub("", value)
        if name in _TEXT_FIELDS and isinstance(value, str)
        else value
        for name, value in fields.items()
    }
    if fields.get("categories"):
        cleaned["categories"] = [_NOT_XML.sub("", str(c)) for c in fields["categories"]]
    return cleaned


class _XmlText:
    """A feed generator taking only text XML can carry (called with keyword
    arguments, as `Feed` does)."""

    def __init__(self, **fields):
        super().__init__(**_xml_text(fields))

    def add_item(self, **fields):
        super().add_item(**_xml_text(fields))


class NewsroomRssFeed(_XmlText, Rss201rev2Feed):
    """RSS 2.0 with the channel's and the items' titles, and the channel's
    description, escaped: the RSS profile reads them as HTML."""

    def __init__(self, **fields):
        super().__init__(
            **fields
            | {
                "title": escape(fields["title"]),
                "description": escape(fields["description"]),
            }
        )

    def add_item(self, **fields):
        super().add_item(**fields | {"title": escape(fields["title"])})


class NewsroomAtomFeed(_XmlText, Atom1Feed):
    """Atom: titles, names and categories are text; the summary is HTML."""


class LatestStoriesFeed(Feed):
    """The site's newest stories. Subclasses narrow them to one section, tag
    or author. Titles and descriptions are plain text; `item_description` is
    HTML (Atom declares it so)."""

    feed_type = NewsroomRssFeed

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else "/"

    def description(self, obj=None):
        return settings.NEWSROOM_SITE_TAGLINE

    def stories(self, obj):
        return _stories()

    def items(self, obj=None):
        return self.stories(obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return latest_update(item, item.last_noted_at or item.published_at)

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.byline_authors) or None

    def item_categories(self, item):
        return [item.section.name] + [tag.name for tag in item.tag_list]

    def item_enclosures(self, item):
        image = item.hero_image
        rendition = image.rendition("16:9", 1200) if image else None
        if rendition is None:
            return []
        url = self.request.build_absolute_uri(rendition["url"])
        return [Enclosure(url, str(rendition.get("bytes", 0)), "image/jpeg")]

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} – {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj=None):
        return obj.description or obj.name

    def stories(self, obj):
        return _stories().filter(section=obj)


class TagFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        if "\x00" in slug:
            # No slug holds one, and PostgreSQL refuses it in a query.
            raise Http404
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("Stories tagged “%(tag)s” – %(site)s") % {
            "tag": obj.name,
            "site": settings.NEWSROOM_SITE_NAME,
        }

    def description(self, obj=None):
        return obj.description or obj.name

    def stories(self, obj):
        return _stories().filter(tags=obj)


class AuthorFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Author, slug=slug)

    def title(self, obj=None):
        return _("Stories by %(name)s – %(site)s") % {
            "name": obj.name,
            "site": settings.NEWSROOM_SITE_NAME,
        }

    def description(self, obj=None):
        return obj.bio or obj.name

    def stories(self, obj):
        return _stories().filter(authors=obj)


def atom(feed_class):
    """The same feed in Atom."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": NewsroomAtomFeed, "subtitle": feed_class.description},
    )
