"""What a live story's page shows of its coverage, read once per request:
the key events, the pinned entries, then the newest entries (or those before
an entry, for "Show older"). A fixed number of queries however long the
coverage runs."""

from django import forms
from django.conf import settings
from django.utils import timezone

from live.models import LiveCoverage, LiveEntry, entry_first_line
from pagecache import keys, store

# Most key events the box lists, and most pinned entries shown.
KEY_EVENTS = 30
PINNED = 5


class OlderForm(forms.Form):
    """`?before=<entry id>`: the page of entries older than that one."""

    before = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


def coverage_of(article) -> LiveCoverage | None:
    """The story's coverage, or None. Every story page asks and most stories
    have none, so the answer is a fragment under the story's live key (which
    any change to its coverage invalidates), remembered on the story object."""
    if "_coverage" not in article.__dict__:
        kept = store.fragment(
            f"live-coverage:{article.pk}",
            [keys.live(article.pk)],
            # False, not None: "no coverage" is an answer to keep too.
            lambda: LiveCoverage.objects.filter(story_id=article.pk).first() or False,
        )
        article.__dict__["_coverage"] = kept or None
    return article.__dict__["_coverage"]


def entry_summary(entry: LiveEntry, words: int = 14) -> str:
    """The entry's first words as plain text (key events, feed titles)."""
    return entry_first_line(entry.body, words)


def entry_image_url(image, width: int = 1200) -> str:
    """The address of an entry's picture as feeds and search engines take it
    (a JPEG rendition, or the cleaned original before renditions exist); ""
    without one."""
    if image is None:
        return ""
    rendition = image.rendition("16:9", width, "jpeg")
    return rendition["url"] if rendition else image.file.url


def newer_entries(coverage: LiveCoverage, after: int) -> tuple[list[LiveEntry], bool]:
    """Entries posted after entry `after`, newest first, at most a page; and
    whether there are more than that."""
    size = settings.NEWSROOM_LIVE_PAGE_SIZE
    found = list(
        coverage.entries.filter(pk__gt=after).for_display().newest_first()[: size + 1]
    )
    return found[:size], len(found) > size


def live_page(request, article) -> dict | None:
    """The coverage's part of the story page, or None when the story has no
    coverage (or it has not started). Remembered on the request."""
    remembered = getattr(request, "_live_pages", {})
    if article.pk in remembered:
        return remembered[article.pk]
    coverage = coverage_of(article)
    page = None
    if coverage is not None and coverage.starts_at <= timezone.now():
        page = _build(request, coverage)
    remembered[article.pk] = page
    request._live_pages = remembered
    return page


def _build(request, coverage: LiveCoverage) -> dict:
    size = settings.NEWSROOM_LIVE_PAGE_SIZE
    form = OlderForm(request.GET)
    before = form.cleaned_data["before"] if form.is_valid() else None
    entries = coverage.entries.for_display().newest_first()
    pinned = [] if before else list(entries.filter(is_pinned=True)[:PINNED])
    stream = entries.filter(is_pinned=False)
    if before:
        stream = stream.filter(pk__lt=before)
    stream = list(stream[: size + 1])
    key_events = list(
        coverage.entries.filter(is_key_event=True)
        .newest_first()
        .only("pk", "body", "posted_at", "coverage_id")[:KEY_EVENTS]
    )
    for entry in key_events:
        entry.summary = entry_summary(entry)
    shown = [*pinned, *stream[:size]]
    return {
        "coverage": coverage,
        "is_live": coverage.is_live,
        "pinned": pinned,
        "entries": stream[:size],
        "older": stream[size - 1].pk if len(stream) > size else None,
        "before": before,
        "key_events": key_events,
        # Newest id on the page, pinned or not: where updates start from.
        "last_id": max((entry.pk for entry in shown), default=0) if not before else 0,
        "shown": shown,
    }
