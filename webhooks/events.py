"""The domain signals webhooks listen to, turned into deliveries once the
transaction that caused them commits (connected from WebhooksConfig.ready()).

One admin save sends several signals for one story (the story, its bylines,
its tags); they are gathered per transaction, so a receiver hears of each
story once per event. Payloads are built at commit, from what was committed.
A failure here is logged, never raised: publishing never fails because of a
webhook.
"""

from django.db import transaction

from articles import signals as articles_signals
from comments import signals as comments_signals
from webhooks.models import Event


class _Batch:
    """The events of one transaction, in order, each (event, key) once."""

    def __init__(self):
        self.items: dict[tuple[str, int], dict] = {}
        self.flushed = False

    def add(self, event: str, key: int, details: dict) -> None:
        self.items.setdefault((event, key), details)

    def flush(self) -> None:
        from webhooks.services import webhook_events_queue

        self.flushed = True
        items, self.items = self.items, {}
        # Published or unpublished says more than "updated" about the same save.
        for event, key in list(items):
            if event == Event.STORY_UPDATED and (
                (Event.STORY_PUBLISHED, key) in items
                or (Event.STORY_UNPUBLISHED, key) in items
            ):
                del items[(event, key)]
        webhook_events_queue(events=list(items.items()))


def _defer(event: str, key: int, **details) -> None:
    connection = transaction.get_connection()
    batch = getattr(connection, "webhooks_batch", None)
    # A batch whose commit callback was dropped (rolled back) or has run is
    # not reused.
    registered = (
        batch is not None
        and not batch.flushed
        and any(callback == batch.flush for _, callback, *_ in connection.run_on_commit)
    )
    if not connection.in_atomic_block:
        batch = _Batch()
        batch.add(event, key, details)
        transaction.on_commit(batch.flush, robust=True)
        return
    if not registered:
        batch = _Batch()
        connection.webhooks_batch = batch
        transaction.on_commit(batch.flush, robust=True)
    batch.add(event, key, details)


def _story_published(sender, *, story_id, **kwargs):
    _defer(Event.STORY_PUBLISHED, story_id)


def _story_unpublished(sender, *, story_id, **kwargs):
    _defer(Event.STORY_UNPUBLISHED, story_id)


def _story_changed(sender, *, story_id, **kwargs):
    _defer(Event.STORY_UPDATED, story_id)


def _story_corrected(sender, *, story_id, correction_id, **kwargs):
    _defer(Event.STORY_CORRECTED, correction_id, story_id=story_id)


def _comment_approved(sender, *, comment_id, **kwargs):
    _defer(Event.COMMENT_APPROVED, comment_id)


def connect() -> None:
    uid = "webhooks"
    articles_signals.story_published.connect(_story_published, dispatch_uid=uid)
    articles_signals.story_unpublished.connect(_story_unpublished, dispatch_uid=uid)
    articles_signals.story_changed.connect(_story_changed, dispatch_uid=uid)
    articles_signals.story_corrected.connect(_story_corrected, dispatch_uid=uid)
    comments_signals.comment_approved.connect(_comment_approved, dispatch_uid=uid)
