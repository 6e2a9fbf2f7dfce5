from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.services import (
    DisplayNameTaken,
    display_name_check,
    reader_waiting_for_confirmation,
)
from core.text import normalize_email, visible_text

DISPLAY_NAME_LENGTH = 60


class NormalizedEmailField(forms.EmailField):
    """An address in its stored form (see core.text.normalize_email),
    normalised before it is validated: "ｒeader@cupure.ｅxample" is
    "reader@cupure.example"."""

    # Django's EmailField leaves this message to its validator; an address
    # normalising refuses ("@.") needs it here.
    default_error_messages = {"invalid": _("Enter a valid email address.")}

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return normalize_email(value)
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None


def _username_length() -> int:
    return get_user_model()._meta.get_field("username").max_length


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_LENGTH,
        help_text=_("Shown with your comments."),
    )
    email = NormalizedEmailField(label=_("Email"), max_length=_username_length())
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_display_name(self):
        name = visible_text(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError(_("Choose a name to show with your comments."))
        if len(name) > DISPLAY_NAME_LENGTH:
            # Normalising can lengthen a name ("ﷺ" is eighteen letters).
            raise forms.ValidationError(
                _("Choose a name of at most %(limit)d letters.")
                % {"limit": DISPLAY_NAME_LENGTH}
            )
        return name

    def clean(self):
        cleaned = super().clean()
        if name := cleaned.get("display_name"):
            # A second try at an unconfirmed sign-up may keep its name.
            email = cleaned.get("email")
            waiting = reader_waiting_for_confirmation(email) if email else None
            try:
                display_name_check(name, exclude_user=waiting)
            except DisplayNameTaken as taken:
                self.add_error("display_name", taken.messages)
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(
                username=cleaned.get("email", ""), email=cleaned.get("email", "")
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ReaderLoginForm(AuthenticationForm):
    """Django's login form, reading an email the way sign-up stored it.
    Readers' usernames are their email addresses, so the field says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email and password do not match an account. Check them, or "
            "reset your password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email")
        username.widget.input_type = "email"
        username.widget.attrs["autocomplete"] = "email"
        username.error_messages["required"] = _("Enter your email address.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if "@" not in username:
            return username
        try:
            return normalize_email(username)
        except ValueError:
            return username


class ReaderPasswordResetForm(PasswordResetForm):
    email = NormalizedEmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DeleteAccountForm(forms.Form):
    """Closing an account needs the password, so an open laptop can't do it."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
