"""sitemap.xml (an index of stories, sections, tags and authors) and the
Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone

from articles.feeds import latest_update
from articles.models import Article, Author, Section
from tags.models import Tag, TaggedArticle


class UncountedPaginator(Paginator):
    """Serves a page without counting the archive; only the sitemap index,
    which lists the pages, counts. A page past the end is empty, and the
    sitemap view answers 404 for it."""

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(error) from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return self._get_page(rows, number, self)


class StorySitemap(Sitemap):
    changefreq = "daily"
    # Each page is built per request: 1,000 addresses keep it quick.
    limit = 1000

    @property
    def paginator(self):
        # Counting 100,000 stories to check the page number cost more than
        # the page itself; the sitemap index still counts (num_pages).
        return UncountedPaginator(self._items(), self.limit)

    def items(self):
        return (
            Article.objects.published()
            .select_related("section", "live_coverage")
            .only(
                "slug",
                "published_at",
                "updated_at",
                "section__slug",
                "live_coverage__latest_entry_at",
            )
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return latest_update(item, item.updated_at)


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
        .select_related("section", "live_coverage")
        .prefetch_related("tagged_items__tag")
        .order_by("-published_at")[:1000]
    )
    for story in stories:
        story.lastmod = latest_update(story, story.updated_at)
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
