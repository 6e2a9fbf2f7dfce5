"""The Atom feed of one live story's entries, newest first."""

from django.contrib.syndication.views import Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.feeds import NewsroomAtomFeed
from live.pages import entry_image_url, entry_summary
from live.views import published_coverage
from pagecache import keys, store

FEED_SIZE = 50


class LiveEntriesFeed(Feed):
    feed_type = NewsroomAtomFeed

    def get_object(self, request, story_id):
        self.request = request
        store.depends_on(request, keys.live(story_id), keys.story(story_id))
        return published_coverage(story_id)

    def items(self, obj):
        entries = list(obj.entries.for_display().newest_first()[:FEED_SIZE])
        store.depends_on(
            self.request,
            *keys.many(keys.image, [entry.image_id for entry in entries]),
        )
        return entries

    def title(self, obj):
        return _("%(headline)s: live updates") % {"headline": obj.story.headline}

    def link(self, obj):
        return obj.story.get_absolute_url()

    def subtitle(self, obj):
        return obj.story.dek or obj.story.headline

    def item_title(self, item):
        return entry_summary(item, words=12)

    def item_description(self, item):
        # Sanitised when saved; Atom declares the summary as HTML. The
        # picture goes in as an <img> with its alt text, its address whole.
        url = entry_image_url(item.image, width=800)
        if not url:
            return item.body
        image = item.image
        return item.body + format_html(
            '<p><img src="{}" alt="{}"></p>',
            self.request.build_absolute_uri(url),
            "" if image.is_decorative else image.alt_text,
        )

    def item_link(self, item):
        return f"{item.coverage.story.get_absolute_url()}#{item.anchor}"

    def item_guid(self, item):
        return f"live-entry-{item.pk}"

    def item_pubdate(self, item):
        return item.posted_at

    def item_updateddate(self, item):
        return item.edited_at or item.posted_at

    def item_author_name(self, item):
        return item.author_name or None


live_feed = LiveEntriesFeed()
