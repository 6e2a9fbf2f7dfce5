"""What the newsletters app tells others about changes readers may see, and
its answers to what accounts sends (connected in apps.py).

Nothing here imports models at module level.
"""

from django.dispatch import Signal

# A newsletter's public archive changed (`newsletter_id`): an edition of it
# became sent, or the newsletter's own name or description changed. Sent by
# newsletters/sending.py and newsletters/changes.py; pagecache/signals.py
# turns it into the newsletter's surrogate key.
archive_changed = Signal()


def reader_data_requested(sender, *, user, **kwargs) -> dict:
    from newsletters.services import reader_subscriptions_export

    return reader_subscriptions_export(user)


def reader_closing(sender, *, user, **kwargs) -> None:
    from newsletters.services import reader_subscriptions_remove

    reader_subscriptions_remove(user)
