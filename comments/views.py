from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from comments.forms import (
    CommentEditForm,
    CommentForm,
    DeleteAccountForm,
    ReportForm,
    SignUpForm,
)
from comments.models import Comment, CommentStatus
from comments.services import (
    CommentRefused,
    DisplayNameTaken,
    comment_delete,
    comment_edit,
    comment_post,
    comment_report,
    reader_confirm_sign_up,
    reader_data_export,
    reader_delete_account,
    reader_sign_up,
    sign_up_tokens,
)
from comments.threads import comment_subtree
from newsroom import pagecache


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
    pagecache.depends_on(request, f"story-{comment.article_id}")
    return render(
        request,
        "comments/comment_thread.html",
        {
            "comment": comment,
            "article": comment.article,
            "node": comment_subtree(request, comment),
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


def sign_up(request):
    """The answer is the same whether or not the address has an account: the
    mailbox's owner learns which, nobody else (see reader_sign_up)."""
    if request.user.is_authenticated:
        return redirect("articles:headlines")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reader_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
                next_url=_local_path(request.POST.get("next", "")),
            )
        except DisplayNameTaken as taken:
            form.add_error("display_name", taken)
        else:
            return redirect("accounts:signup_sent")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


def _local_path(url: str) -> str:
    """`url` if it is a path on this site, else nothing."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def sign_up_sent(request):
    return render(request, "registration/signup_sent.html")


def _user_from_link(uidb64: str):
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return get_user_model()._default_manager.filter(pk=pk).first()


def sign_up_confirm(request, uidb64, token):
    """The link of the sign-up email. Opening it shows a button; only the
    button opens the account, so a mail scanner fetching links opens nothing."""
    user = _user_from_link(uidb64)
    if request.method == "POST" and reader_confirm_sign_up(user=user, token=token):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! You can now join the discussions."))
        return redirect(
            _local_path(request.GET.get("next", "")) or "articles:headlines"
        )
    valid = user is not None and sign_up_tokens.check_token(user, token)
    return render(
        request,
        "registration/signup_confirm.html",
        {"valid": valid},
        status=200 if valid else 404,
    )


@login_required
def account(request):
    """A reader's own page: their data, and closing the account."""
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reader_delete_account(user=request.user)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("accounts:account")
        logout(request)
        messages.success(
            request,
            _(
                "Your account is closed. Your comments stay in their threads "
                "under “Former reader”; nothing that identifies you is kept."
            ),
        )
        return redirect("articles:headlines")
    return render(request, "registration/account.html", {"form": form})


@login_required
def account_data(request):
    """Everything the site keeps about the reader, as a JSON download."""
    response = JsonResponse(
        reader_data_export(request.user), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-cupure-data.json"'
    return response
