"""A page of comments as HTML, built so that its cost does not grow with what
every reader sees the same.

Each shown comment (its author, time, body, or the placeholder of a deleted
one) is a page-cache fragment under the keys of its comment and its author's
name, read for the whole page in one round trip; only the missing ones are
rendered. What differs per reader is added around the fragments here, from
strings translated and addresses reversed once per page: the actions of a
logged-in reader (Reply, and Edit and Delete on their own comments, Report on
others'), and their own comments still awaiting review, which are never kept.

A page has one reply form (comments/reply_form.html); each comment's "Reply"
is a link to the comment's own page, where the form is, which
comments/reply.js turns into a button that moves the page's form under it.

The first page of a story's thread as anonymous readers see it (most of the
readers of a story the page cache has not kept) is one fragment more, under
the story's key and the keys of the comments it shows: it costs no query.
The same page as every logged-in reader sees it who wrote none of its
comments (Reply and Report, no CSRF token) is one more under the same keys;
the reply form, with the reader's own CSRF token, follows it.
"""

import copy

from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatus
from comments.threads import ORDERS, KeptComment, Node, kept_tree, story_thread
from pagecache import keys, store

SHOWN_TEMPLATE = "comments/comment_shown.html"
THREAD_PAGE_TEMPLATE = "comments/thread_page.html"
_SENTINEL = 987654321


def _address(name: str):
    """The address of view `name` for any comment pk, reversed once."""
    pattern = reverse(name, kwargs={"pk": _SENTINEL})
    before, _, after = pattern.partition(str(_SENTINEL))
    return lambda pk: f"{before}{pk}{after}"


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node.comment
        yield from _walk(node.replies)


def _fragment_name(comment) -> str:
    return f"comment:{get_language() or ''}:{comment.pk}"


def _shown(request, nodes: list[Node], read_after: int | None) -> dict[int, str]:
    """Each comment's shared HTML by pk: kept fragments, and the comments
    waiting for review (their author's own) rendered every time."""
    comments = list(_walk(nodes))

    def render(comment) -> str:
        return render_to_string(SHOWN_TEMPLATE, {"comment": comment})

    def build(missing: list[str]) -> dict[str, str]:
        # A thread taken from a kept page knows its comments only in part.
        light = [
            kept[name].pk for name in missing if isinstance(kept[name], KeptComment)
        ]
        whole = {c.pk: c for c in Comment.objects.filter(pk__in=light).for_thread()}
        return {name: render(whole.get(kept[name].pk, kept[name])) for name in missing}

    waiting = {c.pk: render(c) for c in comments if c.status == CommentStatus.PENDING}
    kept = {_fragment_name(c): c for c in comments if c.pk not in waiting}
    html = store.fragments(
        {
            name: [keys.comment(comment.pk), keys.reader(comment.author_id)]
            for name, comment in kept.items()
        },
        build,
        read_after=read_after,
    )
    return {**waiting, **{comment.pk: html[name] for name, comment in kept.items()}}


class _Actions:
    """What a logged-in reader can do to each comment, as HTML."""

    def __init__(self, request, *, can_reply: bool, user_id: int | None):
        # None: actions as any reader sees them who wrote none of the comments.
        self.user_id = user_id
        self.request = request
        self.can_reply = can_reply
        self.thread = _address("comments:thread")
        self.edit = _address("comments:edit")
        self.delete = _address("comments:delete")
        self.report = _address("comments:report")
        self.words = {
            "reply": _("Reply"),
            "edit": _("Edit"),
            "delete": _("Delete"),
            "report": _("Report"),
        }

    def __call__(self, comment) -> str:
        words = self.words
        parts = []
        approved = comment.status == CommentStatus.APPROVED
        if approved and self.can_reply:
            # Without JavaScript, the comment's own page, which has the form.
            parts.append(
                format_html(
                    '<a class="comment__reply" href="{}#reply">{}</a>',
                    self.thread(comment.pk),
                    words["reply"],
                )
            )
        if self.user_id is not None and comment.author_id == self.user_id:
            parts.append(
                format_html(
                    '<a href="{}">{}</a><form method="post" action="{}" '
                    'class="comment__delete"><input type="hidden" '
                    'name="csrfmiddlewaretoken" value="{}">'
                    '<button type="submit" class="link-button">{}</button></form>',
                    self.edit(comment.pk),
                    words["edit"],
                    self.delete(comment.pk),
                    get_token(self.request),
                    words["delete"],
                )
            )
        elif approved:
            parts.append(
                format_html(
                    '<a href="{}">{}</a>', self.report(comment.pk), words["report"]
                )
            )
        return f'<div class="comment__actions">{"".join(parts)}</div>'


