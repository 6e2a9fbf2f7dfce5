from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import NormalizedEmailField
from core.changelist import StrictModelMultipleChoiceField
from newsletters.models import Newsletter


class NewsletterChoiceField(StrictModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _choices(required: bool) -> NewsletterChoiceField:
    return NewsletterChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={
            "required": _("Tick at least one newsletter."),
            "invalid_choice": _("Choose newsletters from the list."),
            "invalid_pk_value": _("Choose newsletters from the list."),
        },
    )


class SubscribeForm(forms.Form):
    email = NormalizedEmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    newsletters = _choices(required=True)


class PreferencesForm(forms.Form):
    newsletters = _choices(required=False)
