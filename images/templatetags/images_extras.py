"""Template tags of the image library: `{% load images_extras %}`."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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
