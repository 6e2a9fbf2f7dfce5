"""Sending an edition: never twice to one address, never dropping anyone.

`edition_send` records a Delivery (queued) for every address receiving the
newsletter, in one bulk insert, and queues batch jobs of
NEWSROOM_NEWSLETTER_BATCH_SIZE deliveries each (a range of delivery ids).
A batch sends its queued deliveries over one SMTP connection; each delivery
is taken with SELECT … FOR UPDATE SKIP LOCKED, sent, and marked sent in the
same small transaction, so a batch run again (a retry, or a worker killed
mid-send) skips those already sent, and two runs of one batch at once never
send the same delivery. A message the provider accepted whose delivery was
not yet marked (the worker killed in that millisecond) is sent again by the
retry: the one window left, as narrow as the SMTP protocol allows, and that
copy carries the same Message-ID (email.delivery_message_id), which lets a
provider or mailbox that deduplicates keep one.

Over SMTP a batch builds and encodes its message once (email.MessageBytes)
and sends each reader the same bytes with their address and links filled in.
"""

import logging
import smtplib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as database
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from newsletters import signals, tasks
from newsletters.email import (
    MessageBytes,
    edition_items,
    edition_message,
    edition_render,
)
from newsletters.models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Subscription,
)

logger = logging.getLogger(__name__)

# A recipient the provider refuses for good: marked failed, never retried.
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused,)


# A stopped edition may go again once its stories are fixed.
SENDABLE = {EditionStatus.DRAFT, EditionStatus.SCHEDULED, EditionStatus.STOPPED}


class EditionRefused(Exception):
    """The edition cannot be sent or scheduled now; the message says why."""


def unpublished_stories(edition: Edition) -> list[str]:
    """Headlines of the edition's stories the public may not see now."""
    from articles.models import Article

    story_ids = list(edition.items.values_list("story_id", flat=True))
    published = set(
        Article.objects.published()
        .filter(pk__in=story_ids)
        .values_list("pk", flat=True)
    )
    missing = [pk for pk in story_ids if pk not in published]
    if not missing:
        return []
    headlines = dict(
        Article.objects.filter(pk__in=missing).values_list("pk", "headline")
    )
    return [headlines[pk] for pk in missing]


def _check_sendable(edition: Edition) -> None:
    if not edition.items.exists():
        raise EditionRefused(_("Add at least one story before sending."))
    unpublished = unpublished_stories(edition)
    if unpublished:
        raise EditionRefused(
            _("These stories are not published: %(stories)s.")
            % {"stories": ", ".join(f"“{h}”" for h in unpublished)}
        )


def edition_send_test(edition: Edition, *, email: str) -> None:
    """One copy to `email` (the editor), recorded nowhere."""
    if not email:
        raise EditionRefused(_("Your account has no email address to send a test to."))
    edition_message(edition, edition_items(edition), email).send()


