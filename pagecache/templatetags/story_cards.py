"""`{% story_card article heading="h3" show_section=True %}`: a story card.

On a page rendered by a view decorated with pagecache.cards.cached_cards the
tag leaves a placeholder, and the card comes from the fragment cache (see
pagecache/cards.py); anywhere else it renders the card in place. A tag rather
than an `{% include %}`: a listing shows up to 85 cards, and an include's
context and template machinery cost more than a cached card."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from pagecache import cards

register = template.Library()


@register.simple_tag(takes_context=True)
def story_card(
    context,
    article,
    *,
    variant: str = "",
    heading: str = "h3",
    show_section: bool = False,
    show_dek: bool = False,
) -> SafeString:
    options = {
        "variant": variant,
        "heading": heading or "h3",
        "show_section": bool(show_section),
        "show_dek": bool(show_dek),
    }
    request = context.get("request")
    if request is not None and cards.pending_cards(request) is not None:
        return mark_safe(cards.placeholder(request, article, options))
    return cards.render_card(request, article, options)
