"""The public newsletter pages: sign-up, confirming, preferences, leaving,
and the mail provider's events."""

import json
from functools import cache

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.pagination import paginate
from newsletters.email import edition_items
from newsletters.forms import PreferencesForm, SubscribeForm
from newsletters.models import (
    Edition,
    EditionStatus,
    Newsletter,
    SubscriptionStatus,
    SuppressionReason,
)
from newsletters.services import (
    LinkRefused,
    confirmation_newsletters,
    email_from_preferences_token,
    event_is_authentic,
    subscribe_within_rate,
    subscription_confirm,
    subscription_preferences_set,
    subscription_request,
    subscriptions_for,
    subscriptions_unsubscribe,
    suppression_record,
)
from pagecache import keys, store

# Larger than any event a provider sends about one address.
MAX_EVENT_BYTES = 16 * 1024


def _private(response):
    """Pages reached by a personal link: never kept by any cache, and the
    link is not passed on to another site (same-origin: a form POST still
    carries its Origin, which the CSRF check needs)."""
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    return response


def newsletter_list(request):
    """Every newsletter offered, and the sign-up form. A story page's box
    sends its address here (a GET): the cached story page carries no form
    token, so the subscription itself is asked for on this page."""
    newsletters = list(Newsletter.objects.active())
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            if not subscribe_within_rate(request.META.get("REMOTE_ADDR")):
                form.add_error(
                    None,
                    _(
                        "Many sign-ups are coming from your network. Please try "
                        "again in an hour."
                    ),
                )
            else:
                subscription_request(
                    email=form.cleaned_data["email"],
                    newsletters=list(form.cleaned_data["newsletters"]),
                    user=request.user,
                )
                return redirect("newsletters:sent")
    else:
        initial = {"email": request.GET.get("email", "")[:254]}
        if len(newsletters) == 1:
            initial["newsletters"] = newsletters
        form = SubscribeForm(initial=initial)
    form.fields["newsletters"].choices = [(n.pk, n.name) for n in newsletters]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "newsletters/newsletter_list.html",
        {"form": form, "newsletters": newsletters},
        status=status,
    )


def subscribe_sent(request):
    return render(request, "newsletters/subscribe_sent.html")


def confirm(request, token):
    """The confirmation email's link shows a button; only the button (a POST)
    confirms, so a mail scanner fetching links confirms nothing."""
    try:
        if request.method == "POST":
            confirmed = subscription_confirm(token=token)
            return _private(
                render(
                    request,
                    "newsletters/subscription_confirmed.html",
                    {"newsletters": confirmed},
                )
            )
        email, newsletters = confirmation_newsletters(token)
    except LinkRefused as refusal:
        return _private(
            render(
                request,
                "newsletters/link_refused.html",
                {"reason": str(refusal)},
                status=400,
            )
        )
    return _private(
        render(
            request,
            "newsletters/subscription_confirm.html",
            {"email": email, "newsletters": newsletters},
        )
    )


def preferences(request, token):
    try:
        email = email_from_preferences_token(token)
    except LinkRefused as refusal:
        return _private(
            render(
                request,
                "newsletters/link_refused.html",
                {"reason": str(refusal)},
                status=400,
            )
        )
    saved = False
    status = 200
    if request.method == "POST" and "unsubscribe_all" in request.POST:
        subscriptions_unsubscribe(email=email)
        form = PreferencesForm()
        saved = True
    elif request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscription_preferences_set(
                email=email, newsletters=list(form.cleaned_data["newsletters"])
            )
            saved = True
        else:
            status = 400
    if request.method != "POST" or saved:
        current = [
            s.newsletter_id
            for s in subscriptions_for(email)
            if s.status == SubscriptionStatus.CONFIRMED
        ]
        form = PreferencesForm(initial={"newsletters": current})
    newsletters = list(Newsletter.objects.active())
    form.fields["newsletters"].choices = [(n.pk, n.name) for n in newsletters]
    return _private(
        render(
            request,
            "newsletters/subscription_preferences.html",
            {"form": form, "email": email, "saved": saved, "token": token},
            status=status,
        )
    )


