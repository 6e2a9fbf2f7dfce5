"""The story body: what the editor offers and what the database keeps.

Journalists write in django-prose-editor; whatever reaches the server is
cleaned by nh3 against the allow-list below before it is stored, so a
crafted POST cannot store more than the editor can produce.
"""

import nh3
from django.conf import settings
from django_prose_editor.config import add_allowed_classes, add_tags_and_attributes

LEAD_IN_CLASS = "lead-in"

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
    "LeadIn": True,
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Pictures in the body come from our own library, never from elsewhere
    (no tracking pixels, no mixed content)."""
    if tag == "img" and attribute == "src":
        return value if value.startswith(settings.MEDIA_URL) else None
    return value


_cleaner = nh3.Cleaner(
    tags={
        "figure",
        "figcaption",
        "img",
        "p",
        "br",
        "strong",
        "em",
        "a",
        "h2",
        "h3",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
    },
    attributes={
        "a": {"href", "title"},
        "ol": {"start"},
        "img": {"src", "alt", "width", "height"},
    },
    attribute_filter=_keep_attribute,
    allowed_classes={"strong": {LEAD_IN_CLASS}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def process_lead_in(config, shared_config) -> None:
    """Sanitiser rules for the editor's lead-in mark: `<strong class="lead-in">`."""
    add_tags_and_attributes(shared_config, ["strong"], None)
    add_allowed_classes(shared_config, {"strong": [LEAD_IN_CLASS]})


def sanitize_body(html: str) -> str:
    """Return the body reduced to the tags, attributes and URLs we allow.

    Broken markup can come out of one pass nested in a way the next parse
    reads differently (a heading inside a heading); cleaning again until
    nothing changes makes the stored body a fixed point."""
    cleaned = _cleaner.clean(html or "").strip()
    for _ in range(3):
        again = _cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    # ProseMirror always keeps one paragraph; an empty one means no body.
    return "" if cleaned in {"", "<p></p>"} else cleaned
