"""Newsletters, who subscribed to which, and the addresses never mailed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


# --- Editions -------------------------------------------------------------------------


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    STOPPED = "stopped", _("stopped")


class Edition(models.Model):
    """One issue of a newsletter: an intro and a few stories, sent once."""

    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.PROTECT,
        related_name="editions",
        verbose_name=_("newsletter"),
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        help_text=_("The email's subject line, as readers see it in their inbox."),
    )
    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("A few plain sentences above the stories; no formatting."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        editable=False,
    )
    send_at = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a scheduled edition goes out."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    stop_reason = models.TextField(_("why it stopped"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("send_edition", "Can send or schedule an edition")]

    def __str__(self):
        return f"{self.newsletter}: {self.subject}"


class EditionItem(models.Model):
    """A story in an edition, and how much of it goes in."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("edition"),
    )
    story = models.ForeignKey(
        "articles.Article",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("story"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    include_dek = models.BooleanField(
        _("with its dek"),
        default=True,
        help_text=_("Show the story's dek under its headline."),
    )
    lead_ins = models.PositiveSmallIntegerField(
        _("lead-in paragraphs"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(3)],
        help_text=_(
            "How many of the story's first paragraphs that start with a bold "
            "lead-in (“Why it matters:”) go in: 0 to 3."
        ),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("story in the edition")
        verbose_name_plural = _("stories in the edition")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead_ins__lte=3),
                name="newsletters_item_lead_ins_at_most_3",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.story_id}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    BOUNCED = "bounced", _("bounced")


class Delivery(models.Model):
    """One edition to one address: recorded before sending, marked after, so
    nothing is sent twice and nobody is left out."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("edition"),
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    email = models.EmailField(_("email"), max_length=254)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "email"], name="newsletters_one_delivery_per_address"
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="newsletters_deliv_status"),
        ]

    def __str__(self):
        return f"{self.email}: {self.get_status_display()}"
