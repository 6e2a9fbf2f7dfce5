"""What the tags app tells others about changes readers may see (sent by
tags/changes.py and tags/services.py; heard by pagecache/signals.py). No
models are imported here."""

from django.dispatch import Signal

# A tag was saved or deleted (`tag_id`); `story_ids` are the stories whose
# pages show its name, when that changed (a rename).
tag_changed = Signal()

# Tags were merged (`tag_ids`: the survivor and the merged; `story_ids`: the
# stories retagged).
tags_merged = Signal()

# The trending strip reads differently from the last one worked out.
strip_changed = Signal()
