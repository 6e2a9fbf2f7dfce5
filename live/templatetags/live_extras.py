import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from live.pages import coverage_of, entry_image_url, entry_summary, live_page
from pagecache import keys, store

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _page(context, article) -> dict | None:
    request = context["request"]
    if not context.get("preview"):
        # Every story page: coverage may start on any story.
        store.depends_on(request, keys.live(article.pk))
    page = live_page(request, article)
    coverage = coverage_of(article)
    if coverage is not None and not context.get("preview"):
        # The block appears when the coverage starts; the badge comes off
        # (and polling stops) when it ends.
        if page is not None:
            # The entries' pictures, their alt text and crops.
            store.depends_on(
                request,
                *keys.many(keys.image, [entry.image_id for entry in page["shown"]]),
            )
        if page is None:
            store.expires_at(request, coverage.starts_at)
        elif page["is_live"]:
            store.expires_at(request, coverage.ends_at)
    return page


@register.inclusion_tag("live/coverage.html", takes_context=True)
def live_coverage(context, article) -> dict:
    """The story's live updates: badge, key events, pinned and newest entries."""
    page = _page(context, article)
    if page is not None and not context.get("preview"):
        page["after_url"] = reverse("live:after", args=[article.pk, 0])[:-2]
    return {
        "live": page,
        "article": article,
        "poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
    }


@register.simple_tag(takes_context=True)
def live_meta(context, article, structured_data: dict) -> SafeString:
    """The story's JSON-LD, as a LiveBlogPosting with its shown entries when it
    has coverage; and, for a live story, its entries' feed and the script
    that fetches new entries."""
    page = _page(context, article)
    data = dict(structured_data)
    parts = []
    if page is not None:
        absolute = context["request"].build_absolute_uri
        story_url = absolute(article.get_absolute_url())
        coverage = page["coverage"]
        data["@type"] = "LiveBlogPosting"
        data["coverageStartTime"] = coverage.starts_at.isoformat()
        if coverage.ends_at:
            data["coverageEndTime"] = coverage.ends_at.isoformat()
        data["liveBlogUpdate"] = [
            {
                "@type": "BlogPosting",
                "headline": entry_summary(entry, words=12),
                "url": f"{story_url}#{entry.anchor}",
                "datePublished": entry.posted_at.isoformat(),
                "dateModified": (entry.edited_at or entry.posted_at).isoformat(),
                "articleBody": strip_tags(entry.body).strip(),
                **(
                    {"image": absolute(url)}
                    if (url := entry_image_url(entry.image))
                    else {}
                ),
                **(
                    {"author": {"@type": "Person", "name": entry.author_name}}
                    if entry.author_name
                    else {}
                ),
            }
            for entry in page["shown"]
        ]
        parts.append(
            format_html(
                '<link rel="alternate" type="application/atom+xml" title="{}" '
                'href="{}">\n<link rel="stylesheet" href="{}">',
                _("%(headline)s: live updates") % {"headline": article.headline},
                reverse("live:feed", args=[article.pk]),
                static("live/live.css"),
            )
        )
        if page["is_live"]:
            parts.append(
                format_html('<script src="{}" defer></script>', static("live/live.js"))
            )
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    parts.append(
        format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
    )
    return mark_safe("\n".join(parts))
