"""What the images app tells others (sent by images/apps.py from the model's
save signal; heard by pagecache/signals.py). No models are imported here."""

from django.dispatch import Signal

# An image in the library was saved (`image_id`): its credit, alt text or
# crop may show differently wherever it is used.
image_changed = Signal()
