"""Full-text search: a weighted vector stored on each story (PostgreSQL), a
plain word match on the embedded SQLite database, and safe highlighted
snippets for both."""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

SEARCH_CONFIG = "english"
# Markers PostgreSQL puts around matches; nobody types these.
_START, _STOP = "\x02", "\x03"
SNIPPET_WORDS = 35
RANKED_MATCHES = 1000
# Nobody searches with more than a paragraph; SQLite refuses LIKE patterns
# longer than 50,000 bytes.
MAX_QUERY_LENGTH = 1000
# "-word" leaves a word out; a "-" before anything else negates nothing, and
# a run of them overflows PostgreSQL's tsquery parser ("stack too small").
_BARE_NOT = re.compile(r"-(?!\w)")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def plain_text(body_html: str) -> str:
    """The words of some HTML, paragraphs kept apart by a space."""
    spaced = re.sub(r"<[^>]+>", " ", body_html or "")
    return " ".join(html.unescape(strip_tags(spaced)).split())


# Stories whose vector is due, while a `refresh_once()` block runs.
_due: ContextVar[set[int] | None] = ContextVar("search_vectors_due", default=None)


@contextmanager
def refresh_once() -> Iterator[None]:
    """Collect the refreshes asked for inside the block and run each story's
    once as it ends: one staff save writes the row, its tags and its bylines,
    and each of those used to rebuild the vector again. Nested blocks leave
    the work to the outermost; a block left by an error refreshes nothing
    (its transaction is rolled back anyway)."""
    if _due.get() is not None:
        yield
        return
    token = _due.set(set())
    try:
        yield
        due = _due.get()
    finally:
        _due.reset(token)
    for article_pk in sorted(due):
        _refresh(article_pk)


def article_refresh_search_vector(article_pk: int) -> None:
    """Recompute one story's stored vector (see `_refresh`), now, or as the
    enclosing `refresh_once()` block ends."""
    due = _due.get()
    if due is not None:
        due.add(article_pk)
    else:
        _refresh(article_pk)


def _refresh(article_pk: int) -> None:
    """Headline (A), dek and tags (B), body text (C). Only PostgreSQL has one."""
    if not is_postgres():
        return
    from articles.models import Article

    article = Article.objects.filter(pk=article_pk).values("body").first()
    if article is None:
        return
    tag_names = " ".join(
        Article.tags.through.objects.filter(content_object_id=article_pk).values_list(
            "tag__name", flat=True
        )
    )
    Article.objects.filter(pk=article_pk).update(
        search_vector=SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector(Value(tag_names), weight="B", config=SEARCH_CONFIG)
        + SearchVector(
            Value(plain_text(article["body"])), weight="C", config=SEARCH_CONFIG
        )
    )


def searchable(query: str) -> str:
    """The reader's query as a database can take it: control characters, NUL
    and lone surrogates (which PostgreSQL refuses) become spaces."""
    printable = "".join(
        char if char.isprintable() else " " for char in query[:MAX_QUERY_LENGTH]
    )
    return _BARE_NOT.sub(" ", printable)


def search(queryset, query: str):
    """Stories matching `query`, best first, each with a `snippet_raw`.

    On PostgreSQL, the newest RANKED_MATCHES matches, best first."""
    query = searchable(query)
    if is_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        text = Func(
            F("body"),
            Value("<[^>]+>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        # Rank only the newest matches: ranking every story that mentions
        # a common word cost half a second, and readers wanting the archive
        # beyond add words.
        newest = (
            queryset.filter(search_vector=search_query)
            .order_by("-published_at", "-pk")
            .values("pk")[:RANKED_MATCHES]
        )
        return (
            queryset.filter(pk__in=newest)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                snippet_raw=SearchHeadline(
                    text,
                    search_query,
                    config=SEARCH_CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=SNIPPET_WORDS,
                    min_words=15,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    words = _words(query)
    if not words:
        return queryset.none()
    matches = Q()
    for word in words:
        matches &= (
            Q(headline__icontains=word)
            | Q(dek__icontains=word)
            | Q(body__icontains=word)
            | Q(tagged_items__tag__name__icontains=word)
        )
    matching = queryset.model.objects.filter(matches).values("pk")
    return queryset.filter(pk__in=matching).order_by("-published_at", "-pk")


def _words(query: str) -> list[str]:
    return [w for w in re.findall(r"[\w'-]+", query.casefold()) if len(w) > 1][:8]


def snippet(article, query: str) -> SafeString:
    """A short passage of the story with the matches in <mark>, escaped."""
    raw = getattr(article, "snippet_raw", None)
    if raw is None:
        raw = _python_snippet(plain_text(article.body) or article.dek, _words(query))
    text = escape(html.unescape(raw))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _python_snippet(text: str, words: list[str]) -> str:
    lowered = text.casefold()
    positions = [lowered.find(word) for word in words if word in lowered]
    start = max(0, min(positions) - 80) if positions else 0
    passage = text[start : start + 260]
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        passage = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", passage)
    prefix = "… " if start else ""
    return prefix + passage + (" …" if start + 260 < len(text) else "")
