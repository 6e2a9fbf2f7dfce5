from itertools import groupby

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from articles import workflow
from articles.forms import SearchForm
from articles.models import (
    Article,
    ArticleSlugHistory,
    Author,
    FrontPageSlot,
    Section,
)
from articles.search import snippet
from articles.services import article_from_preview_token
from core.pagination import paginate
from pagecache import keys, store
from pagecache.cards import cached_cards, cards_keys, cards_rendered
from pagecache.parts import first_page, shared_part, story_list_part


def front_page_stories() -> list[Article]:
    """The lead and top stories: editors' picks in their slots, the newest
    stories filling any slot that is empty or expired. Three queries, however
    many slots are curated."""
    size = 1 + settings.NEWSROOM_TOP_STORIES
    slots = dict(
        FrontPageSlot.objects.current()
        .filter(position__lt=size)
        .values_list("position", "article_id")
    )
    newest_ids = (
        Article.objects.published()
        .exclude(pk__in=slots.values())
        .newest_first()
        .values("pk")[: size - len(slots)]
    )
    stories = (
        Article.objects.published()
        .filter(Q(pk__in=list(slots.values())) | Q(pk__in=newest_ids))
        .for_cards()
        .newest_first()
    )
    by_pk = {story.pk: story for story in stories}
    newest = iter(story for story in by_pk.values() if story.pk not in slots.values())
    return [
        story
        for position in range(size)
        if (story := by_pk.get(slots.get(position)) or next(newest, None))
    ]


def headlines(request):
    def build() -> dict:
        front = front_page_stories()
        stories = (
            Article.objects.published()
            .exclude(pk__in=[story.pk for story in front])
            .for_cards()
            .newest_first()
        )
        page = paginate(request, stories)
        latest = (
            Article.objects.published()
            .for_cards()
            .latest_per_section(settings.NEWSROOM_LATEST_PER_SECTION)
        )
        by_section = [
            (section, list(group))
            for section, group in groupby(latest, key=lambda article: article.section)
        ]
        context = {
            "lead": front[0] if front else None,
            "top_stories": front[1:],
            "by_section": by_section,
            "page": page,
        }
        cards = cards_rendered(
            request,
            lambda: render_to_string("articles/headlines_part.html", context, request),
        )
        return {
            "html": cards.html,
            "number": page.number,
            "keys": [
                *cards.keys,
                # The section blocks' titles.
                *keys.many(keys.section, {section.pk for section, _ in by_section}),
            ],
            "page_keys": cards.page_keys,
        }

    part = shared_part(
        request, "headlines", [keys.FRONT], build, keep=first_page(request)
    )
    return render(request, "articles/headlines.html", {"part": part})


def section_detail(request, section):
    section = get_object_or_404(Section, slug=section)
    stories = (
        Article.objects.published().filter(section=section).for_cards().newest_first()
    )
    part = story_list_part(
        request,
        f"section:{section.pk}",
        [keys.section(section.pk)],
        stories,
        heading="h2",
        empty_message=_("No stories in this section yet."),
    )
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "part": part},
    )


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    stories = (
        Article.objects.published().filter(authors=author).for_cards().newest_first()
    )
    part = story_list_part(
        request,
        f"author:{author.pk}",
        [keys.author(author.pk)],
        stories,
        show_section=True,
        heading="h3",
        empty_message=_("No published stories yet."),
    )
    return render(
        request,
        "articles/author_detail.html",
        {"author": author, "part": part},
    )


def story_page_keys(article) -> list[str]:
    """The keys of everything a story page shows of its story: the story
    itself (bylines, corrections and comment count included), its hero image
    and tags, and its "Go deeper" stories; and the names and addresses of
    sections, which change only with NAV (a section's own key changes with
    every story published in it)."""
    deeper = article.go_deeper_stories
    return [
        keys.story(article.pk),
        keys.NAV,
        *keys.many(keys.image, [article.hero_image_id]),
        *keys.many(keys.tag, [tag.pk for tag in article.tag_list]),
        *keys.stories(deeper),
    ]


def published_story(slug: str) -> Article | None:
    """The public story at `slug` with all its page shows, read once and kept
    until any of it changes (or the next story goes live)."""
    if len(slug) > Article._meta.get_field("slug").max_length:
        return None  # no story has it; nor may it name a fragment
    return store.fragment(
        f"story-page:{slug}",
        [],
        lambda: Article.objects.published().for_detail().filter(slug=slug).first(),
        keys_of=story_page_keys,
    )