def edition_send(edition: Edition) -> int:
    """Send `edition` now to every address receiving its newsletter; returns
    how many deliveries are queued. Raises EditionRefused."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.status not in SENDABLE:
            raise EditionRefused(
                _("This edition is already %(status)s.")
                % {"status": edition.get_status_display()}
            )
        _check_sendable(edition)
        return _start_sending(edition)


def _start_sending(edition: Edition) -> int:
    """In the caller's transaction, with `edition` locked."""
    edition.status = EditionStatus.SENDING
    edition.stop_reason = ""
    edition.save(update_fields=["status", "stop_reason"])
    receiving = Subscription.objects.receiving().filter(newsletter=edition.newsletter)
    Delivery.objects.bulk_create(
        [
            Delivery(edition=edition, subscription_id=pk, email=email)
            for pk, email in receiving.values_list("pk", "email").iterator()
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    ids = list(
        edition.deliveries.filter(status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = settings.NEWSROOM_NEWSLETTER_BATCH_SIZE
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        tasks.send_edition_batch.enqueue(
            edition_id=edition.pk, first_id=chunk[0], last_id=chunk[-1]
        )
    if not ids:
        _finish(edition.pk)
    return len(ids)


def _stamp(when: datetime) -> str:
    """A time as the scheduled job's argument: ISO 8601 in UTC."""
    return when.astimezone(UTC).isoformat()


def edition_schedule(edition: Edition, *, send_at: datetime) -> None:
    """Send `edition` at `send_at` (a job then checks its stories again)."""
    if send_at <= timezone.now():
        raise EditionRefused(_("Choose a time in the future."))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        if edition.status not in SENDABLE:
            raise EditionRefused(
                _("This edition is already %(status)s.")
                % {"status": edition.get_status_display()}
            )
        _check_sendable(edition)
        edition.status = EditionStatus.SCHEDULED
        edition.send_at = send_at
        edition.save(update_fields=["status", "send_at"])
        job = tasks.send_scheduled_edition
        if job.get_backend().supports_defer:
            job = job.using(run_after=send_at)
        job.enqueue(edition_id=edition.pk, send_at=_stamp(send_at))


def edition_send_scheduled(edition_id: int, *, send_at: str) -> str:
    """The scheduled job: send the edition if it is still scheduled for
    `send_at`, or stop it, saying which story is no longer published.
    Returns what happened."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(pk=edition_id).first()
        if (
            edition is None
            or edition.status != EditionStatus.SCHEDULED
            or edition.send_at is None
            or _stamp(edition.send_at) != send_at
        ):
            return "skipped"  # unscheduled, rescheduled or sent meanwhile
        if edition.send_at > timezone.now():
            return "early"
        unpublished = unpublished_stories(edition)
        if unpublished:
            edition.status = EditionStatus.STOPPED
            edition.stop_reason = _(
                "Not sent: these stories were no longer published at %(time)s: "
                "%(stories)s."
            ) % {
                "time": timezone.localtime(edition.send_at).strftime("%Y-%m-%d %H:%M"),
                "stories": ", ".join(f"“{h}”" for h in unpublished),
            }
            edition.save(update_fields=["status", "stop_reason"])
            return "stopped"
        _start_sending(edition)
        return "sending"


def _wait_for_rate(started: float, sent: int) -> None:
    rate = settings.NEWSROOM_NEWSLETTER_RATE
    if rate > 0:
        due = started + sent / rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)


def edition_send_batch(*, edition_id: int, first_id: int, last_id: int) -> int:
    """Send the queued deliveries of `edition_id` with ids first_id…last_id;
    returns how many this run sent. Safe to run again, and at the same time
    as another run of the same batch."""
    edition = Edition.objects.select_related("newsletter").get(pk=edition_id)
    items = edition_render(edition, edition_items(edition))  # once per batch
    waiting = list(
        edition.deliveries.filter(
            pk__gte=first_id, pk__lte=last_id, status=DeliveryStatus.QUEUED
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    if waiting:
        connection = get_connection()
        started = time.monotonic()
        with connection:
            send = _sender(edition, items, connection)
            for pk in waiting:
                _wait_for_rate(started, sent)
                sent += _send_one(pk, send)
    _finish(edition_id)
    return sent


def _sender(edition, items, connection):
    """How this batch sends one delivery: over SMTP, the bytes of the message
    built once for the batch with each reader's address and links filled in
    (email.MessageBytes); through any other backend (an API provider, the
    test outbox) or when that is not safe, a message built per reader."""

    def each(delivery):
        edition_message(
            edition,
            items,
            delivery.email,
            connection=connection,
            delivery_id=delivery.pk,
        ).send()

    if not isinstance(connection, SMTPBackend) or connection.connection is None:
        return each
    whole = MessageBytes(items)
    if not whole.usable:
        return each

    def fast(delivery):
        if not delivery.email.isascii():
            return each(delivery)
        connection.connection.sendmail(
            whole.from_email,
            [delivery.email],
            whole.for_reader(delivery.email, delivery.pk),
        )

    return fast


# The two statements each delivery makes, written out once: the ORM would
# build and compile the same two queries again for every one of 100,000.
_TABLE = Delivery._meta.db_table
_TAKE = f"SELECT email, attempts FROM {_TABLE} WHERE id = %s AND status = %s"
# SQLite has no row locks: its one writer at a time does the same.
_LOCK = " FOR UPDATE SKIP LOCKED"
_MARK = (
    f"UPDATE {_TABLE} SET status = %s, attempts = %s, sent_at = %s, error = %s "
    "WHERE id = %s"
)


def _send_one(pk: int, send) -> int:
    failure = None
    with transaction.atomic(), database.cursor() as cursor:
        take = _TAKE
        if database.features.has_select_for_update_skip_locked:
            take += _LOCK
        cursor.execute(take, [pk, DeliveryStatus.QUEUED.value])
        row = cursor.fetchone()
        if row is None:  # sent by an earlier run, or being sent by another
            return 0
        delivery = Delivery(pk=pk, email=row[0], attempts=row[1] + 1)
        try:
            send(delivery)
        except PERMANENT_ERRORS as error:
            mark = (DeliveryStatus.FAILED, None, str(error)[:1000])
            sent = 0
        except Exception as error:  # the provider or the network: retry the batch
            failure = error
            mark = (DeliveryStatus.QUEUED, None, str(error)[:1000])
        else:
            mark = (DeliveryStatus.SENT, timezone.now(), "")
            sent = 1
        status, sent_at, error_text = mark
        cursor.execute(
            _MARK,
            [
                status.value,
                delivery.attempts,
                database.ops.adapt_datetimefield_value(sent_at),
                error_text,
                pk,
            ],
        )
        if failure is None:
            return sent
    raise failure


def _finish(edition_id: int) -> None:
    """The edition is sent once none of its deliveries waits."""
    if not Delivery.objects.filter(
        edition_id=edition_id, status=DeliveryStatus.QUEUED
    ).exists():
        sent = Edition.objects.filter(
            pk=edition_id, status=EditionStatus.SENDING
        ).update(status=EditionStatus.SENT, sent_at=timezone.now())
        if sent:
            # It is in the newsletter's public archive from now on.
            newsletter_id = (
                Edition.objects.filter(pk=edition_id)
                .values_list("newsletter_id", flat=True)
                .get()
            )
            signals.archive_changed.send(Edition, newsletter_id=newsletter_id)


def delivery_counts(edition: Edition) -> dict[str, int]:
    """How many deliveries are in each status (every status listed)."""
    counts = dict(
        edition.deliveries.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}
