"""What the live app tells others about changes readers may see.

Sent by live/changes.py from the models' own save and delete signals, so
every way of saving counts; pagecache/signals.py turns them into the live
coverage's surrogate key. This module imports no models.
"""

from django.dispatch import Signal

# A story's live coverage changed (`story_id`): started, ended, its settings,
# or one of its entries posted, edited, pinned, marked or deleted.
coverage_changed = Signal()
