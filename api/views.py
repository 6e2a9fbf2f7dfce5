"""The public content API, /api/v1/: published stories, sections, tags and
authors as JSON, exactly what the public site shows.

Built with Django Ninja: the OpenAPI 3.1 schema is generated from the type
hints (api/schemas.py), query parameters are validated by pydantic before an
endpoint runs (a bad one is a 422 naming it, never a 500), and it is small,
with no framework of its own to learn beside Django's views.

Every story comes from `Article.objects.published()`, the queryset the public
pages use, so drafts, scheduled and withdrawn stories never appear. Answers
are public pages to the cache middlewares: ETag and 304 from
ConditionalGetMiddleware, Cache-Control from PublicCacheHeadersMiddleware,
and kept in the page cache under the surrogate keys of what they show.
"""

from typing import Literal
from urllib.parse import urlsplit

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from api import schemas, staff
from api.blocks import body_blocks
from api.cursors import BadCursor, cursor_make, cursor_read
from articles.models import Article, ArticleSlugHistory, Author, Byline, Section
from pagecache import keys, store
from tags.models import Tag, TagAlias

# Ids are bigint columns: a larger number could never match, and the
# database would refuse it.
MAX_ID = 2**63 - 1
ERRORS = {404: schemas.Error, 422: schemas.Error, 429: schemas.Error}

api = NinjaAPI(
    title="Content API",
    version="1",
    urls_namespace="api",
    description=(
        "Published stories, sections, tags and authors, as readers see them on "
        "the site. Read-only and public.\n\n"
        "**Staff.** `/api/v1/staff/` reads and changes stories with a personal "
        "token (`Authorization: Bearer <token>`, issued in the admin), with "
        "exactly its owner's rights there; `NEWSROOM_API_RATE_PER_TOKEN` "
        "requests a window per token.\n\n"
        f"**Limits.** At most {schemas.MAX_LIMIT} items a page (`limit`, default "
        f"{schemas.DEFAULT_LIMIT}); walk longer lists with `cursor`. Requests "
        "per address are limited (`NEWSROOM_API_RATE_PER_IP` a window of "
        "`NEWSROOM_API_RATE_WINDOW_SECONDS`); past it the answer is 429 with "
        "`Retry-After` in seconds.\n\n"
        "**Caching.** Answers carry an `ETag` and `Cache-Control`; send "
        "`If-None-Match` to get 304 when nothing changed."
    ),
)
staff.mount(api)


class BadQuery(ValueError):
    """A query parameter that passed its type but makes no sense."""

    def __init__(self, name: str, message: str):
        self.name = name
        super().__init__(message)


@api.exception_handler(ValidationError)
def invalid_parameters(request, error):
    items = [
        {
            "loc": [str(part) for part in item.get("loc", ())],
            "msg": item.get("msg", "invalid"),
        }
        for item in error.errors
    ]
    detail = "; ".join(f"{'.'.join(item['loc'][1:])}: {item['msg']}" for item in items)
    return api.create_response(
        request,
        {"detail": f"Invalid parameters: {detail}", "errors": items},
        status=422,
    )


@api.exception_handler(BadQuery)
def bad_query(request, error):
    return api.create_response(
        request,
        {
            "detail": str(error),
            "errors": [{"loc": ["query", error.name], "msg": str(error)}],
        },
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(
        request, {"detail": str(error) or "Not found.", "errors": []}, status=404
    )


# --- Shaping ----------------------------------------------------------------------


def _absolute(request):
    return request.build_absolute_uri


def _ref(obj, absolute) -> dict:
    """A section, author or tag as the API names it: id, name, slug, address."""
    return {
        "id": obj.pk,
        "name": obj.name,
        "slug": obj.slug,
        "url": absolute(obj.get_absolute_url()),
    }


def _hero(article: Article, absolute) -> dict | None:
    image = article.hero_image
    if image is None:
        return None
    return {
        "alt": "" if image.is_decorative else image.alt_text,
        "is_decorative": image.is_decorative,
        "caption": article.hero_caption_text,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "url": absolute(rendition["url"]),
                "ratio": rendition["ratio"],
                "format": rendition["format"],
                "width": rendition["width"],
                "height": rendition["height"],
            }
            for rendition in image.renditions
        ],
    }


def _blocks(article: Article, absolute) -> list[dict]:
    blocks = body_blocks(article.body)
    for block in blocks:
        if block["type"] == "image":
            block["src"] = absolute(block["src"])
    return blocks


