"""Every feed of a newsroom whose journalists typed markup into every field,
decoded as a feed reader would (feedparser, without its own sanitising: a
reader that shows what the feed declares)."""

from dataclasses import dataclass

import feedparser
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.fuzzing import SCRIPT_PAYLOADS


@dataclass(frozen=True)
class Field:
    """One piece of text a reader shows: `kind` is "html" or "text"."""

    feed: str
    name: str
    kind: str
    value: str


def hostile_newsroom() -> dict:
    """A section, author, tag and two live stories per payload, the payload in
    every field a journalist types (the second story has no dek, so its
    summary comes from the body)."""
    sections, authors, tags, articles = [], [], [], []
    for n, payload in enumerate(SCRIPT_PAYLOADS):
        sections.append(
            SectionFactory(name=payload[:80], slug=f"hostile-{n}", description=payload)
        )
        authors.append(AuthorFactory(name=payload, slug=f"hostile-{n}", bio=payload))
        tags.append(TagFactory(name=f"{payload} {n}", description=payload))
    for n, payload in enumerate(SCRIPT_PAYLOADS):
        neighbour = tags[(n + 1) % len(tags)]
        for dek in (payload, ""):
            articles.append(
                ArticleFactory(
                    published=True,
                    headline=payload,
                    dek=dek,
                    body=f"<p>{payload}</p><p>{payload} and more.</p>",
                    section=sections[n],
                    authors=[authors[n]],
                    tags=[tags[n], neighbour],
                )
            )
    return {
        "sections": sections,
        "authors": authors,
        "tags": tags,
        "articles": articles,
    }


def feed_urls(newsroom: dict) -> list[str]:
    """Every feed, RSS and Atom: the site's, and each section's, tag's and
    author's."""
    urls = []
    for suffix in ("", "-atom"):
        urls.append(reverse(f"feeds:latest{suffix}"))
        for kind, key in (
            ("section", "sections"),
            ("tag", "tags"),
            ("author", "authors"),
        ):
            urls += [
                reverse(f"feeds:{kind}{suffix}", args=[obj.slug])
                for obj in newsroom[key]
            ]
    return urls


def _kind(detail) -> str:
    return (
        "html"
        if detail.get("type") in {"text/html", "application/xhtml+xml"}
        else "text"
    )


def parse(content: bytes):
    return feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)


def reader_fields(url: str, parsed) -> list[Field]:
    """Everything a reader shows of the feed and its items, each as the type
    the feed declares (names and categories are text in both formats). An
    RSS title is HTML to many readers (the RSS profile says it may be), so it
    is taken as HTML whatever feedparser guesses."""
    rss = parsed.version.startswith("rss")

    def kind(name, detail):
        return "html" if rss and name == "title" else _kind(detail)

    fields = []
    for name in ("title", "subtitle"):
        detail = parsed.feed.get(f"{name}_detail")
        if detail:
            fields.append(Field(url, f"feed {name}", kind(name, detail), detail.value))
    for n, entry in enumerate(parsed.entries):
        for name in ("title", "summary"):
            detail = entry.get(f"{name}_detail")
            if detail:
                fields.append(
                    Field(url, f"item {n} {name}", kind(name, detail), detail.value)
                )
        for content in entry.get("content", []):
            fields.append(
                Field(url, f"item {n} content", _kind(content), content.value)
            )
        for author in entry.get("authors", []):
            if author.get("name"):
                fields.append(Field(url, f"item {n} author", "text", author["name"]))
        for tag in entry.get("tags", []):
            fields.append(Field(url, f"item {n} category", "text", tag["term"]))
    return fields
