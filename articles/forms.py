from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Section
from articles.search import plain_text

MAX_QUERY = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search stories"),
        max_length=MAX_QUERY,
        error_messages={
            "required": _("Type a word or two to search for."),
            "max_length": _("Searches can be at most %(limit_value)d characters."),
        },
        widget=forms.SearchInput(attrs={"placeholder": _("e.g. harbour summit")}),
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_q(self):
        # Control characters (NUL included) mean nothing in a search.
        query = plain_text(
            "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable())
        )
        if not query:
            raise forms.ValidationError(_("Type a word or two to search for."))
        return query

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return cleaned
