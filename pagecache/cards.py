"""Story cards rendered once: each card's HTML is a page-cache fragment
(pagecache/store.py) under the keys of what it shows, so the events that make
a page stale make its cards re-render, and a listing reads all its cards in
one round trip.

A view decorated with `cached_cards` renders a placeholder where each card
goes (`{% story_card %}`, pagecache/templatetags/story_cards.py); once the
page is rendered its cards are fetched with one `get_many`, the missing ones
rendered and kept with one `set_many`, and the placeholders replaced. A
listing may read its stories light (only what the cards' keys need): the
stories of the missing cards are then read whole, in one query. Anywhere else
a card renders in place, as before.

The cards belong to the page cache rather than to `articles` because every
app's listings show them: the tag pages too, and `tags` does not depend on
`articles`.
"""

import functools
import re
import secrets
from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pagecache import keys, store

CARD_TEMPLATE = "includes/story_card.html"
# What a card's look depends on besides its story (the include's arguments).
CARD_OPTIONS = ("variant", "heading", "show_section", "show_dek")


class PendingCards(dict):
    """The cards a page being rendered waits for, by fragment name. Their
    placeholders carry a secret made for this page, so nothing a story says
    can pass for one."""

    def __init__(self):
        super().__init__()
        self.secret = secrets.token_hex(8)
        self.pattern = re.compile(f"<!--card {self.secret} ([^>]*)-->")


def pending_cards(request) -> PendingCards | None:
    """The cards the page being rendered for `request` waits for, if any."""
    return getattr(request, "pending_cards", None)


def placeholder(request, article, options: dict) -> str:
    """Note the card of `article` shown with `options`; its place in the page."""
    parts = [
        get_language() or "",
        article.pk,
        *(options[name] for name in CARD_OPTIONS),
    ]
    name = "card:" + ":".join(map(str, parts))
    pending = request.pending_cards
    pending[name] = (article, options)
    return f"<!--card {pending.secret} {name}-->"


def card_keys(article) -> list[str]:
    """A card shows its story (headline, byline, comment count), its
    section's name and its hero image."""
    return [
        keys.story(article.pk),
        keys.section(article.section_id),
        *keys.many(keys.image, [article.hero_image_id]),
    ]


def cards_keys(articles) -> list[str]:
    """The keys of everything the cards of `articles` show: a fragment that
    keeps the stories themselves (Similar News) is stale when one is."""
    return [key for article in articles for key in card_keys(article)]


def cached_cards(view):
    """Decorate a view whose pages show story cards (listings, Similar News)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        # Noted before the view reads its stories: a card built from a story
        # that changed meanwhile is shown once, never kept.
        read_after = store.changes_so_far()
        request.pending_cards = PendingCards()
        try:
            response = view(request, *args, **kwargs)
            pending = request.pending_cards
        finally:
            request.pending_cards = None
        if pending:
            _fill(request, response, pending, read_after)
        return response

    return wrapped


def _whole(articles: list) -> dict:
    """`articles` by pk, read again whole where a listing read them light
    (with deferred fields: only what the cards' keys need), in one query by
    their queryset's `for_listing`."""
    light = [article for article in articles if article.get_deferred_fields()]
    whole = {article.pk: article for article in articles}
    if light:
        model = type(light[0])._meta.concrete_model
        whole |= {
            article.pk: article
            for article in model._default_manager.filter(
                pk__in=[article.pk for article in light]
            ).for_listing()
        }
    return whole


def _fill(request, response, pending: PendingCards, read_after: int | None) -> None:
    content = response.content.decode(response.charset)
    response.content = _filled(request, content, pending, read_after)


def _filled(request, html: str, pending: PendingCards, read_after: int | None) -> str:
    """`html` with the cards `pending` waits for in their places."""

    def build(missing) -> dict[str, str]:
        whole = _whole([pending[name][0] for name in missing])
        return {
            name: _render(request, whole[pending[name][0].pk], pending[name][1])
            for name in missing
        }

    cards = store.fragments(
        {name: card_keys(article) for name, (article, _) in pending.items()},
        build,
        read_after=read_after,
    )
    return pending.pattern.sub(lambda found: cards[found.group(1)], html)


def cards_rendered(request, render: Callable[[], str]) -> SafeString:
    """What `render()` returns, its cards fetched and put in place at once:
    for a part of a page that is kept whole (pagecache/parts.py), where a
    placeholder must not outlive the page it was made for."""
    read_after = store.changes_so_far()
    outer = pending_cards(request)
    request.pending_cards = pending = PendingCards()
    try:
        html = render()
    finally:
        request.pending_cards = outer
    return mark_safe(_filled(request, html, pending, read_after) if pending else html)


def _render(request, article, options: dict) -> str:
    return render_to_string(
        CARD_TEMPLATE, {"article": article, **options}, request=request
    )


def render_card(request, article, options: dict) -> str:
    """The card of `article`, rendered in place (a page without cached cards)."""
    return _render(request, _whole([article])[article.pk], options)
