"""Every surrogate key, built here and nowhere else.

A key names something readers see; a page depends on the keys of what it
shows (pagecache/store.py), and a change invalidates the keys of what it
touched (pagecache/signals.py). The same strings go out in the
`Surrogate-Key` header and to the CDN, so they are part of the contract with
it: change one and every cached page built under the old name lingers until
its TTL.
"""

from collections.abc import Iterable

# The headlines page's own choices (curation, which stories lead).
FRONT = "front"
# Every RSS and Atom feed.
FEEDS = "feeds"
# The sitemaps and the news sitemap.
SITEMAPS = "sitemaps"
# Every search results page.
SEARCH = "search"
# The sections in the masthead, on every page.
NAV = "nav"
# The trending tag strip, on every page.
STRIP = "strip"
# Not a key pages depend on: "a go-live time may have changed".
SCHEDULE = "schedule"

# Keys every page depends on: the masthead's sections and the trending strip.
SITE_KEYS = (NAV, STRIP)


def story(pk: int) -> str:
    """The story page, its thread pages, and every listing showing the story."""
    return f"story-{pk}"


def section(pk: int) -> str:
    return f"section-{pk}"


def tag(pk: int) -> str:
    """The tag's page, and story pages whose Similar News draws on the tag."""
    return f"tag-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def image(pk: int) -> str:
    """Story pages showing the image as their hero."""
    return f"image-{pk}"


def comment(pk: int) -> str:
    """One comment as every reader sees it (its fragment on thread pages)."""
    return f"comment-{pk}"


def reader(pk: int) -> str:
    """A reader's display name, on every comment they wrote."""
    return f"reader-{pk}"


def live(story_pk: int) -> str:
    """A story's live coverage: its entries on the story page, the "newer
    than" updates and the coverage's feed."""
    return f"live-{story_pk}"


def newsletter(pk: int) -> str:
    """A newsletter's public archive: its list of sent editions and each
    sent edition's page (the stories in it have their own keys)."""
    return f"newsletter-{pk}"


def stories(items: Iterable) -> list[str]:
    """The keys of stories (objects with a pk) a listing shows."""
    return [story(item.pk) for item in items]


def many(build, pks: Iterable) -> list[str]:
    """`build` for every pk that is set: `many(tag, [3, 5])`."""
    return [build(pk) for pk in pks if pk]
