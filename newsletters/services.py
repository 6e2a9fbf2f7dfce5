"""Subscribing, confirming, unsubscribing, and the addresses never mailed.

Every link in a newsletter email is signed (django.core.signing): the
confirmation link carries the address and the newsletters asked for and
expires; the preferences and unsubscribe links carry the address only and
keep working, since old emails must always let their reader out.
"""

import hashlib
import hmac
import time
from collections.abc import Iterable
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import is_reachable
from core.text import normalize_email
from newsletters.models import (
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

CONFIRM_SALT = "newsletters.confirm"
PREFERENCES_SALT = "newsletters.preferences"


class LinkRefused(Exception):
    """A confirmation or preferences link that is not (or no longer) good;
    the message says which, in readers' words."""


# --- Signed links ---------------------------------------------------------------------


def confirmation_token(*, email: str, newsletter_ids: Iterable[int]) -> str:
    return signing.dumps(
        {"e": email, "n": sorted(set(newsletter_ids))}, salt=CONFIRM_SALT
    )


def preferences_token(email: str) -> str:
    return signing.dumps(email, salt=PREFERENCES_SALT)


def email_from_preferences_token(token: str) -> str:
    """The address a preferences or unsubscribe link was mailed to."""
    try:
        email = signing.loads(token, salt=PREFERENCES_SALT)
    except signing.BadSignature:
        raise LinkRefused(
            _("This link is not valid. Use the link in your latest newsletter email.")
        ) from None
    if not isinstance(email, str) or "@" not in email:
        raise LinkRefused(_("This link is not valid."))
    return email


def _confirmation_contents(token: str) -> tuple[str, list[int]]:
    hours = settings.NEWSROOM_NEWSLETTER_CONFIRM_HOURS
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=hours * 3600)
    except signing.SignatureExpired:
        raise LinkRefused(
            _(
                "This confirmation link has expired (links work for %(hours)d "
                "hours). Sign up again to get a new one."
            )
            % {"hours": hours}
        ) from None
    except signing.BadSignature:
        raise LinkRefused(
            _(
                "This confirmation link is not valid. Copy the whole link from "
                "the email, or sign up again."
            )
        ) from None
    email, ids = data.get("e"), data.get("n")
    if not isinstance(email, str) or not isinstance(ids, list):
        raise LinkRefused(_("This confirmation link is not valid."))
    return email, [pk for pk in ids if isinstance(pk, int)]


def _site_url(name: str, token: str) -> str:
    return settings.NEWSROOM_SITE_URL + reverse(name, args=[token])


def preferences_url(email: str) -> str:
    return _site_url("newsletters:preferences", preferences_token(email))


def unsubscribe_url(email: str) -> str:
    return _site_url("newsletters:unsubscribe", preferences_token(email))


def links_for_token(token: str) -> tuple[str, str]:
    """(preferences, unsubscribe) links carrying `token`
    (`preferences_token`)."""
    return (
        _site_url("newsletters:preferences", token),
        _site_url("newsletters:unsubscribe", token),
    )


def unsubscribe_headers(email: str, *, url: str | None = None) -> dict[str, str]:
    """The RFC 8058 one-click unsubscribe headers for a mail to `email`: mail
    programs show an "Unsubscribe" button that POSTs to the link (`url`, or
    the address's own unsubscribe link)."""
    mailto = settings.NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL
    mailto += "?subject=" + quote(f"unsubscribe {email}")
    url = unsubscribe_url(email) if url is None else url
    return {
        "List-Unsubscribe": f"<{url}>, <mailto:{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Subscribing ----------------------------------------------------------------------


def subscribe_within_rate(ip_address: str | None) -> bool:
    """At most NEWSROOM_NEWSLETTER_SUBSCRIBE_RATE_PER_IP sign-ups an hour from
    one address, counted in the shared cache (not counted while it is down:
    the sign-up itself sends at most one email)."""
    if not ip_address or not is_reachable(cache):
        return True
    window = int(time.time() // 3600)
    key = f"newsletters:rate:ip:{ip_address}:{window}"
    cache.add(key, 0, timeout=7200)
    try:
        return cache.incr(key) <= settings.NEWSROOM_NEWSLETTER_SUBSCRIBE_RATE_PER_IP
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=7200)
        return True


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email=email).exists()


def subscription_request(
    *, email: str, newsletters: list[Newsletter], user=None
) -> None:
    """A reader asks for `newsletters` at `email`: one confirmation email for
    those not confirmed yet, nothing if all are. Returns nothing either way,
    so the page answers the same whatever the address (no enumeration)."""
    email = normalize_email(email)
    if is_suppressed(email):
        return
    if user is not None and not (
        user.is_authenticated and normalize_email(user.email) == email
    ):
        user = None
    waiting = []
    with transaction.atomic():
        for newsletter in newsletters:
            try:
                with transaction.atomic():
                    subscription, _created = Subscription.objects.get_or_create(
                        newsletter=newsletter, email=email, defaults={"user": user}
                    )
            except IntegrityError:  # the same address, a moment ago
                subscription = Subscription.objects.get(
                    newsletter=newsletter, email=email
                )
            if subscription.status == SubscriptionStatus.CONFIRMED:
                continue
            if subscription.status == SubscriptionStatus.UNSUBSCRIBED:
                subscription.status = SubscriptionStatus.PENDING
                subscription.save(update_fields=["status"])
            waiting.append(newsletter)
    if waiting:
        _send_confirmation(email, waiting)


