"""Webhook deliveries: queueing them for an event, making each attempt,
retrying by the backoff, switching off endpoints that keep failing."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Correction, Status
from comments.models import Comment, CommentStatus
from webhooks import outbound
from webhooks.models import (
    DeliveryStatus,
    Event,
    WebhookDelivery,
    WebhookEndpoint,
    new_secret,
)
from webhooks.signing import payload_body, signature_header

logger = logging.getLogger(__name__)

EXCERPT_BYTES = 1024
MANAGE_PERMISSION = "webhooks.change_webhookendpoint"
# Events about a story readers can see: checked again when sent.
PUBLIC_STORY_EVENTS = {
    Event.STORY_PUBLISHED,
    Event.STORY_UPDATED,
    Event.STORY_CORRECTED,
}


def _absolute(path: str) -> str:
    return settings.NEWSROOM_SITE_URL + path


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _story_data(article: Article) -> dict:
    """What any reader can see of a story."""
    return {
        "id": article.pk,
        "headline": article.headline,
        "dek": article.dek,
        "url": _absolute(article.get_absolute_url()),
        "section": article.section.name,
        "published_at": _time(article.published_at),
        "updated_at": _time(article.updated_at),
    }


def _is_live(article: Article | None) -> bool:
    return article is not None and article.is_live


def event_data(
    event: str, key: int, details: dict
) -> tuple[dict, datetime | None] | None:
    """The payload's `data` for an event and when it may go out (None: now),
    or None when there is nothing public to tell."""
    stories = Article.objects.select_related("section")
    if event == Event.STORY_UNPUBLISHED:
        # Only the id and the address: the story is no longer public.
        article = Article.objects.filter(pk=key).first()
        if article is not None and article.status == Status.PUBLISHED:
            return None  # published again in the same transaction
        url = _absolute(article.get_absolute_url()) if article else None
        return {"id": key, "url": url}, None
    if event == Event.STORY_PUBLISHED:
        article = stories.filter(pk=key, status=Status.PUBLISHED).first()
        if article is None or article.published_at is None:
            return None
        # A scheduled story is announced when it goes live, not before.
        at = article.published_at if article.is_scheduled else None
        return _story_data(article), at
    if event == Event.STORY_UPDATED:
        article = stories.filter(pk=key).first()
        return (_story_data(article), None) if _is_live(article) else None
    if event == Event.STORY_CORRECTED:
        correction = Correction.objects.filter(pk=key).first()
        article = stories.filter(pk=details.get("story_id")).first()
        if correction is None or not _is_live(article):
            return None
        data = _story_data(article)
        data["correction"] = {
            "id": correction.pk,
            "kind": correction.kind,
            "text": correction.text,
            "created_at": _time(correction.created_at),
        }
        return data, None
    if event == Event.COMMENT_APPROVED:
        comment = (
            Comment.objects.select_related("article__section")
            .filter(pk=key, status=CommentStatus.APPROVED)
            .first()
        )
        if comment is None or not _is_live(comment.article):
            return None
        # No author or text: readers may close their account later, and what
        # went out cannot be taken back. Receivers fetch the public page.
        return {
            "id": comment.pk,
            "url": _absolute(comment.get_absolute_url()),
            "posted_at": _time(comment.created_at),
            "story": _story_data(comment.article),
        }, None
    raise ValueError(f"Unknown webhook event {event!r}")


def _enqueue(delivery_ids: list, *, at: datetime | None = None) -> None:
    """Queue the delivery job for each id once the transaction commits; for
    later when the task backend can defer."""
    from webhooks.tasks import deliver_webhook

    def enqueue():
        job = deliver_webhook
        if at is not None and at > timezone.now() and job.get_backend().supports_defer:
            job = job.using(run_after=at)
        for delivery_id in delivery_ids:
            job.enqueue(delivery_id=str(delivery_id))

    if delivery_ids:
        transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def webhook_events_queue(*, events: list[tuple[tuple[str, int], dict]]) -> int:
    """A delivery for each event and each active endpoint subscribed to it;
    how many. `events` holds ((event, key), details) pairs, from
    webhooks/events.py."""
    queued = 0
    # A site has a handful of endpoints: read once, picked per event here
    # (JSON containment is not a lookup SQLite has).
    active = list(WebhookEndpoint.objects.active()) if events else []
    for (event, key), details in events:
        endpoints = [endpoint for endpoint in active if event in endpoint.events]
        if not endpoints:
            continue
        found = event_data(event, key, details)
        if found is None:
            continue
        data, at = found
        now = timezone.now()
        deliveries = []
        for endpoint in endpoints:
            delivery = WebhookDelivery(
                endpoint=endpoint, event=event, next_attempt_at=at or now
            )
            delivery.payload = {
                "id": str(delivery.id),
                "event": event,
                "created": now.isoformat(),
                "data": data,
            }
            deliveries.append(delivery)
        WebhookDelivery.objects.bulk_create(deliveries)
        _enqueue([delivery.id for delivery in deliveries], at=at)
        queued += len(deliveries)
    return queued


def _still_public(delivery: WebhookDelivery) -> bool:
    """Whether the story (or comment) a delivery tells of is still public:
    a story unpublished while its delivery waited is not announced."""
    data = delivery.payload.get("data", {})
    if delivery.event in PUBLIC_STORY_EVENTS:
        return _is_live(Article.objects.filter(pk=data.get("id")).first())
    if delivery.event == Event.COMMENT_APPROVED:
        return Comment.objects.filter(
            pk=data.get("id"), status=CommentStatus.APPROVED
        ).exists() and _is_live(Article.objects.filter(pk=data["story"]["id"]).first())
    return True


def _give_up(delivery: WebhookDelivery, reason: str) -> str:
    delivery.status = DeliveryStatus.GAVE_UP
    delivery.last_error = reason
    delivery.next_attempt_at = None
    delivery.save()
    return reason


def retry_wait(attempts: int) -> timedelta | None:
    """The wait before the next try after `attempts` failed ones, or None
    when that was the last try (NEWSROOM_WEBHOOKS_RETRY_SECONDS)."""
    waits = settings.NEWSROOM_WEBHOOKS_RETRY_SECONDS
    if attempts > len(waits):
        return None
    return timedelta(seconds=waits[attempts - 1])


def _excerpt(body: bytes) -> str:
    return body[:EXCERPT_BYTES].decode("utf-8", errors="replace")


def _endpoint_failed(endpoint: WebhookEndpoint, error: str) -> None:
    """Count a failure; switch the endpoint off after too many in a row."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.consecutive_failures = F("consecutive_failures") + 1
    endpoint.save(update_fields=["consecutive_failures", "updated_at"])
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    limit = settings.NEWSROOM_WEBHOOKS_DISABLE_AFTER
    if endpoint.is_active and endpoint.consecutive_failures >= limit:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = _(
            "Switched off after %(count)d failed deliveries in a row. Last "
            "error: %(error)s"
        ) % {"count": endpoint.consecutive_failures, "error": error}
        endpoint.save(
            update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"]
        )
        logger.warning("Webhook endpoint %s switched off: %s", endpoint.pk, error)


