"""Story, section and author addresses: fast reversing for listing pages,
and unique slugs."""

import functools
import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify


def listing_reverse(viewname: str, **kwargs) -> str:
    """reverse() for the hundreds of links on a listing page.

    The pattern is reversed once per view, URLconf and script prefix with
    placeholder values, then filled in with plain string work: reverse()
    itself took a fifth of a front page's rendering time. Only for slug and
    integer arguments, which need no quoting.
    """
    parts = _url_template(viewname, tuple(kwargs), get_urlconf(), get_script_prefix())
    return "".join(
        str(kwargs[part[1:]]) if part.startswith("\0") else part for part in parts
    )


@functools.lru_cache(maxsize=64)
def _url_template(viewname, names, urlconf, prefix) -> tuple[str, ...]:
    """The reversed URL cut into fixed text and slots (a NUL, then a name)."""
    # Digits pass every converter we use (slug, int, str) and never occur in
    # a fixed part of our URLs at this length.
    placeholders = {f"{9_137_000_000 + n}": name for n, name in enumerate(names)}
    url = reverse(
        viewname, kwargs={name: value for value, name in placeholders.items()}
    )
    pieces = re.split("(" + "|".join(placeholders) + ")", url)
    return tuple(
        "\0" + placeholders[piece] if piece in placeholders else piece
        for piece in pieces
        if piece
    )


@receiver(setting_changed)
def _forget_url_templates(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _url_template.cache_clear()


def unique_slug(model, text: str, *, exclude_pk=None, max_length: int = 80) -> str:
    """A slug made from `text`, suffixed with -2, -3… until no other row has it."""
    base = slugify(text)[:max_length].strip("-") or "story"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
    return slug