def _send_confirmation(email: str, newsletters: list[Newsletter]) -> None:
    token = confirmation_token(email=email, newsletter_ids=[n.pk for n in newsletters])
    link = _site_url("newsletters:confirm", token)
    names = "\n".join(f"- {newsletter.name}" for newsletter in newsletters)
    body = _(
        "Hello,\n\nsomeone, perhaps you, asked for these %(site)s newsletters "
        "at this address:\n\n%(names)s\n\nTo start receiving them, confirm "
        "here (the link works for %(hours)d hours):\n\n%(link)s\n\n"
        "If you did not ask, ignore this email: nothing is sent without "
        "your confirmation.\n\nYour newsletter choices: %(preferences)s\n"
    ) % {
        "site": settings.NEWSROOM_SITE_NAME,
        "names": names,
        "hours": settings.NEWSROOM_NEWSLETTER_CONFIRM_HOURS,
        "link": link,
        "preferences": preferences_url(email),
    }
    EmailMessage(
        subject=_("Confirm your %(site)s newsletters")
        % {"site": settings.NEWSROOM_SITE_NAME},
        body=body,
        from_email=newsletters[0].from_address,
        to=[email],
        headers=unsubscribe_headers(email),
    ).send()


def confirmation_newsletters(token: str) -> tuple[str, list[Newsletter]]:
    """What a confirmation link is for: its address and newsletters. Raises
    LinkRefused."""
    email, ids = _confirmation_contents(token)
    return email, list(Newsletter.objects.filter(pk__in=ids))


@transaction.atomic
def subscription_confirm(*, token: str) -> list[Newsletter]:
    """Confirm what the link was mailed for; returns those newsletters.
    Raises LinkRefused."""
    email, ids = _confirmation_contents(token)
    now = timezone.now()
    subscriptions = Subscription.objects.select_for_update().filter(
        email=email, newsletter_id__in=ids
    )
    subscriptions.filter(status=SubscriptionStatus.PENDING).update(
        status=SubscriptionStatus.CONFIRMED, confirmed_at=now
    )
    return [
        s.newsletter
        for s in subscriptions.filter(status=SubscriptionStatus.CONFIRMED)
        .select_related("newsletter")
        .order_by("newsletter__position", "newsletter__name")
    ]


# --- Preferences and leaving ----------------------------------------------------------


def subscriptions_for(email: str):
    return Subscription.objects.filter(email=email).select_related("newsletter")


@transaction.atomic
def subscriptions_unsubscribe(*, email: str) -> int:
    """Unsubscribe `email` from every newsletter; how many it left."""
    return (
        Subscription.objects.filter(email=email)
        .exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        .update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )


@transaction.atomic
def subscription_preferences_set(*, email: str, newsletters: list[Newsletter]) -> None:
    """Exactly `newsletters` of those offered for `email`. The signed link
    proves the mailbox, so newly ticked ones are confirmed at once."""
    now = timezone.now()
    wanted = {newsletter.pk for newsletter in newsletters}
    # Only the newsletters the page offers: one taken off it stays as it was.
    Subscription.objects.filter(email=email, newsletter__is_active=True).exclude(
        newsletter_id__in=wanted
    ).exclude(status=SubscriptionStatus.UNSUBSCRIBED).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=now
    )
    for newsletter in newsletters:
        subscription, _created = Subscription.objects.get_or_create(
            newsletter=newsletter, email=email
        )
        if subscription.status != SubscriptionStatus.CONFIRMED:
            subscription.status = SubscriptionStatus.CONFIRMED
            subscription.confirmed_at = now
            subscription.save(update_fields=["status", "confirmed_at"])


# --- The mail provider's events -------------------------------------------------------


def event_signature(*, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256, in hex, of "<timestamp>.<body>" with the webhook secret."""
    secret = settings.NEWSROOM_NEWSLETTER_WEBHOOK_SECRET.encode()
    return hmac.new(
        secret, timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()


def event_is_authentic(
    *, timestamp: str | None, signature: str | None, body: bytes
) -> bool:
    """Signed with our secret, less than five minutes ago (either way)."""
    if (
        not settings.NEWSROOM_NEWSLETTER_WEBHOOK_SECRET
        or not timestamp
        or not signature
    ):
        return False
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = event_signature(timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, signature.strip().removeprefix("sha256="))


def suppression_record(*, email: str, reason: str) -> Suppression:
    """Never mail `email` again: it bounced, or its owner complained."""
    if reason not in SuppressionReason.values:
        raise ValueError(f"unknown reason {reason!r}")
    suppression, _created = Suppression.objects.get_or_create(
        email=normalize_email(email), defaults={"reason": reason}
    )
    return suppression


# --- Readers' own data ----------------------------------------------------------------


def _readers_subscriptions(user):
    email = normalize_email(user.email) if user.email else None
    query = Subscription.objects.filter(user=user)
    if email:
        query = query | Subscription.objects.filter(email=email)
    return query


def reader_subscriptions_export(user) -> dict:
    """For the reader's data download (accounts.signals)."""
    return {
        "newsletter_subscriptions": [
            {
                "newsletter": s.newsletter.name,
                "email": s.email,
                "status": s.status,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "unsubscribed_at": (
                    s.unsubscribed_at.isoformat() if s.unsubscribed_at else None
                ),
            }
            for s in _readers_subscriptions(user)
            .select_related("newsletter")
            .order_by("created_at", "pk")
        ]
    }


def reader_subscriptions_remove(user) -> int:
    """A closing account's subscriptions go, by account and by address."""
    deleted, _per_model = _readers_subscriptions(user).delete()
    return deleted