def comment_list(
    request,
    nodes: list[Node],
    *,
    comments_mode: str,
    read_after: int | None,
    as_any_reader: bool = False,
) -> SafeString:
    """`nodes` and their replies as the items of a comment list; with
    `as_any_reader`, with the actions of a logged-in reader who wrote none
    of them (the same for every such reader: no CSRF token)."""
    shown = _shown(request, nodes, read_after)
    actions = None
    if as_any_reader or request.user.is_authenticated:
        actions = _Actions(
            request,
            can_reply=comments_mode != "closed",
            user_id=None if as_any_reader else request.user.pk,
        )

    def item(node: Node) -> str:
        comment = node.comment
        classes = "comment"
        if comment.is_deleted:
            classes += " comment--deleted"
        elif comment.status == CommentStatus.PENDING:
            classes += " comment--pending"
        html = shown[comment.pk]
        if actions and not comment.is_deleted:
            # The reader's actions go inside the comment's <article>.
            head, _, _ = html.rpartition("</article>")
            html = f"{head}{actions(comment)}</article>"
        replies = ""
        if node.replies:
            inner = "".join(item(reply) for reply in node.replies)
            replies = f'<ol class="comment-list comment-list--replies">{inner}</ol>'
        return f'<li class="{classes}" id="comment-{comment.pk}">{html}{replies}</li>'

    return mark_safe("".join(item(node) for node in nodes))


def _first_page(
    request, article, *, comments_mode: str, read_after: int | None
) -> dict | None:
    """The first page of `article`'s thread in the order asked for, as every
    anonymous reader sees it: its "html" and its "thread" (the context it was
    rendered from, comments reduced to what a page needs beside their
    kept HTML); None for any other page (those are read each time, and a
    crafted page number cannot fill the cache)."""
    order = request.GET.get("corder", "oldest")
    if order not in ORDERS or request.GET.get("cpage", "1") != "1":
        return None

    def build() -> dict:
        anonymous = copy.copy(request)
        anonymous.user = AnonymousUser()
        thread = story_thread(anonymous, article, viewer=anonymous.user)
        html = render_to_string(
            THREAD_PAGE_TEMPLATE, {**thread, "read_after": read_after}, anonymous
        )
        shown = list(_walk(thread["comment_tree"]))
        return {
            "html": html,
            "thread": {**thread, "comment_tree": kept_tree(thread["comment_tree"])},
            "keys": [
                *keys.many(keys.comment, [comment.pk for comment in shown]),
                *keys.many(keys.reader, {comment.author_id for comment in shown}),
            ],
        }

    name = f"thread:{get_language() or ''}:{article.pk}:{order}:{comments_mode}"
    return store.fragment(
        name, [keys.story(article.pk)], build, keys_of=lambda value: value["keys"]
    )


def public_thread_page(
    request, article, *, comments_mode: str, read_after: int | None
) -> SafeString | None:
    """The first page of `article`'s thread as anonymous readers see it, as
    HTML (None for any other page)."""
    kept = _first_page(
        request, article, comments_mode=comments_mode, read_after=read_after
    )
    return kept and kept["html"]


def reader_thread(
    request, article, *, comments_mode: str, read_after: int | None
) -> dict | None:
    """The context of the first page of `article`'s thread for a logged-in
    reader, taken from the page anonymous readers see: the same comments,
    unless some of the reader's own still wait for review there (then None,
    and the page is read for them)."""
    if request.GET.get("cpage", "1") != "1":
        return None
    if Comment.objects.filter(
        article=article, author=request.user, status=CommentStatus.PENDING
    ).exists():
        return None
    kept = _first_page(
        request, article, comments_mode=comments_mode, read_after=read_after
    )
    if kept is None:
        return None
    thread = kept["thread"]
    if any(c.author_id == request.user.pk for c in _walk(thread["comment_tree"])):
        return thread  # their own comments carry Edit and Delete
    order = thread["comment_order"]
    name = f"thread-reader:{get_language() or ''}:{article.pk}:{order}:{comments_mode}"

    def build() -> SafeString:
        items = comment_list(
            request,
            thread["comment_tree"],
            comments_mode=comments_mode,
            read_after=read_after,
            as_any_reader=True,
        )
        return render_to_string(
            THREAD_PAGE_TEMPLATE,
            {**thread, "read_after": read_after, "kept_items": items},
            request,
        )

    # Shows what the first page shows.
    html = store.fragment(
        name, [keys.story(article.pk)], build, keys_of=lambda _: kept["keys"]
    )
    return {**thread, "thread_html": html}
