"""Reader accounts: signing up, the account page, the data download."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from accounts.forms import (
    DeleteAccountForm,
    ReaderLoginForm,
    ReaderPasswordResetForm,
    SignUpForm,
)
from accounts.services import (
    DisplayNameTaken,
    reader_confirm_sign_up,
    reader_data_export,
    reader_delete_account,
    reader_sign_up,
    sign_up_tokens,
)

# --- Django's sign-in and password views, named after the publication ----------


class PublicationNamed:
    """Django's auth views set `site_name` to the request's host
    ("127.0.0.1:8000"), hiding the context processor's: put ours back."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return context | {"site_name": settings.NEWSROOM_SITE_NAME}


class LoginView(PublicationNamed, auth.LoginView):
    authentication_form = ReaderLoginForm


class PasswordResetView(PublicationNamed, auth.PasswordResetView):
    form_class = ReaderPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        # The mail's name and link are the publication's, not the host's.
        return {
            "site_name": settings.NEWSROOM_SITE_NAME,
            "site_url": settings.NEWSROOM_SITE_URL,
        }


class PasswordResetDoneView(PublicationNamed, auth.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(PublicationNamed, auth.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(PublicationNamed, auth.PasswordResetCompleteView):
    pass


# --- Signing up and the account page --------------------------------------------


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
        "accounts/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


def _local_path(url: str) -> str:
    """`url` if it is a path on this site, else nothing."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def sign_up_sent(request):
    return render(request, "accounts/signup_sent.html")


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
        login(request, user, backend="accounts.backends.AccountBackend")
        messages.success(request, _("Welcome! You can now join the discussions."))
        return redirect(
            _local_path(request.GET.get("next", "")) or "articles:headlines"
        )
    valid = user is not None and sign_up_tokens.check_token(user, token)
    return render(
        request,
        "accounts/signup_confirm.html",
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
    return render(request, "accounts/account.html", {"form": form})


@login_required
def account_data(request):
    """Everything the site keeps about the reader, as a JSON download."""
    response = JsonResponse(
        reader_data_export(request.user), json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="my-cupure-data.json"'
    return response
