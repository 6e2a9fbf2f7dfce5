from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import skeleton


class ReaderProfile(models.Model):
    """What readers add to Django's user: the name shown on comments, a ban."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown with every comment."),
    )
    display_name_skeleton = models.TextField(
        _("what the display name looks like"),
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Its confusables skeleton: look-alike names share one."),
    )
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    ban_reason = models.CharField(_("ban reason"), max_length=300, blank=True)
    banned_until = models.DateTimeField(
        _("banned until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When a temporary ban ends by itself; empty for a permanent one. "
            "Checked each time the reader posts, so no job has to lift it."
        ),
    )

    class Meta:
        # The table it had in the comments app; moving the model kept it.
        db_table = "comments_readerprofile"
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                # Its name from before the model moved here, like the table's.
                name="comments_reader_display_name_ci_unique",
                violation_error_message=_("Another reader already uses this name."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.display_name_skeleton = skeleton(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_skeleton"}
        super().save(*args, **kwargs)

    @property
    def is_banned(self) -> bool:
        """Banned now: a temporary ban past its end no longer counts."""
        if self.banned_at is None:
            return False
        return self.banned_until is None or self.banned_until > timezone.now()

    @property
    def ban_has_ended(self) -> bool:
        return self.banned_at is not None and not self.is_banned