@transaction.atomic
def delivery_attempt(*, delivery_id: str, now: datetime | None = None) -> str:
    """Make one attempt at a delivery and record it; what happened, in words.

    The row stays locked while the request is made, so two runs of the job
    never send it twice at once; a run for a delivery sent, given up or not
    yet due does nothing. A process killed mid-request sends it again:
    receivers deduplicate on Webhook-Id.
    """
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return "No such delivery."
    if delivery.status in {DeliveryStatus.SENT, DeliveryStatus.GAVE_UP}:
        return f"Already {delivery.status}."
    now = now or timezone.now()
    if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(
        seconds=1
    ):
        return "Not due yet."
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _give_up(delivery, _("The endpoint is switched off."))
    if not _still_public(delivery):
        return _give_up(delivery, _("What this delivery tells of is no longer public."))

    if delivery.attempts == 0 and delivery.event == Event.STORY_PUBLISHED:
        # A scheduled story may have been edited since: announce it as it is.
        article = Article.objects.select_related("section").get(
            pk=delivery.payload["data"]["id"]
        )
        delivery.payload["data"] = _story_data(article)
    body = payload_body(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.NEWSROOM_SITE_NAME}-Webhooks/1",
        "Webhook-Id": str(delivery.id),
        "Webhook-Event": delivery.event,
        "Webhook-Signature": signature_header(secret=endpoint.secret, body=body),
    }
    code, excerpt, error = None, "", ""
    try:
        response = outbound.post(endpoint.url, body=body, headers=headers)
    except (outbound.Refused, outbound.DeliveryError) as problem:
        error = str(problem)
    else:
        code, excerpt = response.status_code, _excerpt(response.body)
        if not 200 <= code < 300:
            error = _("The receiver answered %(code)d.") % {"code": code}

    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.last_status_code = code
    delivery.last_error = error
    delivery.response_excerpt = excerpt
    if not error:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = delivery.last_attempt_at
        delivery.next_attempt_at = None
        delivery.save()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return f"Sent ({code})."
    wait = retry_wait(delivery.attempts)
    if wait is None:
        delivery.status = DeliveryStatus.GAVE_UP
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = delivery.last_attempt_at + wait
    delivery.save()
    _endpoint_failed(endpoint, error)
    if wait is not None:
        _enqueue([delivery.id], at=delivery.next_attempt_at)
    return f"Failed: {error}"


def _require_manager(user: AbstractBaseUser) -> None:
    if not user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(_("Only editors can manage webhooks."))


@transaction.atomic
def endpoint_secret_rotate(*, endpoint: WebhookEndpoint, by: AbstractBaseUser) -> str:
    """A new signing secret; the old one stops working at once."""
    _require_manager(by)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[endpoint],
        action_flag=CHANGE,
        change_message=_("Rotated the signing secret."),
        single_object=True,
    )
    return endpoint.secret


def endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    """Clear the failure record of an endpoint an editor switched back on."""
    endpoint.consecutive_failures = 0
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, by: AbstractBaseUser) -> None:
    """Send a delivery again, with the same id (receivers may deduplicate),
    from a fresh round of retries."""
    _require_manager(by)
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",))
        .select_related("endpoint")
        .get(pk=delivery.pk)
    )
    if not delivery.endpoint.is_active:
        raise ValidationError(
            _("%(endpoint)s is switched off: switch it on first.")
            % {"endpoint": delivery.endpoint}
        )
    if delivery.status in {DeliveryStatus.QUEUED, DeliveryStatus.FAILED}:
        raise ValidationError(
            _("Delivery %(id)s is already waiting to be sent.") % {"id": delivery.pk}
        )
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save()
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[delivery.endpoint],
        action_flag=CHANGE,
        change_message=_("Queued delivery %(id)s again.") % {"id": delivery.pk},
        single_object=True,
    )
    _enqueue([delivery.id])


def deliveries_requeue_overdue(*, minutes: int = 15) -> int:
    """Queue the job again for deliveries overdue by `minutes`: their job was
    lost (the task database was down when it should have been queued). A
    second job for a delivery is harmless (`delivery_attempt`)."""
    overdue = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
        next_attempt_at__lt=timezone.now() - timedelta(minutes=minutes),
        endpoint__is_active=True,
    ).values_list("pk", flat=True)
    ids = list(overdue)
    with transaction.atomic():
        _enqueue(ids)
    return len(ids)
