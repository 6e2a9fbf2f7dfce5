"""An edition as the email each subscriber receives: a plain-text part and
an HTML part with its CSS inlined (css-inline), no tables for layout, no
remote fonts or scripts, and the one-click unsubscribe headers."""

import html
import re
from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from newsletters.models import Edition
from newsletters.services import preferences_url, unsubscribe_headers, unsubscribe_url

# A paragraph of the stored (already sanitised) body that opens with a bold
# lead-in: <p><strong class="lead-in">Why it matters:</strong> …</p>
LEAD_IN_PARAGRAPH = re.compile(
    r"<p>\s*<strong class=\"lead-in\">.*?</p>", re.DOTALL | re.IGNORECASE
)

_inliner = css_inline.CSSInliner(load_remote_stylesheets=False)


@dataclass
class EmailItem:
    headline: str
    url: str
    dek: str
    paragraphs: list[str]  # sanitised HTML

    @property
    def text_paragraphs(self) -> list[str]:
        return [html.unescape(strip_tags(p)).strip() for p in self.paragraphs]


def lead_in_paragraphs(body: str, count: int) -> list[str]:
    """The first `count` paragraphs of `body` that start with a lead-in."""
    if count <= 0:
        return []
    return LEAD_IN_PARAGRAPH.findall(body or "")[:count]


def edition_items(edition: Edition) -> list[EmailItem]:
    """What each item shows, from its story as it is now (one query)."""
    items = edition.items.select_related("story__section").order_by("position", "pk")
    return [
        EmailItem(
            headline=item.story.headline,
            url=settings.NEWSROOM_SITE_URL + item.story.get_absolute_url(),
            dek=item.story.dek if item.include_dek else "",
            paragraphs=[
                mark_safe(p)  # noqa: S308 - the stored body is sanitised on save
                for p in lead_in_paragraphs(item.story.body, item.lead_ins)
            ],
        )
        for item in items
    ]


def edition_context(edition: Edition, items: list[EmailItem], email: str) -> dict:
    return {
        "edition": edition,
        "newsletter": edition.newsletter,
        "items": items,
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "preferences_url": preferences_url(email),
        "unsubscribe_url": unsubscribe_url(email),
    }


def edition_bodies(
    edition: Edition, items: list[EmailItem], email: str
) -> tuple[str, str]:
    """(plain text, HTML with its CSS inlined) for the mail to `email`."""
    context = edition_context(edition, items, email)
    text = render_to_string("newsletters/email/edition.txt", context)
    page = render_to_string("newsletters/email/edition.html", context)
    return text, _inliner.inline(page)


def edition_message(
    edition: Edition, items: list[EmailItem], email: str, *, connection=None
) -> EmailMultiAlternatives:
    text, page = edition_bodies(edition, items, email)
    message = EmailMultiAlternatives(
        subject=edition.subject,
        body=text,
        from_email=edition.newsletter.from_address,
        to=[email],
        headers=unsubscribe_headers(email),
        connection=connection,
    )
    message.attach_alternative(page, "text/html")
    return message
