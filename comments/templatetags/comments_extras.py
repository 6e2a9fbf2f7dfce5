import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def _link(match: re.Match) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in _TRAILING:
        trailing = url[-1] + trailing
        url = url[:-1]
    # The text is already escaped; format_html must not escape it twice.
    return format_html(
        '<a href="{}" rel="nofollow ugc noopener">{}</a>{}',
        mark_safe(url),
        mark_safe(url),
        mark_safe(trailing),
    )


@register.filter
def comment_text(text: str) -> SafeString:
    """A reader's plain text as HTML: everything escaped, web addresses (http
    and https only) made into links that pass no credit, paragraphs kept."""
    escaped = escape(text or "")
    linked = _URL.sub(_link, escaped)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n{2,}", linked) if p]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))
