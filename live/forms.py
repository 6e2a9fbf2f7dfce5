from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from live.models import LiveEntry


class EntryForm(forms.ModelForm):
    """The compact form at the top of the live desk: the text, an optional
    picture from the library (searched as the story's hero image is), Post."""

    class Meta:
        model = LiveEntry
        fields = ["body", "image", "is_key_event", "is_pinned"]
        labels = {"body": _("New entry")}
        widgets = {
            "image": AutocompleteSelect(LiveEntry._meta.get_field("image"), admin.site)
        }
        error_messages = {
            "image": {
                "invalid_choice": _(
                    "That picture is not in the library. Pick another one, or "
                    "post without a picture."
                )
            }
        }

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "image" in self.errors:
            # Shown again empty: the picker would look the refused id up.
            self.data = self.data.copy()
            self.data.pop("image", None)


class EntryEditForm(forms.ModelForm):
    class Meta:
        model = LiveEntry
        fields = ["body"]
        labels = {"body": _("Entry")}


class DeskActionForm(forms.Form):
    """A button pressed on the live desk; the entry it concerns, if any."""

    ACTIONS = (
        "start",
        "end",
        "open",
        "close",
        "post",
        "edit",
        "delete",
        "pin",
        "unpin",
        "key",
        "unkey",
    )
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS])
    entry = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class OlderForm(forms.Form):
    before = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    edit = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