def _story(article: Article, absolute) -> dict:
    """A story as the API shows it; `article` comes from `for_detail()`."""
    return {
        "id": article.pk,
        "headline": article.headline,
        "dek": article.dek,
        "url": absolute(article.get_absolute_url()),
        "api_url": absolute(reverse("api:story", args=[article.pk])),
        "section": _ref(article.section, absolute),
        "bylines": [_ref(author, absolute) for author in article.byline_authors],
        "tags": [_ref(tag, absolute) for tag in article.tag_list],
        "hero_image": _hero(article, absolute),
        "body_html": article.body,
        "blocks": _blocks(article, absolute),
        "corrections": [
            {"kind": note.kind, "text": note.text, "created_at": note.created_at}
            for note in article.notes
        ],
        "go_deeper": [
            {
                "id": target.pk,
                "headline": target.headline,
                "url": absolute(target.get_absolute_url()),
                "api_url": absolute(reverse("api:story", args=[target.pk])),
            }
            for target in article.go_deeper_stories
        ],
        "source": {"name": article.source_name, "url": article.source_url}
        if article.source_name
        else None,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "comment_count": article.comment_count,
    }


def _story_keys(stories: list[Article]) -> list[str]:
    """What the stories' JSON shows: themselves, their tags, hero images and
    Go deeper stories (the same keys as their pages, and those)."""
    return [
        *keys.stories(stories),
        *keys.many(keys.tag, {tag.pk for story in stories for tag in story.tag_list}),
        *keys.many(keys.image, {story.hero_image_id for story in stories}),
        *keys.stories(
            target for story in stories for target in story.go_deeper_stories
        ),
    ]


# --- Paging -----------------------------------------------------------------------

Ordering = Literal["published", "-published", "updated", "-updated"]
ORDER_FIELDS = {"published": "published_at", "updated": "updated_at"}


def _after(queryset, *, field: str, descending: bool, cursor: str, ordering: str):
    """The rows after the cursor's (value, id), in (field, id) order."""
    try:
        value, pk = cursor_read(cursor, ordering=ordering)
    except BadCursor as error:
        raise BadQuery("cursor", str(error)) from None
    beyond = "lt" if descending else "gt"
    return queryset.filter(
        Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"pk__{beyond}": pk})
    )


