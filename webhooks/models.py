"""Webhook endpoints editors register, and every delivery made to them."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    STORY_PUBLISHED = "story.published", _("Story published")
    STORY_UPDATED = "story.updated", _("Story updated")
    STORY_UNPUBLISHED = "story.unpublished", _("Story unpublished")
    STORY_CORRECTED = "story.corrected", _("Correction or update added")
    COMMENT_APPROVED = "comment.approved", _("Comment approved")


def new_secret() -> str:
    """256 random bits, in hex: the key receivers check signatures with."""
    return secrets.token_hex(32)


class WebhookEndpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class WebhookEndpoint(models.Model):
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_(
            "Where to send events, starting with https://. The receiver must "
            "answer within a few seconds with a 2xx status."
        ),
    )
    description = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("Who receives this and why, e.g. “Partner app: breaking news”."),
    )
    # A list of Event values; the admin's form offers only those, at least one.
    events = models.JSONField(
        _("events"),
        default=list,
        help_text=_("What to send. Pick at least one."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_secret,
        editable=False,
        help_text=_(
            "Give this to the receiver: it checks the Webhook-Signature header "
            "with it. Rotate it if it leaked."
        ),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Untick to stop sending. Tick again to restart an endpoint that was "
            "switched off after failures."
        ),
    )
    consecutive_failures = models.PositiveIntegerField(
        _("failures in a row"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(
        _("switched off at"), null=True, blank=True, editable=False
    )
    disabled_reason = models.TextField(
        _("why it was switched off"), blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "pk"]

    def __str__(self):
        return self.description or self.url


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    FAILED = "failed", _("Failed, will retry")
    SENT = "sent", _("Sent")
    GAVE_UP = "gave_up", _("Gave up")


class WebhookDelivery(models.Model):
    # The id receivers see (payload "id", Webhook-Id): the same on every retry.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, choices=Event)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    response_excerpt = models.TextField(_("answer (first 1 KB)"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["endpoint", "-created_at"], name="webhooks_delivery_log_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.endpoint_id} ({self.id})"
