"""The part of a page that every reader sees the same, kept whole.

Most of a listing or a story page is the same for everyone: the cards, the
story itself, Similar News. What differs per reader is around it: the
masthead (signed in or not), messages, the comment section. A view builds the
shared part with `shared_part`, which keeps it as one fragment under the keys
of what it shows, so a logged-in reader, or anyone while the whole page is not
in the page cache, gets it in one round trip, and only what is personal is
rendered for the request.
"""

from collections.abc import Callable, Iterable

from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.pagination import paginate
from pagecache import store
from pagecache.cards import cards_rendered


def shared_part(
    request,
    name: str,
    keys: Iterable[str],
    build: Callable[[], dict],
    *,
    keep: bool = True,
) -> dict:
    """What `build()` returns, a dict with the "keys" of what it holds besides
    `keys`: kept under `name` until one of either changes, if `keep` (only for
    parts a request cannot multiply: a first page, never a crafted one).

    The page is noted as showing `keys` and the part's "page_keys" (its
    "keys" if it has none): a part may be built again more often than its
    page needs purging — a card's section key changes with every story
    published in the section, its name only with NAV, which every page shows.
    """
    keys = list(keys)
    if keep:
        part = store.fragment(
            f"part:{get_language() or ''}:{name}",
            keys,
            build,
            keys_of=lambda part: part["keys"],
        )
    else:
        part = build()
    store.depends_on(request, *keys, *part.get("page_keys", part["keys"]))
    return part


def story_list_part(
    request, name: str, keys: Iterable[str], stories, **options
) -> dict:
    """A listing's page of story cards (includes/story_list.html with
    `options`): its "html", its page "number" and the "keys" of its cards,
    kept for the first page."""

    def build() -> dict:
        page = paginate(request, stories)
        cards = cards_rendered(
            request,
            lambda: render_to_string(
                "includes/story_list.html", {"page": page, **options}, request
            ),
        )
        return {
            "html": cards.html,
            "number": page.number,
            "keys": cards.keys,
            "page_keys": cards.page_keys,
        }

    return shared_part(request, name, keys, build, keep=first_page(request))


def first_page(request) -> bool:
    """Whether `request` asks for a listing's first page, the one kept."""
    return request.GET.get("page", "1") == "1"
