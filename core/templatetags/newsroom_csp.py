"""Template helpers for the Content-Security-Policy (loaded as `newsroom_csp`)."""

from django import forms, template
from js_asset.media import Media

register = template.Library()


@register.filter
def with_csp_nonce(media: forms.Media, request) -> Media:
    """`media` rendering its tags (the editor's import map included) with the
    request's CSP nonce."""
    # django-csp's lazy nonce is falsy until read: read it.
    nonce = getattr(request, "csp_nonce", None)
    return Media.from_media(media, nonce="" if nonce is None else str(nonce))