# The signed token is the authority here, not a session: mail programs send
# the RFC 8058 one-click POST with no cookie and no form token.
@csrf_exempt
def unsubscribe(request, token):
    try:
        email = email_from_preferences_token(token)
    except LinkRefused as refusal:
        return _private(
            render(
                request,
                "newsletters/link_refused.html",
                {"reason": str(refusal)},
                status=400,
            )
        )
    done = False
    if request.method == "POST":
        subscriptions_unsubscribe(email=email)
        done = True
    return _private(
        render(
            request,
            "newsletters/unsubscribe.html",
            {"email": email, "done": done, "token": token},
        )
    )


@csrf_exempt
@require_POST
def provider_event(request):
    """A bounce or complaint from the mail provider, signed with the shared
    secret (see services.event_is_authentic)."""
    if len(request.body) > MAX_EVENT_BYTES:
        return HttpResponse(status=413)
    if not event_is_authentic(
        timestamp=request.headers.get("X-Newsroom-Timestamp"),
        signature=request.headers.get("X-Newsroom-Signature"),
        body=request.body,
    ):
        return HttpResponseForbidden("Bad or missing signature.")
    try:
        event = json.loads(request.body)
        kind, email = event["type"], event["email"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Expected {type, email}."}, status=400)
    if kind not in SuppressionReason.values or not isinstance(email, str):
        return JsonResponse({"error": "Unknown event type."}, status=400)
    try:
        suppression_record(email=email, reason=kind)
    except ValueError:
        return JsonResponse({"error": "Not an email address."}, status=400)
    return JsonResponse({"ok": True})


@cache
def _provider_tracking_views() -> dict:
    """anymail's event webhook view for each provider it knows, by name."""
    from anymail import urls

    suffix = "_tracking_webhook"
    return {
        pattern.name.removesuffix(suffix): pattern.callback
        for pattern in urls.urlpatterns
        if pattern.name.endswith(suffix)
    }


@csrf_exempt
def provider_tracking(request, provider: str):
    """An API provider's delivery events, parsed by anymail, whose tracking
    signal reaches signals.provider_tracking_event. Not found unless
    ANYMAIL["WEBHOOK_SECRET"] is set: without it anymail takes events from
    anyone (with a warning), and anyone could stop a reader's newsletters
    with a made-up bounce."""
    view = _provider_tracking_views().get(provider)
    if view is None or not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        raise Http404
    return view(request)


# --- The public archive ---------------------------------------------------------


def _sent_editions(newsletter: Newsletter):
    return newsletter.editions.filter(status=EditionStatus.SENT).order_by(
        "-sent_at", "-pk"
    )


def archive(request, slug):
    """A newsletter's sent editions, newest first."""
    newsletter = get_object_or_404(Newsletter, slug=slug)
    page = paginate(request, _sent_editions(newsletter))
    store.depends_on(request, keys.newsletter(newsletter.pk))
    return render(
        request,
        "newsletters/archive.html",
        {"newsletter": newsletter, "page": page},
    )


def edition_page(request, slug, edition_id):
    """One sent edition as readers received it, with every correction and
    update note its stories have had since."""
    edition = get_object_or_404(
        Edition.objects.select_related("newsletter").filter(
            status=EditionStatus.SENT, newsletter__slug=slug
        ),
        pk=edition_id,
    )
    items = edition_items(edition, with_notes=True)
    # Every story's key, shown or not: one published again comes back.
    store.depends_on(
        request,
        keys.newsletter(edition.newsletter_id),
        *keys.many(keys.story, [item.story_id for item in items]),
    )
    return render(
        request,
        "newsletters/edition.html",
        {
            "edition": edition,
            "newsletter": edition.newsletter,
            "items": [item for item in items if item.is_public],
        },
    )
