"""What the image library tells the apps that use its pictures."""

from django.dispatch import Signal

# Sent before an existing picture is changed, with `image` and `by`. A
# receiver raises PermissionDenied, with what to do instead, when the change
# is not the person's to make. Stories connect one (articles/apps.py): a
# picture leading a published story is part of it. The library knows no
# story: articles imports images, not the reverse.
image_will_change = Signal()
