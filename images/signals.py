"""What the image library tells the apps that use its pictures. No models are
imported here: the library knows no story (articles imports images, not the
reverse)."""

from django.dispatch import Signal

# Sent before an existing picture is changed, with `image` and `by`. A
# receiver raises PermissionDenied, with what to do instead, when the change
# is not the person's to make. Stories connect one (articles/apps.py): a
# picture leading a published story is part of it.
image_will_change = Signal()

# An image in the library was saved (`image_id`): its credit, alt text or
# crop may show differently wherever it is used. Sent by images/apps.py from
# the model's save signal; heard by pagecache/signals.py.
image_changed = Signal()
