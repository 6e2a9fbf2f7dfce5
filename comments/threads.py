"""Reading a story's discussion: one page of top-level comments with every
reply under them, in a constant number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator

from comments.models import Comment, CommentStatus
from comments.services import comments_mode

ORDERS = {"oldest": ("created_at", "pk"), "newest": ("-created_at", "-pk")}


@dataclass
class Node:
    comment: Comment
    replies: list["Node"] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadPage:
    """Which page of a thread's top-level comments this is, and of how many."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class KeptComment:
    """What a page of comments needs of a comment when its HTML is kept as a
    fragment (comments/rendering.py): no body, no author's account."""

    pk: int
    author_id: int
    author_name: str
    status: str

    @property
    def is_deleted(self) -> bool:
        return self.status == CommentStatus.DELETED

    @classmethod
    def of(cls, comment: Comment) -> "KeptComment":
        return cls(comment.pk, comment.author_id, comment.author_name, comment.status)


def kept_tree(nodes: list[Node]) -> list[Node]:
    """`nodes` with each comment reduced to what a page needs beside its HTML."""
    return [
        Node(KeptComment.of(node.comment), kept_tree(node.replies)) for node in nodes
    ]


def _tree(roots: list[Comment], replies: list[Comment]) -> list[Node]:
    children = defaultdict(list)
    for reply in replies:
        children[reply.parent_id].append(reply)

    def grow(comment: Comment) -> Node:
        return Node(comment, [grow(child) for child in children[comment.pk]])

    return [grow(root) for root in roots]


def story_thread(request, article, *, viewer=None) -> dict:
    """Context for the comments under a story, as `viewer` (the request's
    user unless given) sees them: three queries for the page."""
    viewer = viewer or request.user
    order = request.GET.get("corder")
    order = order if order in ORDERS else "oldest"
    roots = (
        Comment.objects.filter(article=article, parent=None)
        .visible_to(viewer)
        .for_thread()
        .order_by(*ORDERS[order])
    )
    paginator = Paginator(roots, settings.NEWSROOM_COMMENTS_PER_PAGE)
    try:
        number = int(request.GET.get("cpage", 1))
    except ValueError:
        number = 1
    page: Page = paginator.get_page(max(number, 1))
    page_roots = list(page.object_list)
    replies = list(
        Comment.objects.filter(root__in=[root.pk for root in page_roots], depth__gt=0)
        .visible_to(viewer)
        .for_thread()
        .order_by("created_at", "pk")
    )
    return {
        "comment_page": ThreadPage(page.number, paginator.num_pages),
        "comment_tree": _tree(page_roots, replies),
        "comment_order": order,
        "comments_mode": comments_mode(article),
    }


def comment_subtree(request, comment: Comment) -> Node:
    """One comment with every visible reply under it (one query)."""
    family = (
        Comment.objects.filter(
            root_id=comment.root_id or comment.pk, depth__gt=comment.depth
        )
        .visible_to(request.user)
        .for_thread()
        .order_by("created_at", "pk")
    )
    return _tree([comment], list(family))[0]
