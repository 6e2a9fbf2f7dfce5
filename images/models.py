"""The image library: pictures checked, cleaned and cut into renditions."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def image_upload_path(instance, filename: str) -> str:
    """A name nobody can guess or collide with; the original name is not kept."""
    suffix = PurePath(filename).suffix.lower()
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Image(models.Model):
    """A picture in the newsroom's library, cleaned and cut into renditions."""

    file = models.FileField(_("file"), upload_to=image_upload_path, editable=False)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("For finding the picture in the library; readers don't see it."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who can't see it: “Fishing boats "
            "moored three deep in Tessmund harbour at dawn.” Required unless the "
            "picture is decorative."
        ),
    )
    is_decorative = models.BooleanField(
        _("decorative"),
        default=False,
        help_text=_("Only for pictures that add nothing to the story's meaning."),
    )
    caption = models.TextField(
        _("caption"),
        blank=True,
        help_text=_("Shown under the picture. Filled from the file when it has one."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer / agency. Filled from the file when it has one."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    format = models.CharField(_("format"), max_length=10, editable=False)
    focal_x = models.FloatField(
        _("focal point (across)"),
        default=0.5,
        help_text=_("Click the picture to set it: crops keep this point in view."),
    )
    focal_y = models.FloatField(_("focal point (down)"), default=0.5)
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        # Made by articles/0006 before the library had its own app.
        db_table = "articles_image"
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(is_decorative=True),
                name="articles_image_alt_or_decorative",
                violation_error_message=_(
                    "Describe the picture in the alt text, or mark it decorative."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1
                ),
                name="articles_image_focal_inside",
                violation_error_message=_("The focal point must be on the picture."),
            ),
        ]

    def __str__(self):
        return self.title

    def rendition(self, ratio: str, width: int, fmt: str = "jpeg") -> dict | None:
        """The stored rendition closest to `width` (not narrower if possible)."""
        candidates = [
            r for r in self.renditions if r["ratio"] == ratio and r["format"] == fmt
        ]
        if not candidates:
            return None
        wide_enough = [r for r in candidates if r["width"] >= width]
        return (
            min(wide_enough, key=lambda r: r["width"])
            if wide_enough
            else max(candidates, key=lambda r: r["width"])
        )
