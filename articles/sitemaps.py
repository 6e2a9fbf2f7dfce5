"""sitemap.xml (an index of stories, sections, tags and authors) and the
Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone

from articles.models import Article, Author, Section
from tags.models import Tag, TaggedArticle


class StorySitemap(Sitemap):
    changefreq = "daily"
    # Each page is built per request: 1,000 addresses keep it quick.
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        published = Article.objects.published().filter(section=OuterRef("pk"))
        newest = published.order_by("-published_at").values("published_at")[:1]
        return (
            Section.objects.filter(Exists(published))
            .annotate(latest=Subquery(newest))
            .order_by("position", "name")
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        published = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(Exists(published)).order_by("name")


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        published = Article.objects.published().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(published)).order_by("name")


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_sitemap(request):
    """Stories of the last 48 hours, as Google News reads them."""
    since = timezone.now() - timedelta(hours=48)
    stories = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .select_related("section")
        .prefetch_related("tagged_items__tag")
        .order_by("-published_at")[:1000]
    )
    return render(
        request,
        "sitemaps/news.xml",
        {
            "stories": stories,
            "publication": settings.NEWSROOM_SITE_NAME,
            "language": settings.LANGUAGE_CODE.split("-")[0],
        },
        content_type="application/xml",
    )


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")
