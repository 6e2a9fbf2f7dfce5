"""When a change to live coverage is one readers may see, sent on as
live/signals.py's `coverage_changed`. Connected from LiveConfig.ready()."""

from django.db.models.signals import post_delete, post_save

from live.models import LiveCoverage, LiveEntry
from live.signals import coverage_changed


def _coverage_changed(sender, instance, **kwargs):
    coverage_changed.send(LiveCoverage, story_id=instance.story_id)


def _entry_changed(sender, instance, **kwargs):
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
        coverage_changed.send(LiveEntry, story_id=story_id)


def connect() -> None:
    uid = "live.changes"
    post_save.connect(_coverage_changed, sender=LiveCoverage, dispatch_uid=uid)
    post_delete.connect(_coverage_changed, sender=LiveCoverage, dispatch_uid=uid)
    post_save.connect(_entry_changed, sender=LiveEntry, dispatch_uid=uid)
    post_delete.connect(_entry_changed, sender=LiveEntry, dispatch_uid=uid)
