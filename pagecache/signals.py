"""What each change makes stale: receivers of the owning apps' signals that
name the surrogate keys (pagecache/keys.py) of every page showing what
changed. Connected once, from PagecacheConfig.ready().

Only the apps' `signals` modules are imported here, never their models: the
apps decide when something readers see changed; this module only knows
which pages show it.
"""

from articles import signals as articles
from comments import signals as comments
from images import signals as images
from live import signals as live
from newsletters import signals as newsletters
from pagecache import keys
from pagecache.store import invalidate
from tags import signals as tags

# Every list a live story's text shows in, besides its listings' pages.
LIVE = (keys.FEEDS, keys.SITEMAPS, keys.SEARCH, keys.SCHEDULE)


def story_changed(
    sender,
    *,
    story_id,
    live=False,
    moved=False,
    section_ids=(),
    author_ids=(),
    tag_ids=(),
    **kwargs,
):
    extra = (*LIVE, keys.FRONT) if moved else LIVE if live else ()
    invalidate(
        keys.story(story_id),
        *extra,
        *keys.many(keys.section, section_ids),
        *keys.many(keys.author, author_ids),
        *keys.many(keys.tag, tag_ids),
    )


def story_published_or_unpublished(sender, **kwargs):
    """A story entering or leaving the public site moves in every listing."""
    kwargs.pop("signal", None)
    story_changed(sender, moved=True, **kwargs)


def draft_saved(sender, **kwargs):
    invalidate(keys.SCHEDULE)


def section_changed(sender, *, section_id, **kwargs):
    invalidate(keys.NAV, keys.SITEMAPS, keys.section(section_id))


def author_changed(sender, *, author_id, story_ids, **kwargs):
    invalidate(keys.author(author_id), keys.SITEMAPS, *keys.many(keys.story, story_ids))


def front_page_changed(sender, **kwargs):
    invalidate(keys.FRONT)


def tag_changed(sender, *, tag_id, story_ids=(), **kwargs):
    invalidate(keys.tag(tag_id), keys.SITEMAPS, *keys.many(keys.story, story_ids))


def tags_merged(sender, *, tag_ids, story_ids, **kwargs):
    invalidate(*keys.many(keys.tag, tag_ids), *keys.many(keys.story, story_ids))


def strip_changed(sender, **kwargs):
    invalidate(keys.STRIP)


def thread_changed(sender, *, story_ids, comment_ids=(), reader_ids=(), **kwargs):
    invalidate(
        *keys.many(keys.story, story_ids),
        *keys.many(keys.comment, comment_ids),
        *keys.many(keys.reader, reader_ids),
    )


def image_changed(sender, *, image_id, **kwargs):
    invalidate(keys.image(image_id))


def coverage_changed(sender, *, story_id, badge=False, latest=False, **kwargs):
    """The coverage's own pages always; with `badge`, every card of the story
    and the schedule (pages live no longer than its start and end); with
    `latest`, the feeds and sitemaps giving its latest update time."""
    invalidate(
        keys.live(story_id),
        *((keys.story(story_id), keys.SCHEDULE) if badge else ()),
        *((keys.FEEDS, keys.SITEMAPS) if latest else ()),
    )


def archive_changed(sender, *, newsletter_id, **kwargs):
    invalidate(keys.newsletter(newsletter_id))


RECEIVERS = [
    (articles.story_published, story_published_or_unpublished),
    (articles.story_unpublished, story_published_or_unpublished),
    (articles.story_changed, story_changed),
    (articles.draft_saved, draft_saved),
    (articles.section_changed, section_changed),
    (articles.author_changed, author_changed),
    (articles.front_page_changed, front_page_changed),
    (tags.tag_changed, tag_changed),
    (tags.tags_merged, tags_merged),
    (tags.strip_changed, strip_changed),
    (comments.thread_changed, thread_changed),
    (images.image_changed, image_changed),
    (live.coverage_changed, coverage_changed),
    (newsletters.archive_changed, archive_changed),
]


def connect() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid="pagecache")