@cached_cards
def article_detail(request, section, year, month, day, slug):
    article = published_story(slug)
    if article is None:
        # An earlier slug of a live story answers with its current address.
        moved = get_object_or_404(
            ArticleSlugHistory.objects.filter(
                article__in=Article.objects.published()
            ).select_related("article__section"),
            old_slug=slug,
        )
        return redirect(moved.article, permanent=True)
    day_published = timezone.localtime(article.published_at).date()
    if (section, year, month, day) != (
        article.section.slug,
        day_published.year,
        day_published.month,
        day_published.day,
    ):
        return redirect(article, permanent=True)
    # Renamed sections (NAV) and authors (the story's key) reach it too;
    # Similar News draws on every story sharing a tag; the hero image's
    # credit and alt text show on it.
    store.depends_on(
        request,
        keys.story(article.pk),
        *keys.many(keys.tag, [tag.pk for tag in article.tag_list]),
        *keys.many(keys.image, [article.hero_image_id]),
    )
    return render_story(request, article)


def render_story(request, article, *, preview: str = ""):
    """The story page; previews render the very same template, but their
    parts are never kept."""

    def build() -> dict:
        similar = store.fragment(
            f"similar-{article.pk}",
            [
                keys.story(article.pk),
                *keys.many(keys.tag, [t.pk for t in article.tag_list]),
            ],
            lambda: list(
                Article.objects.published()
                .for_cards()
                .similar_to(article, settings.NEWSROOM_SIMILAR_STORIES)
            ),
            # The list holds the stories themselves, with what their cards show.
            keys_of=cards_keys,
        )
        absolute = request.build_absolute_uri
        context = {"article": article, "similar": similar}
        cards = cards_rendered(
            request,
            lambda: render_to_string("articles/story_similar.html", context, request),
        )
        return {
            "top": render_to_string("articles/story_top.html", context, request),
            "bottom": render_to_string("articles/story_bottom.html", context, request),
            "similar": cards.html,
            "card": article.opengraph(absolute),
            "structured_data": article.news_article_json_ld(
                absolute,
                publisher=settings.NEWSROOM_SITE_NAME,
                logo=absolute(static("img/logo.png")),
            ),
            "keys": [*story_page_keys(article), *cards.keys],
            "page_keys": [*story_page_keys(article), *cards.page_keys],
        }

    # Its absolute addresses are those of the site it was asked for.
    site = f"{request.scheme}://{request.get_host()}"
    part = shared_part(
        request, f"story:{site}:{article.pk}", [], build, keep=not preview
    )
    response = render(
        request,
        "articles/article_detail.html",
        {"article": article, "part": part, "preview": preview},
    )
    if preview:
        # Nobody may cache or index a story that is not (yet) public.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@staff_member_required
@cached_cards
def article_preview(request, pk):
    """Staff see any story, at any status, as the public page will show it."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.for_detail(preview=True), pk=pk)
    return render_story(request, article, preview=workflow.state_label(article))


@cached_cards
def article_preview_by_link(request, token):
    """A signed, expiring preview for someone without an account."""
    try:
        article = article_from_preview_token(token)
    except signing.SignatureExpired:
        response = render(request, "articles/preview_expired.html", status=410)
        patch_cache_control(response, private=True, no_store=True)
        return response
    except (signing.BadSignature, Article.DoesNotExist):
        raise Http404("No such preview") from None
    return render_story(request, article, preview=workflow.state_label(article))


@cached_cards
def search(request):
    """Reader search with filters; odd input gets a message, never an error."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        stories = Article.objects.published()
        if data["section"]:
            stories = stories.filter(section=data["section"])
        if data["since"]:
            stories = stories.filter(published_at__date__gte=data["since"])
        if data["until"]:
            stories = stories.filter(published_at__date__lte=data["until"])
        page = paginate(request, stories.for_listing().search(data["q"]))
        for article in page.object_list:
            article.snippet = snippet(article, data["q"])
        store.depends_on(request, *keys.stories(page.object_list))
    store.depends_on(request, keys.SEARCH)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "articles/search.html",
        {"form": form, "page": page, "page_query": query.urlencode()},
    )
