"""Reader accounts: Django's own views with our templates, plus sign-up."""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from accounts import views
from accounts.forms import ReaderLoginForm, ReaderPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("signup/sent/", views.sign_up_sent, name="signup_sent"),
    path(
        "signup/confirm/<uidb64>/<token>/",
        views.sign_up_confirm,
        name="signup_confirm",
    ),
    path("", views.account, name="account"),
    path("my-data/", views.account_data, name="account_data"),
    path(
        "login/",
        auth.LoginView.as_view(authentication_form=ReaderLoginForm),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth.PasswordResetView.as_view(
            form_class=ReaderPasswordResetForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
