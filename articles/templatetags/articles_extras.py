import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's one address: no query string but a page number above 1."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    # A listing's page, or the kept part of one (pagecache/parts.py).
    number = getattr(context.get("page"), "number", None)
    if number is None:
        number = (context.get("part") or {}).get("number", 1)
    if number > 1:
        url += f"?page={number}"
    return url


@register.simple_tag(takes_context=True)
def absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def site_logo_url(context) -> str:
    return context["request"].build_absolute_uri(static("img/logo.png"))


@register.simple_tag
def json_ld(data: dict):
    """Structured data for search engines, safely embedded."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )
