from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from articles.models import Article
from live.models import LiveCoverage
from live.pages import newer_entries
from pagecache import keys, store

# PostgreSQL's bigint: a larger id in the address matches nothing.
LARGEST_ID = 2**63 - 1


def published_coverage(story_id: int) -> LiveCoverage:
    """The coverage of a story the public may see, or 404."""
    if story_id > LARGEST_ID:
        raise Http404("No such story")
    return get_object_or_404(
        LiveCoverage.objects.select_related("story__section"),
        story_id=story_id,
        story__in=Article.objects.published(),
    )


def entries_after(request, story_id, last_id):
    """Entries newer than `last_id`, as the HTML the page inserts. Cached
    under the coverage's key, so every reader polling the same address
    shares one answer until the next entry."""
    store.depends_on(request, keys.live(story_id))
    coverage = published_coverage(story_id)
    if last_id > LARGEST_ID:
        raise Http404("No such entry")
    # "live" turns false when the coverage ends by itself.
    store.expires_at(request, coverage.ends_at if coverage.is_live else None)
    entries, more = newer_entries(coverage, last_id)
    store.depends_on(
        request, *keys.many(keys.image, [entry.image_id for entry in entries])
    )
    html = render_to_string(
        "live/entries.html", {"entries": entries, "coverage": coverage}, request
    )
    return JsonResponse(
        {
            "count": len(entries),
            "more": more,
            "last": max((entry.pk for entry in entries), default=last_id),
            "live": coverage.is_live,
            "html": html,
        }
    )