def _page(queryset, *, field: str, descending: bool, ordering: str, cursor, limit):
    """One page of `queryset` in (field, id) order, and the next page's cursor."""
    if cursor:
        queryset = _after(
            queryset,
            field=field,
            descending=descending,
            cursor=cursor,
            ordering=ordering,
        )
    sign = "-" if descending else ""
    rows = list(queryset.order_by(f"{sign}{field}", f"{sign}pk")[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = (
        cursor_make(ordering=ordering, value=getattr(items[-1], field), pk=items[-1].pk)
        if more
        else None
    )
    return items, next_cursor


# --- Stories ----------------------------------------------------------------------


@api.get(
    "/stories",
    response={200: schemas.StoryPage, **ERRORS},
    url_name="stories",
    summary="Published stories, newest first",
)
def story_list(request, query: Query[schemas.StoryQuery]):
    """Stories readers can see, filtered, in pages of `limit`."""
    stories = Article.objects.published()
    if query.section:
        stories = stories.filter(section__slug=query.section)
    if query.tag:
        stories = stories.filter(tags__slug=query.tag)
    if query.author:
        stories = stories.filter(authors__slug=query.author)
    if query.updated_since:
        stories = stories.filter(updated_at__gte=query.updated_since)
    if query.published_after:
        stories = stories.filter(published_at__gte=query.published_after)
    if query.published_before:
        stories = stories.filter(published_at__lt=query.published_before)
    if query.q and query.q.strip():
        # The site's own search picks the matches; the order is the client's.
        stories = stories.filter(pk__in=stories.search(query.q).values("pk"))
    ordering = query.ordering
    items, next_cursor = _page(
        stories.for_detail(),
        field=ORDER_FIELDS[ordering.lstrip("-")],
        descending=ordering.startswith("-"),
        ordering=ordering,
        cursor=query.cursor,
        limit=query.limit,
    )
    # Any public story changing may change which stories a filter finds,
    # exactly as for search pages.
    store.depends_on(request, keys.SEARCH, *_story_keys(items))
    absolute = _absolute(request)
    return {
        "items": [_story(item, absolute) for item in items],
        "next_cursor": next_cursor,
    }


def _answer_story(request, article: Article | None):
    if article is None:
        raise Http404("No published story has this address.")
    store.depends_on(request, *_story_keys([article]))
    return _story(article, _absolute(request))


@api.get(
    "/stories/by-path",
    response={200: schemas.Story, **ERRORS},
    url_name="story_by_path",
    summary="One story by its public address",
)
def story_by_path(request, query: Query[schemas.PathQuery]):
    """A story by its address, or an earlier address of it (its slug changed)."""
    try:
        match = resolve(urlsplit(query.path).path or "/")
    except (Resolver404, ValueError):
        match = None
    if match is None or match.view_name != "articles:detail":
        raise Http404("This is not the address of a story.")
    slug = match.kwargs["slug"]
    stories = Article.objects.published().for_detail()
    article = stories.filter(slug=slug).first()
    if article is None:
        moved = ArticleSlugHistory.objects.filter(
            old_slug=slug, article__in=Article.objects.published()
        ).values("article_id")
        article = stories.filter(pk__in=moved).first()
    return _answer_story(request, article)


@api.get(
    "/stories/{story_id}",
    response={200: schemas.Story, **ERRORS},
    url_name="story",
    summary="One story by id",
)
def story_detail(request, story_id: int = Path(..., ge=1, le=MAX_ID)):
    article = Article.objects.published().for_detail().filter(pk=story_id).first()
    return _answer_story(request, article)


# --- Sections, tags, authors --------------------------------------------------------


@api.get(
    "/sections",
    response={200: schemas.SectionList, **ERRORS},
    url_name="sections",
    summary="Every section, in the site's navigation order",
)
def section_list(request):
    published = Article.objects.published().filter(section=OuterRef("pk"))
    sections = Section.objects.annotate(
        story_count=Coalesce(
            Subquery(
                published.order_by()
                .values("section")
                .annotate(total=Count("pk"))
                .values("total")
            ),
            0,
        )
    ).order_by("position", "name")
    store.depends_on(
        request, keys.SEARCH, *keys.many(keys.section, [s.pk for s in sections])
    )
    absolute = _absolute(request)
    return {
        "items": [
            {
                **_ref(section, absolute),
                "description": section.description,
                "story_count": section.story_count,
            }
            for section in sections
        ]
    }


@api.get(
    "/tags",
    response={200: schemas.TagPage, **ERRORS},
    url_name="tags",
    summary="Tags on published stories, by name",
)
def tag_list(request, query: Query[schemas.PageQuery]):
    """Tags with at least one story readers can see, with the names merged
    into them."""
    tags = (
        Tag.objects.with_story_counts()
        .filter(story_count__gt=0)
        .prefetch_related(
            Prefetch("aliases", queryset=TagAlias.objects.order_by("name"))
        )
    )
    items, next_cursor = _page(
        tags,
        field="name",
        descending=False,
        ordering="name",
        cursor=query.cursor,
        limit=query.limit,
    )
    store.depends_on(request, keys.SEARCH, *keys.many(keys.tag, [t.pk for t in items]))
    absolute = _absolute(request)
    return {
        "items": [
            {
                **_ref(tag, absolute),
                "description": tag.description,
                "story_count": tag.story_count,
                "aliases": [alias.name for alias in tag.aliases.all()],
            }
            for tag in items
        ],
        "next_cursor": next_cursor,
    }


@api.get(
    "/authors",
    response={200: schemas.AuthorPage, **ERRORS},
    url_name="authors",
    summary="Authors with published stories, by name",
)
def author_list(request, query: Query[schemas.PageQuery]):
    bylines = Byline.objects.filter(
        author=OuterRef("pk"), article__in=Article.objects.published()
    )
    authors = Author.objects.annotate(
        story_count=Coalesce(
            Subquery(
                bylines.order_by()
                .values("author")
                .annotate(total=Count("pk"))
                .values("total")
            ),
            0,
        )
    ).filter(story_count__gt=0)
    items, next_cursor = _page(
        authors,
        field="name",
        descending=False,
        ordering="name",
        cursor=query.cursor,
        limit=query.limit,
    )
    store.depends_on(
        request, keys.SEARCH, *keys.many(keys.author, [a.pk for a in items])
    )
    absolute = _absolute(request)
    return {
        "items": [
            {
                **_ref(author, absolute),
                "bio": author.bio,
                "story_count": author.story_count,
            }
            for author in items
        ],
        "next_cursor": next_cursor,
    }
