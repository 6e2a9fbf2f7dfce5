"""Newsletters, who subscribed to which, and the addresses never mailed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NewsletterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Newsletter(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences readers see on the sign-up page."),
    )
    sender = models.EmailField(
        _("sender"),
        blank=True,
        help_text=_(
            "The “From” address of its emails; empty for the site's usual address."
        ),
    )
    schedule = models.CharField(
        _("schedule"),
        max_length=120,
        blank=True,
        help_text=_("When it goes out, in readers' words: “Weekdays at 7:00”."),
    )
    is_active = models.BooleanField(
        _("offered to readers"),
        default=True,
        help_text=_("Untick to take it off the sign-up page; subscriptions are kept."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Newsletters are listed from the lowest number up."),
    )

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletters:list") + f"#newsletter-{self.slug}"

    @property
    def from_address(self) -> str:
        return self.sender or settings.DEFAULT_FROM_EMAIL


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SubscriptionStatus.CONFIRMED)

    def receiving(self):
        """Confirmed, and not at an address that bounced or complained."""
        return self.confirmed().exclude(email__in=Suppression.objects.values("email"))


class Subscription(models.Model):
    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("newsletter"),
    )
    email = models.EmailField(
        _("email"),
        max_length=254,
        help_text=_("Stored normalised: no spaces, lower case."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
        verbose_name=_("reader account"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
        editable=False,
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, editable=False
    )
    unsubscribed_at = models.DateTimeField(
        _("unsubscribed at"), null=True, blank=True, editable=False
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"],
                name="newsletters_one_subscription_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["email"], name="newsletters_subscr_email"),
        ]

    def __str__(self):
        return f"{self.email} → {self.newsletter}"


class SuppressionReason(models.TextChoices):
    BOUNCE = "bounce", _("bounced")
    COMPLAINT = "complaint", _("marked as spam")


class Suppression(models.Model):
    """An address no newsletter is sent to again: the mail provider reported
    it as undeliverable or its owner as spam."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    reason = models.CharField(
        _("reason"), max_length=16, choices=SuppressionReason.choices
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"
