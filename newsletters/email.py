"""An edition as the email each subscriber receives: a plain-text part and
an HTML part with its CSS inlined (css-inline), no tables for layout, no
remote fonts or scripts, and the one-click unsubscribe headers."""

import html
import re
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from newsletters.models import Edition
from newsletters.services import (
    links_for_token,
    preferences_token,
    preferences_url,
    unsubscribe_headers,
    unsubscribe_url,
)

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
    story_id: int = 0
    # The public may read the story now (the archive leaves out one taken
    # down after the edition was sent).
    is_public: bool = True
    # The story's corrections and update notes, oldest first: only for the
    # edition's web page (`edition_items(..., with_notes=True)`).
    notes: list = field(default_factory=list)

    @property
    def text_paragraphs(self) -> list[str]:
        return [html.unescape(strip_tags(p)).strip() for p in self.paragraphs]


def lead_in_paragraphs(body: str, count: int) -> list[str]:
    """The first `count` paragraphs of `body` that start with a lead-in."""
    if count <= 0:
        return []
    return LEAD_IN_PARAGRAPH.findall(body or "")[:count]


def edition_items(edition: Edition, *, with_notes: bool = False) -> list[EmailItem]:
    """What each item shows, from its story as it is now (one query; two
    `with_notes`, for the archived edition's page)."""
    items = edition.items.select_related("story__section").order_by("position", "pk")
    if with_notes:
        items = items.prefetch_related("story__corrections")
    return [
        EmailItem(
            headline=item.story.headline,
            url=settings.NEWSROOM_SITE_URL + item.story.get_absolute_url(),
            dek=item.story.dek if item.include_dek else "",
            paragraphs=[
                mark_safe(p)  # noqa: S308 - the stored body is sanitised on save
                for p in lead_in_paragraphs(item.story.body, item.lead_ins)
            ],
            story_id=item.story_id,
            is_public=item.story.is_live,
            notes=item.story.notes if with_notes else [],
        )
        for item in items
    ]


def edition_web_path(edition: Edition) -> str:
    """The sent edition's page in the newsletter's public archive."""
    return reverse("newsletters:edition", args=[edition.newsletter.slug, edition.pk])


# Stand-ins for each reader's own links: the email is rendered and inlined
# once per batch, then each copy gets its reader's links (signed tokens:
# URL-safe characters, the same escaped or not).
PREFERENCES_SLOT = "newsroom-preferences-url-slot"
UNSUBSCRIBE_SLOT = "newsroom-unsubscribe-url-slot"


@dataclass
class RenderedEdition:
    edition: Edition
    text: str
    page: str

    def bodies(self, email: str) -> tuple[str, str]:
        links = {
            PREFERENCES_SLOT: preferences_url(email),
            UNSUBSCRIBE_SLOT: unsubscribe_url(email),
        }
        text, page = self.text, self.page
        for slot, url in links.items():
            text, page = text.replace(slot, url), page.replace(slot, url)
        return text, page


def edition_render(edition: Edition, items: list[EmailItem]) -> RenderedEdition:
    """The edition's two bodies, with slots for each reader's links."""
    context = {
        "edition": edition,
        "newsletter": edition.newsletter,
        "items": items,
        "web_url": settings.NEWSROOM_SITE_URL + edition_web_path(edition),
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "preferences_url": PREFERENCES_SLOT,
        "unsubscribe_url": UNSUBSCRIBE_SLOT,
    }
    text = render_to_string("newsletters/email/edition.txt", context)
    page = render_to_string("newsletters/email/edition.html", context)
    return RenderedEdition(edition=edition, text=text, page=_inliner.inline(page))


def edition_bodies(
    edition: Edition, items: list[EmailItem], email: str
) -> tuple[str, str]:
    """(plain text, HTML with its CSS inlined) for the mail to `email`."""
    return edition_render(edition, items).bodies(email)


def delivery_message_id(edition: Edition, delivery_id: int) -> str:
    """The same Message-ID every time one delivery is sent (a retry after a
    worker died between the provider taking it and it being marked sent):
    mail systems that see it twice may keep one copy."""
    domain = edition.newsletter.from_address.rpartition("@")[2]
    return f"<newsletter-{edition.pk}.delivery-{delivery_id}@{domain}>"


