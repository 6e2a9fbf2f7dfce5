"""What the live app tells others about changes readers may see.

Sent by live/changes.py from the models' own save and delete signals, so
every way of saving counts; pagecache/signals.py turns them into the live
coverage's surrogate key. This module imports no models.
"""

from django.dispatch import Signal

# A story's live coverage changed (`story_id`): started, ended, its settings,
# or one of its entries posted, edited, pinned, marked or deleted. `badge`:
# the coverage itself changed (the story's "Live" badge on every card of it,
# and the times it starts and ends). `latest`: an entry was posted, edited or
# deleted (the story's latest update time and line).
coverage_changed = Signal()
