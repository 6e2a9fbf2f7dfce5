import json

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's one address: no query string but a page number above 1."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page")
    if page is not None and getattr(page, "number", 1) > 1:
        url += f"?page={page.number}"
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


def _srcset(renditions: list[dict]):
    return format_html_join(
        ", ", "{} {}w", ((r["url"], r["width"]) for r in renditions)
    )


@register.simple_tag
def picture(image, ratio="16:9", sizes="100vw", loading="lazy", css_class=""):
    """A responsive <picture> from stored renditions: no image work, no query.

    WebP for browsers that take it, JPEG for the rest; width and height set so
    nothing jumps while it loads.
    """
    if image is None:
        return ""
    alt = "" if image.is_decorative else image.alt_text
    by_format = {
        fmt: sorted(
            (r for r in image.renditions if r["ratio"] == ratio and r["format"] == fmt),
            key=lambda r: r["width"],
        )
        for fmt in ("webp", "jpeg")
    }
    fallback = image.rendition(ratio, 800, "jpeg")
    if fallback is None:
        # Renditions not made (yet): the cleaned original still shows.
        return format_html(
            '<img class="{}" src="{}" width="{}" height="{}" alt="{}" loading="{}">',
            css_class,
            image.file.url,
            image.width,
            image.height,
            alt,
            loading,
        )
    priority = mark_safe(' fetchpriority="high"') if loading == "eager" else ""
    return format_html(
        '<picture class="{}"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async"{}></picture>',
        css_class,
        _srcset(by_format["webp"]),
        sizes,
        fallback["url"],
        _srcset(by_format["jpeg"]),
        sizes,
        fallback["width"],
        fallback["height"],
        alt,
        loading,
        priority,
    )
