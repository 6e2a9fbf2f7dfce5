from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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
