from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from comments.forms import CommentEditForm, CommentForm, ReportForm
from comments.models import Comment, CommentStatus
from comments.services import (
    CommentRefused,
    comment_delete,
    comment_edit,
    comment_post,
    comment_report,
    comments_mode,
)
from comments.threads import comment_subtree
from pagecache import keys, store


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _visible_comment(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.visible_to(request.user)
        .for_thread()
        .select_related("article__section")
        .filter(article__in=Article.objects.published()),
        pk=pk,
    )
    return comment


@login_required
@require_POST
def post_comment(request, article_pk):
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    form = CommentForm(request.POST)
    anchor = "#comments"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(article.get_absolute_url() + anchor)
    parent = None
    if form.cleaned_data["parent"]:
        parent = Comment.objects.filter(
            pk=form.cleaned_data["parent"], article=article
        ).first()
        if parent is None:
            messages.error(request, _("The comment you replied to is gone."))
            return redirect(article.get_absolute_url() + anchor)
    try:
        comment, created = comment_post(
            article=article,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            notify_on_reply=form.cleaned_data["notify_on_reply"],
            ip_address=_client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except CommentRefused as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect(article.get_absolute_url() + anchor)
    if not created:
        messages.info(request, _("You had already posted this comment."))
    elif comment.status == CommentStatus.PENDING:
        messages.info(
            request,
            _(
                "Thanks. Your comment is awaiting review and will appear once a "
                "moderator has read it."
            ),
        )
    else:
        messages.success(request, _("Your comment is published."))
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


def thread(request, pk):
    """One comment with its replies and its story: for sharing and for context."""
    comment = _visible_comment(request, pk)
    store.depends_on(request, keys.story(comment.article_id))
    return render(
        request,
        "comments/comment_thread.html",
        {
            "comment": comment,
            "article": comment.article,
            "nodes": [comment_subtree(request, comment)],
            "comments_mode": comments_mode(comment.article),
            "form": CommentForm(initial={"parent": comment.pk}),
        },
    )


@login_required
def edit(request, pk):
    comment = _visible_comment(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_edit(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            )
        except CommentRefused as refusal:
            form.add_error("body", refusal)
        else:
            messages.success(request, _("Your comment was updated."))
            return redirect(comment)
    return render(
        request, "comments/comment_edit.html", {"comment": comment, "form": form}
    )


@login_required
@require_POST
def delete(request, pk):
    comment = _visible_comment(request, pk)
    comment_delete(comment=comment, by=request.user)
    messages.success(request, _("Your comment was deleted."))
    return redirect(f"{comment.article.get_absolute_url()}#comments")


@login_required
def report(request, pk):
    comment = _visible_comment(request, pk)
    if comment.status != CommentStatus.APPROVED:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reported = comment_report(
                comment=comment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except CommentRefused as refusal:
            form.add_error("reason", refusal)
        else:
            messages.success(
                request,
                _("Thank you. A moderator will look at this comment.")
                if reported
                else _("You have already reported this comment."),
            )
            return redirect(f"{comment.article.get_absolute_url()}#comments")
    return render(
        request, "comments/comment_report.html", {"comment": comment, "form": form}
    )
