"""What the newsletters app tells others about changes readers may see, and
its answers to what accounts sends (connected in apps.py).

Nothing here imports models at module level.
"""

from django.dispatch import Signal

# A newsletter's public archive changed (`newsletter_id`): an edition of it
# became sent, or the newsletter's own name or description changed. Sent by
# newsletters/sending.py and newsletters/changes.py; pagecache/signals.py
# turns it into the newsletter's surrogate key.
archive_changed = Signal()


def reader_data_requested(sender, *, user, **kwargs) -> dict:
    from newsletters.services import reader_subscriptions_export

    return reader_subscriptions_export(user)


def reader_closing(sender, *, user, **kwargs) -> None:
    from newsletters.services import reader_subscriptions_remove

    reader_subscriptions_remove(user)


# What an API provider's event webhook (django-anymail, routed under
# /newsletters/provider/) reports, as the reason we stop mailing an address:
# the same two our own signed webhook (views.provider_event) takes.
ANYMAIL_SUPPRESSIONS = {"bounced": "bounce", "complained": "complaint"}


def provider_tracking_event(sender, *, event, esp_name, **kwargs) -> None:
    """anymail.signals.tracking: a bounce or complaint stops the address;
    other events (delivered, opened, …) are not recorded."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from newsletters.services import suppression_record

    reason = ANYMAIL_SUPPRESSIONS.get(event.event_type)
    if reason is None or not isinstance(event.recipient, str):
        return
    try:
        validate_email(event.recipient)
        suppression_record(email=event.recipient, reason=reason)
    except (ValidationError, ValueError):  # nothing we could ever have mailed
        return
