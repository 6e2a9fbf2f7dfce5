"""Personal tokens for the staff API: a staff member's key to act through
/api/v1/staff/ with exactly their own rights.

Only a hash of the secret is kept (sha256 of 32 random bytes needs no slow
hash: nobody can guess it), with a short prefix to find the row and to tell
tokens apart in the admin. The plain token is shown once, when it is issued.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_LIFETIME = timedelta(days=90)


def default_expiry():
    return timezone.now() + DEFAULT_LIFETIME


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open the staff API (their user is checked apart)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text=_(
            "The token acts as this person, with exactly their rights in the "
            "admin. Only staff accounts can have one."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Election results importer”."),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("The start of the token, to recognise it; not secret."),
    )
    secret_hash = models.CharField(
        _("secret hash"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        default=default_expiry,
        help_text=_("The token stops working at this time (90 days by default)."),
    )
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, editable=False
    )
    last_used_at = models.DateTimeField(
        _("last used at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Kept to the minute."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= timezone.now():
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE
