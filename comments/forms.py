from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from comments.models import ReaderProfile
from comments.services import clean_comment_text


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.NEWSROOM_COMMENT_MAX_LENGTH,
        help_text=_("Plain text. Be civil; comments may be checked by moderators."),
    )
    notify_on_reply = forms.BooleanField(
        label=_("Email me when someone replies"), required=False
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_body(self):
        body = clean_comment_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write something before posting."))
        return body


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=settings.NEWSROOM_COMMENT_MAX_LENGTH,
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown with your comments."),
    )
    email = forms.EmailField(label=_("Email"))
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
        name = clean_comment_text(self.cleaned_data["display_name"]).replace("\n", " ")
        if not name:
            raise forms.ValidationError(_("Choose a name to show with your comments."))
        if ReaderProfile.objects.filter(display_name__iexact=name).exists():
            raise forms.ValidationError(_("Another reader already uses this name."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email exists. Log in, or reset its password.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
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
