"""The comments app's signals, and its answers to what other apps send
(connected in apps.py).

Nothing here imports models at module level: pagecache listens to
`thread_changed` without loading comments.
"""

from django.dispatch import Signal

# What readers see of the comments under stories changed (`story_ids`): a
# comment approved, edited or removed (`comment_ids`), or its author renamed
# (`reader_ids`, the user ids). Sent by comments/changes.py.
thread_changed = Signal()

# A comment became visible to readers: approved by a moderator or posted
# without being held (`comment_id`, `story_id`). Sent by comments/changes.py.
comment_approved = Signal()


def reader_data_requested(sender, *, user, **kwargs) -> dict:
    from comments.services import reader_comments_export

    return reader_comments_export(user)


def reader_closing(sender, *, user, **kwargs) -> None:
    from comments.services import reader_comments_anonymise

    reader_comments_anonymise(user)
