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
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from pagecache import keys, store

CARD_TEMPLATE = "includes/story_card.html"
# What a card's look depends on besides its story (the include's arguments).
CARD_OPTIONS = ("variant", "heading", "show_section", "show_dek")
# What a card shows of its story besides `for_listing`'s joins, read with the
# stories to render: the live coverage (live/), for the "Live" badge and the
# latest entry's time and line (kept on the coverage row).
CARD_RELATED = ("live_coverage",)
# The cards that show the latest entry of a live story (the headlines page's
# lead and top stories): they, and the pages showing them, change with every
# entry, so they depend on the coverage's key too.
LATEST_ENTRY_VARIANTS = ("lead", "top")


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


def card_keys(article, options: dict | None = None) -> list[str]:
    """A card shows its story (headline, byline, comment count, "Live"
    badge), its section's name and its hero image; a lead or top card, the
    live coverage's latest entry too."""
    shows_latest = options is not None and shows_latest_entry(options)
    return [
        keys.story(article.pk),
        keys.section(article.section_id),
        *keys.many(keys.image, [article.hero_image_id]),
        *([keys.live(article.pk)] if shows_latest else []),
    ]


def shows_latest_entry(options: dict) -> bool:
    return options.get("variant") in LATEST_ENTRY_VARIANTS


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
            )
            .for_listing()
            .select_related(*CARD_RELATED)
        }
    # Stories a view read whole itself: their relations in one more query
    # (none when they were read with them).
    prefetch_related_objects(list(whole.values()), *CARD_RELATED)
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

    # The page shows the latest entry of its lead and top stories' coverage.
    store.depends_on(
        request,
        *(
            keys.live(article.pk)
            for article, options in pending.values()
            if shows_latest_entry(options)
        ),
    )
    cards = store.fragments(
        {
            name: card_keys(article, options)
            for name, (article, options) in pending.items()
        },
        build,
        read_after=read_after,
    )
    return pending.pattern.sub(lambda found: cards[found.group(1)], html)


@dataclass(frozen=True)
class Cards:
    """A piece of HTML with its cards in place, and the keys they show."""

    html: SafeString
    # Every key the cards show: a part holding them is stale when one is.
    keys: list[str]
    # What a page showing them must be purged for: their stories, and the
    # coverage of those whose latest live entry they show.
    page_keys: list[str]


def cards_rendered(request, render: Callable[[], str]) -> Cards:
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
    shown = list(pending.values())
    return Cards(
        html=mark_safe(_filled(request, html, pending, read_after) if shown else html),
        keys=[key for article, options in shown for key in card_keys(article, options)],
        page_keys=[
            *keys.stories(article for article, _ in shown),
            *(
                keys.live(article.pk)
                for article, options in shown
                if shows_latest_entry(options)
            ),
        ],
    )


def _render(request, article, options: dict) -> str:
    return render_to_string(
        CARD_TEMPLATE, {"article": article, **options}, request=request
    )


def render_card(request, article, options: dict) -> str:
    """The card of `article`, rendered in place (a page without cached cards)."""
    return _render(request, _whole([article])[article.pk], options)