def edition_message(
    edition: Edition,
    items: list[EmailItem] | RenderedEdition,
    email: str,
    *,
    connection=None,
    delivery_id: int | None = None,
) -> EmailMultiAlternatives:
    """The message to `email`; `items` may be the edition already rendered
    (`edition_render`), as a batch does once for all its messages."""
    rendered = (
        items if isinstance(items, RenderedEdition) else edition_render(edition, items)
    )
    text, page = rendered.bodies(email)
    headers = unsubscribe_headers(email)
    if delivery_id is not None:
        headers["Message-ID"] = delivery_message_id(edition, delivery_id)
    return _message(edition, text, page, email, headers, connection)


def _message(edition, text, page, email, headers, connection=None):
    message = EmailMultiAlternatives(
        subject=edition.subject,
        body=text,
        from_email=edition.newsletter.from_address,
        to=[email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(page, "text/html")
    return message


# Stand-ins for what else differs from one copy to the next, in the whole
# message built once per batch (`MessageBytes`).
ADDRESS_SLOT = "newsroom-address-slot@slot.invalid"
MESSAGE_ID_SLOT = "<newsroom-message-id-slot@slot.invalid>"
DATE_SLOT = "newsroom-date-slot"
TOKEN_SLOT = "newsroom-token-slot"


class MessageBytes:
    """The edition's whole message (headers, both parts) built and encoded by
    Django once, with slots for each reader's address, links, Message-ID and
    date, so a batch's copies are the same bytes with those filled in,
    instead of a MIME message built and encoded per reader.

    Only when it is safe: `usable` is False when a part had to be
    quoted-printable or base64 encoded (a line over 998 characters), where a
    slot may be split or a line's length matters; the caller then builds each
    message (`edition_message`)."""

    def __init__(self, rendered: RenderedEdition):
        edition = rendered.edition
        headers = unsubscribe_headers(ADDRESS_SLOT, url=UNSUBSCRIBE_SLOT) | {
            "Message-ID": MESSAGE_ID_SLOT,
            "Date": DATE_SLOT,
        }
        message = _message(edition, rendered.text, rendered.page, ADDRESS_SLOT, headers)
        encoding = message.encoding or settings.DEFAULT_CHARSET
        self.from_email = sanitize_address(message.from_email, encoding)
        self.template = message.message().as_bytes(linesep="\r\n")
        self.edition = edition
        # The links with a slot for the signed token: reversed once.
        self.preferences_url, self.unsubscribe_url = links_for_token(TOKEN_SLOT)
        expected = {
            UNSUBSCRIBE_SLOT: rendered.text.count(UNSUBSCRIBE_SLOT)
            + rendered.page.count(UNSUBSCRIBE_SLOT)
            + 1,
            PREFERENCES_SLOT: rendered.text.count(PREFERENCES_SLOT)
            + rendered.page.count(PREFERENCES_SLOT),
            quote(ADDRESS_SLOT): 1,
            MESSAGE_ID_SLOT: 1,
            DATE_SLOT: 1,
        }
        self.usable = (
            b"Content-Transfer-Encoding: quoted-printable" not in self.template
            and b"Content-Transfer-Encoding: base64" not in self.template
            and all(
                self.template.count(slot.encode()) == count
                for slot, count in expected.items()
            )
        )

    def for_reader(self, email: str, delivery_id: int) -> bytes:
        """The message to `email` (already normalised: ASCII only)."""
        token = preferences_token(email)
        preferences = self.preferences_url.replace(TOKEN_SLOT, token)
        unsubscribe = self.unsubscribe_url.replace(TOKEN_SLOT, token)
        raw = self.template
        for slot, value in (
            (UNSUBSCRIBE_SLOT, unsubscribe),
            (PREFERENCES_SLOT, preferences),
            (quote(ADDRESS_SLOT), quote(f"{email}")),
            (ADDRESS_SLOT, email),
            (MESSAGE_ID_SLOT, delivery_message_id(self.edition, delivery_id)),
            (DATE_SLOT, formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
        ):
            raw = raw.replace(slot.encode(), value.encode())
        return raw
