import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from comments import rendering
from comments.forms import CommentForm
from comments.services import comments_close_at, comments_mode
from comments.threads import story_thread
from pagecache import store

register = template.Library()

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def _linked(text: str) -> str:
    """`text` escaped, with each web address made a link. Addresses are found
    in the text as typed: in escaped text an entity's `;` would pass for
    trailing punctuation and be cut off the link."""
    pieces = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        pieces.append(escape(text[position : match.start()]))
        pieces.append(
            format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', url, url)
        )
        position = match.start() + len(url)
    pieces.append(escape(text[position:]))
    return "".join(pieces)


@register.filter
def comment_text(text: str) -> SafeString:
    """A reader's plain text as HTML: everything escaped, web addresses (http
    and https only) made into links that pass no credit, paragraphs kept."""
    linked = _linked(text or "")
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n{2,}", linked) if p]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))


@register.inclusion_tag("comments/story_comments.html", takes_context=True)
def comment_section(context, article) -> dict:
    """The comments under a story: the thread page asked for and the form.

    The public page also stops being cached as it is when the thread closes
    by itself; a preview is never cached.
    """
    request = context["request"]
    if not context.get("preview"):
        store.expires_at(request, comments_close_at(article))
    # Noted before the thread is read: a comment that changes meanwhile is
    # shown once, never kept.
    read_after = store.changes_so_far()
    thread = None
    if not context.get("preview"):
        mode = comments_mode(article)
        if not request.user.is_authenticated:
            html = rendering.public_thread_page(
                request, article, comments_mode=mode, read_after=read_after
            )
            if html is not None:
                thread = {"comments_mode": mode, "thread_html": html}
        else:
            thread = rendering.reader_thread(
                request, article, comments_mode=mode, read_after=read_after
            )
    if thread is None:
        thread = story_thread(request, article)
    return {
        **context.flatten(),
        "comment_form": CommentForm(),
        "read_after": read_after,
        **thread,
    }


@register.simple_tag(takes_context=True)
def comment_items(context, nodes, comments_mode, read_after=None) -> SafeString:
    """The <li> items of `nodes` and their replies (comments/rendering.py)."""
    return rendering.comment_list(
        context["request"], nodes, comments_mode=comments_mode, read_after=read_after
    )
