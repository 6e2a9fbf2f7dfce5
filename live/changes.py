"""When a change to live coverage is one readers may see, sent on as
live/signals.py's `coverage_changed`. Connected from LiveConfig.ready()."""

from django.db.models import Case, F, When
from django.db.models.functions import Coalesce, Least
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from live.models import LiveCoverage, LiveEntry
from live.signals import coverage_changed


def _coverage_changed(sender, instance, update_fields=None, **kwargs):
    # Started, ended or deleted: the "Live" badge goes on or off the story's
    # cards wherever they show. Who may post is for the desk only. (The newest
    # entry is noted with an update, which sends nothing: the entry's own
    # signal says that.)
    badge = not (update_fields and set(update_fields) <= {"journalists_may_post"})
    coverage_changed.send(LiveCoverage, story_id=instance.story_id, badge=badge)


# An entry's flags: shown on the story page only, never its latest line.
_FLAGS = {"is_pinned", "is_key_event"}


def _entry_changed(sender, instance, update_fields=None, **kwargs):
    # The entry knows its story through its coverage: loaded by the services
    # already, otherwise one small query (on writes only).
    if LiveEntry.coverage.is_cached(instance):
        story_id = instance.coverage.story_id
    else:
        story_id = (
            LiveCoverage.objects.filter(pk=instance.coverage_id)
            .values_list("story_id", flat=True)
            .first()
        )
    if story_id is not None:
        # Posted, edited or deleted: the story's latest update time and line
        # (feeds, sitemaps, front-page cards) may have moved.
        latest = not (update_fields and set(update_fields) <= _FLAGS)
        coverage_changed.send(LiveEntry, story_id=story_id, latest=latest)


def next_start_or_end():
    """When coverage next starts or ends by itself, as a query: the "Live"
    badge goes on or off its story's cards then, with no change to announce
    it, so no cached page or card outlives that moment (registered in
    apps.py; pagecache reads it with the other apps' in one query)."""
    now = timezone.now()
    # The sooner of the two still to come. PostgreSQL's LEAST skips NULLs,
    # SQLite's MIN(a, b) is NULL if either is: each is coalesced with the other.
    start = Case(When(starts_at__gt=now, then=F("starts_at")))
    end = Case(When(ends_at__gt=now, then=F("ends_at")))
    moment = Least(Coalesce(start, end), Coalesce(end, start))
    return (
        LiveCoverage.objects.annotate(moment=moment)
        .filter(moment__isnull=False)
        .order_by("moment")
        .values_list("moment", flat=True)[:1]
    )


def connect() -> None:
    uid = "live.changes"
    post_save.connect(_coverage_changed, sender=LiveCoverage, dispatch_uid=uid)
    post_delete.connect(_coverage_changed, sender=LiveCoverage, dispatch_uid=uid)
    post_save.connect(_entry_changed, sender=LiveEntry, dispatch_uid=uid)
    post_delete.connect(_entry_changed, sender=LiveEntry, dispatch_uid=uid)
