from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField, TagWidget

from core.changelist import (
    StrictModelChoiceField,
    StrictModelMultipleChoiceField,
    is_id,
)
from tags.models import Tag, normalize_tag_name
from tags.services import tag_typed_warnings


class TagAutocompleteWidget(TagWidget):
    """Taggit's comma-separated input, with suggestions from existing tags
    and, while typing, flags on near-duplicates with a button to use the
    existing tag (the same check StoryTagField makes on saving)."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "vLargeTextField one-line tag-autocomplete",
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("admin:tags_tag_suggest"),
                "data-check-url": reverse_lazy("admin:tags_tag_check"),
                **(attrs or {}),
            }
        )

    class Media:
        js = ["tags/admin/tag-autocomplete.js"]
        css = {"all": ["tags/admin/tag-autocomplete.css"]}


class StoryTagField(TagField):
    """The story form's tags: refused when one is a near-duplicate of an
    existing tag, a merged name or another tag typed with it, each named
    with the tag to use instead, so a subject never gets a second tag."""

    widget = TagAutocompleteWidget

    def clean(self, value):
        names = super().clean(value)
        blocking = [w for w in tag_typed_warnings(names) if w.blocking]
        if blocking:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _("%(message)s Use “%(use)s”."),
                        code="near_duplicate",
                        params={"message": warning.message, "use": warning.use},
                    )
                    for warning in blocking
                ]
            )
        return names


class TagAdminForm(forms.ModelForm):
    """The tag admin's form: a name or address already taken is refused
    naming the tag that has it, instead of Django's "Tag with this Name
    already exists." (twice, with the constraint's message)."""

    class Meta:
        model = Tag
        fields = [
            "name",
            "slug",
            "description",
            "strip_position",
            "is_hidden_from_strip",
        ]

    def _others(self):
        return Tag.objects.exclude(pk=self.instance.pk)

    def clean_name(self):
        name = normalize_tag_name(self.cleaned_data["name"])
        if same := self._others().filter(name__iexact=name).first():
            raise forms.ValidationError(
                _(
                    "A tag with this name already exists (capitals don't "
                    "count): “%(tag)s”. Tag stories with it, or choose another "
                    "name."
                ),
                code="unique",
                params={"tag": same.name},
            )
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if same := self._others().filter(slug=slug).first():
            raise forms.ValidationError(
                _("The address /tags/%(slug)s/ belongs to “%(tag)s”; choose another."),
                code="unique",
                params={"slug": slug, "tag": same.name},
            )
        return slug


class TagMergeForm(forms.Form):
    tags = StrictModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_pk_value": _(
                "“%(pk)s” is not a tag. Nothing was merged: choose the tags "
                "again from the list."
            ),
            "invalid_choice": _(
                "A tag you chose no longer exists. Nothing was merged: choose "
                "the tags again from the list."
            ),
        },
    )
    survivor = StrictModelChoiceField(
        label=_("Keep this tag"),
        queryset=Tag.objects.all(),
        widget=forms.RadioSelect,
        help_text=_(
            "The other tags' stories move to it; their names become aliases and "
            "their pages redirect to it."
        ),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["survivor"].queryset = choices

    def posted_tags(self):
        """The tags the form was sent with, for drawing it again: only the
        values that are ids are looked up."""
        posted = self.data.getlist(self.add_prefix("tags")) if self.is_bound else []
        return Tag.objects.filter(pk__in=[pk for pk in posted if is_id(pk)])

    def clean(self):
        cleaned = super().clean()
        tags, survivor = cleaned.get("tags"), cleaned.get("survivor")
        if tags is not None and len(tags) < 2:
            raise forms.ValidationError(_("Choose at least two tags to merge."))
        if tags is not None and survivor is not None and survivor not in tags:
            self.add_error("survivor", _("Keep one of the tags being merged."))
        return cleaned
