from itertools import groupby

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from articles.models import Article, Author, Section


def paginate(request, queryset) -> Page:
    """One page of `queryset`; a missing, odd or too-large number gets a real page."""
    paginator = Paginator(queryset, settings.NEWSROOM_PAGE_SIZE)
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    # Below the first page means the first; past the last means the last.
    return paginator.get_page(max(number, 1))


def headlines(request):
    stories = Article.objects.published().for_listing().newest_first()
    front = list(stories[: 1 + settings.NEWSROOM_TOP_STORIES])
    page = paginate(request, stories[len(front) :])
    latest = (
        Article.objects.published()
        .for_listing()
        .latest_per_section(settings.NEWSROOM_LATEST_PER_SECTION)
    )
    by_section = [
        (section, list(group))
        for section, group in groupby(latest, key=lambda article: article.section)
    ]
    return render(
        request,
        "articles/headlines.html",
        {
            "lead": front[0] if front else None,
            "top_stories": front[1:],
            "by_section": by_section,
            "page": page,
        },
    )


def section_detail(request, section):
    section = get_object_or_404(Section, slug=section)
    stories = (
        Article.objects.published().filter(section=section).for_listing().newest_first()
    )
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": paginate(request, stories)},
    )


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    stories = (
        Article.objects.published().filter(authors=author).for_listing().newest_first()
    )
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "page": paginate(request, stories)},
    )


def article_detail(request, section, year, month, day, slug):
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
    day_published = timezone.localtime(article.published_at).date()
    if (section, year, month, day) != (
        article.section.slug,
        day_published.year,
        day_published.month,
        day_published.day,
    ):
        return redirect(article, permanent=True)
    similar = (
        Article.objects.published()
        .for_listing()
        .similar_to(article, settings.NEWSROOM_SIMILAR_STORIES)
    )
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "similar": similar},
    )
